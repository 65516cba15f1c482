package dev.mqttsuite.broker.auth;

import java.util.concurrent.CompletionStage;

/**
 * The authentication port. Implementations must not block the calling event loop: they answer asynchronously. A
 * failing stage (backend down or slow) makes the broker answer CONNACK 0x88 Server unavailable (3.1.1: return code
 * 3): the broker fails closed, never open.
 */
public interface Authenticator {

    CompletionStage<AuthResult> authenticate(AuthRequest request);

    /** A name for logs, e.g. "anonymous" or "auth-service at host:port". */
    String describe();
}

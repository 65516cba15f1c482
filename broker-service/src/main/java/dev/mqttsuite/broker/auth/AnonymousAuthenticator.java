package dev.mqttsuite.broker.auth;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Lets everyone in with all permissions. Used only when {@code broker.auth.allow-anonymous=true} is set explicitly;
 * the broker then logs a warning at startup.
 */
public final class AnonymousAuthenticator implements Authenticator {

    @Override
    public CompletionStage<AuthResult> authenticate(AuthRequest request) {
        if (request.authenticationMethod() != null) {
            return CompletableFuture.completedFuture(new AuthResult.Denied(
                    dev.mqttsuite.reason.ConnackReasonCode.BAD_AUTHENTICATION_METHOD,
                    "no enhanced authentication method is configured"));
        }
        String principal = request.username() != null ? request.username() : "anonymous";
        return CompletableFuture.completedFuture(new AuthResult.Allowed(principal, Permissions.ALL, null, true));
    }

    @Override
    public String describe() {
        return "anonymous (broker.auth.allow-anonymous=true)";
    }
}

package dev.mqttsuite.broker.auth;

import dev.mqttsuite.reason.ConnackReasonCode;
import java.time.Instant;

/** The authenticator's answer: allowed with a principal and permissions, denied with a CONNACK reason, or continue. */
public sealed interface AuthResult {

    /**
     * @param principal who the client is (user name or token subject)
     * @param permissions compiled once, evaluated locally for every PUBLISH, SUBSCRIBE and delivery
     * @param expiresAt when the credential stops being valid (token {@code exp}); null when it does not expire. The
     *     session ends then with DISCONNECT 0xA0 unless the client re-authenticates.
     * @param superuser bypasses ACL checks (still subject to protocol limits)
     * @param attachment backend-specific state kept with the connection (e.g. the identity to re-evaluate on live
     *     ACL changes); may be null
     */
    record Allowed(String principal, Permissions permissions, Instant expiresAt, boolean superuser,
            Object attachment) implements AuthResult {

        public Allowed(String principal, Permissions permissions, Instant expiresAt, boolean superuser) {
            this(principal, permissions, expiresAt, superuser, null);
        }
    }

    /** @param reason CONNACK reason (downgraded to a 3.1.1 return code where needed) and a reason string for logs */
    record Denied(ConnackReasonCode code, String reason) implements AuthResult {
    }

    /** MQTT 5 enhanced authentication: send AUTH 0x18 with this data and wait for the client's next AUTH. */
    record Continue(byte[] authenticationData) implements AuthResult {
    }
}

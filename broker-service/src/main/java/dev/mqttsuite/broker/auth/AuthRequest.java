package dev.mqttsuite.broker.auth;

import java.util.List;

/**
 * Everything a CONNECT (or an AUTH exchange) tells the authenticator about who is connecting.
 *
 * @param clientId the client identifier (assigned by the broker when the client sent none)
 * @param username the CONNECT user name, or null
 * @param password the CONNECT password bytes, or null (an OIDC access token travels here for MQTT 3.1.1 and 5)
 * @param authenticationMethod the MQTT 5 Authentication Method (e.g. {@code OAUTH2-JWT}), or null
 * @param authenticationData the MQTT 5 Authentication Data, or null
 * @param remoteAddress the peer's address, for rate limiting and audit
 * @param certificateIdentities subject and subject alternative names of a verified TLS client certificate, empty
 *     without mTLS
 * @param protocolVersion 3 (MQTT 3.1), 4 (3.1.1) or 5
 * @param reauthentication true for an MQTT 5 re-authentication (AUTH 0x19) on an established connection
 */
public record AuthRequest(String clientId, String username, byte[] password, String authenticationMethod,
        byte[] authenticationData, String remoteAddress, List<String> certificateIdentities, int protocolVersion,
        boolean reauthentication) {

    public AuthRequest {
        certificateIdentities = certificateIdentities == null ? List.of() : List.copyOf(certificateIdentities);
    }
}

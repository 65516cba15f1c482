package dev.mqttsuite.acl;

import java.util.Map;

/**
 * The values an ACL pattern's placeholders are replaced with: {@code username}, {@code clientid} and
 * {@code claim.<name>} for token claims. Returns null for an unknown or absent variable.
 */
@FunctionalInterface
public interface AclVariables {

    String USERNAME = "username";
    String CLIENT_ID = "clientid";
    String CLAIM_PREFIX = "claim.";

    String lookup(String name);

    /** Variables of a session: username and client id (either may be null) and string-valued token claims. */
    static AclVariables of(String username, String clientId, Map<String, String> claims) {
        Map<String, String> safeClaims = claims == null ? Map.of() : Map.copyOf(claims);
        return name -> switch (name) {
            case USERNAME -> username;
            case CLIENT_ID -> clientId;
            default -> name.startsWith(CLAIM_PREFIX) ? safeClaims.get(name.substring(CLAIM_PREFIX.length())) : null;
        };
    }
}

package dev.mqttsuite.auth.admin;

import jakarta.ws.rs.core.EntityTag;

/**
 * Optimistic concurrency for the admin API: every entity's ETag is its version; updates and deletes must send it back
 * in If-Match, so two admins cannot silently overwrite each other (428 without it, 412 when stale).
 */
final class Etags {

    private Etags() {
    }

    static EntityTag of(long version) {
        return new EntityTag(Long.toString(version));
    }

    static void require(String ifMatch, long currentVersion) {
        if (ifMatch == null || ifMatch.isBlank()) {
            throw new Problem(428, "Precondition Required",
                    "send the entity's ETag in If-Match (GET it first) so concurrent changes are not lost", null);
        }
        String value = ifMatch.trim();
        if (value.equals("*")) {
            return;
        }
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        value = value.replace("\"", "");
        if (!value.equals(Long.toString(currentVersion))) {
            throw new Problem(412, "Precondition Failed", "the entity changed since you read it (ETag "
                    + currentVersion + "): reload and retry", null);
        }
    }
}

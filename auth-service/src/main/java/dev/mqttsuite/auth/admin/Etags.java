package dev.mqttsuite.auth.admin;

import dev.mqttsuite.auth.model.ExpectedVersion;
import jakarta.ws.rs.core.EntityTag;

/**
 * Optimistic concurrency for the admin API: every entity's ETag is its version; updates and deletes must send it back
 * in If-Match, so two admins cannot silently overwrite each other (428 without it, 412 when stale: see
 * {@link ProblemMappers}).
 */
final class Etags {

    private Etags() {
    }

    static EntityTag of(long version) {
        return new EntityTag(Long.toString(version));
    }

    /** The version an If-Match header names: none, any ({@code *}), or one (weak or strong, quoted or not). */
    static ExpectedVersion expected(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return ExpectedVersion.NONE;
        }
        String value = ifMatch.trim();
        if (value.equals("*")) {
            return ExpectedVersion.ANY;
        }
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        return ExpectedVersion.exactly(value.replace("\"", ""));
    }
}

package dev.mqttsuite.auth.model;

import java.util.List;

/**
 * What an admin asks the model to become: the input of {@link ModelService}, validated there. The admin API maps its
 * JSON shapes to these.
 */
public final class Drafts {

    private Drafts() {
    }

    /** A role; {@code rules} in evaluation order within the role's priority. */
    public record Role(String name, Integer priority, String description, List<RuleSpec> rules) {
    }

    public record Group(String name, String description, List<String> roles) {
    }

    /** A user; {@code password} null keeps the stored one. */
    public record User(String username, String password, Boolean disabled, Boolean superuser, List<String> groups,
            List<String> roles) {
    }

    public record Anonymous(Boolean enabled, List<String> roles) {
    }
}

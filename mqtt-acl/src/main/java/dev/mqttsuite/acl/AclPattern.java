package dev.mqttsuite.acl;

import dev.mqttsuite.topic.InvalidTopicException;
import dev.mqttsuite.topic.TopicFilter;
import dev.mqttsuite.topic.TopicName;
import dev.mqttsuite.topic.TopicRule;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A topic-filter pattern of an ACL rule, with placeholders that are replaced by the session's identity: {@code %u}
 * and {@code ${username}}, {@code %c} and {@code ${clientid}}, {@code ${claim.<name>}} for a token claim.
 *
 * <p>Placeholders are substituted only as whole levels ({@code devices/%u/#}, never {@code devices/dev-%u}); a
 * pattern that tries otherwise is refused when compiled. A value that is absent, empty, or contains '+', '#', '/' or
 * U+0000 is never substituted: the rule then matches nothing. That closes the wildcard-injection hole where a client
 * id of {@code #} turned {@code devices/%c/#} into {@code devices/#/#} or a username {@code a/b} reached another
 * user's subtree.
 */
public final class AclPattern {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z][A-Za-z0-9_.-]*)}");

    private final String pattern;
    private final String[] levels;
    /** Per level: the variable name to substitute, or null for a literal level. */
    private final String[] variables;
    private final TopicFilter literal;

    private AclPattern(String pattern, String[] levels, String[] variables, TopicFilter literal) {
        this.pattern = pattern;
        this.levels = levels;
        this.variables = variables;
        this.literal = literal;
    }

    /**
     * Compiles a pattern: it must be a valid topic filter, and every placeholder must be a whole level and known.
     *
     * @throws InvalidTopicException naming the broken rule
     */
    public static AclPattern compile(String pattern) {
        TopicFilter asFilter = TopicFilter.of(pattern);
        List<String> levelList = asFilter.levels();
        String[] levels = levelList.toArray(String[]::new);
        String[] variables = new String[levels.length];
        boolean any = false;
        for (int i = 0; i < levels.length; i++) {
            String variable = variableOf(pattern, levels[i]);
            if (variable != null) {
                variables[i] = variable;
                any = true;
            }
        }
        return new AclPattern(pattern, levels, variables, any ? null : asFilter);
    }

    private static String variableOf(String pattern, String level) {
        switch (level) {
            case "%u":
                return AclVariables.USERNAME;
            case "%c":
                return AclVariables.CLIENT_ID;
            default:
                break;
        }
        var matcher = VARIABLE.matcher(level);
        if (matcher.matches()) {
            String name = matcher.group(1);
            if (name.equals(AclVariables.USERNAME) || name.equals(AclVariables.CLIENT_ID)
                    || (name.startsWith(AclVariables.CLAIM_PREFIX)
                            && name.length() > AclVariables.CLAIM_PREFIX.length())) {
                return name;
            }
            throw new InvalidTopicException(TopicRule.PLACEHOLDER_KNOWN, "ACL pattern", pattern,
                    "${" + name + "}; known: %u, %c, ${username}, ${clientid}, ${claim.<name>}");
        }
        if (level.contains("${") || level.contains("%u") || level.contains("%c")) {
            throw new InvalidTopicException(TopicRule.PLACEHOLDER_WHOLE_LEVEL, "ACL pattern", pattern,
                    "level \"" + level + "\"");
        }
        return null;
    }

    /** The pattern as written. */
    public String pattern() {
        return pattern;
    }

    public boolean hasPlaceholders() {
        return literal == null;
    }

    /** The variable names the pattern uses, in order of first use. */
    public Set<String> variables() {
        Set<String> names = new LinkedHashSet<>();
        for (String variable : variables) {
            if (variable != null) {
                names.add(variable);
            }
        }
        return Collections.unmodifiableSet(names);
    }

    /**
     * The filter for one identity, or empty when a placeholder's value is absent, empty or unsafe (contains '+',
     * '#', '/' or U+0000) or the result is not a valid filter: the rule then does not apply to that identity.
     */
    public Optional<TopicFilter> resolve(AclVariables values) {
        if (literal != null) {
            return Optional.of(literal);
        }
        List<String> out = new ArrayList<>(levels.length);
        for (int i = 0; i < levels.length; i++) {
            if (variables[i] == null) {
                out.add(levels[i]);
                continue;
            }
            String value = values.lookup(variables[i]);
            if (!isSafeLevel(value)) {
                return Optional.empty();
            }
            out.add(value);
        }
        try {
            return Optional.of(TopicFilter.of(String.join("/", out)));
        } catch (InvalidTopicException tooLongOrIllFormed) {
            return Optional.empty();
        }
    }

    /** Whether the rule, resolved for this identity, matches the topic name. */
    public boolean matches(TopicName topic, AclVariables values) {
        return resolve(values).map(filter -> filter.matches(topic)).orElse(false);
    }

    /** Whether the rule, resolved for this identity, covers every topic of the subscription's filter. */
    public boolean covers(TopicFilter subscription, AclVariables values) {
        return resolve(values).map(filter -> filter.covers(subscription)).orElse(false);
    }

    /** A value may replace a level only if it is one non-empty level without wildcards or U+0000. */
    static boolean isSafeLevel(String value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '+' || c == '#' || c == '/' || c == 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AclPattern acl && acl.pattern.equals(pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }

    @Override
    public String toString() {
        return pattern;
    }
}

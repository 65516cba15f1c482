package dev.mqttsuite.console.access;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A role's rules as editable text, one per line: {@code allow|deny publish|subscribe|receive <topic pattern>
 * [qos=0..2] [retain=true|false]}, e.g. {@code allow publish sensors/%u/# qos=1 retain=false}. The auth-service's
 * API validates the patterns themselves; this only maps lines to its JSON, naming the line of a malformed one.
 */
public final class RulesText {

    private RulesText() {
    }

    public static List<Map<String, Object>> parse(String text) {
        List<Map<String, Object>> rules = new ArrayList<>();
        String[] lines = text == null ? new String[0] : text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] words = line.split("\\s+");
            if (words.length < 3) {
                throw new IllegalArgumentException("rule line " + (i + 1) + ": expected 'allow|deny "
                        + "publish|subscribe|receive <pattern> [qos=N] [retain=true|false]', got '" + line + "'");
            }
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("effect", word(words[0], i, "allow", "deny"));
            rule.put("action", word(words[1], i, "publish", "subscribe", "receive"));
            rule.put("pattern", words[2]);
            for (int w = 3; w < words.length; w++) {
                String option = words[w].toLowerCase(Locale.ROOT);
                if (option.matches("qos=[0-2]")) {
                    rule.put("maxQos", Integer.parseInt(option.substring(4)));
                } else if (option.equals("retain=true") || option.equals("retain=false")) {
                    rule.put("allowRetain", Boolean.parseBoolean(option.substring(7)));
                } else {
                    throw new IllegalArgumentException("rule line " + (i + 1) + ": unknown option '" + words[w]
                            + "' (qos=0..2 or retain=true|false)");
                }
            }
            rules.add(rule);
        }
        return rules;
    }

    private static String word(String given, int line, String... allowed) {
        String lower = given.toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(lower)) {
                return a.toUpperCase(Locale.ROOT);
            }
        }
        throw new IllegalArgumentException("rule line " + (line + 1) + ": '" + given + "' is not one of "
                + String.join(", ", allowed));
    }

    /** The API's rules back as text. */
    public static String format(Object rules) {
        StringBuilder out = new StringBuilder();
        if (rules instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> r) {
                    out.append(String.valueOf(r.get("effect")).toLowerCase(Locale.ROOT)).append(' ')
                            .append(String.valueOf(r.get("action")).toLowerCase(Locale.ROOT)).append(' ')
                            .append(r.get("pattern"));
                    if (r.get("maxQos") != null) {
                        out.append(" qos=").append(r.get("maxQos"));
                    }
                    if (r.get("allowRetain") != null) {
                        out.append(" retain=").append(r.get("allowRetain"));
                    }
                    out.append('\n');
                }
            }
        }
        return out.toString();
    }

    /** A comma- or space-separated list of names. */
    public static List<String> names(String text) {
        List<String> names = new ArrayList<>();
        if (text != null) {
            for (String n : text.split("[,\\s]+")) {
                if (!n.isBlank()) {
                    names.add(n.strip());
                }
            }
        }
        return names;
    }
}

package dev.mqttsuite.it.support;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a retained-store-service's content straight from its admin API ({@code GET /api/v1/retained}, paged), without
 * a broker in between: what the store itself holds.
 */
public final class RetainedAdmin {

    /** One item of a page, as the store writes it (record component order); the tests' topics need no escaping. */
    private static final Pattern ITEM = Pattern.compile("\"topic\":\"([^\"]*)\",\"qos\":\\d+,\"payloadBase64\":\"([^\"]*)\"");
    private static final Pattern NEXT = Pattern.compile("\"next\":\"([^\"]*)\"");

    private final AdminClient admin;

    public RetainedAdmin(int storePort, String adminPassword) {
        this.admin = new AdminClient(storePort, "admin", adminPassword);
    }

    /** Payload (UTF-8) by topic of every retained message matching {@code filter}. */
    public Map<String, String> all(String filter) {
        Map<String, String> payloads = new HashMap<>();
        String after = null;
        do {
            String path = "/api/v1/retained?limit=1000&filter=" + encode(filter)
                    + (after == null ? "" : "&after=" + encode(after));
            String page = admin.ok("GET", path, null).body();
            Matcher item = ITEM.matcher(page);
            while (item.find()) {
                payloads.put(item.group(1), new String(Base64.getDecoder().decode(item.group(2)),
                        StandardCharsets.UTF_8));
            }
            Matcher next = NEXT.matcher(page);
            after = next.find() ? next.group(1) : null;
        } while (after != null);
        return payloads;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

package dev.mqttsuite.console.pages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mqttsuite.console.security.Caller;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** Small helpers shared by the pages: JSON to template values, htmx answers. */
@Singleton
public class Views {

    private final ObjectMapper json;

    public Views(ObjectMapper json) {
        this.json = json;
    }

    /** JSON as maps, lists and plain values (Qute reads {@code map.key}). */
    public Object plain(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull() ? null : json.convertValue(node, Object.class);
    }

    public List<Object> plainList(List<JsonNode> nodes) {
        return nodes.stream().map(this::plain).toList();
    }

    /** The caller's credentials to forward, or null (then the APIs answer 401 and the page says so). */
    public static String auth(Caller caller) {
        return caller.authorization().orElse(null);
    }

    /** An htmx answer that sends the browser to {@code location} (with a message shown there). */
    public static Response redirect(String location, String flash) {
        String target = flash == null ? location
                : location + (location.contains("?") ? "&" : "?") + "flash=" + dev.mqttsuite.console.api.AdminApis.enc(flash);
        return Response.ok().header("HX-Redirect", URI.create(target).toString()).build();
    }

    /** An htmx answer shown in the page's message area (200, so that htmx swaps it in). */
    public static Response message(boolean ok, String text) {
        String safe = escape(text);
        String html = ok ? "<p class=\"note ok\">✔ " + safe + "</p>"
                : "<p class=\"note error\" role=\"alert\">✖ " + safe + "</p>";
        return Response.ok(html, "text/html;charset=UTF-8").header("HX-Retarget", "#flash").build();
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static Map<String, Object> map(Object... kv) {
        java.util.LinkedHashMap<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}

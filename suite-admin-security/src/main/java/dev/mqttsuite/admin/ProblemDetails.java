package dev.mqttsuite.admin;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The body of an RFC 9457 problem response ({@code application/problem+json}) as the services' admin APIs write it:
 * type, title, status, detail and, when one is to blame, the offending parameter.
 */
public final class ProblemDetails {

    /** The media type of problem responses. */
    public static final String MEDIA_TYPE = "application/problem+json";

    private ProblemDetails() {
    }

    /** @param parameter the offending query parameter or field, or null */
    public static Map<String, Object> body(int status, String title, String detail, String parameter) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (parameter != null) {
            body.put("parameter", parameter);
        }
        return body;
    }
}

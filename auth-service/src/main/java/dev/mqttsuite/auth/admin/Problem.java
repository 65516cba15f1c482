package dev.mqttsuite.auth.admin;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/** An RFC 9457 problem response ({@code application/problem+json}), with the offending field when there is one. */
public final class Problem extends WebApplicationException {

    public Problem(int status, String title, String detail, String field) {
        super(detail, build(status, title, detail, field));
    }

    static Response build(int status, String title, String detail, String field) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (field != null) {
            body.put("field", field);
        }
        return Response.status(status).type("application/problem+json").entity(body).build();
    }

    public static Problem invalid(String field, String detail) {
        return new Problem(400, "Invalid request", detail, field);
    }

}

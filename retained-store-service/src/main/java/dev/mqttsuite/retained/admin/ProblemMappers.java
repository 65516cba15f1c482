package dev.mqttsuite.retained.admin;

import dev.mqttsuite.retained.store.StoreStartingException;
import dev.mqttsuite.topic.InvalidTopicException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Errors of the admin API as RFC 9457 problem details ({@code application/problem+json}). */
public class ProblemMappers {

    static Response problem(int status, String title, String detail, String parameter) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (parameter != null) {
            body.put("parameter", parameter);
        }
        return Response.status(status).type("application/problem+json").entity(body).build();
    }

    @ServerExceptionMapper
    public Response invalidTopic(InvalidTopicException e) {
        return problem(400, "Invalid topic or filter", e.getMessage(), e.rule().name());
    }

    @ServerExceptionMapper
    public Response starting(StoreStartingException e) {
        return Response.fromResponse(problem(503, "Service Unavailable", e.getMessage(), null))
                .header("Retry-After", "1").build();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return problem(status, Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase(), e.getMessage(), null);
    }
}

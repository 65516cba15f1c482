package dev.mqttsuite.retained.admin;

import dev.mqttsuite.admin.ProblemDetails;
import dev.mqttsuite.retained.store.StoreStartingException;
import dev.mqttsuite.topic.InvalidTopicException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Errors of the admin API as RFC 9457 problem details ({@code application/problem+json}). */
public class ProblemMappers {

    static Response problem(int status, String title, String detail, String parameter) {
        return Response.status(status).type(ProblemDetails.MEDIA_TYPE)
                .entity(ProblemDetails.body(status, title, detail, parameter)).build();
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

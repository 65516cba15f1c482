package dev.mqttsuite.broker.admin;

import dev.mqttsuite.admin.ProblemDetails;
import dev.mqttsuite.topic.InvalidTopicException;
import io.quarkus.security.ForbiddenException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Errors of the broker admin API as RFC 9457 problem details ({@code application/problem+json}). */
public class Problems {

    /** A problem response; {@code parameter} names the offending query parameter or field, when there is one. */
    static WebApplicationException problem(int status, String title, String detail, String parameter) {
        return new WebApplicationException(detail, response(status, title, detail, parameter));
    }

    static WebApplicationException badRequest(String parameter, String detail) {
        return problem(400, "Invalid request", detail, parameter);
    }

    static WebApplicationException notFound(String detail) {
        return problem(404, "Not Found", detail, null);
    }

    static WebApplicationException conflict(String detail) {
        return problem(409, "Conflict", detail, null);
    }

    private static Response response(int status, String title, String detail, String parameter) {
        return Response.status(status).type(ProblemDetails.MEDIA_TYPE)
                .entity(ProblemDetails.body(status, title, detail, parameter)).build();
    }

    @ServerExceptionMapper
    public Response invalidTopic(InvalidTopicException e) {
        return response(400, "Invalid topic", e.getMessage(), e.rule().name());
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return response(403, "Forbidden", "this action needs the role " + Roles.ADMIN, null);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        Response given = e.getResponse();
        if (given.hasEntity()) {
            return given;
        }
        Response.Status status = Response.Status.fromStatusCode(given.getStatus());
        return response(given.getStatus(), status == null ? "Error" : status.getReasonPhrase(), e.getMessage(), null);
    }
}

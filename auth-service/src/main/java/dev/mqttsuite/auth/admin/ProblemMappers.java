package dev.mqttsuite.auth.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.mqttsuite.topic.InvalidTopicException;
import jakarta.persistence.OptimisticLockException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error of the admin API as a problem response. */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        if (e instanceof Problem) {
            return e.getResponse();
        }
        int status = e.getResponse().getStatus();
        Response.Status known = Response.Status.fromStatusCode(status);
        return Problem.build(status, known == null ? "Error" : known.getReasonPhrase(), e.getMessage(), null);
    }

    @ServerExceptionMapper
    public Response invalidTopic(InvalidTopicException e) {
        return Problem.build(400, "Invalid topic pattern", e.getMessage(), "pattern");
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        return Problem.build(400, "Malformed JSON", e.getOriginalMessage(), null);
    }

    /** More specific than Quarkus' own mapper for this type, so the answer is a problem naming the field. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e) {
        String field = e.getPath().isEmpty() ? null : e.getPath().get(e.getPath().size() - 1).getFieldName();
        return Problem.build(400, "Malformed JSON", e.getOriginalMessage(), field);
    }

    @ServerExceptionMapper
    public Response concurrentUpdate(OptimisticLockException e) {
        return Problem.build(412, "Precondition Failed", "changed by someone else meanwhile: reload and retry", null);
    }
}

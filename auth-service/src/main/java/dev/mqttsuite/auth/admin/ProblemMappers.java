package dev.mqttsuite.auth.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.mqttsuite.auth.model.ModelException;
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

    /** A change the ACL model refused, as the problem HTTP has for it. */
    @ServerExceptionMapper
    public Response modelRefused(ModelException e) {
        Problem problem = switch (e.reason()) {
            case INVALID -> Problem.invalid(e.field(), e.getMessage());
            case NOT_FOUND -> new Problem(404, "Not found", e.getMessage(), null);
            case ALREADY_EXISTS -> new Problem(409, "Conflict", e.getMessage(), null);
            case VERSION_REQUIRED -> new Problem(428, "Precondition Required",
                    "send the entity's ETag in If-Match (GET it first) so concurrent changes are not lost", null);
            case VERSION_STALE -> new Problem(412, "Precondition Failed", "the entity changed since you read it (ETag "
                    + e.currentVersion() + "): reload and retry", null);
        };
        return problem.getResponse();
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

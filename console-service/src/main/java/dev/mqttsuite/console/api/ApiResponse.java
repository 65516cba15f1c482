package dev.mqttsuite.console.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * One admin API answer. {@code status} 0 means the service could not be reached; {@code error} then says why, and for
 * an RFC 7807 problem it is the problem's detail (the API's own validation message, shown to the operator as is).
 */
public record ApiResponse(int status, JsonNode body, String etag, String error) {

    static ApiResponse unreachable(String service, Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return new ApiResponse(0, MissingNode.getInstance(), null, service + " unreachable: "
                + (root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage()));
    }

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /** The operator-facing message of a failed call. */
    public String message() {
        return error != null ? error : "HTTP " + status;
    }
}

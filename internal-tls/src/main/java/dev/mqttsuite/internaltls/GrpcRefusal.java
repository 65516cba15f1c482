package dev.mqttsuite.internaltls;

import io.vertx.core.http.HttpServerRequest;

/**
 * Answers a gRPC request with an error status before any service sees it: a trailers-only response (HTTP 200,
 * {@code content-type: application/grpc}, {@code grpc-status}), which every gRPC client reports as that status.
 */
public final class GrpcRefusal {

    /** gRPC status codes used here (grpc/doc/statuscodes.md). */
    public static final int PERMISSION_DENIED = 7;
    public static final int UNIMPLEMENTED = 12;
    public static final int UNAUTHENTICATED = 16;

    private GrpcRefusal() {
    }

    /** Whether the request is a gRPC call (by its content type). */
    public static boolean isGrpc(HttpServerRequest request) {
        String type = request.getHeader("content-type");
        return type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/grpc");
    }

    public static void refuse(HttpServerRequest request, int status, String message) {
        request.response().setStatusCode(200).putHeader("content-type", "application/grpc")
                .putHeader("grpc-status", Integer.toString(status))
                .putHeader("grpc-message", percentEncode(message)).end();
    }

    /** grpc-message is percent-encoded UTF-8 (the gRPC HTTP/2 protocol spec). */
    private static String percentEncode(String message) {
        StringBuilder out = new StringBuilder();
        for (byte b : message.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            if (b >= 0x20 && b <= 0x7E && b != '%') {
                out.append((char) b);
            } else {
                out.append('%').append(String.format("%02X", b & 0xFF));
            }
        }
        return out.toString();
    }
}

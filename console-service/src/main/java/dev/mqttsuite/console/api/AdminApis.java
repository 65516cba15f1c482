package dev.mqttsuite.console.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.mqttsuite.console.config.ConsoleConfig;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;

/**
 * Calls the services' admin APIs, always with the caller's own credentials (non-blocking: JDK HTTP client futures).
 * Only the URLs of {@link ConsoleConfig} are ever called. Created at startup: building the HTTP client (TLS defaults)
 * takes seconds and must not happen on an event loop at the first login.
 */
@io.quarkus.runtime.Startup
@Singleton
public class AdminApis {

    private final HttpClient http;
    private final ObjectMapper json;
    private final ConsoleConfig config;

    public AdminApis(ConsoleConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(config.apiTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public ConsoleConfig config() {
        return config;
    }

    /** Checks credentials with a read of the auth-service's admin API; the HTTP status (0: unreachable). */
    public CompletableFuture<Integer> verify(String authorization) {
        return call("GET", config.authServiceUrl(), "/api/v1/anonymous", authorization, null, null)
                .thenApply(ApiResponse::status);
    }

    public CompletableFuture<ApiResponse> get(URI base, String path, String authorization) {
        return call("GET", base, path, authorization, null, null);
    }

    /** A request with an optional JSON body and If-Match. */
    public CompletableFuture<ApiResponse> call(String method, URI base, String path, String authorization,
            Object body, String ifMatch) {
        HttpRequest.Builder request = HttpRequest.newBuilder(resolve(base, path)).timeout(config.apiTimeout())
                .header("Accept", "application/json, application/problem+json, text/plain");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (ifMatch != null && !ifMatch.isBlank()) {
            request.header("If-Match", ifMatch);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
            request.method(method, HttpRequest.BodyPublishers.ofByteArray(write(body)));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        String service = base.getHost() + ":" + base.getPort();
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(this::toResponse)
                .exceptionally(e -> ApiResponse.unreachable(service, e));
    }

    /** Plain text (Prometheus metrics). */
    public CompletableFuture<String> text(URI base, String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(resolve(base, path)).timeout(config.apiTimeout());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> r.statusCode() == 200 ? r.body() : "")
                .exceptionally(e -> "");
    }

    private ApiResponse toResponse(HttpResponse<byte[]> response) {
        JsonNode body = MissingNode.getInstance();
        String error = null;
        byte[] bytes = response.body();
        if (bytes != null && bytes.length > 0) {
            try {
                body = json.readTree(bytes);
            } catch (IOException notJson) {
                error = new String(bytes, 0, Math.min(bytes.length, 300), StandardCharsets.UTF_8);
            }
        }
        int status = response.statusCode();
        if (status >= 300) {
            String detail = body.path("detail").asText(null);
            String title = body.path("title").asText(null);
            String field = body.path("field").asText(null);
            if (detail != null || title != null) {
                error = (detail != null ? detail : title) + (field != null ? " (field: " + field + ")" : "");
            } else if (error == null || error.isBlank()) {
                error = switch (status) {
                    case 401 -> "not authenticated (401): log in again";
                    case 403 -> "not allowed (403): your role cannot do this";
                    case 404 -> "not found (404)";
                    default -> "HTTP " + status;
                };
            }
        }
        return new ApiResponse(status, body, response.headers().firstValue("ETag").orElse(null), error);
    }

    private byte[] write(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static URI resolve(URI base, String path) {
        String b = base.toString();
        return URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) + path : b + path);
    }

    /** {@code ?k=v&...} of the non-blank values, URL-encoded. */
    public static String query(Map<String, ?> params) {
        StringJoiner joiner = new StringJoiner("&", "?", "");
        joiner.setEmptyValue("");
        params.forEach((k, v) -> {
            if (v != null && !v.toString().isBlank()) {
                joiner.add(enc(k) + "=" + enc(v.toString()));
            }
        });
        return joiner.toString();
    }

    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

package dev.mqttsuite.it.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A tiny client of the services' admin APIs (HTTP Basic with the bootstrap admin). */
public final class AdminClient {

    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;
    private final String authorization;

    public AdminClient(int port, String user, String password) {
        this.base = "http://127.0.0.1:" + port;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    public HttpResponse<String> send(String method, String path, String json, String ifMatch) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", authorization).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        }
    }

    /** Sends and requires a 2xx answer. */
    public HttpResponse<String> ok(String method, String path, String json) {
        return ok(method, path, json, null);
    }

    public HttpResponse<String> ok(String method, String path, String json, String ifMatch) {
        HttpResponse<String> response = send(method, path, json, ifMatch);
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " -> " + response.statusCode() + " "
                    + response.body());
        }
        return response;
    }

    /** The ETag of a resource, for If-Match. */
    public String etag(String path) {
        return ok("GET", path, null).headers().firstValue("ETag").orElseThrow();
    }
}

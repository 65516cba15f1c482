package dev.mqttsuite.console.pages;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mqttsuite.console.api.AdminApis;
import dev.mqttsuite.console.api.ApiResponse;
import dev.mqttsuite.console.config.ConsoleConfig;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The bridges' state, counters and last error, from the bridge-service's readiness check (one entry per bridge side:
 * connected or not, address, reconnects, last error) and its Prometheus metrics ({@code bridge_*}).
 */
@Path("/bridges")
public class BridgesPage {

    @Inject
    Template bridges;

    @Inject
    AdminApis apis;

    @Inject
    ConsoleConfig config;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance page() {
        TemplateInstance page = bridges.data("page", "bridges").data("flash", null);
        if (config.bridgeUrl().isEmpty()) {
            return page.data("configured", false).data("errors", List.of()).data("sides", List.of())
                    .data("metrics", List.of());
        }
        URI url = config.bridgeUrl().get();
        CompletableFuture<ApiResponse> health = apis.get(url, "/q/health/ready", null);
        CompletableFuture<String> metrics = apis.text(url, "/q/metrics", null);
        List<String> errors = new ArrayList<>();
        List<Map<String, Object>> sides = new ArrayList<>();
        ApiResponse h = health.join();
        if (h.status() == 0) {
            errors.add(h.message());
        }
        for (JsonNode check : h.body().path("checks")) {
            if (!"bridges".equals(check.path("name").asText())) {
                continue;
            }
            check.path("data").fields().forEachRemaining(e -> {
                if (!e.getKey().equals("bridges")) {
                    String text = e.getValue().asText();
                    sides.add(Map.of("name", e.getKey(), "connected", text.startsWith("connected"), "detail", text));
                }
            });
        }
        return page.data("configured", true).data("url", url.toString()).data("errors", errors).data("sides", sides)
                .data("metrics", PrometheusText.lines(metrics.join(), "bridge_"));
    }
}

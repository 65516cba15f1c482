package dev.mqttsuite.console.overview;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mqttsuite.console.api.AdminApis;
import dev.mqttsuite.console.api.ApiResponse;
import dev.mqttsuite.console.config.ConsoleConfig;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Reads the suite's state from the admin APIs and health endpoints, all in parallel, with the caller's credentials. */
@Singleton
public class OverviewCollector {

    private final AdminApis apis;
    private final ConsoleConfig config;

    public OverviewCollector(AdminApis apis) {
        this.apis = apis;
        this.config = apis.config();
    }

    public CompletableFuture<Snapshot> collect(String authorization) {
        List<CompletableFuture<Snapshot.BrokerRow>> brokers = new ArrayList<>();
        for (URI url : config.brokerUrls()) {
            brokers.add(apis.get(url, "/api/v1/overview", authorization).thenApply(r -> broker(url, r)));
        }
        CompletableFuture<ApiResponse> retained = apis.get(config.retainedStoreUrl(), "/api/v1/retained/stats",
                authorization);
        List<CompletableFuture<Snapshot.Health>> health = new ArrayList<>();
        health.add(health("auth-service", config.authServiceUrl()));
        health.add(health("retained store", config.retainedStoreUrl()));
        config.bridgeUrl().ifPresent(u -> health.add(health("bridges", u)));
        List<CompletableFuture<?>> all = new ArrayList<>(brokers);
        all.add(retained);
        all.addAll(health);
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(done -> new Snapshot(
                System.currentTimeMillis(), brokers.stream().map(CompletableFuture::join).toList(),
                retained.join().ok() ? retained.join().body().path("count").asLong() : null,
                health.stream().map(CompletableFuture::join).toList()));
    }

    private CompletableFuture<Snapshot.Health> health(String name, URI url) {
        return apis.get(url, "/q/health/ready", null).thenApply(r -> new Snapshot.Health(name, url.toString(),
                r.status() == 200, r.status() == 0 ? r.message() : r.body().path("status").asText("HTTP " + r.status())));
    }

    private static Snapshot.BrokerRow broker(URI url, ApiResponse r) {
        if (!r.ok()) {
            return new Snapshot.BrokerRow(url.toString(), "?", "", 0, 0, 0, 0, 0, "", 0, 0, 0, List.of(), r.message());
        }
        JsonNode b = r.body();
        List<String> members = new ArrayList<>();
        b.path("clusterMembers").forEach(m -> members.add(m.asText()));
        return new Snapshot.BrokerRow(url.toString(), b.path("node").asText("broker"), b.path("version").asText(""),
                b.path("uptimeSeconds").asLong(), b.path("connections").asLong(), b.path("sessions").asLong(),
                b.path("offlineSessions").asLong(), b.path("subscriptions").asLong(),
                b.path("retainedBackend").asText(""), b.path("messagesIn").asLong(), b.path("messagesOut").asLong(),
                b.path("messagesDropped").asLong(), members, null);
    }
}

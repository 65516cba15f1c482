package dev.mqttsuite.console.overview;

import io.quarkus.qute.TemplateData;
import java.util.List;

/** One reading of the whole suite, as the overview shows it. */
@TemplateData
public record Snapshot(long atMillis, List<BrokerRow> brokers, Long retainedCount, List<Health> health) {

    /** One broker's overview ({@code error} when it did not answer). */
    @TemplateData
    public record BrokerRow(String url, String node, String version, long uptimeSeconds, long connections,
            long sessions, long offlineSessions, long subscriptions, String retainedBackend, long messagesIn,
            long messagesOut, long messagesDropped, List<String> clusterMembers, String error) {
        public boolean up() {
            return error == null;
        }
    }

    /** A service's readiness. */
    @TemplateData
    public record Health(String service, String url, boolean up, String detail) {
    }

    public long connections() {
        return total(BrokerRow::connections);
    }

    public long sessions() {
        return total(BrokerRow::sessions);
    }

    public long offlineSessions() {
        return total(BrokerRow::offlineSessions);
    }

    public long subscriptions() {
        return total(BrokerRow::subscriptions);
    }

    public long total(java.util.function.ToLongFunction<BrokerRow> f) {
        return brokers.stream().filter(BrokerRow::up).mapToLong(f).sum();
    }
}

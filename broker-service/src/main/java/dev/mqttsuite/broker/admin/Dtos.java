package dev.mqttsuite.broker.admin;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;

/** The JSON shapes of the broker admin API (the contract in docs/adr/0015-broker-admin-api.md). */
public final class Dtos {

    private Dtos() {
    }

    /** This broker at a glance; counters are totals since start (the console computes rates). */
    public record Overview(String node, String version, long uptimeSeconds, long connections, long sessions,
            long offlineSessions, long subscriptions, String retainedBackend, long messagesIn, long messagesOut,
            long messagesDropped, List<String> clusterMembers) {
    }

    /**
     * A client: its session on this broker and, when connected, its connection.
     *
     * @param protocolVersion 3 (MQTT 3.1), 4 (3.1.1) or 5; null while offline
     * @param connectedSince ISO-8601, null while offline
     * @param keepAlive seconds in force, null while offline
     * @param sessionExpiry seconds, -1 = never
     */
    public record Client(String clientId, String username, String address, Integer protocolVersion, String node,
            boolean connected, String connectedSince, Integer keepAlive, long sessionExpiry, long queued,
            long inFlight, long dropped) {
    }

    /** A client with its subscriptions and will (never the will's payload). */
    public record ClientDetail(@JsonUnwrapped Client client, List<Subscription> subscriptions, Will will) {
    }

    /** @param shareGroup the share name of a {@code $share/...} subscription, or null */
    public record Subscription(String filter, int qos, boolean noLocal, boolean retainAsPublished,
            int retainHandling, String shareGroup) {
    }

    public record Will(String topic, int qos, boolean retain, long delaySeconds, int payloadBytes) {
    }

    /** A subscription in the broker-wide listing. */
    public record SubscriptionRow(String clientId, String filter, int qos, String shareGroup) {
    }

    public record SharedGroup(String group, String filter, List<String> members) {
    }

    /** One page of a listing sorted by client id; {@code total} counts every match. */
    public record Page<T>(List<T> items, int page, int size, long total) {
    }

    /**
     * A message to publish. {@code encoding} utf8 (default) or base64; {@code qos} 0..2 (default 0).
     */
    public record PublishRequest(String topic, String payload, String encoding, Integer qos, Boolean retain) {
    }

    /** @param deliveredTo local sessions the message was queued for (subscribers on other brokers not counted) */
    public record PublishResult(String topic, int qos, Integer deliveredTo) {
    }
}

package dev.mqttsuite.broker.quota;

import dev.mqttsuite.broker.config.QuotaConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The node's rate limits and connection quotas ({@code broker.quota.*}, ADR 0013): hands every authenticated
 * connection its {@link ConnectionQuota}, or refuses it when its user holds {@code max-connections-per-user}
 * already. Per-user state lives only while the user has a connection on this node, so memory is bounded by the
 * connections. Counted per node: in a cluster each broker applies the limits to the connections it holds.
 */
public final class Quotas {

    /** A user's connections (by client id) and shared buckets on this node. */
    private static final class UserState {
        final Map<String, Object> clients = new HashMap<>();
        final TokenBucket messages;
        final TokenBucket bytes;

        UserState(TokenBucket messages, TokenBucket bytes) {
            this.messages = messages;
            this.bytes = bytes;
        }
    }

    private final QuotaConfig config;
    private final QuotaMetrics metrics;
    private final LongSupplier clock;
    private final boolean perUser;
    private final boolean perClient;
    private final Map<String, UserState> users = new ConcurrentHashMap<>();

    public Quotas(QuotaConfig config, QuotaMetrics metrics, LongSupplier clock) {
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
        this.perUser = config.maxConnectionsPerUser() > 0 || config.userMessagesPerSecond() > 0
                || config.userBytesPerSecond() > 0;
        this.perClient = config.clientMessagesPerSecond() > 0 || config.clientBytesPerSecond() > 0;
    }

    public QuotaMetrics metrics() {
        return metrics;
    }

    /**
     * The quota of a connection that authenticated as {@code user} with {@code clientId}; a connection taking over
     * the same user's client id replaces the old one in the count instead of adding to it.
     *
     * @return the connection's quota, or null when the user holds the maximum of connections (counted)
     */
    public ConnectionQuota open(String user, String clientId) {
        TokenBucket clientMessages = bucket(config.clientMessagesPerSecond());
        TokenBucket clientBytes = bucket(config.clientBytesPerSecond());
        if (!perUser) {
            return perClient ? new ConnectionQuota(clientMessages, clientBytes, null, null, metrics, null)
                    : ConnectionQuota.UNLIMITED;
        }
        Object token = new Object();
        boolean[] refused = new boolean[1];
        UserState state = users.compute(user, (name, existing) -> {
            UserState s = existing != null ? existing
                    : new UserState(bucket(config.userMessagesPerSecond()), bucket(config.userBytesPerSecond()));
            int max = config.maxConnectionsPerUser();
            if (max > 0 && !s.clients.containsKey(clientId) && s.clients.size() >= max) {
                refused[0] = true;
                return existing; // null stays null: no state for a refused first connection (max 0 is off)
            }
            s.clients.put(clientId, token);
            return s;
        });
        if (refused[0]) {
            metrics.exceeded(QuotaMetrics.Kind.CONNECTIONS_PER_USER);
            return null;
        }
        return new ConnectionQuota(clientMessages, clientBytes, state.messages, state.bytes, metrics,
                () -> users.computeIfPresent(user, (name, s) -> {
                    s.clients.remove(clientId, token);
                    return s.clients.isEmpty() ? null : s;
                }));
    }

    /** Connections a user holds on this node now. */
    public int connections(String user) {
        int[] count = new int[1];
        users.computeIfPresent(user, (name, s) -> {
            count[0] = s.clients.size(); // read under the map's lock for the key, as every change is made
            return s;
        });
        return count[0];
    }

    /** Users with at least one connection tracked on this node. */
    public int trackedUsers() {
        return users.size();
    }

    private TokenBucket bucket(double perSecond) {
        if (perSecond <= 0) {
            return null;
        }
        return new TokenBucket(perSecond, Math.max(1, perSecond * config.burstSeconds()), clock);
    }
}

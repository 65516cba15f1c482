package dev.mqttsuite.broker.quota;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/** {@code mqtt_quota_exceeded_total{kind}}: how often a client ran into a rate limit or quota, by kind. */
public final class QuotaMetrics {

    /** Which limit was hit. */
    public enum Kind {
        /** Messages per second of a connection or a user. */
        MESSAGE_RATE,
        /** Payload bytes per second of a connection or a user. */
        BYTE_RATE,
        /** Subscriptions per session ({@code broker.limits.max-subscriptions-per-session}). */
        SUBSCRIPTIONS,
        /** Connections per user. */
        CONNECTIONS_PER_USER
    }

    private final Map<Kind, Counter> exceeded = new EnumMap<>(Kind.class);

    public QuotaMetrics(MeterRegistry registry) {
        for (Kind kind : Kind.values()) {
            exceeded.put(kind, Counter.builder("mqtt.quota.exceeded").tag("kind", kind.name().toLowerCase())
                    .description("Packets or connections refused, dropped or throttled by a rate limit or quota")
                    .register(registry));
        }
    }

    public void exceeded(Kind kind) {
        exceeded.get(kind).increment();
    }

    public double count(Kind kind) {
        return exceeded.get(kind).count();
    }
}

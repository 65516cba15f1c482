package dev.mqttsuite.broker.connection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Limits that apply before a client is authenticated, so that an unauthenticated peer cannot exhaust the broker:
 * connections in total and per source address (checked at accept, before a byte is read), and connections waiting
 * for the authentication backend at once. Thread-safe; every refusal is counted in
 * {@code mqtt_connections_refused_total{reason}}.
 */
public final class Admission {

    /** Why a connection was refused before authentication. */
    public enum Refusal {
        MAX_CONNECTIONS, MAX_CONNECTIONS_PER_ADDRESS, MAX_PENDING_AUTHENTICATIONS, CONNECT_DEADLINE,
        TOO_MUCH_BEFORE_CONNACK
    }

    private final int maxConnections;
    private final int maxPerAddress;
    private final int maxPendingAuth;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger pendingAuth = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final java.util.EnumMap<Refusal, Counter> refused = new java.util.EnumMap<>(Refusal.class);

    public Admission(int maxConnections, int maxPerAddress, int maxPendingAuth, MeterRegistry registry) {
        this.maxConnections = maxConnections;
        this.maxPerAddress = maxPerAddress;
        this.maxPendingAuth = maxPendingAuth;
        for (Refusal r : Refusal.values()) {
            refused.put(r, Counter.builder("mqtt.connections.refused").tag("reason", r.name().toLowerCase())
                    .description("Connections refused or closed by a limit before authentication completed")
                    .register(registry));
        }
        Gauge.builder("mqtt.connections.open", connections, AtomicInteger::get)
                .description("Sockets on the MQTT listeners, authenticated or not").register(registry);
        Gauge.builder("mqtt.connections.pending.authentication", pendingAuth, AtomicInteger::get)
                .description("Connections waiting for the authentication backend").register(registry);
    }

    /** A new socket from {@code address} (an IP without port): false when a connection limit refuses it. */
    public boolean admit(String address) {
        if (connections.incrementAndGet() > maxConnections) {
            connections.decrementAndGet();
            refused(Refusal.MAX_CONNECTIONS);
            return false;
        }
        AtomicInteger count = perAddress.computeIfAbsent(address, a -> new AtomicInteger());
        if (count.incrementAndGet() > maxPerAddress) {
            release(address);
            refused(Refusal.MAX_CONNECTIONS_PER_ADDRESS);
            return false;
        }
        return true;
    }

    /** The socket of an admitted connection closed. */
    public void release(String address) {
        connections.decrementAndGet();
        perAddress.computeIfPresent(address, (a, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    /** A CONNECT goes to the authentication backend: false when too many already wait (the client gets 0x89). */
    public boolean startAuthentication() {
        if (pendingAuth.incrementAndGet() > maxPendingAuth) {
            pendingAuth.decrementAndGet();
            refused(Refusal.MAX_PENDING_AUTHENTICATIONS);
            return false;
        }
        return true;
    }

    /** The backend answered (or failed). */
    public void authenticationDone() {
        pendingAuth.decrementAndGet();
    }

    public void refused(Refusal reason) {
        refused.get(reason).increment();
    }
}

package dev.mqttsuite.console.security;

import dev.mqttsuite.console.config.ConsoleConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server-side sessions of form logins: the user's Basic credentials live here, in memory, per session, and are
 * dropped at logout or after {@code console.session-timeout} of inactivity. The browser only holds Quarkus' encrypted
 * form-login cookie, whose principal is the random session id: the credentials never reach a cookie.
 */
@Singleton
public class ConsoleSessions {

    /** One logged-in browser. {@code authorization} is the HTTP Authorization header value for the admin APIs. */
    public static final class Session {
        final String id;
        final String username;
        final String authorization;
        volatile long lastSeenMillis;

        Session(String id, String username, String authorization, long now) {
            this.id = id;
            this.username = username;
            this.authorization = authorization;
            this.lastSeenMillis = now;
        }

        public String id() {
            return id;
        }

        public String username() {
            return username;
        }

        public String authorization() {
            return authorization;
        }
    }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final ConsoleConfig config;
    private final Clock clock;

    public ConsoleSessions(ConsoleConfig config, MeterRegistry registry) {
        this.config = config;
        this.clock = Clock.systemUTC();
        registry.gaugeMapSize("console.sessions", java.util.List.of(), sessions);
    }

    void sweepPeriodically(@Observes StartupEvent event, Vertx vertx) {
        long every = Math.max(1000, Math.min(60_000, config.sessionTimeout().toMillis() / 4));
        vertx.setPeriodic(every, id -> sweep());
    }

    /** Opens a session for a verified user. */
    public Session open(String username, String authorization) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String id = "s." + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Session session = new Session(id, username, authorization, clock.millis());
        sessions.put(id, session);
        return session;
    }

    /** The live session of that id (its idle timer restarted), or empty when unknown, closed or timed out. */
    public Optional<Session> touch(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session session = sessions.get(id);
        if (session == null) {
            return Optional.empty();
        }
        long now = clock.millis();
        if (now - session.lastSeenMillis > config.sessionTimeout().toMillis()) {
            sessions.remove(id, session);
            return Optional.empty();
        }
        session.lastSeenMillis = now;
        return Optional.of(session);
    }

    /** Whether the session lives, without restarting its idle timer (background refreshes do not keep it alive). */
    public boolean alive(String id) {
        Session session = sessions.get(id);
        return session != null && clock.millis() - session.lastSeenMillis <= config.sessionTimeout().toMillis();
    }

    /** Drops a session and its credentials (logout). */
    public void close(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    /** Drops timed-out sessions; returns how many. */
    public int sweep() {
        long cutoff = clock.millis() - config.sessionTimeout().toMillis();
        int before = sessions.size();
        sessions.values().removeIf(s -> s.lastSeenMillis < cutoff);
        return before - sessions.size();
    }

    public int size() {
        return sessions.size();
    }
}

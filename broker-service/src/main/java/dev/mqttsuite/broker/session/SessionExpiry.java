package dev.mqttsuite.broker.session;

/**
 * The one Session Expiry Interval rule of the broker (MQTT 5.0 section 3.1.2.11.2, 3.14.2.2.2; MQTT 3.1.1 Clean
 * Session), used by CONNECT, DISCONNECT, the session snapshot and the expiry timer. The broker's maximum
 * ({@code broker.session.max-expiry-interval}) bounds every value a client asks for, at CONNECT and at DISCONNECT.
 */
public final class SessionExpiry {

    /** 0xFFFFFFFF seconds: the session does not expire [MQTT-3.1.2-? 3.1.2.11.2]. */
    public static final long NEVER = 0xFFFFFFFFL;

    private final long maximum;

    /** @param maximum the broker's maximum in seconds; {@link #NEVER} allows sessions that never expire */
    public SessionExpiry(long maximum) {
        if (maximum < 0 || maximum > NEVER) {
            throw new IllegalArgumentException("maximum session expiry " + maximum + " outside 0.." + NEVER);
        }
        this.maximum = maximum;
    }

    public long maximum() {
        return maximum;
    }

    /**
     * What the client asks for at CONNECT: MQTT 5's Session Expiry Interval property (absent means 0
     * [MQTT-3.1.2-? 3.1.2.11.2]); MQTT 3.1.1's Clean Session 1 ends the session with the connection, Clean Session 0
     * keeps it without expiry [MQTT-3.1.2-6].
     */
    public static long requestedAtConnect(boolean mqtt5, Long property, boolean cleanSession) {
        if (mqtt5) {
            return property == null ? 0 : property;
        }
        return cleanSession ? 0 : NEVER;
    }

    /** The interval the broker grants: the request, bounded by the maximum (the CONNACK tells MQTT 5 clients). */
    public long grant(long requested) {
        return Math.min(requested, maximum);
    }

    /** The outcome of a Session Expiry Interval in DISCONNECT. */
    public sealed interface AtDisconnect {
        /** The session keeps {@code seconds} (the request bounded by the maximum). */
        record Granted(long seconds) implements AtDisconnect {
        }

        /** A change from 0 to non-zero: a protocol error [MQTT-3.14.2-2]. */
        record ProtocolError(String reason) implements AtDisconnect {
        }
    }

    /**
     * A client changes the interval at DISCONNECT: from 0 to non-zero is a protocol error [MQTT-3.14.2-2]; any other
     * value is bounded by the maximum, so a DISCONNECT cannot make a session outlive the broker's limit.
     */
    public AtDisconnect atDisconnect(long current, long requested) {
        if (current == 0 && requested != 0) {
            return new AtDisconnect.ProtocolError("Session Expiry Interval cannot change from 0 at DISCONNECT");
        }
        return new AtDisconnect.Granted(grant(requested));
    }

    /** Whether a session with this interval ends with its network connection [MQTT-3.1.2-23 for 0]. */
    public static boolean endsWithConnection(long seconds) {
        return seconds == 0;
    }

    /**
     * Milliseconds left before a detached session expires; {@link Long#MAX_VALUE} for {@link #NEVER}, 0 or less once
     * it has expired.
     */
    public static long remainingMillis(long seconds, long detachedAtMillis, long nowMillis) {
        if (seconds == NEVER) {
            return Long.MAX_VALUE;
        }
        return seconds * 1000 - Math.max(0, nowMillis - detachedAtMillis);
    }
}

package dev.mqttsuite.broker.config;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Per-client and per-user rate limits and quotas ({@code broker.quota.*}, ADR 0013). Every limit is off (0) by
 * default; each is counted per broker node, also in a cluster.
 */
public interface QuotaConfig {

    /** PUBLISH packets per second one connection may send; 0 = unlimited. */
    @WithName("client-messages-per-second")
    @WithDefault("0")
    double clientMessagesPerSecond();

    /** Bytes of PUBLISH payload per second one connection may send; 0 = unlimited. */
    @WithName("client-bytes-per-second")
    @WithDefault("0")
    long clientBytesPerSecond();

    /** PUBLISH packets per second all connections of one user together may send on this node; 0 = unlimited. */
    @WithName("user-messages-per-second")
    @WithDefault("0")
    double userMessagesPerSecond();

    /** Bytes of PUBLISH payload per second all connections of one user together may send on this node; 0 = off. */
    @WithName("user-bytes-per-second")
    @WithDefault("0")
    long userBytesPerSecond();

    /** How many seconds of a rate a bucket may save up and spend at once (its burst); at least 1 message. */
    @WithName("burst-seconds")
    @WithDefault("1")
    double burstSeconds();

    /** Connections one user may hold at once on this node (a takeover of the same client id counts once); 0 = off. */
    @WithName("max-connections-per-user")
    @WithDefault("0")
    int maxConnectionsPerUser();

    /** What happens to an MQTT 5 QoS 0 PUBLISH over the rate: drop (counted) or disconnect (DISCONNECT 0x96). */
    @WithName("qos0-over-rate")
    @WithDefault("drop")
    Qos0OverRate qos0OverRate();

    enum Qos0OverRate {
        DROP, DISCONNECT
    }
}

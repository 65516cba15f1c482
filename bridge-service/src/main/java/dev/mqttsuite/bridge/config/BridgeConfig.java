package dev.mqttsuite.bridge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bridge-service's settings (prefix {@code bridge}). Every key, its default and its meaning are in
 * {@code application.properties}; {@link BridgeConfigValidator} fails startup on unsafe combinations, naming the key.
 */
@ConfigMapping(prefix = "bridge")
public interface BridgeConfig {

    /** Our broker: every bridge keeps one MQTT session to it. */
    Local local();

    /** Reconnect policy for both sides of every bridge. */
    Reconnect reconnect();

    /** The bridges by name. Empty: the service runs and reports that no bridge is configured. */
    Map<String, Bridge> bridges();

    interface Local {
        @WithDefault("127.0.0.1")
        String host();

        @WithDefault("1883")
        int port();

        Optional<String> username();

        Optional<String> password();

        @WithDefault("false")
        boolean tls();

        /** PEM file with the certificates that may sign our broker's certificate (TLS only). */
        Optional<String> tlsTrustCertificates();

        /** Client ids are this prefix followed by the bridge name. */
        @WithDefault("bridge-")
        String clientIdPrefix();

        @WithDefault("60s")
        Duration keepAlive();
    }

    interface Reconnect {
        /** First delay after a connection is lost or refused. */
        @WithDefault("500ms")
        Duration initialDelay();

        /** Delays double up to this. */
        @WithDefault("30s")
        Duration maxDelay();

        /** Each delay is shortened by a random fraction up to this (0-1), so that bridges do not reconnect in step. */
        @WithDefault("0.3")
        double jitter();
    }

    interface Bridge {
        @WithDefault("true")
        boolean enabled();

        Remote remote();

        /** Default direction of the topic rules. */
        @WithDefault("out")
        Direction direction();

        /** At least one rule. */
        List<Topic> topics();

        /** Whether the retain flag of a message is kept when it is forwarded. */
        @WithDefault("true")
        boolean forwardRetained();

        /**
         * Messages held per direction while the other side is slow or down. Beyond it QoS 0 messages are dropped
         * (counted, logged) and QoS 1 messages are not acknowledged to their source, which then holds them.
         */
        @WithDefault("10000")
        int bufferSize();

        /** QoS 1 messages sent and not yet acknowledged, per direction. */
        @WithDefault("100")
        int maxInflight();

        /** How long a forwarded message is remembered to recognise its echo in a two-way bridge. */
        @WithDefault("60s")
        Duration loopWindow();
    }

    interface Remote {
        /** Required. */
        Optional<String> host();

        @WithDefault("1883")
        int port();

        @WithDefault("false")
        boolean tls();

        Optional<String> tlsTrustCertificates();

        /** PEM client certificate (chain) for brokers that authenticate clients by certificate (mutual TLS). */
        Optional<String> tlsCertFile();

        /** PEM private key (PKCS#8) of that certificate. */
        Optional<String> tlsKeyFile();

        /** Default: {@code mqtt-suite-bridge-<name>}. */
        Optional<String> clientId();

        Optional<String> username();

        /** A password or an access token, as the remote broker expects. */
        Optional<String> password();

        /** false: the remote keeps the bridge's subscriptions and queued messages while it is away. */
        @WithDefault("false")
        boolean cleanSession();

        @WithDefault("60s")
        Duration keepAlive();

        /** Readiness is down while a required remote is unreachable. */
        @WithDefault("true")
        boolean required();
    }

    interface Topic {
        /** A topic filter relative to the prefixes, e.g. {@code sensors/#}. */
        Optional<String> filter();

        /** Overrides the bridge's direction for this rule. */
        @WithName("direction")
        Optional<Direction> direction();

        /** 0 or 1. */
        @WithDefault("1")
        int qos();

        /** Prepended on our broker's side, e.g. {@code site-a/}. */
        Optional<String> localPrefix();

        /** Prepended on the remote side. */
        Optional<String> remotePrefix();
    }
}

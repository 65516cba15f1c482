package dev.mqttsuite.broker.server;

import dev.mqttsuite.broker.cluster.ClusterConfigValidator;
import dev.mqttsuite.broker.config.BrokerConfig;
import dev.mqttsuite.broker.quota.QuotaValidation;
import dev.mqttsuite.broker.session.SessionExpiry;
import java.util.ArrayList;
import java.util.List;

/** Fails startup on unsafe or inconsistent settings, naming each offending key. */
public final class BrokerConfigValidator {

    /** The largest packet MQTT can express: a Remaining Length of 268,435,455 plus the fixed header. */
    public static final int MQTT_MAX_PACKET = 268_435_460;

    private BrokerConfigValidator() {
    }

    /** @throws IllegalStateException listing every problem found */
    public static void validate(BrokerConfig config) {
        List<String> problems = new ArrayList<>();
        BrokerConfig.Mqtt mqtt = config.mqtt();
        BrokerConfig.Limits limits = config.limits();
        BrokerConfig.Session session = config.session();
        if (mqtt.port() < -1 || mqtt.port() > 65535) {
            problems.add("broker.mqtt.port=" + mqtt.port() + " must be -1 (off), 0 (any free port) or 1-65535");
        }
        if (mqtt.instances() < 0) {
            problems.add("broker.mqtt.instances=" + mqtt.instances() + " must be >= 0");
        }
        if (mqtt.connectTimeout().isNegative() || mqtt.connectTimeout().isZero()) {
            problems.add("broker.mqtt.connect-timeout must be positive");
        }
        mqtt.serverKeepAlive().filter(v -> v < 0 || v > 65535).ifPresent(v ->
                problems.add("broker.mqtt.server-keep-alive=" + v + " must be 0-65535"));
        if (mqtt.maxConnections() < 1 || mqtt.maxConnectionsPerAddress() < 1) {
            problems.add("broker.mqtt.max-connections=" + mqtt.maxConnections() + " and max-connections-per-address="
                    + mqtt.maxConnectionsPerAddress() + " must be >= 1");
        }
        if (mqtt.maxPacketsBeforeConnack() < 0 || mqtt.maxBytesBeforeConnack() < 0) {
            problems.add("broker.mqtt.max-packets-before-connack and max-bytes-before-connack must be >= 0");
        }
        if (config.auth().maxPending() < 1) {
            problems.add("broker.auth.max-pending=" + config.auth().maxPending() + " must be >= 1");
        }
        if (config.retained().maxPutsInFlight() < 1) {
            problems.add("broker.retained.max-puts-in-flight=" + config.retained().maxPutsInFlight() + " must be >= 1");
        }
        if (mqtt.maxKeepAlive() < 1 || mqtt.maxKeepAlive() > 65535) {
            problems.add("broker.mqtt.max-keep-alive=" + mqtt.maxKeepAlive() + " must be 1-65535");
        }
        if (limits.maxPacketSize() < 64 || limits.maxPacketSize() > MQTT_MAX_PACKET) {
            problems.add("broker.limits.max-packet-size=" + limits.maxPacketSize() + " must be 64-" + MQTT_MAX_PACKET);
        }
        if (limits.receiveMaximum() < 1 || limits.receiveMaximum() > 65535) {
            problems.add("broker.limits.receive-maximum=" + limits.receiveMaximum() + " must be 1-65535");
        }
        if (limits.maxQos() < 0 || limits.maxQos() > 2) {
            problems.add("broker.limits.max-qos=" + limits.maxQos() + " must be 0, 1 or 2");
        }
        if (limits.topicAliasMaximum() < 0 || limits.topicAliasMaximum() > 65535) {
            problems.add("broker.limits.topic-alias-maximum=" + limits.topicAliasMaximum() + " must be 0-65535");
        }
        if (limits.maxTopicLevels() < 1 || limits.maxTopicLevels() > 1024) {
            problems.add("broker.limits.max-topic-levels=" + limits.maxTopicLevels() + " must be 1-1024");
        }
        if (limits.maxClientIdLength() < 23 || limits.maxClientIdLength() > 65535) {
            problems.add("broker.limits.max-client-id-length=" + limits.maxClientIdLength()
                    + " must be 23-65535 (MQTT requires 23 to be accepted)");
        }
        if (limits.maxSubscriptionsPerSession() < 1) {
            problems.add("broker.limits.max-subscriptions-per-session must be >= 1");
        }
        problems.addAll(QuotaValidation.problems(config.quota()));
        if (session.maxTotalQueuedBytes() < session.maxQueuedBytes()) {
            problems.add("broker.session.max-total-queued-bytes=" + session.maxTotalQueuedBytes()
                    + " must be >= broker.session.max-queued-bytes=" + session.maxQueuedBytes());
        }
        if (session.log().segmentBytes() < (1 << 20)) {
            problems.add("broker.session.log.segment-bytes=" + session.log().segmentBytes() + " must be >= 1048576");
        }
        if (session.log().maxDiskBytes() < 4 * session.log().segmentBytes()) {
            problems.add("broker.session.log.max-disk-bytes=" + session.log().maxDiskBytes()
                    + " must be >= 4 x broker.session.log.segment-bytes (" + 4 * session.log().segmentBytes() + ")");
        }
        if (session.maxExpiryInterval() < 0 || session.maxExpiryInterval() > SessionExpiry.NEVER) {
            problems.add("broker.session.max-expiry-interval=" + session.maxExpiryInterval() + " must be 0-4294967295");
        }
        if (session.maxQueuedMessages() < 1) {
            problems.add("broker.session.max-queued-messages must be >= 1");
        }
        if (session.maxQueuedBytes() < 1024) {
            problems.add("broker.session.max-queued-bytes must be >= 1024");
        }
        if (session.backpressureLowWatermark() < 0
                || session.backpressureLowWatermark() >= session.backpressureHighWatermark()) {
            problems.add("broker.session.backpressure-low-watermark=" + session.backpressureLowWatermark()
                    + " must be >= 0 and below broker.session.backpressure-high-watermark="
                    + session.backpressureHighWatermark());
        }
        if (session.backpressureHighWatermark() > session.maxQueuedMessages()) {
            problems.add("broker.session.backpressure-high-watermark=" + session.backpressureHighWatermark()
                    + " must not exceed broker.session.max-queued-messages=" + session.maxQueuedMessages());
        }
        if (config.auth().maxConcurrent() < 1) {
            problems.add("broker.auth.max-concurrent=" + config.auth().maxConcurrent() + " must be >= 1");
        }
        if (config.auth().cacheTtl().isNegative()) {
            problems.add("broker.auth.cache-ttl must be >= 0 (0 turns the decision cache off)");
        }
        if (config.auth().cacheSize() < 1) {
            problems.add("broker.auth.cache-size=" + config.auth().cacheSize() + " must be >= 1");
        }
        if (config.sys().interval().isNegative()) {
            problems.add("broker.sys.interval must be >= 0");
        }
        BrokerConfig.WebSocket ws = config.websocket();
        if (ws.enabled()) {
            if (ws.port() < -1 || ws.port() > 65535) {
                problems.add("broker.websocket.port=" + ws.port() + " must be -1 (off), 0 (any free port) or 1-65535");
            }
            if (ws.tlsPort() < -1 || ws.tlsPort() > 65535) {
                problems.add("broker.websocket.tls-port=" + ws.tlsPort()
                        + " must be -1 (off), 0 (any free port) or 1-65535");
            }
            if (!ws.path().startsWith("/") || ws.path().contains("?") || ws.path().contains("#")
                    || ws.path().chars().anyMatch(Character::isWhitespace)) {
                problems.add("broker.websocket.path=" + ws.path() + " must be an absolute path such as /mqtt");
            }
        }
        BrokerConfig.Tls tls = config.tls();
        if (tls.enabled()) {
            boolean pem = tls.certFile().isPresent() || tls.keyFile().isPresent();
            boolean p12 = tls.keystoreFile().isPresent();
            if (pem == p12) {
                problems.add("broker.tls: set either broker.tls.cert-file + broker.tls.key-file (PEM) or"
                        + " broker.tls.keystore-file (PKCS#12), not both and not neither");
            }
            if (pem && (tls.certFile().isEmpty() || tls.keyFile().isEmpty())) {
                problems.add("broker.tls.cert-file and broker.tls.key-file must be set together");
            }
            if (tls.port() < 0 || tls.port() > 65535) {
                problems.add("broker.tls.port=" + tls.port() + " must be 0-65535");
            }
            if (tls.reloadInterval().isNegative()) {
                problems.add("broker.tls.reload-interval=" + tls.reloadInterval() + " must be 0 (off) or positive");
            }
            if (tls.clientAuth() != BrokerConfig.Tls.ClientAuthMode.NONE && tls.trustFile().isEmpty()) {
                problems.add("broker.tls.client-auth=" + tls.clientAuth() + " needs broker.tls.trust-file");
            }
        }
        problems.addAll(ClusterConfigValidator.problems(config.cluster()));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid broker configuration:\n - " + String.join("\n - ", problems));
        }
    }
}

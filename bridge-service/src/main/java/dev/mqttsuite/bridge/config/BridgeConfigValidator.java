package dev.mqttsuite.bridge.config;

import dev.mqttsuite.bridge.route.Routes;
import dev.mqttsuite.bridge.route.TopicRoute;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns the configuration into routes, failing startup with every problem found, each naming its key. */
public final class BridgeConfigValidator {

    private BridgeConfigValidator() {
    }

    /**
     * @return the routes of every enabled bridge, by name
     * @throws IllegalStateException listing every problem found
     */
    public static Map<String, Routes> validate(BridgeConfig config) {
        List<String> problems = new ArrayList<>();
        BridgeConfig.Local local = config.local();
        checkPort(problems, "bridge.local.port", local.port());
        checkTrust(problems, "bridge.local.tls-trust-certificates", local.tls(), local.tlsTrustCertificates());
        checkKeepAlive(problems, "bridge.local.keep-alive", local.keepAlive().toSeconds());
        BridgeConfig.Reconnect reconnect = config.reconnect();
        if (reconnect.initialDelay().isNegative() || reconnect.initialDelay().isZero()) {
            problems.add("bridge.reconnect.initial-delay must be positive");
        }
        if (reconnect.maxDelay().compareTo(reconnect.initialDelay()) < 0) {
            problems.add("bridge.reconnect.max-delay must be >= bridge.reconnect.initial-delay");
        }
        if (!(reconnect.jitter() >= 0 && reconnect.jitter() < 1)) {
            problems.add("bridge.reconnect.jitter=" + reconnect.jitter() + " must be in [0, 1)");
        }

        Map<String, Routes> result = new HashMap<>();
        Map<String, String> remoteClientIds = new HashMap<>();
        config.bridges().forEach((name, bridge) -> {
            String key = "bridge.bridges." + name;
            if (!bridge.enabled()) {
                return;
            }
            if (!name.matches("[A-Za-z0-9_-]+")) {
                problems.add(key + ": bridge names may only contain letters, digits, '-' and '_'");
            }
            BridgeConfig.Remote remote = bridge.remote();
            if (remote.host().filter(h -> !h.isBlank()).isEmpty()) {
                problems.add(key + ".remote.host is required (the broker to bridge to)");
            }
            checkPort(problems, key + ".remote.port", remote.port());
            checkTrust(problems, key + ".remote.tls-trust-certificates", remote.tls(), remote.tlsTrustCertificates());
            checkTrust(problems, key + ".remote.tls-cert-file", remote.tls(), remote.tlsCertFile());
            checkTrust(problems, key + ".remote.tls-key-file", remote.tls(), remote.tlsKeyFile());
            if (remote.tlsCertFile().isPresent() != remote.tlsKeyFile().isPresent()) {
                problems.add(key + ".remote.tls-cert-file and " + key + ".remote.tls-key-file go together");
            }
            checkKeepAlive(problems, key + ".remote.keep-alive", remote.keepAlive().toSeconds());
            String clientId = remote.clientId().orElse("mqtt-suite-bridge-" + name);
            String endpoint = remote.host().orElse("") + ":" + remote.port() + "/" + clientId;
            String other = remoteClientIds.putIfAbsent(endpoint, name);
            if (other != null) {
                problems.add(key + ".remote.client-id: bridges " + other + " and " + name + " would both connect to "
                        + remote.host().orElse("") + ":" + remote.port() + " as '" + clientId
                        + "' and take each other's session over");
            }
            if (bridge.bufferSize() < 1) {
                problems.add(key + ".buffer-size=" + bridge.bufferSize() + " must be >= 1");
            }
            if (bridge.maxInflight() < 1 || bridge.maxInflight() > 65535) {
                problems.add(key + ".max-inflight=" + bridge.maxInflight() + " must be 1-65535");
            }
            if (bridge.loopWindow().isNegative() || bridge.loopWindow().isZero()) {
                problems.add(key + ".loop-window must be positive");
            }
            if (bridge.topics().isEmpty()) {
                problems.add(key + ".topics[0].filter is required: a bridge needs at least one topic rule");
            }
            List<TopicRoute> rules = new ArrayList<>();
            for (int i = 0; i < bridge.topics().size(); i++) {
                BridgeConfig.Topic topic = bridge.topics().get(i);
                String topicKey = key + ".topics[" + i + "]";
                if (topic.filter().filter(f -> !f.isEmpty()).isEmpty()) {
                    problems.add(topicKey + ".filter is required");
                    continue;
                }
                Direction direction = topic.direction().orElse(bridge.direction());
                try {
                    rules.add(TopicRoute.of(topic.filter().get(), direction.includesOut(), direction.includesIn(),
                            topic.qos(), topic.localPrefix().orElse(""), topic.remotePrefix().orElse("")));
                } catch (IllegalArgumentException e) {
                    problems.add(topicKey + ": " + e.getMessage());
                }
            }
            result.put(name, new Routes(rules));
        });
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Invalid bridge configuration:\n  - " + String.join("\n  - ", problems));
        }
        return result;
    }

    private static void checkPort(List<String> problems, String key, int port) {
        if (port < 1 || port > 65535) {
            problems.add(key + "=" + port + " must be 1-65535");
        }
    }

    private static void checkKeepAlive(List<String> problems, String key, long seconds) {
        if (seconds < 0 || seconds > 65535) {
            problems.add(key + " must be 0-65535 seconds");
        }
    }

    private static void checkTrust(List<String> problems, String key, boolean tls, Optional<String> file) {
        file.ifPresent(f -> {
            if (!tls) {
                problems.add(key + " is set but TLS is off (set the matching .tls=true)");
            } else if (!Files.isReadable(Path.of(f))) {
                problems.add(key + "=" + f + " is not a readable file");
            }
        });
    }
}

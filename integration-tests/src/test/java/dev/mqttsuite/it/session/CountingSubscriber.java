package dev.mqttsuite.it.session;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A HiveMQ MQTT 5 subscriber with a persistent session (clean start 0, expiry 3600) that counts how often the
 * application got each payload key. One client object for the whole test: its QoS 2 receive state (packet ids it sent
 * PUBREC for) lives in this object's memory, which is what lets it recognise a PUBLISH that the broker resends after a
 * restart (DUP, same packet id) and not hand it to the application twice.
 */
final class CountingSubscriber implements AutoCloseable {

    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final Mqtt5AsyncClient client;

    /**
     * @param reconnect automatic reconnect (50-500 ms) with the same CONNECT (clean start 0): the client object and its
     *     QoS 2 state survive a broker kill
     */
    CountingSubscriber(String id, int port, boolean reconnect) {
        Mqtt5ClientBuilder builder = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(port);
        if (reconnect) {
            builder = builder.automaticReconnect().initialDelay(50, TimeUnit.MILLISECONDS)
                    .maxDelay(500, TimeUnit.MILLISECONDS).applyAutomaticReconnect();
        }
        client = builder.buildAsync();
        client.publishes(MqttGlobalPublishFilter.ALL, p -> counts.computeIfAbsent(AckedPublisher.key(p),
                k -> new AtomicInteger()).incrementAndGet());
    }

    /** CONNECT with clean start 0 and expiry 3600; returns the CONNACK's session present flag. */
    boolean connect() throws Exception {
        return client.connectWith().cleanStart(false).sessionExpiryInterval(3600).send().get(30, TimeUnit.SECONDS)
                .isSessionPresent();
    }

    void subscribe(String filter, MqttQos qos) throws Exception {
        client.subscribeWith().topicFilter(filter).qos(qos).send().get(30, TimeUnit.SECONDS);
    }

    /** DISCONNECT (normal): the session stays, with its expiry. */
    void disconnect() throws Exception {
        client.disconnect().get(30, TimeUnit.SECONDS);
    }

    boolean connected() {
        return client.getState().isConnected();
    }

    /** The keys of {@code expected} that never arrived. */
    List<String> missing(Collection<String> expected) {
        return expected.stream().filter(k -> !counts.containsKey(k)).sorted().toList();
    }

    /** Keys handed to the application more than once. */
    Map<String, Integer> duplicates() {
        Map<String, Integer> out = new java.util.TreeMap<>();
        counts.forEach((k, v) -> {
            if (v.get() > 1) {
                out.put(k, v.get());
            }
        });
        return out;
    }

    boolean received(String key) {
        return counts.containsKey(key);
    }

    int distinct() {
        return counts.size();
    }

    @Override
    public void close() {
        if (client.getState().isConnectedOrReconnect()) {
            client.disconnect().orTimeout(10, TimeUnit.SECONDS).exceptionally(t -> null).join();
        }
    }
}

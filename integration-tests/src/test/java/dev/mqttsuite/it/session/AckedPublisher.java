package dev.mqttsuite.it.session;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.advanced.interceptor.qos1.Mqtt5OutgoingQos1Interceptor;
import com.hivemq.client.mqtt.mqtt5.advanced.interceptor.qos2.Mqtt5OutgoingQos2Interceptor;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.pubrec.Mqtt5PubRec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A HiveMQ MQTT 5 publisher that records, per payload key, what the broker answered: "acknowledged" means a PUBACK
 * (QoS 1) or PUBREC (QoS 2) with a success reason code, seen by the client's QoS interceptors as the packet arrives.
 * That is the broker's promise to keep the message; PUBCOMP is not waited for.
 *
 * <p>Payloads are the key, padded with spaces to a size; {@link #key(Mqtt5Publish)} reads it back.
 */
final class AckedPublisher implements AutoCloseable {

    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> refused = new ConcurrentHashMap<>();
    private final Set<String> completed = ConcurrentHashMap.newKeySet();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean();
    private final Mqtt5AsyncClient client;
    private final boolean persistent;
    private final MqttQos qos;
    private Thread flood;

    /**
     * @param persistent a session that outlives the connection (expiry 3600) and automatic reconnect: the client
     *     resends unacknowledged PUBLISHes (DUP) and PUBRELs after a reconnect with session present
     */
    AckedPublisher(String id, int port, MqttQos qos, boolean persistent) {
        this.qos = qos;
        this.persistent = persistent;
        Mqtt5ClientBuilder builder = MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(port).advancedConfig().interceptors()
                .outgoingQos1Interceptor((Mqtt5OutgoingQos1Interceptor) (config, publish, ack) -> answered(publish,
                        ack.getReasonCode().isError(), ack.getReasonCode().getCode()))
                .outgoingQos2Interceptor(new Mqtt5OutgoingQos2Interceptor() {
                    @Override
                    public void onPubRec(com.hivemq.client.mqtt.mqtt5.Mqtt5ClientConfig config, Mqtt5Publish publish,
                            Mqtt5PubRec rec,
                            com.hivemq.client.mqtt.mqtt5.message.publish.pubrel.Mqtt5PubRelBuilder pubRel) {
                        answered(publish, false, rec.getReasonCode().getCode());
                    }

                    @Override
                    public void onPubRecError(com.hivemq.client.mqtt.mqtt5.Mqtt5ClientConfig config,
                            Mqtt5Publish publish, Mqtt5PubRec rec) {
                        answered(publish, true, rec.getReasonCode().getCode());
                    }

                    @Override
                    public void onPubComp(com.hivemq.client.mqtt.mqtt5.Mqtt5ClientConfig config,
                            com.hivemq.client.mqtt.mqtt5.message.publish.pubrel.Mqtt5PubRel rel,
                            com.hivemq.client.mqtt.mqtt5.message.publish.pubcomp.Mqtt5PubComp comp) {
                    }
                }).applyInterceptors().applyAdvancedConfig();
        if (persistent) {
            builder = builder.automaticReconnect().initialDelay(50, TimeUnit.MILLISECONDS)
                    .maxDelay(500, TimeUnit.MILLISECONDS).applyAutomaticReconnect();
        }
        client = builder.buildAsync();
    }

    private void answered(Mqtt5Publish publish, boolean error, int code) {
        String key = key(publish);
        if (error) {
            refused.put(key, code);
        } else {
            acknowledged.add(key);
        }
    }

    static String key(Mqtt5Publish publish) {
        return new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8).trim();
    }

    AckedPublisher connect() throws Exception {
        client.connectWith().cleanStart(!persistent).sessionExpiryInterval(persistent ? 3600 : 0).send()
                .get(30, TimeUnit.SECONDS);
        return this;
    }

    /** Publishes one message; the future completes at PUBACK / PUBCOMP, or fails. */
    CompletableFuture<Mqtt5PublishResult> publish(String topic, String key, int size) {
        byte[] payload = Arrays.copyOf(key.getBytes(StandardCharsets.UTF_8), Math.max(size, key.length()));
        Arrays.fill(payload, key.length(), payload.length, (byte) ' ');
        outstanding.incrementAndGet();
        return client.publishWith().topic(topic).qos(qos).payload(payload).send().whenComplete((result, failure) -> {
            outstanding.decrementAndGet();
            if (failure == null && result.getError().isEmpty()) {
                completed.add(key);
            }
        });
    }

    /**
     * Publishes {@code prefix-0}, {@code prefix-1}, ... on a thread of its own, as fast as the broker acknowledges,
     * with at most {@code inFlight} unanswered; stops after {@code count} messages, at {@link #stop()}, or when a
     * non-persistent client lost its connection.
     */
    void flood(String topic, String prefix, int count, int inFlight, int size) {
        Semaphore window = new Semaphore(inFlight);
        running.set(true);
        flood = new Thread(() -> {
            for (int seq = 0; seq < count && running.get(); ) {
                if (!persistent && !client.getState().isConnected()) {
                    return;
                }
                try {
                    if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        continue;
                    }
                } catch (InterruptedException e) {
                    return;
                }
                publish(topic, prefix + "-" + seq++, size).whenComplete((r, t) -> window.release());
            }
        }, "flood-" + prefix);
        flood.start();
    }

    /** Stops the flood and waits for its thread. */
    void stop() throws InterruptedException {
        running.set(false);
        if (flood != null) {
            flood.join(30_000);
        }
    }

    /** The flood thread has sent all it was asked to. */
    boolean floodDone() {
        return flood != null && !flood.isAlive();
    }

    Set<String> acknowledged() {
        return acknowledged;
    }

    Map<String, Integer> refused() {
        return refused;
    }

    /** Messages whose exchange completed (PUBACK / PUBCOMP) without an error. */
    Set<String> completed() {
        return completed;
    }

    int outstanding() {
        return outstanding.get();
    }

    boolean connected() {
        return client.getState().isConnected();
    }

    @Override
    public void close() {
        running.set(false);
        if (client.getState().isConnectedOrReconnect()) {
            client.disconnect().orTimeout(10, TimeUnit.SECONDS).exceptionally(t -> null).join();
        }
    }

}

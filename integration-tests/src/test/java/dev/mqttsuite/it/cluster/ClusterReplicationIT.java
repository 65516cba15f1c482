package dev.mqttsuite.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsuite.it.support.Http;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Replicated persistent sessions across three broker processes (docs/adr/0017-cluster-session-replication.md): kill -9
 * of the broker that owns an offline persistent session while a publisher on another broker sends QoS 1 or QoS 2 to
 * it; the session is adopted by a survivor from its replica, and the subscriber, reconnecting on a third broker, gets
 * every message that was acknowledged, before, during and after the fail-over (QoS 2: each once); messages the cluster
 * could not place during the fail-over are refused to the publisher, not acknowledged.
 * A will of a client whose broker was killed is published once, by a survivor, after its delay.
 */
@Timeout(300)
class ClusterReplicationIT {

    private static final Duration RECEIVE = Duration.ofSeconds(30);

    private ClusterNodes cluster;

    @AfterEach
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private Mqtt5BlockingClient client(int node, String id) {
        return MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1")
                .serverPort(cluster.mqttPort(node)).buildBlocking();
    }

    /** A publisher thread sending numbered messages until stopped; each PUBACK/PUBCOMP recorded with its phase. */
    private static final class Load implements AutoCloseable {
        final Map<String, Integer> acknowledged = new ConcurrentHashMap<>(); // payload -> phase when sent
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger phase = new AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Load(Mqtt5BlockingClient publisher, String topic, MqttQos qos) {
            thread = new Thread(() -> {
                for (int i = 0; running.get(); i++) {
                    int sentIn = phase.get();
                    String payload = "m" + i;
                    try {
                        publisher.publishWith().topic(topic).qos(qos)
                                .payload(payload.getBytes(StandardCharsets.UTF_8)).send(); // throws on an error code
                        acknowledged.put(payload, sentIn);
                    } catch (RuntimeException notAcknowledged) {
                        refused.incrementAndGet();
                        if (!publisher.getState().isConnected()) {
                            return;
                        }
                    }
                }
            }, "load-" + topic);
            thread.start();
        }

        long count(int inPhase) {
            return acknowledged.values().stream().filter(p -> p == inPhase).count();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(60_000);
        }
    }

    private static final int BEFORE_KILL = 0;
    private static final int GAP = 1;
    private static final int ADOPTED = 2;

    private void killOwnerUnderLoad(MqttQos qos, String clientId) throws Exception {
        cluster = new ClusterNodes(3);
        Mqtt5BlockingClient subscriber = client(1, clientId);
        subscriber.connectWith().cleanStart(true).sessionExpiryInterval(3600).send();
        subscriber.subscribeWith().topicFilter("load/" + clientId).qos(qos).send();
        await("node 2 routes the topic to node 1").atMost(ClusterNodes.SETTLE)
                .until(() -> Http.metric(cluster.http(2), "mqtt_cluster_routes_remote") >= 1);
        subscriber.disconnect(); // offline: every message queues in its session on node 1

        Mqtt5BlockingClient publisher = client(2, clientId + "-publisher");
        publisher.connect();
        Load load = new Load(publisher, "load/" + clientId, qos);
        await("load before the kill").atMost(RECEIVE).until(() -> load.count(BEFORE_KILL) >= 300);
        load.phase.set(GAP);
        cluster.kill(1); // kill -9 under load
        cluster.awaitMembers(2, 2);
        await("a survivor adopted the session and routes its topic again").atMost(ClusterNodes.SETTLE)
                .until(() -> Http.metric(cluster.http(2), "mqtt_cluster_routes_local")
                        + Http.metric(cluster.http(3), "mqtt_cluster_routes_local") >= 1);
        load.phase.set(ADOPTED);
        await("load after the adoption").atMost(RECEIVE).until(() -> load.count(ADOPTED) >= 300);
        load.close();
        publisher.disconnect();

        Mqtt5BlockingClient again = client(3, clientId);
        try (Mqtt5BlockingClient.Mqtt5Publishes in = again.publishes(MqttGlobalPublishFilter.ALL)) {
            Mqtt5ConnAck connAck = again.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
            assertThat(connAck.isSessionPresent()).as("resumed from the replica [MQTT-3.2.2-3]").isTrue();
            Map<String, Integer> received = new HashMap<>();
            Set<String> required = new java.util.HashSet<>();
            required.addAll(load.acknowledged.keySet()); // the fail-over gap refuses instead of acknowledging
            while (!received.keySet().containsAll(required)) {
                Optional<Mqtt5Publish> next = in.receive(RECEIVE.toMillis(), TimeUnit.MILLISECONDS);
                if (next.isEmpty()) {
                    break;
                }
                received.merge(new String(next.get().getPayloadAsBytes(), StandardCharsets.UTF_8), 1, Integer::sum);
            }
            Optional<Mqtt5Publish> more;
            while ((more = in.receive(2, TimeUnit.SECONDS)).isPresent()) {
                received.merge(new String(more.get().getPayloadAsBytes(), StandardCharsets.UTF_8), 1, Integer::sum);
            }
            List<String> lost = new ArrayList<>(required);
            lost.removeAll(received.keySet());
            long gapAcknowledged = load.count(GAP);
            long gapReceived = load.acknowledged.entrySet().stream()
                    .filter(e -> e.getValue() == GAP && received.containsKey(e.getKey())).count();
            long duplicates = received.values().stream().filter(n -> n > 1).count();
            System.out.printf("[replication %s] acknowledged before kill %d, during fail-over %d (received %d), after"
                    + " adoption %d; refused %d; received %d distinct, %d duplicated; lost %d%n", qos,
                    load.count(BEFORE_KILL), gapAcknowledged, gapReceived, load.count(ADOPTED), load.refused.get(),
                    received.size(), duplicates, lost.size());
            assertThat(lost).as("every acknowledged message arrives: before the kill, during the fail-over (refused"
                    + " until the session is adopted) and after").isEmpty();
            if (qos == MqttQos.EXACTLY_ONCE) {
                assertThat(duplicates).as("QoS 2: each message once [MQTT-4.3.3]").isZero();
            }
        } finally {
            again.disconnect();
        }
    }

    @Test
    void givenOwnerKilledUnderQos1Load_whenTheSubscriberReconnectsElsewhere_thenNoAcknowledgedMessageIsLost()
            throws Exception {
        killOwnerUnderLoad(MqttQos.AT_LEAST_ONCE, "durable-q1");
    }

    @Test
    void givenOwnerKilledUnderQos2Load_whenTheSubscriberReconnectsElsewhere_thenEachAcknowledgedMessageOnce()
            throws Exception {
        killOwnerUnderLoad(MqttQos.EXACTLY_ONCE, "durable-q2");
    }

    @Test
    void givenClientWithWillOnAKilledBroker_thenASurvivorPublishesTheWillOnceAfterItsDelay() throws Exception {
        cluster = new ClusterNodes(3);
        Mqtt5BlockingClient watcher = client(2, "will-watcher");
        watcher.connect();
        Mqtt5BlockingClient.Mqtt5Publishes wills = watcher.publishes(MqttGlobalPublishFilter.ALL);
        watcher.subscribeWith().topicFilter("wills/#").qos(MqttQos.AT_LEAST_ONCE).send();
        await("node 1 routes wills/# to node 2").atMost(ClusterNodes.SETTLE)
                .until(() -> Http.metric(cluster.http(1), "mqtt_cluster_routes_remote") >= 1);
        Mqtt5BlockingClient dying = client(1, "will-owner");
        dying.connectWith().cleanStart(true).sessionExpiryInterval(3600).willPublish().topic("wills/owner")
                .qos(MqttQos.AT_LEAST_ONCE).payload("gone".getBytes(StandardCharsets.UTF_8)).delayInterval(2)
                .applyWillPublish().send();
        await("the will is in the replica").atMost(ClusterNodes.SETTLE)
                .until(() -> Http.metric(cluster.http(1), "mqtt_cluster_replication_updates_total") >= 1
                        && Http.metric(cluster.http(1), "mqtt_cluster_replication_pending") == 0);

        cluster.kill(1);

        Optional<Mqtt5Publish> will = wills.receive(60, TimeUnit.SECONDS);
        assertThat(will).as("a survivor publishes the will of the dead broker's client [MQTT-3.1.2-8]").isPresent();
        assertThat(new String(will.get().getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("gone");
        assertThat(wills.receive(5, TimeUnit.SECONDS)).as("exactly once cluster-wide").isEmpty();
        watcher.disconnect();
    }

    private static final long PACE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** Publishes numbered QoS 1 messages through any broker, moving to the next one when its broker goes away. */
    private final class RollingLoad implements AutoCloseable {
        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        final AtomicInteger refused = new AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        RollingLoad(String topic) {
            thread = new Thread(() -> {
                int i = 0;
                for (int node = 1; running.get(); node = node % 3 + 1) {
                    Mqtt5BlockingClient publisher = client(node, "rolling-publisher");
                    try {
                        publisher.connect();
                        while (running.get()) {
                            // paced (at most 50/s): the offline subscriber's queue (10,000 messages by default)
                            // must hold the whole run, or the broker drops by design and the count means nothing
                            java.util.concurrent.locks.LockSupport.parkNanos(PACE_NANOS);
                            String payload = "r" + i++;
                            try {
                                publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                                        .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
                                acknowledged.add(payload);
                            } catch (RuntimeException notAcknowledged) {
                                refused.incrementAndGet();
                                if (!publisher.getState().isConnected()) {
                                    break;
                                }
                            }
                        }
                        if (publisher.getState().isConnected()) {
                            publisher.disconnect();
                        }
                    } catch (RuntimeException brokerDown) {
                        refused.incrementAndGet(); // its broker is restarting: the next one
                    }
                }
            }, "rolling-load");
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(60_000);
        }
    }

    @Test
    void givenRollingRestartOfAllBrokersUnderLoad_whenTheSubscriberReconnects_thenNoAcknowledgedMessageIsLost()
            throws Exception {
        cluster = new ClusterNodes(3);
        Mqtt5BlockingClient subscriber = client(1, "rolling-subscriber");
        subscriber.connectWith().cleanStart(true).sessionExpiryInterval(3600).send();
        subscriber.subscribeWith().topicFilter("roll/#").qos(MqttQos.AT_LEAST_ONCE).send();
        await("node 2 routes roll/# to node 1").atMost(ClusterNodes.SETTLE)
                .until(() -> Http.metric(cluster.http(2), "mqtt_cluster_routes_remote") >= 1);
        subscriber.disconnect();

        RollingLoad load = new RollingLoad("roll/a");
        for (int node = 1; node <= 3; node++) {
            int before = load.acknowledged.size();
            await("load before restarting node " + node).atMost(RECEIVE)
                    .until(() -> load.acknowledged.size() >= before + 200);
            cluster.broker(node).stop(); // SIGTERM: replicas flushed, the survivors adopt its sessions
            int other = node % 3 + 1;
            cluster.awaitMembers(other, 2);
            cluster.broker(node).start();
            for (int n = 1; n <= 3; n++) {
                cluster.awaitMembers(n, 3);
            }
        }
        int before = load.acknowledged.size();
        await("load after the last restart").atMost(RECEIVE).until(() -> load.acknowledged.size() >= before + 200);
        load.close();

        Mqtt5BlockingClient again = client(2, "rolling-subscriber");
        try (Mqtt5BlockingClient.Mqtt5Publishes in = again.publishes(MqttGlobalPublishFilter.ALL)) {
            Mqtt5ConnAck connAck = again.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
            assertThat(connAck.isSessionPresent()).as("the session survived three graceful restarts").isTrue();
            Set<String> received = ConcurrentHashMap.newKeySet();
            while (!received.containsAll(load.acknowledged)) {
                Optional<Mqtt5Publish> next = in.receive(RECEIVE.toMillis(), TimeUnit.MILLISECONDS);
                if (next.isEmpty()) {
                    break;
                }
                received.add(new String(next.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
            }
            List<String> lost = new ArrayList<>(load.acknowledged);
            lost.removeAll(received);
            System.out.printf("[rolling restart] acknowledged %d, refused %d, received %d distinct, lost %d%n",
                    load.acknowledged.size(), load.refused.get(), received.size(), lost.size());
            assertThat(lost).as("a rolling restart loses no acknowledged message").isEmpty();
        } finally {
            again.disconnect();
        }
    }
}

package dev.mqttsuite.broker.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import dev.mqttsuite.broker.support.BrokerTest;
import dev.mqttsuite.broker.support.Http;
import dev.mqttsuite.broker.support.Scrape;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * {@code $SYS/broker/...} statistics and the Prometheus endpoint. Every expected figure is computed from what the test
 * itself did (the difference between a round of figures taken before and one taken after), so neither the order of the
 * tests nor what earlier tests left behind (sessions, retained messages, counters) changes the outcome.
 */
@QuarkusTest
class SysTopicsTest extends BrokerTest {

    private static final String SYS = "$SYS/broker/";
    private static final List<String> TOPICS = List.of("version", "uptime", "clients/connected", "clients/total",
            "clients/connections/total", "messages/received", "messages/sent", "messages/dropped", "bytes/received",
            "bytes/sent", "subscriptions/count", "retained messages/count");

    @TestHTTPResource("/q/health/ready")
    URL readiness;

    @Test
    void everyRoundCarriesTheWholeSetOfStatistics() {
        Map<String, String> round = watchSys().next();
        assertThat(round.get("version")).startsWith("mqtt-suite broker ");
        assertThat(round.get("uptime")).matches("\\d+ seconds");
        for (String counter : TOPICS.subList(2, TOPICS.size())) {
            assertThat(round.get(counter)).as(counter).matches("\\d+");
        }
        assertThat(Long.parseLong(round.get("clients/connected"))).as("counts the watcher itself").isPositive();
    }

    @Test
    void theFiguresFollowThisTestsOwnClientsMessagesAndSubscriptions() {
        SysRounds sys = watchSys();
        Map<String, String> before = sys.next();

        String topic = unique("counted");
        List<Mqtt5BlockingClient> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Mqtt5BlockingClient subscriber = mqtt5(unique("counted-sub"));
            subscriber.subscribeWith().topicFilter(topic + "/" + i).send();
            clients.add(subscriber);
        }
        Mqtt5BlockingClient publisher = mqtt5(unique("counted-pub"));
        clients.add(publisher);
        for (int i = 0; i < 4; i++) {
            publisher.publishWith().topic(topic + "/0").qos(MqttQos.AT_LEAST_ONCE).payload(new byte[10]).send();
        }
        publisher.publishWith().topic(topic + "/retained").retain(true).qos(MqttQos.AT_LEAST_ONCE)
                .payload(new byte[10]).send();

        Map<String, String> during = sys.next("5 more messages received",
                r -> delta(before, r, "messages/received") == 5);
        assertThat(delta(before, during, "clients/connected")).as("4 more clients connected").isEqualTo(4);
        assertThat(delta(before, during, "clients/connections/total")).isEqualTo(4);
        assertThat(delta(before, during, "clients/total")).as("4 more sessions").isEqualTo(4);
        assertThat(delta(before, during, "subscriptions/count")).isEqualTo(3);
        assertThat(delta(before, during, "retained messages/count")).isEqualTo(1);
        assertThat(delta(before, during, "bytes/received")).as("5 payloads of 10 bytes").isEqualTo(50);
        assertThat(delta(before, during, "messages/sent")).as("4 delivered to the subscriber, plus $SYS rounds")
                .isGreaterThanOrEqualTo(4);
        assertThat(delta(before, during, "messages/dropped")).isZero();

        publisher.publishWith().topic(topic + "/retained").retain(true).qos(MqttQos.AT_LEAST_ONCE)
                .payload(new byte[0]).send(); // deletes the retained message [MQTT-3.3.1-6]
        clients.forEach(Mqtt5BlockingClient::disconnect);
        // the broker handles each close after the client has gone: wait for all of it to show
        Map<String, String> after = sys.next("the 4 clients, their sessions and subscriptions are gone",
                r -> delta(before, r, "clients/connected") == 0 && delta(before, r, "clients/total") == 0
                        && delta(before, r, "subscriptions/count") == 0);
        assertThat(delta(before, after, "clients/connections/total")).as("a total, not a gauge").isEqualTo(4);
        assertThat(delta(before, after, "messages/received")).isEqualTo(6);
        assertThat(delta(before, after, "retained messages/count")).isZero();
    }

    @Test
    void wildcardFiltersDoNotMatchTopicsStartingWithDollar_MQTT_4_7_2_1() throws Exception {
        Mqtt5BlockingClient all = mqtt5(unique("all"));
        try (Mqtt5BlockingClient.Mqtt5Publishes everything = listen(all)) {
            // live messages only (what earlier tests retained is not the point), all at QoS 0 like $SYS messages
            all.subscribeWith().topicFilter("#").qos(MqttQos.AT_MOST_ONCE)
                    .retainHandling(Mqtt5RetainHandling.DO_NOT_SEND).send();
            all.subscribeWith().topicFilter("+/broker/#").qos(MqttQos.AT_MOST_ONCE)
                    .retainHandling(Mqtt5RetainHandling.DO_NOT_SEND).send();
            // a complete round reaches a $SYS subscriber that subscribed after 'all' did
            watchSys().next();
            // what 'all' got from that round is in its queue before a message published now
            String sentinel = unique("sentinel");
            mqtt5(unique("sentinel-pub")).publishWith().topic(sentinel).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(new byte[] {1}).send();
            List<String> received = new ArrayList<>();
            while (!received.contains(sentinel)) {
                Optional<Mqtt5Publish> p = everything.receive(5, TimeUnit.SECONDS);
                assertThat(p).as("the sentinel arrives; received so far: %s", received).isPresent();
                received.add(p.get().getTopic().toString());
            }
            assertThat(received).as("'#' and '+/...' match no topic starting with '$'")
                    .noneMatch(t -> t.startsWith("$"));
        }
    }

    @Test
    void prometheusCountersFollowThisTestsTraffic_andTheBrokerIsReady() throws Exception {
        String topic = unique("prom");
        Mqtt5BlockingClient subscriber = mqtt5(unique("prom-sub"));
        subscriber.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        Scrape before = scrape();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = listen(subscriber)) {
            Mqtt5BlockingClient publisher = mqtt5(unique("prom-pub"));
            for (int i = 0; i < 3; i++) {
                publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(new byte[100]).send();
            }
            for (int i = 0; i < 3; i++) {
                assertThat(publishes.receive(5, TimeUnit.SECONDS)).isPresent();
            }
        }
        Scrape after = scrape();
        assertThat(after.value("mqtt_messages_received_total", "qos=\"1\"")
                - before.value("mqtt_messages_received_total", "qos=\"1\"")).isEqualTo(3);
        assertThat(after.value("mqtt_messages_sent_total", "qos=\"1\"")
                - before.value("mqtt_messages_sent_total", "qos=\"1\"")).isEqualTo(3);
        assertThat(after.value("mqtt_bytes_received_bytes_total") - before.value("mqtt_bytes_received_bytes_total"))
                .isEqualTo(300);
        assertThat(after.has("mqtt_messages_dropped_total")).isTrue();
        assertThat(after.value("mqtt_connections")).as("at least this test's two clients").isGreaterThanOrEqualTo(2);
        HttpResponse<String> ready = Http.get(readiness);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).containsPattern("\"status\"\\s*:\\s*\"UP\"");
    }

    private static long delta(Map<String, String> before, Map<String, String> after, String topic) {
        return Long.parseLong(after.get(topic)) - Long.parseLong(before.get(topic));
    }

    /** A client subscribed to {@code $SYS/broker/#}, collecting complete rounds of figures. */
    private SysRounds watchSys() {
        SysRounds rounds = new SysRounds();
        Mqtt5BlockingClient client = mqtt5(unique("sys"));
        client.toAsync().publishes(MqttGlobalPublishFilter.ALL, rounds);
        client.subscribeWith().topicFilter(SYS + "#").send();
        return rounds;
    }

    /** Rounds of $SYS figures by topic (without the prefix); a round ends with its last topic. */
    private static final class SysRounds implements Consumer<Mqtt5Publish> {
        private final Map<String, String> current = new HashMap<>();
        private final List<Map<String, String>> complete = new CopyOnWriteArrayList<>();

        @Override
        public synchronized void accept(Mqtt5Publish publish) {
            String topic = publish.getTopic().toString().substring(SYS.length());
            current.put(topic, new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8));
            if (topic.equals(TOPICS.get(TOPICS.size() - 1))) {
                if (current.keySet().containsAll(TOPICS)) {
                    complete.add(Map.copyOf(current));
                }
                current.clear();
            }
        }

        /** The first complete round from now on (rounds come every second). */
        Map<String, String> next() {
            return next("any", r -> true);
        }

        /** The first complete round from now on in which {@code condition} holds. */
        Map<String, String> next(String description, Predicate<Map<String, String>> condition) {
            int from = complete.size();
            try {
                return await().atMost(Duration.ofSeconds(10)).until(
                        () -> complete.stream().skip(from).filter(condition).findFirst(), Optional::isPresent).get();
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("no $SYS round within 10 s in which " + description + "; rounds seen: "
                        + complete.subList(from, complete.size()), e);
            }
        }
    }
}

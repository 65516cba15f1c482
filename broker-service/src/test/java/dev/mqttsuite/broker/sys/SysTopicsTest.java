package dev.mqttsuite.broker.sys;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsuite.broker.support.BrokerTest;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SysTopicsTest extends BrokerTest {

    @Test
    void sysTopics_arePublishedPeriodically_andNotMatchedByHash_MQTT_4_7_2_1() throws Exception {
        Mqtt5BlockingClient all = mqtt5(unique("all"));
        all.subscribeWith().topicFilter("#").send();
        Mqtt5BlockingClient sys = mqtt5(unique("sys"));
        sys.subscribeWith().topicFilter("$SYS/broker/#").send();
        Map<String, String> seen = new HashMap<>();
        try (var publishes = listen(sys);
                var everything = listen(all)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!seen.containsKey("$SYS/broker/retained messages/count") && System.nanoTime() < deadline) {
                Optional<Mqtt5Publish> p = publishes.receive(1, TimeUnit.SECONDS);
                p.ifPresent(m -> seen.put(m.getTopic().toString(),
                        new String(m.getPayloadAsBytes(), StandardCharsets.UTF_8)));
            }
            assertThat(seen).containsKeys("$SYS/broker/uptime", "$SYS/broker/version",
                    "$SYS/broker/clients/connected", "$SYS/broker/messages/received", "$SYS/broker/messages/dropped",
                    "$SYS/broker/subscriptions/count", "$SYS/broker/retained messages/count");
            assertThat(Long.parseLong(seen.get("$SYS/broker/clients/connected"))).isGreaterThanOrEqualTo(2);
            Optional<Mqtt5Publish> leaked = everything.receive(200, TimeUnit.MILLISECONDS);
            assertThat(leaked.map(m -> m.getTopic().toString()).orElse(""))
                    .as("'#' does not match $SYS topics").doesNotStartWith("$SYS");
        }
    }

    @Test
    void prometheusMetrics_andHealth_areServed() {
        mqtt5(unique("metrics")).publishWith().topic(unique("m")).payload(new byte[] {1}).send();
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("mqtt_connections"))
                .body(containsString("mqtt_messages_received_total"))
                .body(containsString("mqtt_messages_dropped_total"))
                .body(containsString("mqtt_subscriptions"));
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}

package dev.mqttsuite.broker.support;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsuite.broker.server.BrokerService;
import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;

/**
 * Base of the broker's @QuarkusTest classes: the broker runs on a random port with anonymous access; each test uses
 * unique client ids and topics so tests never see each other's traffic.
 */
public abstract class BrokerTest {

    /** Payload of the message that closes a "nothing else arrives" check (see {@link #receivedBeforeSentinel}). */
    public static final byte[] SENTINEL = "sentinel".getBytes(StandardCharsets.UTF_8);

    @Inject
    protected BrokerService broker;

    @TestHTTPResource("/q/metrics")
    URL metricsUrl;

    private final List<Runnable> cleanups = new ArrayList<>();

    protected int port() {
        return broker.mqttPort();
    }

    /** What the broker exports at {@code /q/metrics} now. */
    protected Scrape scrape() {
        return Scrape.of(metricsUrl);
    }

    /** A unique topic prefix for this test. */
    protected static String unique(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected Mqtt5ClientBuilder mqtt5Builder(String clientId) {
        return MqttClient.builder().useMqttVersion5().identifier(clientId).serverHost("127.0.0.1")
                .serverPort(port());
    }

    /** A connected MQTT 5 client, disconnected after the test. */
    protected Mqtt5BlockingClient mqtt5(String clientId) {
        return mqtt5(clientId, b -> b);
    }

    protected Mqtt5BlockingClient mqtt5(String clientId, UnaryOperator<Mqtt5ClientBuilder> customize) {
        Mqtt5BlockingClient client = customize.apply(mqtt5Builder(clientId)).buildBlocking();
        client.connect();
        cleanups.add(() -> {
            if (client.getState().isConnected()) {
                client.disconnect();
            }
        });
        return client;
    }

    protected Mqtt3BlockingClient mqtt3(String clientId) {
        Mqtt3BlockingClient client = MqttClient.builder().useMqttVersion3().identifier(clientId)
                .serverHost("127.0.0.1").serverPort(port()).buildBlocking();
        client.connect();
        cleanups.add(() -> {
            if (client.getState().isConnected()) {
                client.disconnect();
            }
        });
        return client;
    }

    /**
     * The client's incoming PUBLISH stream, registered for sure before this returns. HiveMQ's client registers a
     * publishes flow on its event loop asynchronously; a message read in the same loop turn could otherwise miss it.
     * The UNSUBSCRIBE round trip runs behind the registration task on that loop.
     */
    public static Mqtt5BlockingClient.Mqtt5Publishes listen(Mqtt5BlockingClient client) {
        Mqtt5BlockingClient.Mqtt5Publishes publishes = client.publishes(
                com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL);
        if (client.getState().isConnected()) {
            client.unsubscribeWith().topicFilter("$sync/listen").send();
        } // else: the CONNECT round trip that follows does the same
        return publishes;
    }

    /**
     * What arrives before the sentinel, the message whose payload is {@link #SENTINEL} ("topic payload" each; 5 s at
     * most per message). A test that must show that a message does NOT arrive publishes a sentinel behind it on the
     * same ordered path (the same publishing connection, or after the forbidden one was acknowledged, into the same
     * subscriber's queue): once the sentinel is here, the forbidden message would have been here before it. No waiting
     * window. Send the sentinel at the QoS the forbidden message would have: HiveMQ's client may hand QoS 0 and QoS 1/2
     * messages to the application in another order than they arrived in.
     */
    public static List<String> receivedBeforeSentinel(Mqtt5BlockingClient.Mqtt5Publishes publishes)
            throws InterruptedException {
        List<String> before = new ArrayList<>();
        while (true) {
            Optional<Mqtt5Publish> p = publishes.receive(5, TimeUnit.SECONDS);
            if (p.isEmpty()) {
                throw new AssertionError("no sentinel within 5 s; received before: " + before);
            }
            byte[] payload = p.get().getPayloadAsBytes();
            if (Arrays.equals(payload, SENTINEL)) {
                return before;
            }
            before.add(p.get().getTopic() + " " + new String(payload, StandardCharsets.UTF_8));
        }
    }

    protected RawMqttClient raw() throws Exception {
        return raw(0);
    }

    /** A raw client with a small fixed receive buffer (see {@link RawMqttClient}), closed after the test. */
    protected RawMqttClient raw(int receiveBufferBytes) throws Exception {
        RawMqttClient client = new RawMqttClient("127.0.0.1", port(), receiveBufferBytes);
        cleanups.add(client::closeQuietly);
        return client;
    }

    protected void onCleanup(Runnable cleanup) {
        cleanups.add(cleanup);
    }

    @AfterEach
    void cleanUp() {
        for (Runnable cleanup : cleanups) {
            try {
                cleanup.run();
            } catch (RuntimeException ignored) {
                // best effort
            }
        }
        cleanups.clear();
    }
}

package dev.mqttsuite.broker.support;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import dev.mqttsuite.broker.server.BrokerService;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;

/**
 * Base of the broker's @QuarkusTest classes: the broker runs on a random port with anonymous access; each test uses
 * unique client ids and topics so tests never see each other's traffic.
 */
public abstract class BrokerTest {

    @Inject
    protected BrokerService broker;

    private final List<Runnable> cleanups = new ArrayList<>();

    protected int port() {
        return broker.mqttPort();
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

    protected RawMqttClient raw() throws Exception {
        RawMqttClient client = new RawMqttClient("127.0.0.1", port());
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

package dev.mqttsuite.broker.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.mqttsuite.broker.support.BrokerTest;
import dev.mqttsuite.broker.support.RawMqttClient;
import dev.mqttsuite.broker.support.RawWebSocketClient;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * MQTT over WebSocket (MQTT 5.0 section 6) on the ws listener: the same broker behind it as behind the TCP listener,
 * with the HiveMQ and Paho MQTT 5 clients and a byte-level WebSocket client for the framing rules.
 */
@QuarkusTest
class WebSocketTest extends BrokerTest {

    private URI wsUri(String path) {
        return URI.create("ws://127.0.0.1:" + broker.webSocketPort() + path);
    }

    private Mqtt5BlockingClient wsClient(String clientId) {
        return mqtt5(clientId, b -> b.serverPort(broker.webSocketPort()).webSocketConfig()
                .serverPath("mqtt").subprotocol("mqtt").applyWebSocketConfig());
    }

    /** The HTTP status with which the server refused the WebSocket handshake. */
    private static int refusedHandshakeStatus(URI uri, String... subprotocols) {
        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> RawWebSocketClient.connect(uri,
                subprotocols));
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
        }
        throw new AssertionError("handshake not refused: " + failure, failure);
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1, 2})
    void webSocketAndTcpClients_exchangeMessagesBothWays(int qos) throws Exception {
        String topic = unique("ws/both-ways");
        MqttQos level = MqttQos.fromCode(qos);
        Mqtt5BlockingClient ws = wsClient(unique("ws-client"));
        Mqtt5BlockingClient tcp = mqtt5(unique("tcp-client"));
        ws.subscribeWith().topicFilter(topic + "/to-ws").qos(level).send();
        tcp.subscribeWith().topicFilter(topic + "/to-tcp").qos(level).send();
        try (var atWs = listen(ws); var atTcp = listen(tcp)) {
            tcp.publishWith().topic(topic + "/to-ws").qos(level).payload("from tcp".getBytes()).send();
            ws.publishWith().topic(topic + "/to-tcp").qos(level).payload("from ws".getBytes()).send();
            Optional<Mqtt5Publish> toWs = atWs.receive(5, TimeUnit.SECONDS);
            Optional<Mqtt5Publish> toTcp = atTcp.receive(5, TimeUnit.SECONDS);
            assertThat(toWs).as("TCP -> WebSocket at QoS %d", qos).get()
                    .satisfies(p -> assertThat(new String(p.getPayloadAsBytes())).isEqualTo("from tcp"))
                    .satisfies(p -> assertThat(p.getQos()).isEqualTo(level));
            assertThat(toTcp).as("WebSocket -> TCP at QoS %d", qos).get()
                    .satisfies(p -> assertThat(new String(p.getPayloadAsBytes())).isEqualTo("from ws"))
                    .satisfies(p -> assertThat(p.getQos()).isEqualTo(level));
        }
    }

    @Test
    void pahoMqtt5Client_overWs_roundTripsWithATcpClient() throws Exception {
        String topic = unique("ws/paho");
        BlockingQueue<String> arrived = new LinkedBlockingQueue<>();
        MqttClient paho = new MqttClient(wsUri("/mqtt").toString(), unique("paho-ws"), new MemoryPersistence());
        paho.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String t, MqttMessage message) {
                arrived.add(t + " " + new String(message.getPayload(), StandardCharsets.UTF_8) + " qos"
                        + message.getQos());
            }

            @Override
            public void disconnected(MqttDisconnectResponse response) {
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setConnectionTimeout(5);
        paho.connect(options);
        onCleanup(() -> {
            try {
                if (paho.isConnected()) {
                    paho.disconnect();
                }
                paho.close();
            } catch (MqttException ignored) {
                // best effort
            }
        });
        paho.subscribe(topic + "/to-paho", 2);
        Mqtt5BlockingClient tcp = mqtt5(unique("tcp-client"));
        tcp.subscribeWith().topicFilter(topic + "/from-paho").qos(MqttQos.EXACTLY_ONCE).send();
        try (var atTcp = listen(tcp)) {
            tcp.publishWith().topic(topic + "/to-paho").qos(MqttQos.EXACTLY_ONCE).payload("hello paho".getBytes())
                    .send();
            assertThat(arrived.poll(5, TimeUnit.SECONDS)).isEqualTo(topic + "/to-paho hello paho qos2");
            paho.publish(topic + "/from-paho", "hello tcp".getBytes(StandardCharsets.UTF_8), 1, false);
            assertThat(atTcp.receive(5, TimeUnit.SECONDS)).get()
                    .extracting(p -> new String(p.getPayloadAsBytes())).isEqualTo("hello tcp");
        }
    }

    @Test
    void upgradeOnAnotherPath_isRefusedWith404() {
        assertThat(refusedHandshakeStatus(wsUri("/other"), "mqtt")).isEqualTo(404);
    }

    @Test
    void plainHttpRequestOnAnotherPath_gets404() throws Exception {
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + broker.webSocketPort() + "/index.html")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(404);
    }

    @Test
    void upgradeWithoutTheMqttSubprotocol_isRefused() {
        // [MQTT-6.0.0-3] the client must offer "mqtt": an unknown subprotocol and none at all are both refused
        for (String[] offered : new String[][] {{"chat"}, {}}) {
            assertThat(refusedHandshakeStatus(wsUri("/mqtt"), offered))
                    .as("subprotocols offered: %s", String.join(",", offered)).isEqualTo(400);
        }
    }

    @Test
    void serverSelectsMqtt_whenOffered_andAcceptsMqttv31Alone() throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.connect(wsUri("/mqtt?client=js"), "mqttv3.1", "mqtt")) {
            assertThat(client.subprotocol()).as("[MQTT-6.0.0-4]").isEqualTo("mqtt");
        }
        try (RawWebSocketClient client = RawWebSocketClient.connect(wsUri("/mqtt"), "mqttv3.1")) {
            assertThat(client.subprotocol()).isEqualTo("mqttv3.1");
            assertThat(client.sendBinary(RawMqttClient.connect(4, unique("v311-ws"))).read().type())
                    .isEqualTo(RawMqttClient.CONNACK);
        }
    }

    @Test
    void textFrame_closesTheConnection() throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.connect(wsUri("/mqtt"), "mqtt")) {
            assertThat(client.sendBinary(RawMqttClient.connect(5, unique("text-ws"))).read().type())
                    .isEqualTo(RawMqttClient.CONNACK);
            client.sendText("PINGREQ");
            assertThat(client.closeStatus(Duration.ofSeconds(5))).as("[MQTT-6.0.0-1] close 1003").isEqualTo(1003);
        }
    }

    @Test
    void packetSplitAcrossFrames_isDecoded() throws Exception {
        // [MQTT-6.0.0-2] packets are not aligned on frames: a CONNECT in two messages, a PINGREQ in two fragments
        byte[] connect = RawMqttClient.connect(5, unique("split-ws"));
        try (RawWebSocketClient client = RawWebSocketClient.connect(wsUri("/mqtt"), "mqtt")) {
            client.sendBinary(java.util.Arrays.copyOfRange(connect, 0, 5));
            client.sendBinary(java.util.Arrays.copyOfRange(connect, 5, connect.length));
            assertThat(client.read().type()).isEqualTo(RawMqttClient.CONNACK);
            client.sendBinary(new byte[] {(byte) 0xC0}, false).sendBinary(new byte[] {0}, true);
            assertThat(client.read().type()).isEqualTo(RawMqttClient.PINGRESP);
        }
    }

    @Test
    void severalPacketsInOneFrame_areAllProcessed() throws Exception {
        byte[] ping = {(byte) 0xC0, 0};
        byte[] connect = RawMqttClient.connect(5, unique("batched-ws"));
        try (RawWebSocketClient client = RawWebSocketClient.connect(wsUri("/mqtt"), "mqtt")) {
            client.sendBinary(RawMqttClient.concat(connect, ping, ping));
            assertThat(client.read().type()).isEqualTo(RawMqttClient.CONNACK);
            assertThat(client.read().type()).isEqualTo(RawMqttClient.PINGRESP);
            assertThat(client.read().type()).isEqualTo(RawMqttClient.PINGRESP);
        }
    }

    @Test
    void frameLargerThanTheMaximumPacketSize_closesTheConnection() throws Exception {
        int max = broker.core().config().limits().maxPacketSize();
        try (RawWebSocketClient client = RawWebSocketClient.connect(wsUri("/mqtt"), "mqtt")) {
            assertThat(client.sendBinary(RawMqttClient.connect(5, unique("big-ws"))).read().type())
                    .isEqualTo(RawMqttClient.CONNACK);
            try {
                client.sendBinary(new byte[max + 1]);
            } catch (java.util.concurrent.ExecutionException closedWhileSending) {
                // the broker refuses the frame from its header and closes before reading the rest
            }
            assertThat(client.closedWithin(Duration.ofSeconds(5))).as("1009 Message Too Big, or closed while sending")
                    .isIn(1009, -1);
        }
    }

    @Test
    void malformedPacket_getsDisconnectWithReason_thenACloseFrame() throws Exception {
        try (RawWebSocketClient client = RawWebSocketClient.connect(wsUri("/mqtt"), "mqtt")) {
            assertThat(client.sendBinary(RawMqttClient.connect(5, unique("bad-ws"))).read().type())
                    .isEqualTo(RawMqttClient.CONNACK);
            client.sendBinary(new byte[] {(byte) 0xC1, 0}); // PINGREQ with a reserved flag set [MQTT-2.1.3-1]
            RawMqttClient.Packet disconnect = client.read();
            assertThat(disconnect.type()).isEqualTo(RawMqttClient.DISCONNECT);
            assertThat(disconnect.body()[0] & 0xFF).as("0x81 Malformed Packet").isEqualTo(0x81);
            assertThat(client.closeStatus(Duration.ofSeconds(5))).isEqualTo(1000);
        }
    }
}

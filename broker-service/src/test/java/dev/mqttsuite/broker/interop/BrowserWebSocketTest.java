package dev.mqttsuite.broker.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.sun.net.httpserver.HttpServer;
import dev.mqttsuite.broker.support.BrokerTest;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * MQTT over WebSocket from a real browser: headless Chromium (Debian's {@code chromium} and {@code chromium-driver})
 * runs MQTT.js' browser bundle against the broker's {@code ws://.../mqtt} listener, subscribing and publishing at
 * QoS 1, while a HiveMQ client on plain TCP sits on the other side. The page and its script are served by a small
 * HTTP server on 127.0.0.1 (the browser's origin differs from the broker's: WebSocket has no same-origin rule, and the
 * broker must accept it with the {@code mqtt} subprotocol the browser asks for).
 * Skipped locally when chromium, chromedriver or MQTT.js are missing; {@code .ci/run} installs them and sets
 * {@code MQTT_SUITE_REQUIRE_INTEROP=true}, which turns a missing tool into a failure.
 */
@QuarkusTest
class BrowserWebSocketTest extends BrokerTest {

    private static final boolean REQUIRED = "true".equals(System.getenv("MQTT_SUITE_REQUIRE_INTEROP"));
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path MQTT_JS = Path.of("src/test/interop/node_modules/mqtt/dist/mqtt.min.js");

    private static HttpServer pages;
    private static ChromeDriver browser;

    @BeforeAll
    static void startBrowser() throws IOException {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)
                && Files.isRegularFile(MQTT_JS);
        if (REQUIRED) {
            assertThat(present).as("chromium, chromedriver and MQTT.js are required in CI (MQTT_SUITE_REQUIRE_INTEROP"
                    + "=true)").isTrue();
        }
        assumeTrue(present, "chromium/chromedriver or MQTT.js not installed: skipping (apt-get install chromium"
                + " chromium-driver; npm ci in broker-service/src/test/interop)");
        pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        Map<String, byte[]> files = Map.of(
                "/mqtt.min.js", Files.readAllBytes(MQTT_JS),
                "/mqtt-ws.html", resource("browser/mqtt-ws.html"),
                "/mqtt-ws.js", resource("browser/mqtt-ws.js"));
        pages.createContext("/", exchange -> {
            byte[] body = files.get(exchange.getRequestURI().getPath());
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                String type = exchange.getRequestURI().getPath().endsWith(".html") ? "text/html" : "text/javascript";
                exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        pages.start();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
        if (pages != null) {
            pages.stop(0);
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = BrowserWebSocketTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as("test resource %s", name).isNotNull();
            return in.readAllBytes();
        }
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    @ParameterizedTest(name = "MQTT.js in Chromium, protocol level {0}")
    @ValueSource(ints = {5, 4})
    void browserClient_overWebSocket_publishesAndReceivesQos1WithTcpClients(int protocolLevel) throws Exception {
        String base = unique("browser");
        String toBrowser = base + "/in";
        String fromBrowser = base + "/out";
        Mqtt5BlockingClient tcp = mqtt5(base + "-tcp");
        tcp.subscribeWith().topicFilter(fromBrowser).qos(MqttQos.AT_LEAST_ONCE).send();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = tcp.publishes(
                com.hivemq.client.mqtt.MqttGlobalPublishFilter.SUBSCRIBED)) {
            String url = "ws://127.0.0.1:" + broker.webSocketPort() + "/mqtt";
            browser.get("http://127.0.0.1:" + pages.getAddress().getPort() + "/mqtt-ws.html?url=" + encode(url)
                    + "&v=" + protocolLevel + "&id=" + encode(base + "-browser") + "&in=" + encode(toBrowser)
                    + "&out=" + encode(fromBrowser));

            await("the browser connected, subscribed at QoS 1 and published")
                    .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(text("state")).as("state (error: %s)", text("error"))
                            .isEqualTo("ready"));

            Optional<Mqtt5Publish> fromPage = publishes.receive(20, TimeUnit.SECONDS);
            assertThat(fromPage).as("the browser's QoS 1 PUBLISH over WebSocket reached the TCP subscriber")
                    .isPresent();
            assertThat(new String(fromPage.get().getPayloadAsBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("from-browser");
            assertThat(fromPage.get().getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);

            tcp.publishWith().topic(toBrowser).qos(MqttQos.AT_LEAST_ONCE)
                    .payload("to-browser".getBytes(StandardCharsets.UTF_8)).send();
            await("the TCP client's QoS 1 message reached the browser over WebSocket")
                    .atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(text("received")).as("received (error: %s)", text("error"))
                            .isEqualTo(toBrowser + "|to-browser|1"));
            assertThat(text("error")).isEmpty();
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

package dev.mqttsuite.it.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.sun.net.httpserver.HttpServer;
import dev.mqttsuite.it.support.ServiceProcess;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real browser over the real services (auth-service, retained store, broker, console as
 * processes, one shared bootstrap admin password): a cross-site login POST refused (login CSRF), form login, a role and a user created in the access-control
 * pages, a device with those credentials appears on the clients page with its user and is kicked, a denial explained,
 * a retained message browsed, viewed and deleted. Screenshots under integration-tests/target/console-screenshots.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {

    private static final String PASSWORD = "it-console-admin-pw";
    private static final Duration WAIT = Duration.ofSeconds(90);

    private static ServiceProcess auth;
    private static ServiceProcess store;
    private static ServiceProcess broker;
    private static ServiceProcess console;
    private static int mqtt;
    private static WebDriver browser;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        browser = Browser.start();
        Path data = Files.createTempDirectory("it-console");
        auth = new ServiceProcess("console-auth", "auth-service").env("AUTH_DATA_DIR", data.resolve("auth").toString())
                .env("AUTH_ADMIN_PASSWORD", PASSWORD).start();
        store = new ServiceProcess("console-store", "retained-store-service")
                .env("RETAINED_DATA_DIR", data.resolve("retained").toString()).env("RETAINED_ADMIN_PASSWORD", PASSWORD)
                .start();
        mqtt = ServiceProcess.freePort();
        broker = new ServiceProcess("console-broker", "broker-service")
                .env("BROKER_MQTT_PORT", Integer.toString(mqtt)).env("BROKER_MQTT_HOST", "127.0.0.1")
                .env("BROKER_ADMIN_PASSWORD", PASSWORD)
                .env("BROKER_AUTH_BACKEND", "service").env("BROKER_AUTH_TIMEOUT", "30s")
                .env("QUARKUS_GRPC_CLIENTS_AUTH_PORT", Integer.toString(auth.grpcPort()))
                .env("BROKER_RETAINED_BACKEND", "service")
                .env("QUARKUS_GRPC_CLIENTS_RETAINED_PORT", Integer.toString(store.grpcPort())).start();
        console = new ServiceProcess("console", "console-service")
                .env("CONSOLE_AUTH_SERVICE_URL", "http://127.0.0.1:" + auth.httpPort())
                .env("CONSOLE_RETAINED_STORE_URL", "http://127.0.0.1:" + store.httpPort())
                .env("CONSOLE_BROKER_URLS", "http://127.0.0.1:" + broker.httpPort())
                .env("CONSOLE_API_TIMEOUT", "60S").start(); // a loaded CI machine: password hashing takes seconds
        base = "http://127.0.0.1:" + console.httpPort();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        for (ServiceProcess p : new ServiceProcess[] {console, broker, store, auth}) {
            if (p != null) {
                p.close();
            }
        }
    }

    private static WebDriverWait waiting() {
        return new WebDriverWait(browser, WAIT);
    }

    /** Waits for an element; on timeout fails with what the page's message area says (the API's answer). */
    private static WebElement await(By by, String what) {
        try {
            return waiting().until(ExpectedConditions.presenceOfElementLocated(by));
        } catch (org.openqa.selenium.TimeoutException e) {
            Browser.screenshot(browser, "failed-" + what.replace(' ', '-'));
            List<WebElement> flash = browser.findElements(By.id("flash"));
            throw new AssertionError(what + " did not appear on " + browser.getCurrentUrl() + "; message area: "
                    + (flash.isEmpty() ? "(none)" : flash.get(0).getText()), e);
        }
    }

    private static void open(String path) {
        browser.get(base + path);
    }

    @Test
    @Order(0)
    void crossSiteLoginPost_withTheRightPassword_isRefused_andLogsNobodyIn() throws Exception {
        // login CSRF: another site's page auto-submits the bootstrap admin's (the attacker's) credentials to the
        // console; "localhost" is another site than "127.0.0.1" for the browser
        HttpServer attacker = HttpServer.create(new InetSocketAddress(0), 0); // every address: "localhost" may be ::1
        String page = """
                <!DOCTYPE html><html><body onload="document.forms[0].submit()">
                <form method="post" action="%s/j_security_check?login-token=guessed">
                <input name="j_username" value="admin"><input name="j_password" value="%s"></form></body></html>"""
                .formatted(base, PASSWORD);
        attacker.createContext("/", exchange -> {
            byte[] body = page.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        attacker.start();
        try {
            browser.get("http://localhost:" + attacker.getAddress().getPort() + "/");
            waiting().until(ExpectedConditions.urlContains(base + "/j_security_check"));
            assertThat(waiting().until(ExpectedConditions.presenceOfElementLocated(By.tagName("h1"))).getText())
                    .isEqualTo("Login refused");
        } finally {
            attacker.stop(0);
        }
        open("/clients");
        waiting().until(ExpectedConditions.urlContains("/login")); // nobody was logged in
    }

    @Test
    @Order(1)
    void formLogin_withTheBootstrapAdmin_showsTheLiveOverview() {
        open("/clients");
        waiting().until(ExpectedConditions.urlContains("/login"));
        browser.findElement(By.id("j_username")).sendKeys("admin");
        browser.findElement(By.id("j_password")).sendKeys(PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        waiting().until(ExpectedConditions.urlContains("/clients")); // back to the page asked for
        open("/");
        await(By.id("total-connections"), "the overview");
        assertThat(browser.findElement(By.id("user")).getText()).isEqualTo("admin");
        assertThat(browser.getPageSource()).contains("retained store").contains("auth-service");
        Browser.screenshot(browser, "overview");
    }

    @Test
    @Order(2)
    void createRoleAndUser_thenTheDeviceAppearsWithItsUser_andIsKicked() {
        open("/access");
        browser.findElement(By.cssSelector("details:has(#new-role) summary")).click();
        browser.findElement(By.id("role-name")).sendKeys("meters");
        WebElement rules = browser.findElement(By.id("role-rules"));
        rules.clear();
        rules.sendKeys("allow publish meters/%u/#\nallow subscribe meters/%u/#");
        browser.findElement(By.cssSelector("#new-role button[type=submit]")).click();
        await(By.cssSelector("#roles tr[data-name=meters]"), "the new role");

        browser.findElement(By.cssSelector("details:has(#new-user) summary")).click();
        browser.findElement(By.id("user-name")).sendKeys("meter1");
        browser.findElement(By.id("user-password")).sendKeys("meter1-secret");
        browser.findElement(By.id("user-roles")).sendKeys("meters");
        browser.findElement(By.cssSelector("#new-user button[type=submit]")).click();
        await(By.cssSelector("#users tr[data-name=meter1]"), "the new user");
        Browser.screenshot(browser, "access-control");

        Mqtt5BlockingClient device = MqttClient.builder().useMqttVersion5().identifier("meter-device-1")
                .serverHost("127.0.0.1").serverPort(mqtt).simpleAuth().username("meter1")
                .password("meter1-secret".getBytes()).applySimpleAuth().buildBlocking();
        device.connect();
        device.publishWith().topic("meters/meter1/reading").retain(true).qos(MqttQos.AT_LEAST_ONCE)
                .payload("42 kWh".getBytes()).send();

        open("/clients");
        Awaitility.await("the device is listed").atMost(WAIT).until(() -> {
            browser.navigate().refresh();
            return !browser.findElements(By.cssSelector("tr[data-client-id=meter-device-1]")).isEmpty();
        });
        assertThat(browser.findElement(By.cssSelector("tr[data-client-id=meter-device-1] td.user")).getText())
                .isEqualTo("meter1");
        Browser.screenshot(browser, "clients");

        browser.findElement(By.linkText("meter-device-1")).click();
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("kick"))).click();
        waiting().until(ExpectedConditions.alertIsPresent()).accept();
        waiting().until(ExpectedConditions.urlContains("flash="));
        Awaitility.await("the device is disconnected").atMost(WAIT)
                .until(() -> !device.getState().isConnected());
        open("/clients?state=connected");
        assertThat(browser.findElements(By.cssSelector("tr[data-client-id=meter-device-1]")))
                .as("a kicked client is no longer connected").isEmpty();
    }

    @Test
    @Order(3)
    void explain_namesTheDenial() {
        open("/access/explain");
        browser.findElement(By.id("username")).sendKeys("meter1");
        browser.findElement(By.id("clientId")).sendKeys("meter-device-1");
        browser.findElement(By.id("topic")).sendKeys("meters/meter2/reading");
        browser.findElement(By.cssSelector("#explain button[type=submit]")).click();
        WebElement decision = waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("decision")));
        assertThat(decision.getText()).contains("DENIED");
        Browser.screenshot(browser, "explain");
    }

    @Test
    @Order(4)
    void retained_browseViewAndDelete() {
        open("/retained?filter=meters/%23");
        By row = By.cssSelector("tr[data-topic='meters/meter1/reading']");
        await(row, "the retained message");
        Browser.screenshot(browser, "retained");
        browser.findElement(row).findElement(By.linkText("View")).click();
        assertThat(waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("payload"))).getText())
                .isEqualTo("42 kWh");
        browser.findElement(By.cssSelector("button.danger")).click();
        waiting().until(ExpectedConditions.alertIsPresent()).accept();
        waiting().until(ExpectedConditions.urlContains("flash="));
        open("/retained?filter=meters/%23");
        assertThat(browser.findElements(row)).as("deleted").isEmpty();
    }

    @Test
    @Order(5)
    void logout_endsTheSession() {
        open("/");
        waiting().until(ExpectedConditions.elementToBeClickable(By.id("logout"))).click();
        waiting().until(ExpectedConditions.urlContains("/login"));
        open("/clients");
        waiting().until(ExpectedConditions.urlContains("/login"));
    }
}

package dev.mqttsuite.it.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.mqttsuite.it.support.AdminClient;
import dev.mqttsuite.it.support.KeycloakProcess;
import dev.mqttsuite.it.support.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console behind corporate SSO, in a real browser: a real Keycloak, the auth-service, the retained store and a
 * broker whose admin APIs accept Keycloak tokens with the audience {@value #AUDIENCE} only (ADR 0014), and the console
 * as a confidential OIDC client (authorization-code flow) whose access tokens carry that audience. Operators log in
 * on Keycloak's own login page in headless Chromium: an {@code mqtt-admin} sees the overview and a connected client
 * with its user, and logging out ends the Keycloak session too; an {@code mqtt-viewer} sees no action anywhere, the
 * console refuses (403) every change it is sent anyway with a valid session and CSRF token, and no retained payload is
 * shown to it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleOidcBrowserIT {

    private static final String AUDIENCE = "mqtt-admin-api";
    private static final String BOOTSTRAP_PASSWORD = "it-console-oidc-bootstrap";
    private static final String DEVICE = "meter-device-7";
    private static final String TOPIC = "meters/meter7/reading";
    private static final String PAYLOAD = "secret 42 kWh";
    private static final Duration WAIT = Duration.ofSeconds(90);

    private static KeycloakProcess keycloak;
    private static ServiceProcess auth;
    private static ServiceProcess store;
    private static ServiceProcess broker;
    private static ServiceProcess console;
    private static WebDriver browser;
    private static Mqtt5BlockingClient device;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(KeycloakProcess.available(), "Keycloak distribution not unpacked (mvn verify does it)");
        browser = Browser.start();
        browser.manage().timeouts().scriptTimeout(WAIT);
        keycloak = new KeycloakProcess().start(Path.of("src/test/resources/keycloak/iot-realm.json"));
        Path data = Files.createTempDirectory("it-console-oidc");
        auth = tokensAccepted(new ServiceProcess("oidc-console-auth", "auth-service"))
                .env("AUTH_DATA_DIR", data.resolve("auth").toString())
                .env("AUTH_ADMIN_PASSWORD", BOOTSTRAP_PASSWORD).start();
        store = tokensAccepted(new ServiceProcess("oidc-console-store", "retained-store-service"))
                .env("RETAINED_DATA_DIR", data.resolve("retained").toString())
                .env("RETAINED_ADMIN_PASSWORD", BOOTSTRAP_PASSWORD).start();
        int mqtt = ServiceProcess.freePort();
        broker = tokensAccepted(new ServiceProcess("oidc-console-broker", "broker-service"))
                .env("BROKER_MQTT_PORT", Integer.toString(mqtt)).env("BROKER_MQTT_HOST", "127.0.0.1")
                .env("BROKER_ADMIN_PASSWORD", BOOTSTRAP_PASSWORD)
                .env("BROKER_AUTH_BACKEND", "service").env("BROKER_AUTH_TIMEOUT", "30s")
                .env("QUARKUS_GRPC_CLIENTS_AUTH_PORT", Integer.toString(auth.grpcPort()))
                .env("BROKER_RETAINED_BACKEND", "service")
                .env("QUARKUS_GRPC_CLIENTS_RETAINED_PORT", Integer.toString(store.grpcPort())).start();

        console = new ServiceProcess("oidc-console", "console-service");
        base = "http://127.0.0.1:" + console.httpPort();
        String clientId = "mqtt-console-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = UUID.randomUUID().toString();
        KeycloakAdmin realm = new KeycloakAdmin(keycloak);
        realm.createConsoleClient(clientId, secret, base, AUDIENCE);
        realm.createUser("ops-admin", "ops-admin-password", "mqtt-admin");
        realm.createUser("ops-viewer", "ops-viewer-password", "mqtt-viewer");
        console.env("CONSOLE_LOGIN", "oidc")
                .env("QUARKUS_HTTP_AUTH_PERMISSION_PAGES_AUTH_MECHANISM", "code")
                .env("QUARKUS_OIDC_TENANT_ENABLED", "true")
                .env("QUARKUS_OIDC_AUTH_SERVER_URL", keycloak.realmUrl())
                .env("QUARKUS_OIDC_CLIENT_ID", clientId)
                .env("QUARKUS_OIDC_CREDENTIALS_SECRET", secret)
                .env("CONSOLE_AUTH_SERVICE_URL", "http://127.0.0.1:" + auth.httpPort())
                .env("CONSOLE_RETAINED_STORE_URL", "http://127.0.0.1:" + store.httpPort())
                .env("CONSOLE_BROKER_URLS", "http://127.0.0.1:" + broker.httpPort())
                .env("CONSOLE_API_TIMEOUT", "60S").start();

        // a device account (set up with the bootstrap admin), connected, with a retained reading
        AdminClient admin = new AdminClient(auth.httpPort(), "admin", BOOTSTRAP_PASSWORD);
        admin.ok("POST", "/api/v1/roles", """
                {"name":"meters","priority":10,"rules":[{"effect":"ALLOW","action":"PUBLISH","pattern":"meters/%u/#"}]}""");
        admin.ok("POST", "/api/v1/users", """
                {"username":"meter7","password":"meter7-secret","roles":["meters"]}""");
        device = MqttClient.builder().useMqttVersion5().identifier(DEVICE).serverHost("127.0.0.1").serverPort(mqtt)
                .simpleAuth().username("meter7").password("meter7-secret".getBytes()).applySimpleAuth()
                .buildBlocking();
        device.connect();
        device.publishWith().topic(TOPIC).retain(true).qos(MqttQos.AT_LEAST_ONCE).payload(PAYLOAD.getBytes()).send();
    }

    /** The admin API accepts the realm's tokens, but only those for the admin APIs' audience. */
    private static ServiceProcess tokensAccepted(ServiceProcess service) {
        return service.env("QUARKUS_OIDC_TENANT_ENABLED", "true")
                .env("QUARKUS_OIDC_AUTH_SERVER_URL", keycloak.realmUrl())
                .env("QUARKUS_OIDC_TOKEN_AUDIENCE", AUDIENCE);
    }

    @AfterAll
    static void stop() {
        if (device != null && device.getState().isConnected()) {
            device.disconnect();
        }
        if (browser != null) {
            browser.quit();
        }
        for (AutoCloseable p : new AutoCloseable[] {console, broker, store, auth, keycloak}) {
            try {
                if (p != null) {
                    p.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static WebDriverWait waiting() {
        return new WebDriverWait(browser, WAIT);
    }

    private static void open(String path) {
        browser.get(base + path);
    }

    /** Keycloak's own login page (not the console's): user name and password, then back to the console. */
    private static void logInAtKeycloak(String username, String password) {
        waiting().until(ExpectedConditions.urlContains("/realms/iot/"));
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("username"))).sendKeys(username);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("kc-login")).click();
        waiting().until(ExpectedConditions.urlContains(base));
    }

    /** Waits for an element; on timeout fails with a screenshot, the URL and the start of the page's text. */
    private static WebElement await(By by, String what) {
        try {
            return waiting().until(ExpectedConditions.presenceOfElementLocated(by));
        } catch (org.openqa.selenium.TimeoutException e) {
            Browser.screenshot(browser, "failed-oidc-" + what.replace(' ', '-'));
            String text = browser.findElement(By.tagName("body")).getText();
            throw new AssertionError(what + " did not appear on " + browser.getCurrentUrl() + "; the page says: "
                    + text.substring(0, Math.min(600, text.length())), e);
        }
    }

    private static boolean present(String css) {
        return !browser.findElements(By.cssSelector(css)).isEmpty();
    }

    @Test
    @Order(1)
    void admin_logsInOnKeycloaksPage_seesTheOverviewAndTheConnectedClientWithItsUser() {
        open("/clients");
        logInAtKeycloak("ops-admin", "ops-admin-password");
        waiting().until(ExpectedConditions.urlContains("/clients")); // back to the page asked for
        assertThat(browser.findElement(By.id("user")).getText()).isEqualTo("ops-admin");
        assertThat(browser.findElement(By.cssSelector(".who .role")).getText()).isEqualTo("(admin)");
        Awaitility.await("the device is listed").atMost(WAIT).until(() -> {
            browser.navigate().refresh();
            return present("tr[data-client-id='" + DEVICE + "']");
        });
        assertThat(browser.findElement(By.cssSelector("tr[data-client-id='" + DEVICE + "'] td.user")).getText())
                .as("the broker's admin API answered the operator's Keycloak token").isEqualTo("meter7");
        Browser.screenshot(browser, "oidc-admin-clients");

        open("/");
        await(By.id("total-connections"), "the overview");
        assertThat(browser.getPageSource()).contains("retained store").contains("auth-service");
        Browser.screenshot(browser, "oidc-admin-overview");

        open("/clients/" + DEVICE);
        assertThat(present("#kick")).as("an admin gets the actions").isTrue();
        open("/retained/message?topic=" + TOPIC);
        assertThat(waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("payload"))).getText())
                .as("the retained store answered the admin's token with the payload").isEqualTo(PAYLOAD);
    }

    @Test
    @Order(2)
    void admin_logsOut_andTheKeycloakSessionEndsToo() {
        open("/");
        waiting().until(ExpectedConditions.elementToBeClickable(By.id("logout"))).click();
        waiting().until(ExpectedConditions.urlContains(base + "/login")); // Keycloak's logout sent the browser back
        open("/clients");
        // not silently logged in again through a Keycloak session: its login page asks for the password
        waiting().until(ExpectedConditions.urlContains("/realms/iot/"));
        assertThat(waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("password"))).isDisplayed())
                .isTrue();
    }

    @Test
    @Order(3)
    void viewer_seesNoActionAnywhere_andNoRetainedPayload() {
        browser.manage().deleteAllCookies();
        open("/clients/" + DEVICE);
        logInAtKeycloak("ops-viewer", "ops-viewer-password");
        open("/clients/" + DEVICE); // where the code flow's redirect lands is not what this test is about
        await(By.id("client-user"), "the viewer's client page");
        assertThat(browser.findElement(By.id("user")).getText()).isEqualTo("ops-viewer");
        assertThat(browser.findElement(By.cssSelector(".who .role")).getText()).isEqualTo("(viewer, read-only)");
        assertThat(browser.findElement(By.id("client-user")).getText()).isEqualTo("meter7");
        assertThat(present("#kick")).as("kick").isFalse();
        assertThat(present("#discard")).as("discard").isFalse();

        open("/subscriptions");
        assertThat(present("#publish")).as("publish").isFalse();
        open("/access");
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#roles tr[data-name=meters]")));
        for (String form : List.of("#new-role", "#new-group", "#new-user", "form[hx-post='/access/anonymous']")) {
            assertThat(present(form)).as(form).isFalse();
        }
        open("/access/roles/meters");
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("rules")));
        assertThat(present("#edit button[type=submit]")).as("save a rule edit").isFalse();
        assertThat(present("button.danger")).as("delete the role").isFalse();

        open("/retained?filter=meters/%23");
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-topic='" + TOPIC + "']")));
        assertThat(browser.findElements(By.linkText("View"))).as("no payload link").isEmpty();
        assertThat(present("button.danger")).as("delete retained").isFalse();
        assertThat(browser.getPageSource()).contains("Payloads are shown to admins only").doesNotContain(PAYLOAD);
        Browser.screenshot(browser, "oidc-viewer-retained");
        open("/retained/message?topic=" + TOPIC);
        assertThat(browser.getPageSource()).as("the payload page refuses a viewer").doesNotContain(PAYLOAD);
    }

    @Test
    @Order(4)
    void viewer_whosePostsCarryAValidSessionAndCsrfToken_isRefused403ForEveryChange() {
        open("/access/roles/meters");
        waiting().until(ExpectedConditions.presenceOfElementLocated(By.id("rules")));
        String etag = browser.findElement(By.cssSelector("#edit input[name=etag]")).getAttribute("value");
        List<String> statuses = post(List.of(
                List.of("/clients/" + DEVICE + "/kick", ""),
                List.of("/clients/" + DEVICE + "/discard", ""),
                List.of("/subscriptions/publish", "topic=" + TOPIC + "&payload=forged&qos=1&retain=on"),
                List.of("/retained/delete", "topic=" + TOPIC),
                List.of("/access/roles", "name=viewer-made&rules=allow+publish+%23"),
                List.of("/access/users", "username=viewer-made&password=viewer-made-password&roles=meters"),
                List.of("/access/roles/meters", "name=meters&rules=allow+publish+%23&etag=" + etag),
                List.of("/access/roles/meters/delete", "etag=" + etag),
                List.of("/access/anonymous", "enabled=on")));
        assertThat(statuses).as("every change refused by the console itself").allMatch(s -> s.endsWith(" 403"))
                .hasSize(9);

        // the same session and token pass the CSRF check: the 403s above are the viewer's role, not a bad token
        assertThat(post(List.of(List.of("/logout", "")))).containsExactly("/logout 200");

        assertThat(device.getState().isConnected()).as("not kicked").isTrue();
        AdminClient storeAdmin = new AdminClient(store.httpPort(), "admin", BOOTSTRAP_PASSWORD);
        assertThat(storeAdmin.ok("GET", "/api/v1/retained/message?topic=" + TOPIC, null).body()).as("not deleted")
                .contains(TOPIC);
        AdminClient authAdmin = new AdminClient(auth.httpPort(), "admin", BOOTSTRAP_PASSWORD);
        assertThat(authAdmin.send("GET", "/api/v1/roles/viewer-made", null, null).statusCode()).isEqualTo(404);
        assertThat(authAdmin.send("GET", "/api/v1/users/viewer-made", null, null).statusCode()).isEqualTo(404);
        assertThat(authAdmin.ok("GET", "/api/v1/roles/meters", null).body()).as("rules unchanged")
                .contains("meters/%u/#");
    }

    /** POSTs from the page's own script context, with the session cookie and the page's CSRF token; "path status". */
    @SuppressWarnings("unchecked")
    private static List<String> post(List<List<String>> requests) {
        Object result = ((JavascriptExecutor) browser).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const token = JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRF-Token'];
                Promise.all(arguments[0].map(r => fetch(r[0], {method: 'POST', credentials: 'same-origin',
                    redirect: 'manual', body: r[1], headers: {'X-CSRF-Token': token,
                    'Content-Type': 'application/x-www-form-urlencoded'}}).then(x => r[0] + ' ' + x.status)))
                  .then(done, e => done(['failed: ' + e]));""", requests);
        return (List<String>) result;
    }
}

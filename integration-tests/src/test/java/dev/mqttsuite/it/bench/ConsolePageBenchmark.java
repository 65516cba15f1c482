package dev.mqttsuite.it.bench;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import dev.mqttsuite.it.support.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Response times of the web console's pages with N connected clients (default 10,000) on one broker: auth-service,
 * broker and console as processes on this machine, the console logged in with the form, each page fetched repeatedly
 * (the clients list paged, searched, deep pages). Prints median and p99 per page; not a test.
 *
 * <p>Run: {@code scripts/bench-console.sh [clients] [requests per page]}.
 */
public final class ConsolePageBenchmark {

    private static final String PASSWORD = "bench-console-admin";

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        try (ServiceProcess auth = new ServiceProcess("bench-console-auth", "auth-service")
                .env("AUTH_DATA_DIR", Files.createTempDirectory("bench-console-auth").toString())
                .env("AUTH_ADMIN_PASSWORD", PASSWORD).start()) {
            int mqtt = ServiceProcess.freePort();
            try (ServiceProcess broker = new ServiceProcess("bench-console-broker", "broker-service")
                    .env("BROKER_MQTT_PORT", Integer.toString(mqtt)).env("BROKER_MQTT_HOST", "127.0.0.1")
                    .env("BROKER_AUTH_ALLOW_ANONYMOUS", "true").env("BROKER_ADMIN_PASSWORD", PASSWORD)
                    .env("BROKER_MQTT_MAX_CONNECTIONS_PER_ADDRESS", Integer.toString(clients + 100)).start();
                    ServiceProcess console = new ServiceProcess("bench-console", "console-service")
                            .env("CONSOLE_AUTH_SERVICE_URL", "http://127.0.0.1:" + auth.httpPort())
                            .env("CONSOLE_RETAINED_STORE_URL", "http://127.0.0.1:" + auth.httpPort())
                            .env("CONSOLE_BROKER_URLS", "http://127.0.0.1:" + broker.httpPort()).start()) {
                List<Mqtt5AsyncClient> connected = connect(mqtt, clients);
                String base = "http://127.0.0.1:" + console.httpPort();
                HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
                String cookie = login(http, base);
                for (String page : List.of("/clients", "/clients?page=100", "/clients?page=199",
                        "/clients?q=device-0777", "/clients?state=connected&size=500", "/clients/device-05000",
                        "/subscriptions", "/")) {
                    measure(http, base + page, cookie, requests);
                }
                connected.forEach(c -> c.disconnect());
            }
        }
    }

    private static List<Mqtt5AsyncClient> connect(int port, int count) throws Exception {
        long t0 = System.nanoTime();
        List<Mqtt5AsyncClient> clients = new ArrayList<>();
        List<CompletableFuture<?>> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Mqtt5AsyncClient c = MqttClient.builder().useMqttVersion5().identifier(String.format("device-%05d", i))
                    .serverHost("127.0.0.1").serverPort(port).buildAsync();
            clients.add(c);
            batch.add(c.connectWith().keepAlive(600).send());
            if (batch.size() == 500) {
                CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
                batch.clear();
            }
        }
        CompletableFuture.allOf(batch.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        System.out.printf("connected %,d MQTT 5 clients in %.1f s%n", count, (System.nanoTime() - t0) / 1e9);
        return clients;
    }

    private static String login(HttpClient http, String base) throws Exception {
        // the login form's CSRF defence (console-service LoginCsrf): the token of /login in its cookie and the action
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(base + "/login")).build(),
                HttpResponse.BodyHandlers.ofString());
        String loginCookie = form.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("console-login=")).map(c -> c.substring(0, c.indexOf(';'))).findFirst()
                .orElseThrow(() -> new IllegalStateException("no login token cookie: " + form.statusCode()));
        java.util.regex.Matcher action = java.util.regex.Pattern.compile("action=\"([^\"]*j_security_check[^\"]*)\"")
                .matcher(form.body());
        if (!action.find()) {
            throw new IllegalStateException("no login form on /login");
        }
        String target = action.group(1).replace("&amp;", "&");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + (target.startsWith("/")
                ? target : "/" + target)))
                .header("Cookie", loginCookie).header("Sec-Fetch-Site", "same-origin")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("j_username=admin&j_password=" + PASSWORD)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("quarkus-credential="))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst()
                .orElseThrow(() -> new IllegalStateException("login failed: " + r.statusCode()));
    }

    private static void measure(HttpClient http, String url, String cookie, int requests) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Cookie", cookie).build();
        for (int i = 0; i < 20; i++) {
            http.send(request, HttpResponse.BodyHandlers.ofString()); // warm-up
        }
        long[] nanos = new long[requests];
        int bytes = 0;
        for (int i = 0; i < requests; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            nanos[i] = System.nanoTime() - t0;
            if (r.statusCode() != 200) {
                throw new IllegalStateException(url + " answered " + r.statusCode());
            }
            bytes = r.body().length();
        }
        Arrays.sort(nanos);
        System.out.printf("%-45s median %6.1f ms   p99 %6.1f ms   max %6.1f ms   (%d requests, %,d chars)%n",
                url.substring(url.indexOf('/', 8)), nanos[requests / 2] / 1e6,
                nanos[(int) Math.ceil(requests * 0.99) - 1] / 1e6, nanos[requests - 1] / 1e6, requests, bytes);
    }
}

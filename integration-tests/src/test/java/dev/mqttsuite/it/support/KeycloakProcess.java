package dev.mqttsuite.it.support;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * A real Keycloak (the distribution from Maven Central, unpacked by the build) started in dev mode on 127.0.0.1 with
 * a realm imported from {@code src/test/resources/keycloak}. Tokens come from its password grant.
 */
public final class KeycloakProcess implements AutoCloseable {

    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

    private final Path home;
    private final int port = ServiceProcess.freePort();
    private Process process;

    public KeycloakProcess() {
        home = Path.of(System.getProperty("keycloak.home", "target/keycloak/keycloak-26.7.3"));
    }

    public static boolean available() {
        return Files.isExecutable(Path.of(System.getProperty("keycloak.home", "target/keycloak/keycloak-26.7.3"))
                .resolve("bin/kc.sh"));
    }

    public KeycloakProcess start(Path realmFile) throws IOException {
        Path imports = home.resolve("data/import");
        Files.createDirectories(imports);
        Files.copy(realmFile, imports.resolve(realmFile.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        Path logs = Path.of(System.getProperty("suite.root", "..")).resolve("integration-tests/target/it-logs");
        Files.createDirectories(logs);
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-port=" + port, "--http-host=127.0.0.1", "--import-realm", "--hostname-strict=false")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve("keycloak.log").toFile()));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "kcadmin");
        builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", "kcadmin-test-password");
        builder.environment().put("JAVA_OPTS_APPEND", "-XX:TieredStopAtLevel=1");
        process = builder.start();
        Awaitility.await("keycloak ready").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .until(this::ready);
        return this;
    }

    private boolean ready() {
        if (!process.isAlive()) {
            throw new IllegalStateException("keycloak exited; see integration-tests/target/it-logs/keycloak.log");
        }
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(realmUrl() + "/.well-known/openid-configuration")
                    .toURL().openConnection();
            c.setConnectTimeout(500);
            return c.getResponseCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    public String realmUrl() {
        return "http://127.0.0.1:" + port + "/realms/iot";
    }

    /** An access token by the password grant. */
    public String token(String client, String user, String password) {
        String form = "grant_type=password&client_id=" + client + "&username=" + enc(user) + "&password="
                + enc(password);
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(realmUrl() + "/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            Matcher m = ACCESS_TOKEN.matcher(response.body());
            if (response.statusCode() != 200 || !m.find()) {
                throw new IllegalStateException("token request failed: " + response.statusCode() + " "
                        + response.body());
            }
            return m.group(1);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

package dev.mqttsuite.it.support;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One of the suite's services started from its packaged application ({@code <module>/target/quarkus-app}) as a JVM
 * process on 127.0.0.1, configured by environment variables, logging to {@code target/it-logs}. Ready when its
 * {@code /q/health/ready} answers 200.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Path ROOT = Path.of(System.getProperty("suite.root", "..")).toAbsolutePath().normalize();

    private final String name;
    private final String module;
    private final int httpPort;
    private final int grpcPort;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private Process process;

    public ServiceProcess(String name, String module) {
        this.name = name;
        this.module = module;
        this.httpPort = freePort();
        environment.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        environment.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        // internal gRPC under mutual TLS with the run's suite CA (docs/adr/0012-internal-mutual-tls.md)
        environment.putAll(InternalCertificates.environment(module));
        String grpcPrefix = switch (module) {
            case "auth-service" -> "AUTH";
            case "retained-store-service" -> "RETAINED";
            default -> null;
        };
        this.grpcPort = grpcPrefix == null ? -1 : freePort();
        if (grpcPrefix != null) {
            environment.put(grpcPrefix + "_GRPC_PORT", Integer.toString(grpcPort));
        }
        if ("broker-service".equals(module)) {
            // the WebSocket listener is on by default on 9001: brokers started side by side each take a free port
            environment.put("BROKER_WEBSOCKET_HOST", "127.0.0.1");
            environment.put("BROKER_WEBSOCKET_PORT", Integer.toString(freePort()));
        }
    }

    /** Ports already handed out by this JVM: the OS may give a just-closed ephemeral port again. */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private static final int FIRST_PORT = 20_000;
    private static final int LAST_PORT = 32_000;

    /** A free port on this machine, never one this JVM handed out before (two services must not get the same). */
    public static int freePort() {
        // below Linux's ephemeral range (32768-60999): a port chosen here and bound a moment later can then never be
        // taken meanwhile by the source port of some outgoing connection (Hazelcast, gRPC, HTTP clients of any test)
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = random.nextInt(FIRST_PORT, LAST_PORT);
            if (HANDED_OUT.contains(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new java.net.InetSocketAddress("127.0.0.1", port));
            } catch (IOException inUse) {
                continue;
            }
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port found that was not handed out already");
    }

    public ServiceProcess env(String key, String value) {
        environment.put(key, value);
        return this;
    }

    /** The value of an environment variable this service is started with. */
    public String environment(String key) {
        return environment.get(key);
    }

    public int httpPort() {
        return httpPort;
    }

    /** The internal gRPC port (mutual TLS) of the auth-service or the retained store; the brokers' target. */
    public int grpcPort() {
        if (grpcPort < 0) {
            throw new IllegalStateException(module + " serves no internal gRPC");
        }
        return grpcPort;
    }

    /** The file its output is appended to (across restarts). */
    public Path logFile() {
        return ROOT.resolve("integration-tests/target/it-logs").resolve(name + ".log");
    }

    public ServiceProcess start() {
        Path app = ROOT.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(app)) {
            throw new IllegalStateException(app + " is missing: build with ./mvnw package (or verify) first");
        }
        try {
            Files.createDirectories(logFile().getParent());
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx512m", "-XX:TieredStopAtLevel=1", "-jar", app.toString()));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()));
            if (module.equals("broker-service") && !environment.containsKey("BROKER_SESSION_DATA_DIR")) {
                // its data (sessions, the bootstrap admin password) in a temporary directory kept across restarts,
                // never in the working tree
                environment.put("BROKER_SESSION_DATA_DIR", Files.createTempDirectory(name + "-data").toString());
            }
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name, e);
        }
        awaitReady(Duration.ofSeconds(60));
        return this;
    }

    private void awaitReady(Duration timeout) {
        org.awaitility.Awaitility.await(name + " ready").atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(this::ready);
    }

    private boolean ready() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with " + process.exitValue()
                    + "; see integration-tests/target/it-logs/" + name + ".log");
        }
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready")
                    .toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(1000);
            return c.getResponseCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** Starts the service again with the same environment, HTTP port included (after stop or kill). */
    public ServiceProcess restart() {
        stop();
        return start();
    }

    /** SIGTERM and wait: a clean shutdown. */
    public void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** SIGKILL: no shutdown hooks, no flushing. */
    public void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** SIGSTOP: the process freezes as in a long GC pause, its sockets stay open. */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT after {@link #pause}. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String name) {
        if (process == null || !process.isAlive()) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}

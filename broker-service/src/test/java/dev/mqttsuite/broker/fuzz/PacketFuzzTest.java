package dev.mqttsuite.broker.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.mqttsuite.broker.support.BrokerTest;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The fuzzing harness of security issue #16 (ADR 0013): mutations of valid packets of every type at MQTT 3.1.1 and
 * 5.0, sent behind a valid CONNECT so that they reach every handler, from deterministic seeds (connection {@code i}
 * uses seed {@code fuzz.seed * 1_000_003 + i}, whatever the thread). Checks: the broker stays up and serves a normal
 * client at the end; no ERROR log record and no log record carrying an exception, no uncaught exception on a Vert.x
 * or any other thread; every connection closed in the end; the heap after GC bounded.
 *
 * <p>{@code -Dfuzz.packets=100000} (the default, in the normal test build), {@code -Dfuzz.seed=16},
 * {@code -Dfuzz.threads=4}; the long run: {@code scripts/fuzz.sh} (10^7 packets). A report goes to
 * {@code target/fuzz-report.txt}.
 */
@QuarkusTest
class PacketFuzzTest extends BrokerTest {

    private static final long PACKETS = Long.getLong("fuzz.packets", 100_000);
    private static final long SEED = Long.getLong("fuzz.seed", 16);
    private static final int THREADS = Integer.getInteger("fuzz.threads", 4);
    private static final int PER_CONNECTION = 25;
    private static final long HEAP_GROWTH_LIMIT = 256L << 20;

    @Inject
    Vertx vertx;

    /**
     * Counts what a fuzzed broker must never log: ERROR records and records carrying an exception. Vert.x's
     * blocked-thread warnings are kept apart: on a loaded machine they measure the load (a loop starved of CPU), and a
     * packet that really hung a loop also leaves its connection open and the final client unserved, which fail.
     */
    private static final class LogCheck extends java.util.logging.Handler {
        final Queue<String> findings = new ConcurrentLinkedQueue<>();
        final Queue<String> blockedThreads = new ConcurrentLinkedQueue<>();

        @Override
        public void publish(LogRecord record) {
            if (String.valueOf(record.getLoggerName()).endsWith("BlockedThreadChecker")) {
                if (blockedThreads.size() < 100) {
                    StackTraceElement[] at = record.getThrown() == null ? new StackTraceElement[0]
                            : record.getThrown().getStackTrace();
                    blockedThreads.add(record.getMessage() + (at.length == 0 ? "" : " at " + at[0]));
                }
                return;
            }
            boolean error = record.getLevel().intValue() >= Level.SEVERE.intValue();
            boolean withException = record.getThrown() != null
                    && record.getLevel().intValue() >= Level.WARNING.intValue();
            if ((error || withException) && findings.size() < 1000) {
                findings.add(record.getLevel() + " " + record.getLoggerName() + ": " + record.getMessage()
                        + (record.getThrown() == null ? "" : " " + record.getThrown()));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    @Test
    void mutatedPacketsOfEveryTypeAtMqtt311And5_neverCrashOrLeakAndTheBrokerServesNormalClientsAfter()
            throws Exception {
        LogCheck logs = new LogCheck();
        Logger root = Logger.getLogger("");
        root.addHandler(logs);
        Queue<String> uncaught = new ConcurrentLinkedQueue<>();
        Handler<Throwable> previousVertx = vertx.exceptionHandler();
        vertx.exceptionHandler(t -> uncaught.add("vert.x: " + t));
        Thread.UncaughtExceptionHandler previousThread = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, t) -> uncaught.add(thread.getName() + ": " + t));
        try {
            org.jboss.logging.Logger.getLogger("fuzz.canary").error("canary");
            assertThat(logs.findings).as("the log check sees the broker's log records").hasSize(1);
            logs.findings.clear();
            run(logs, uncaught);
        } finally {
            root.removeHandler(logs);
            vertx.exceptionHandler(previousVertx);
            Thread.setDefaultUncaughtExceptionHandler(previousThread);
        }
    }

    private void run(LogCheck logs, Queue<String> uncaught) throws Exception {
        long connectionsBefore = broker.core().metrics().connectionCount();
        long heapBefore = heapAfterGc();
        Map<String, Double> decodedBefore = decodedByType();
        long connections = (PACKETS + PER_CONNECTION - 1) / PER_CONNECTION;
        AtomicLong next = new AtomicLong();
        AtomicLong sent = new AtomicLong();
        AtomicLong mutants = new AtomicLong();
        AtomicLong hangs = new AtomicLong();
        AtomicLong refusedConnects = new AtomicLong();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                workers.add(pool.submit(() -> {
                    long i;
                    while ((i = next.getAndIncrement()) < connections) {
                        fuzzOneConnection(i, sent, mutants, hangs, refusedConnects);
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        await().atMost(Duration.ofSeconds(60)).until(() -> broker.core().metrics().connectionCount() <= connectionsBefore);
        long heapAfter = heapAfterGc();
        boolean serves = servesANormalClient();
        Map<String, Double> decoded = decodedByType();
        decoded.replaceAll((type, count) -> count - decodedBefore.getOrDefault(type, 0.0));
        long decodedTotal = decoded.values().stream().mapToLong(Double::longValue).sum();

        String report = String.format("fuzz: seed %d, %d packets (%d mutants) on %d connections (%d threads) in %.1f s = %.0f"
                + " packets/s; connections refused at CONNECT %d, not closed by the broker %d; log findings %d,"
                + " blocked-thread warnings %d,"
                + " uncaught exceptions %d; heap after GC %d MiB before, %d MiB after (%+d MiB); retained messages"
                + " %d; serves a normal client afterwards: %s; packets the broker decoded %d, by type %s%n", SEED,
                sent.get(), mutants.get(), connections, THREADS, seconds,
                sent.get() / seconds, refusedConnects.get(), hangs.get(), logs.findings.size(),
                logs.blockedThreads.size(), uncaught.size(),
                heapBefore >> 20, heapAfter >> 20, (heapAfter - heapBefore) >> 20,
                broker.core().retainedStore().count(), serves, decodedTotal, decoded);
        System.out.print(report);
        Path target = Path.of("target");
        if (Files.isDirectory(target)) {
            Files.writeString(target.resolve("fuzz-report.txt"), report + String.join("\n", logs.findings)
                    + "\n" + String.join("\n", uncaught) + "\n" + String.join("\n", logs.blockedThreads) + "\n",
                    StandardCharsets.UTF_8);
        }
        assertThat(logs.findings).as("ERROR or exception log records while fuzzing").isEmpty();
        assertThat(uncaught).as("uncaught exceptions while fuzzing").isEmpty();
        assertThat(hangs.get()).as("connections the broker left open after the client's FIN").isZero();
        assertThat(refusedConnects.get()).as("a valid CONNECT always gets CONNACK 0").isZero();
        assertThat(heapAfter - heapBefore).as("heap growth after GC").isLessThan(HEAP_GROWTH_LIMIT);
        assertThat(serves).as("the broker serves a normal client after the fuzzing").isTrue();
        assertThat(decoded).as("every packet type a client sends reached the broker's handlers")
                .allSatisfy((type, count) -> assertThat(count).as(type).isPositive());
    }

    /** {@code mqtt_packets_received_total} by the packet types a client may send (the others never decode). */
    private Map<String, Double> decodedByType() {
        Map<String, Double> counts = new TreeMap<>();
        for (String type : List.of("connect", "publish", "puback", "pubrec", "pubrel", "pubcomp", "subscribe",
                "unsubscribe", "pingreq", "disconnect", "auth")) {
            var counter = broker.core().metrics().registry().find("mqtt.packets.received").tag("type", type)
                    .counter();
            counts.put(type, counter == null ? 0.0 : counter.count());
        }
        return counts;
    }

    /** One connection: a valid CONNECT, then {@link #PER_CONNECTION} packets, some mutated; FIN; drain. */
    private void fuzzOneConnection(long index, AtomicLong sent, AtomicLong mutants, AtomicLong hangs,
            AtomicLong refused)
            throws IOException {
        SplittableRandom random = new SplittableRandom(SEED * 1_000_003 + index);
        int level = random.nextBoolean() ? 5 : 4;
        List<byte[]> corpus = FuzzCorpus.packets(level, "fuzz");
        List<byte[]> continuing = corpus.stream().filter(p -> !FuzzCorpus.endsTheConnection(p)).toList();
        Mutator mutator = new Mutator(random);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port()), 10_000);
            socket.setSoTimeout(30_000);
            socket.setTcpNoDelay(true);
            socket.getOutputStream().write(FuzzCorpus.connect(level, "fuzz-" + SEED + "-" + index));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            if (in.read() != 0x20 || in.read() < 2 || in.readByte() < 0 || in.readByte() != 0) {
                refused.incrementAndGet();
                return;
            }
            // Packets behind the first one that closes the connection never reach a handler: the packets that end a
            // connection when valid come last, mutants are rare before the last one and always the last one.
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            for (int k = 0; k < PER_CONNECTION - 1; k++) {
                byte[] packet = continuing.get(random.nextInt(continuing.size()));
                boolean mutate = random.nextInt(10) == 0;
                batch.writeBytes(mutate ? mutator.mutate(packet) : packet);
                mutants.addAndGet(mutate ? 1 : 0);
            }
            byte[] last = corpus.get(random.nextInt(corpus.size()));
            boolean mutateLast = random.nextInt(5) != 0;
            batch.writeBytes(mutateLast ? mutator.mutate(last) : last);
            mutants.addAndGet(mutateLast ? 1 : 0);
            sent.addAndGet(PER_CONNECTION);
            try {
                socket.getOutputStream().write(batch.toByteArray());
                socket.shutdownOutput();
            } catch (IOException closedByBroker) {
                return; // the broker closed on an earlier packet: what it should do with a malformed one
            }
            drain(in, hangs);
        }
    }

    private static void drain(InputStream in, AtomicLong hangs) {
        byte[] buffer = new byte[8192];
        try {
            while (in.read(buffer) >= 0) {
                // discard the broker's answers until it closes
            }
        } catch (SocketTimeoutException timeout) {
            hangs.incrementAndGet();
        } catch (IOException reset) {
            // closed with a reset: fine
        }
    }

    private boolean servesANormalClient() throws InterruptedException {
        String topic = unique("after-fuzz");
        Mqtt5BlockingClient subscriber = mqtt5(unique("after-sub"));
        subscriber.subscribeWith().topicFilter(topic).qos(MqttQos.EXACTLY_ONCE).send();
        var received = listen(subscriber);
        Mqtt5BlockingClient publisher = mqtt5(unique("after-pub"));
        publisher.publishWith().topic(topic).qos(MqttQos.EXACTLY_ONCE).payload("ok".getBytes()).send();
        publisher.publishWith().topic(topic).qos(MqttQos.EXACTLY_ONCE).payload(SENTINEL).send();
        return receivedBeforeSentinel(received).equals(List.of(topic + " ok"));
    }

    /** Heap in use after full collections (System.gc() returns once the collection ran, with the default GC). */
    private static long heapAfterGc() {
        var memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            memory.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}

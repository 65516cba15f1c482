package dev.mqttsuite.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Drives any MQTT broker: N publishers, M subscribers, QoS 0/1, a payload size, a topic layout, a target rate or
 * flat out, for a duration; or a connection storm of K connections. Reports sent, received, lost, duplicated,
 * throughput and latency percentiles (from a timestamp in the payload), its own CPU, and appends a JSON line per run.
 */
@Command(name = "mqtt-load", mixinStandardHelpOptions = true, description = "MQTT load generator")
public final class LoadCommand implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--name", defaultValue = "run", description = "scenario name for the results")
    String name;
    @Option(names = "--host", defaultValue = "127.0.0.1")
    String host;
    @Option(names = "--port", defaultValue = "1883")
    int port;
    @Option(names = "--sub-port", defaultValue = "0",
            description = "subscribers connect to this port instead (e.g. the far side of a bridge)")
    int subPort;
    @Option(names = "--pub-ports", split = ",", description = "publishers spread over these ports (cluster brokers):"
            + " publisher i connects to the (i mod n)-th; overrides --port for publishers")
    List<Integer> pubPorts = new ArrayList<>();
    @Option(names = "--sub-ports", split = ",", description = "subscribers spread over these ports the same way;"
            + " overrides --sub-port")
    List<Integer> subPorts = new ArrayList<>();

    @Option(names = "--sub-prefix", defaultValue = "",
            description = "prepended to the subscribers' filters (e.g. a bridge's remote prefix)")
    String subPrefix;

    @Option(names = "--username")
    String username;
    @Option(names = "--password")
    String password;
    @Option(names = "--publishers", defaultValue = "1")
    int publishers;
    @Option(names = "--subscribers", defaultValue = "1")
    int subscribers;
    @Option(names = "--qos", defaultValue = "0")
    int qos;
    @Option(names = "--payload", defaultValue = "64", description = "payload bytes (at least 16)")
    int payloadSize;
    @Option(names = "--shared-topic", description = "all publishers use one topic (default: one topic each)")
    boolean sharedTopic;
    @Option(names = "--wildcard", description = "subscribers subscribe to load/# instead of the exact topics")
    boolean wildcard;
    @Option(names = "--rate", defaultValue = "0", description = "total messages/s, 0 = as fast as possible")
    int rate;
    @Option(names = "--duration", defaultValue = "10", description = "measured seconds")
    int duration;
    @Option(names = "--warmup", defaultValue = "2", description = "seconds before measuring")
    int warmup;
    @Option(names = "--window", defaultValue = "1000", description = "unacknowledged QoS 1 PUBLISHes per publisher")
    int window;
    @Option(names = "--connections", defaultValue = "0", description = "connection-storm mode: open K connections")
    int connections;
    @Option(names = "--hold", defaultValue = "3", description = "storm mode: seconds to hold the connections")
    int hold;
    @Option(names = "--broker-pid", defaultValue = "0", description = "broker process, to read its RSS")
    long brokerPid;
    @Option(names = "--json", description = "append the result as one JSON line to this file")
    Path json;
    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;
    @Option(names = "--clean-session", defaultValue = "true", arity = "1",
            description = "the subscribers' Clean Session flag; false: persistent sessions (queued while offline)")
    boolean cleanSession;
    @Option(names = "--offline", description = "subscribers subscribe, disconnect while the publishers run, then come"
            + " back (Clean Session 0) and drain their queues; reports the drain rate")
    boolean offline;
    @Option(names = "--keep-queued", description = "with --offline: do not come back, leave the messages queued")
    boolean keepQueued;
    @Option(names = "--messages", defaultValue = "0",
            description = "messages per publisher, then stop (instead of --duration)")
    long messages;

    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (payloadSize < 16) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--payload must be at least 16 bytes");
        }
        EventLoopGroup group = new NioEventLoopGroup(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
        try {
            String result = connections > 0 ? storm(group) : pubSub(group);
            System.out.println(result);
            if (json != null) {
                Files.writeString(json, result + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            return 0;
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    // ---- publish/subscribe ------------------------------------------------------------------------------------

    private String pubSub(EventLoopGroup group) throws Exception {
        Recorder latency = new Recorder(3);
        LongAdder received = new LongAdder();
        LongAdder duplicates = new LongAdder();
        BitSet[] seen = new BitSet[publishers * Math.max(1, subscribers)];
        for (int i = 0; i < seen.length; i++) {
            seen[i] = new BitSet();
        }
        AtomicBoolean measuring = new AtomicBoolean();
        List<LeanClient> subs = new ArrayList<>();
        List<java.util.function.Consumer<MqttPublishMessage>> handlers = new ArrayList<>();
        for (int s = 0; s < subscribers; s++) {
            int subscriber = s;
            handlers.add(message -> {
                ByteBuf p = message.payload();
                int publisher = p.getInt(p.readerIndex());
                int seq = p.getInt(p.readerIndex() + 4);
                long sentAt = p.getLong(p.readerIndex() + 8);
                BitSet bits = seen[subscriber * publishers + publisher];
                synchronized (bits) {
                    if (bits.get(seq)) {
                        duplicates.increment();
                        return;
                    }
                    bits.set(seq);
                }
                received.increment();
                if (measuring.get()) {
                    latency.recordValue(Math.max(0, (System.nanoTime() - sentAt) / 1000));
                }
            });
            LeanClient sub = subscriber(group, s, handlers.get(s));
            if (wildcard) {
                sub.subscribe(subPrefix + "load/#", qos).get();
            } else if (sharedTopic) {
                sub.subscribe(subPrefix + "load/t", qos).get();
            } else {
                for (int p = 0; p < publishers; p++) {
                    sub.subscribe(subPrefix + "load/t" + p, qos).get();
                }
            }
            subs.add(sub);
        }
        Thread.sleep(500); // let the SUBACKs land before publishing (setup, not measurement)
        if (offline) {
            subs.forEach(LeanClient::close); // DISCONNECT: Clean Session 0 keeps the session and queues for it
            subs.clear();
        }

        AtomicBoolean running = new AtomicBoolean(true);
        LongAdder sent = new LongAdder();
        LongAdder acked = new LongAdder();
        List<Publisher> pubs = new ArrayList<>();
        for (int p = 0; p < publishers; p++) {
            LeanClient client = LeanClient.connect(group, host, new PortSpread(pubPorts, port).portOf(p),
                    "load-pub-" + p + "-" + ProcessHandle.current().pid(), username, password)
                    .get(30, TimeUnit.SECONDS);
            pubs.add(new Publisher(p, client, sharedTopic ? "load/t" : "load/t" + p, running, sent, acked));
        }
        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        pubs.forEach(Publisher::start);
        ProgressBar bar = quiet ? null : new ProgressBarBuilder().setTaskName(name).setInitialMax(warmup + duration)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" s", 1).build();
        long receivedAtMeasureStart = 0;
        long sentAtMeasureStart = 0;
        if (messages > 0) {
            // a fixed number of messages: wait until each publisher sent them and had them acknowledged
            while (pubs.stream().anyMatch(p -> p.seq < messages || qos > 0 && p.inflight.get() > 0)) {
                Thread.sleep(50);
            }
        }
        for (int second = 1; messages == 0 && second <= warmup + duration; second++) {
            Thread.sleep(1000);
            if (second == warmup) {
                latency.reset();
                measuring.set(true);
                receivedAtMeasureStart = received.sum();
                sentAtMeasureStart = sent.sum();
            }
            if (bar != null) {
                bar.stepTo(second);
                bar.setExtraMessage(String.format(Locale.ROOT, " sent %,d received %,d", sent.sum(), received.sum()));
            }
        }
        double measuredSeconds = messages > 0 ? (System.nanoTime() - start) / 1e9 : duration;
        long measuredReceived = received.sum() - receivedAtMeasureStart;
        long measuredSent = sent.sum() - sentAtMeasureStart;
        measuring.set(false);
        running.set(false);
        double wallSeconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
        if (bar != null) {
            bar.close();
        }
        // the QoS 1 PUBACKs still on their way (at most 10 s)
        for (int i = 0; i < 100 && qos > 0 && pubs.stream().anyMatch(p -> p.inflight.get() > 0); i++) {
            Thread.sleep(100);
        }
        long expectedPerMessage = subscribers; // every subscriber matches every message in each topic layout
        double drainSeconds = 0;
        if (offline && !keepQueued) {
            // back with Clean Session 0: the queued messages arrive; until all did, or none for 5 s
            long drainStart = System.nanoTime();
            for (int s = 0; s < subscribers; s++) {
                subs.add(subscriber(group, s, handlers.get(s)));
            }
            long target = (qos == 0 ? sent.sum() : acked.sum()) * expectedPerMessage;
            long last = -1;
            long lastChange = System.nanoTime();
            while (received.sum() < target && System.nanoTime() - lastChange < 5_000_000_000L) {
                if (received.sum() != last) {
                    last = received.sum();
                    lastChange = System.nanoTime();
                }
                Thread.sleep(20);
            }
            drainSeconds = (System.nanoTime() - drainStart) / 1e9 - (received.sum() < target ? 5 : 0);
        } else {
            // drain: wait until deliveries stop arriving (at most 20 s)
            long last = -1;
            for (int i = 0; i < 100 && received.sum() != last; i++) {
                last = received.sum();
                Thread.sleep(200);
            }
        }
        Histogram h = latency.getIntervalHistogram();
        long totalSent = sent.sum();
        // lost: acknowledged (QoS 1: PUBACK received; QoS 0: sent) but never delivered
        long expected = (qos == 0 ? totalSent : acked.sum()) * expectedPerMessage;
        long lost = keepQueued ? 0 : Math.max(0, expected - received.sum());
        pubs.forEach(p -> p.client.close());
        subs.forEach(LeanClient::close);
        return String.format(Locale.ROOT, "{\"name\":\"%s\",\"mode\":\"pubsub\",\"publishers\":%d,\"subscribers\":%d,"
                + "\"qos\":%d,\"payload\":%d,\"rate\":%d,\"duration\":%d,\"sent\":%d,\"received\":%d,\"lost\":%d,"
                + "\"duplicates\":%d,\"sendRate\":%.0f,\"receiveRate\":%.0f,\"p50us\":%d,\"p99us\":%d,\"p999us\":%d,"
                + "\"maxus\":%d,\"toolCpu\":%.2f,\"cleanSession\":%b,\"offline\":%b,\"acked\":%d,"
                + "\"drainRate\":%.0f}",
                name, publishers, subscribers, qos, payloadSize, rate, duration, totalSent, received.sum(), lost,
                duplicates.sum(), measuredSent / measuredSeconds, measuredReceived / measuredSeconds,
                h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9),
                h.getMaxValue(), cpuSeconds / wallSeconds, cleanSession && !offline, offline, acked.sum(),
                drainSeconds > 0 ? received.sum() / drainSeconds : 0);
    }

    private LeanClient subscriber(EventLoopGroup group, int s, java.util.function.Consumer<MqttPublishMessage> handler)
            throws Exception {
        int target = new PortSpread(subPorts, subPort > 0 ? subPort : port).portOf(s);
        LeanClient sub = LeanClient.connect(group, host, target, "load-sub-" + s + "-"
                + ProcessHandle.current().pid(), username, password, cleanSession && !offline)
                .get(30, TimeUnit.SECONDS);
        sub.onPublish(handler);
        return sub;
    }

    /** One publisher: flat out (bounded by socket writability and the QoS 1 window) or paced. */
    private final class Publisher {
        final int id;
        final LeanClient client;
        final String topic;
        final AtomicBoolean running;
        final LongAdder sent;
        final AtomicInteger inflight = new AtomicInteger();
        final long intervalNanos;
        final LongAdder acked;
        volatile int seq;
        int packetId;
        long startNanos;

        Publisher(int id, LeanClient client, String topic, AtomicBoolean running, LongAdder sent, LongAdder acked) {
            this.acked = acked;
            this.id = id;
            this.client = client;
            this.topic = topic;
            this.running = running;
            this.sent = sent;
            this.intervalNanos = rate > 0 ? (long) (1e9 * publishers / rate) : 0;
            client.onWritable(this::scheduleMaxRate);
            client.onAck(ackId -> {
                acked.increment();
                if (inflight.decrementAndGet() == window / 2) {
                    scheduleMaxRate();
                }
            });
        }

        void start() {
            startNanos = System.nanoTime();
            if (rate > 0) {
                client.channel().eventLoop().scheduleAtFixedRate(this::paced, 0, 1, TimeUnit.MILLISECONDS);
            } else {
                scheduleMaxRate();
            }
        }

        private void scheduleMaxRate() {
            if (rate == 0 && running.get()) {
                client.channel().eventLoop().execute(this::maxRate);
            }
        }

        private void maxRate() {
            int batch = 0;
            while (running.get() && client.writable() && (qos == 0 || inflight.get() < window) && batch < 1024
                    && (messages == 0 || seq < messages)) {
                sendOne();
                batch++;
            }
            client.flush();
            if (batch == 1024) {
                scheduleMaxRate(); // yield the event loop, then go on
            }
        }

        private void paced() {
            if (!running.get()) {
                return;
            }
            long due = (System.nanoTime() - startNanos) / intervalNanos;
            int budget = 2000;
            while (seq < due && budget-- > 0 && (qos == 0 || inflight.get() < window)
                    && (messages == 0 || seq < messages)) {
                sendOne();
            }
            client.flush();
        }

        private void sendOne() {
            ByteBuf payload = client.channel().alloc().buffer(payloadSize);
            payload.writeInt(id).writeInt(seq++).writeLong(System.nanoTime()).writeZero(payloadSize - 16);
            if (qos > 0) {
                inflight.incrementAndGet();
                packetId = packetId == 65535 ? 1 : packetId + 1;
            }
            client.publish(topic, qos, packetId, payload);
            sent.increment();
        }
    }

    // ---- connection storm -------------------------------------------------------------------------------------

    private String storm(EventLoopGroup group) throws Exception {
        long rssBefore = rssKb(brokerPid);
        Semaphore inFlight = new Semaphore(256);
        List<LeanClient> open = java.util.Collections.synchronizedList(new ArrayList<>());
        LongAdder failures = new LongAdder();
        List<CompletableFuture<?>> all = new ArrayList<>();
        ProgressBar bar = quiet ? null : new ProgressBarBuilder().setTaskName(name).setInitialMax(connections)
                .setStyle(ProgressBarStyle.ASCII).build();
        long start = System.nanoTime();
        for (int i = 0; i < connections; i++) {
            inFlight.acquire();
            all.add(LeanClient.connect(group, host, port, "storm-" + i + "-" + ProcessHandle.current().pid(), username,
                    password).whenComplete((c, t) -> {
                        inFlight.release();
                        if (t != null) {
                            failures.increment();
                        } else {
                            open.add(c);
                        }
                        if (bar != null) {
                            bar.step();
                        }
                    }));
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).handle((v, t) -> null).get(10, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (bar != null) {
            bar.close();
        }
        Thread.sleep(hold * 1000L); // connections held idle while the broker's memory settles (measurement)
        long rssAfter = rssKb(brokerPid);
        long perConnection = open.isEmpty() || rssBefore <= 0 ? -1 : (rssAfter - rssBefore) * 1024 / open.size();
        open.forEach(LeanClient::close);
        return String.format(Locale.ROOT, "{\"name\":\"%s\",\"mode\":\"storm\",\"connections\":%d,\"connected\":%d,"
                + "\"failures\":%d,\"seconds\":%.2f,\"connectRate\":%.0f,\"brokerRssBeforeKb\":%d,"
                + "\"brokerRssAfterKb\":%d,\"bytesPerConnection\":%d}",
                name, connections, open.size(), failures.sum(), seconds, open.size() / seconds, rssBefore, rssAfter,
                perConnection);
    }

    private static long rssKb(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}

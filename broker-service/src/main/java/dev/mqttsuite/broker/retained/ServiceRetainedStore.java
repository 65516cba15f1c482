package dev.mqttsuite.broker.retained;

import com.google.protobuf.ByteString;
import dev.mqttsuite.broker.config.BrokerConfig;
import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.message.PublishProperties;
import dev.mqttsuite.broker.message.UserProperty;
import dev.mqttsuite.retained.v1.PutReply;
import dev.mqttsuite.retained.v1.PutRequest;
import dev.mqttsuite.retained.v1.RetainedMessage;
import dev.mqttsuite.retained.v1.RetainedStoreGrpc;
import dev.mqttsuite.retained.v1.StatsReply;
import dev.mqttsuite.retained.v1.StatsRequest;
import dev.mqttsuite.topic.TopicFilter;
import dev.mqttsuite.topic.TopicName;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.lookup.LookupIfProperty;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Multi;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The retained-store-service adapter ({@code broker.retained.backend=service}; the service address is
 * {@code quarkus.grpc.clients.retained.host/port}). Non-blocking: puts complete when the store acknowledged a durable
 * write, and a match is a gRPC stream whose flow control follows the subscriber's demand, so retained messages flow
 * only as fast as the session drains. Store outages: puts wait for the store up to their deadline, then fail (the
 * PUBLISH is refused); reads wait and retry ({@link RetainedMatchStream}); the channel reconnects at least every 500 ms
 * ({@link ChannelReconnect}).
 */
@ApplicationScoped
@LookupIfProperty(name = "broker.retained.backend", stringValue = "service")
public class ServiceRetainedStore implements RetainedStore {

    private static final Logger LOG = Logger.getLogger(ServiceRetainedStore.class);

    /**
     * Retained reads wait for the store up to a minute without progress, retrying from 100 ms to 2 s apart. Not
     * settings (yet): BrokerConfig belongs to the broker's config layer; see the README's "Retained store outages".
     */
    static final RetainedMatchStream.Policy READS = new RetainedMatchStream.Policy(60_000, 100, 2_000);
    /** While the store is unreachable the channel tries to reconnect at least this often. */
    static final long RECONNECT_INTERVAL_MILLIS = 500;

    @GrpcClient("retained")
    io.grpc.Channel channel;

    private RetainedStoreGrpc.RetainedStoreStub stub;

    @Inject
    BrokerConfig config;

    @Inject
    Vertx vertx;

    @Inject
    MeterRegistry registry;

    private volatile long lastCount;
    private CallWindow puts;
    private Delay delay;
    private RetainedMatchStream.Listener readListener;
    private ChannelReconnect reconnect;

    @PostConstruct
    void init() {
        stub = RetainedStoreGrpc.newStub(channel); // the async stub: flow control needs the observer API
        puts = new CallWindow(config.retained().maxPutsInFlight());
        registry.gauge("mqtt_retained_puts_waiting", puts, CallWindow::waiting);
        registry.gauge("mqtt_retained_puts_in_flight", puts, CallWindow::inFlight);
        delay = (millis, task) -> {
            long timer = vertx.setTimer(millis, id -> task.run());
            return () -> vertx.cancelTimer(timer);
        };
        readListener = new ReadCounters(registry);
        if (channel instanceof ManagedChannel managed) {
            reconnect = new ChannelReconnect(managed, delay, RECONNECT_INTERVAL_MILLIS);
            reconnect.start();
        }
    }

    @PreDestroy
    void close() {
        if (reconnect != null) {
            reconnect.stop();
        }
    }

    /**
     * Waits for the channel up to the deadline ({@code broker.retained.timeout}) rather than failing while it reconnects:
     * a store that restarts within the deadline costs the publisher latency, not a refused PUBLISH.
     */
    @Override
    public CompletionStage<Void> put(Message message) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        puts.submit(finished -> send(message, done, finished));
        return done;
    }

    private void send(Message message, CompletableFuture<Void> done, Runnable finished) {
        send(message, done, finished, System.nanoTime() + config.retained().timeout().toNanos(), true);
    }

    /**
     * A failure that says the store never processed the call: the connection was refused or went away (an HTTP/2
     * GOAWAY names the streams it did not take). Such a put is sent once more within its deadline; a deadline that
     * expired is not retried (the store may have stored it).
     */
    static boolean neverProcessed(Status status) {
        return status.getCode() == Status.Code.UNAVAILABLE || (status.getCode() == Status.Code.INTERNAL
                && String.valueOf(status.getDescription()).contains("GOAWAY"));
    }

    private void send(Message message, CompletableFuture<Void> done, Runnable finished, long deadlineNanos,
            boolean mayRetry) {
        long left = deadlineNanos - System.nanoTime();
        stub.withDeadlineAfter(Math.max(1, left), TimeUnit.NANOSECONDS).withWaitForReady()
                .put(PutRequest.newBuilder().setMessage(toProto(message)).build(), new StreamObserver<PutReply>() {
                    @Override
                    public void onNext(PutReply reply) {
                        // completion follows
                    }

                    @Override
                    public void onError(Throwable failure) {
                        if (channel instanceof ManagedChannel managed) {
                            managed.resetConnectBackoff(); // the store is usually back within seconds
                        }
                        Status status = Status.fromThrowable(failure);
                        if (mayRetry && neverProcessed(status) && deadlineNanos - System.nanoTime() > 0) {
                            LOG.debugf("Retained put of %s not processed (%s): sending it once more",
                                    message.topic(), status);
                            send(message, done, finished, deadlineNanos, false);
                            return;
                        }
                        finished.run();
                        done.completeExceptionally(status.getCode() == Status.Code.RESOURCE_EXHAUSTED
                                ? new QuotaExceeded(String.valueOf(status.getDescription())) : failure);
                    }

                    @Override
                    public void onCompleted() {
                        finished.run();
                        done.complete(null);
                    }
                });
    }

    /**
     * A read that survives the store restarting: see {@link RetainedMatchStream} (waits for the channel, retries
     * transient failures with back-off, never delivers a topic twice, gives up after a minute without progress).
     */
    @Override
    public Multi<Message> match(TopicFilter filter) {
        Flow.Publisher<Message> publisher = subscriber -> new RetainedMatchStream(stub, filter.value(), subscriber,
                READS, delay, readListener).start();
        return Multi.createFrom().publisher(publisher);
    }

    @Override
    public long count() {
        stub.withDeadlineAfter(config.retained().timeout().toMillis(), TimeUnit.MILLISECONDS)
                .stats(StatsRequest.getDefaultInstance(), new StreamObserver<StatsReply>() {
                    @Override
                    public void onNext(StatsReply reply) {
                        lastCount = reply.getCount();
                    }

                    @Override
                    public void onError(Throwable failure) {
                        // keep the last known value
                    }

                    @Override
                    public void onCompleted() {
                        // nothing
                    }
                });
        return lastCount; // the figure of the previous call: count() must not block
    }

    @Override
    public String describe() {
        return "retained-store-service (gRPC)";
    }

    /** Counts and logs what happens to retained reads: retries, and reads that could not be served. */
    private static final class ReadCounters implements RetainedMatchStream.Listener {
        private final Counter retries;
        private final Counter failed;

        ReadCounters(MeterRegistry registry) {
            retries = Counter.builder("mqtt.retained.read.retries")
                    .description("Retained reads made again after the retained store failed them").register(registry);
            failed = Counter.builder("mqtt.retained.reads.failed")
                    .description("Retained reads given up: the subscription got no retained messages")
                    .register(registry);
        }

        @Override
        public void retrying(String filter, Status status, int attempt) {
            retries.increment();
            LOG.debugf("Retained read of %s failed (attempt %d, %s): retrying", filter, attempt, status);
        }

        @Override
        public void gaveUp(String filter, Status status, int attempts) {
            failed.increment();
            LOG.warnf("Retained read of %s given up after %d attempts: %s (counted in"
                    + " mqtt_retained_reads_failed_total)", filter, attempts, status);
        }
    }

    static RetainedMessage toProto(Message message) {
        RetainedMessage.Builder b = RetainedMessage.newBuilder().setTopic(message.topic().value())
                .setPayload(ByteString.copyFrom(message.payload())).setQos(message.qos())
                .setExpiresAtMillis(message.expiresAtMillis());
        PublishProperties p = message.properties();
        if (p.payloadFormatIndicator() != null) {
            b.setPayloadFormatIndicator(p.payloadFormatIndicator());
        }
        if (p.contentType() != null) {
            b.setContentType(p.contentType());
        }
        if (p.responseTopic() != null) {
            b.setResponseTopic(p.responseTopic());
        }
        if (p.correlationData() != null) {
            b.setCorrelationData(ByteString.copyFrom(p.correlationData()));
        }
        for (UserProperty u : p.userProperties()) {
            b.addUserPropertiesBuilder().setKey(u.key()).setValue(u.value());
        }
        return b.build();
    }

    static Message fromProto(RetainedMessage m) {
        List<UserProperty> users = new ArrayList<>(m.getUserPropertiesCount());
        m.getUserPropertiesList().forEach(u -> users.add(new UserProperty(u.getKey(), u.getValue())));
        PublishProperties properties = new PublishProperties(
                m.hasPayloadFormatIndicator() ? m.getPayloadFormatIndicator() : null,
                m.hasContentType() ? m.getContentType() : null,
                m.hasResponseTopic() ? m.getResponseTopic() : null,
                m.hasCorrelationData() ? m.getCorrelationData().toByteArray() : null, users);
        return new Message(TopicName.of(m.getTopic()), m.getPayload().toByteArray(), m.getQos(), true, properties,
                null, m.getExpiresAtMillis());
    }
}

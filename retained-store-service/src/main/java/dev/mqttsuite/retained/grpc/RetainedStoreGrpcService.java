package dev.mqttsuite.retained.grpc;

import dev.mqttsuite.retained.store.ExecutorShutdown;
import dev.mqttsuite.retained.store.RetainedRepository;
import dev.mqttsuite.retained.store.RetainedStoreHolder;
import dev.mqttsuite.retained.store.StoreLimitException;
import dev.mqttsuite.retained.store.StoreStartingException;
import dev.mqttsuite.retained.v1.GetReply;
import dev.mqttsuite.retained.v1.GetRequest;
import dev.mqttsuite.retained.v1.MatchRequest;
import dev.mqttsuite.retained.v1.PutReply;
import dev.mqttsuite.retained.v1.PutRequest;
import dev.mqttsuite.retained.v1.RetainedMessage;
import dev.mqttsuite.retained.v1.RetainedStoreGrpc;
import dev.mqttsuite.retained.v1.StatsReply;
import dev.mqttsuite.retained.v1.StatsRequest;
import dev.mqttsuite.topic.InvalidTopicException;
import dev.mqttsuite.topic.TopicFilter;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.grpc.GrpcService;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The gRPC face of the store. {@code Match} streams under gRPC flow control: messages are taken from the lazy match
 * iterator only while the call is ready (the client has requested more and the HTTP/2 window is open), on a virtual
 * thread because database adapters iterate with blocking cursors. The pump threads belong to this service instance
 * and end with it ({@link #close()}).
 */
@GrpcService
public class RetainedStoreGrpcService extends RetainedStoreGrpc.RetainedStoreImplBase {

    private final ExecutorService pumps = Executors.newVirtualThreadPerTaskExecutor();

    @Inject
    RetainedStoreHolder store;

    @Inject
    MeterRegistry registry;

    /**
     * At shutdown: no new pump starts; running ones get a moment to see their calls cancelled (and close their
     * cursors), then they are interrupted.
     */
    @PreDestroy
    void close() {
        close(Duration.ofSeconds(5));
    }

    void close(Duration grace) {
        ExecutorShutdown.close(pumps, grace);
    }

    /** The pump threads' executor (tests). */
    ExecutorService pumps() {
        return pumps;
    }

    @Override
    public void put(PutRequest request, StreamObserver<PutReply> response) {
        registry.counter("retained.puts", "kind", request.getMessage().getPayload().isEmpty() ? "delete" : "put")
                .increment();
        try {
            store.repository().put(request.getMessage()).whenComplete((replaced, failure) -> {
                if (failure != null) {
                    countLimit(failure);
                    response.onError(toStatus(failure));
                } else {
                    response.onNext(PutReply.newBuilder().setReplaced(replaced).build());
                    response.onCompleted();
                }
            });
        } catch (RuntimeException e) {
            response.onError(toStatus(e));
        }
    }

    @Override
    public void get(GetRequest request, StreamObserver<GetReply> response) {
        try {
            GetReply.Builder reply = GetReply.newBuilder();
            store.repository().get(request.getTopic()).ifPresent(reply::setMessage);
            response.onNext(reply.build());
            response.onCompleted();
        } catch (RuntimeException e) {
            response.onError(toStatus(e));
        }
    }

    @Override
    public void match(MatchRequest request, StreamObserver<RetainedMessage> response) {
        TopicFilter filter;
        try {
            filter = TopicFilter.of(request.getFilter());
        } catch (InvalidTopicException e) {
            response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        }
        registry.counter("retained.matches").increment();
        ServerCallStreamObserver<RetainedMessage> call = (ServerCallStreamObserver<RetainedMessage>) response;
        Pump pump = new Pump(call, filter);
        call.setOnCancelHandler(pump::cancel);
        call.setOnReadyHandler(pump::schedule);
        pump.schedule();
    }

    @Override
    public void stats(StatsRequest request, StreamObserver<StatsReply> response) {
        try {
            RetainedRepository repository = store.repository();
            response.onNext(StatsReply.newBuilder().setCount(repository.count())
                    .setPayloadBytes(repository.payloadBytes()).build());
            response.onCompleted();
        } catch (RuntimeException e) {
            response.onError(toStatus(e));
        }
    }

    /** Counts a put refused by a limit: {@code retained_puts_refused_total{limit}}. */
    private void countLimit(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof StoreLimitException limit) {
            registry.counter("retained.puts.refused", "limit", limit.setting()).increment();
        }
    }

    private static io.grpc.StatusRuntimeException toStatus(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof StoreLimitException) {
            return Status.RESOURCE_EXHAUSTED.withDescription(cause.getMessage()).asRuntimeException();
        }
        if (cause instanceof StoreStartingException) {
            return Status.UNAVAILABLE.withDescription(cause.getMessage()).asRuntimeException();
        }
        if (cause instanceof IllegalArgumentException) {
            return Status.INVALID_ARGUMENT.withDescription(cause.getMessage()).asRuntimeException();
        }
        return Status.UNAVAILABLE.withDescription(cause.toString()).asRuntimeException();
    }

    /** Moves matches to the call while it is ready; never two runs at once (observers are not thread-safe). */
    private final class Pump {
        private final ServerCallStreamObserver<RetainedMessage> call;
        private final TopicFilter filter;
        private final AtomicBoolean running = new AtomicBoolean();
        private final Timer.Sample started;
        private volatile boolean done;
        private Iterator<RetainedMessage> matches;
        private long sent;

        Pump(ServerCallStreamObserver<RetainedMessage> call, TopicFilter filter) {
            this.call = call;
            this.filter = filter;
            this.started = Timer.start(registry);
        }

        void schedule() {
            if (!done && running.compareAndSet(false, true)) {
                submit();
            }
        }

        void cancel() {
            done = true;
            if (running.compareAndSet(false, true)) {
                submit(); // closes the cursor on the pump's side
            }
        }

        /** Runs the pump on its own thread; at shutdown (no more pumps) the stream just ends here. */
        private void submit() {
            try {
                pumps.execute(this::run);
            } catch (RejectedExecutionException shuttingDown) {
                done = true;
                closeMatches();
                running.set(false);
            }
        }

        private void closeMatches() {
            if (matches instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception ignored) {
                    // best effort
                }
            }
        }

        private void run() {
            try {
                if (done) {
                    closeMatches();
                    return;
                }
                if (matches == null) {
                    matches = store.repository().match(filter);
                }
                while (!done && call.isReady() && matches.hasNext()) {
                    call.onNext(matches.next());
                    sent++;
                }
                if (!done && !matches.hasNext()) {
                    done = true;
                    closeMatches();
                    call.onCompleted();
                    started.stop(registry.timer("retained.match.duration"));
                    DistributionSummary.builder("retained.match.stream.size").register(registry).record(sent);
                }
            } catch (RuntimeException e) {
                done = true;
                closeMatches();
                call.onError(toStatus(e));
            } finally {
                running.set(false);
            }
            if (!done && call.isReady()) {
                schedule(); // became ready again while we were finishing
            }
        }
    }
}

package dev.mqttsuite.broker.retained;

import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.retained.v1.MatchRequest;
import dev.mqttsuite.retained.v1.RetainedMessage;
import dev.mqttsuite.retained.v1.RetainedStoreGrpc;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One retained read ({@code Match}) from the retained-store-service, as the subscription of a {@link Flow.Publisher}:
 * the subscriber's demand is the gRPC call's flow control, and the read survives the store being down or restarting.
 *
 * <ul>
 *   <li>{@code onSubscribe} comes first, before the call is made (a call that fails at once must not signal an error
 *       ahead of it: Mutiny then reported {@code NullPointerException: Subscription not set!} and dropped the read).
 *   <li>Calls wait for the channel to be ready ({@code waitForReady}) instead of failing while it reconnects, so a
 *       subscription made while the store is down is served when it is back.
 *   <li>A call that fails with a transient status (the store died, is starting, ...) is made again after a back-off
 *       (100 ms doubling to 2 s, with jitter), on a timer: nothing blocks. Topics already delivered are skipped, so no
 *       retained message reaches the subscription twice.
 *   <li>Bounded: when a read makes no progress for {@link Policy#giveUpAfterMillis()} (no message received, whether
 *       the store stays down or keeps failing), it ends with an error; the caller logs it and it is counted.
 * </ul>
 */
final class RetainedMatchStream implements Flow.Subscription {

    /** How long a read keeps trying, and the back-off between its attempts. */
    record Policy(long giveUpAfterMillis, long firstBackoffMillis, long maxBackoffMillis) {
    }

    /** What the store adapter counts. */
    interface Listener {
        void retrying(String filter, Status status, int attempt);

        void gaveUp(String filter, Status status, int attempts);
    }

    private static final Set<Status.Code> TRANSIENT = EnumSet.of(Status.Code.UNAVAILABLE, Status.Code.UNKNOWN,
            Status.Code.INTERNAL, Status.Code.ABORTED, Status.Code.DEADLINE_EXCEEDED, Status.Code.RESOURCE_EXHAUSTED);

    private final RetainedStoreGrpc.RetainedStoreStub stub;
    private final MatchRequest request;
    private final Flow.Subscriber<? super Message> downstream;
    private final Policy policy;
    private final Delay delay;
    private final Listener listener;

    // guarded by this
    private final DeliveredTopics delivered = new DeliveredTopics();
    private long demand;
    private Attempt current;
    private int attempts;
    private int failuresSinceProgress;
    private long progressNanos = System.nanoTime();
    private boolean finished;

    RetainedMatchStream(RetainedStoreGrpc.RetainedStoreStub stub, String filter,
            Flow.Subscriber<? super Message> downstream, Policy policy, Delay delay, Listener listener) {
        this.stub = stub;
        this.request = MatchRequest.newBuilder().setFilter(filter).build();
        this.downstream = downstream;
        this.policy = policy;
        this.delay = delay;
        this.listener = listener;
    }

    /** Signals {@code onSubscribe}, then makes the first call. */
    void start() {
        downstream.onSubscribe(this);
        call();
    }

    @Override
    public void request(long n) {
        if (n <= 0) {
            cancel();
            downstream.onError(new IllegalArgumentException("request(" + n + "): must be positive [RS 3.9]"));
            return;
        }
        Attempt attempt;
        synchronized (this) {
            if (finished) {
                return;
            }
            demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
            attempt = current != null && current.started ? current : null;
        }
        if (attempt != null) {
            attempt.call.request((int) Math.min(n, Integer.MAX_VALUE)); // else call() asks for the whole demand
        }
    }

    @Override
    public void cancel() {
        Attempt attempt;
        synchronized (this) {
            if (finished) {
                return;
            }
            finished = true;
            attempt = current != null && current.started ? current : null;
        }
        if (attempt != null) {
            attempt.call.cancel("subscriber cancelled", null); // else call() cancels it once it is made
        }
    }

    private void call() {
        Attempt attempt = new Attempt();
        long giveUpInMillis;
        synchronized (this) {
            if (finished) {
                return;
            }
            current = attempt;
            attempts++;
            giveUpInMillis = policy.giveUpAfterMillis() - elapsedSinceProgressMillis();
        }
        attempt.watchdog = delay.after(Math.max(1, giveUpInMillis), () -> giveUpIfUnanswered(attempt));
        stub.withWaitForReady().match(request, attempt);
        long initial;
        boolean cancelled;
        synchronized (this) {
            attempt.started = true;
            cancelled = finished;
            initial = demand;
        }
        if (cancelled) {
            attempt.call.cancel("subscriber cancelled", null);
        } else if (initial > 0) {
            attempt.call.request((int) Math.min(initial, Integer.MAX_VALUE));
        }
    }

    /** The store stayed unreachable (or silent) for the whole window: end the read instead of waiting forever. */
    private void giveUpIfUnanswered(Attempt attempt) {
        synchronized (this) {
            if (finished || attempt != current || attempt.answered || !attempt.started) {
                return;
            }
            attempt.timedOut = true;
        }
        attempt.call.cancel("no answer from the retained store", null);
    }

    private long elapsedSinceProgressMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - progressNanos);
    }

    private long backoffMillis(int failures) {
        long base = Math.min(policy.maxBackoffMillis(), policy.firstBackoffMillis() << Math.min(failures - 1, 20));
        return Math.max(1, (long) (base * ThreadLocalRandom.current().nextDouble(0.8, 1.2)));
    }

    /** One gRPC call of the read. */
    private final class Attempt implements ClientResponseObserver<MatchRequest, RetainedMessage> {
        private volatile ClientCallStreamObserver<MatchRequest> call;
        private volatile Runnable watchdog = () -> { };
        private boolean started; // guarded by the stream: the stub returned, so request/cancel may be called
        private boolean answered; // guarded by the stream
        private boolean timedOut; // guarded by the stream

        @Override
        public void beforeStart(ClientCallStreamObserver<MatchRequest> requestStream) {
            call = requestStream;
            requestStream.disableAutoRequestWithInitial(0); // nothing flows until the subscriber asks
        }

        @Override
        public void onNext(RetainedMessage message) {
            boolean fresh;
            boolean first;
            synchronized (RetainedMatchStream.this) {
                if (finished || this != current) {
                    return;
                }
                first = !answered;
                answered = true;
                progressNanos = System.nanoTime();
                failuresSinceProgress = 0;
                fresh = delivered.add(message.getTopic());
                if (fresh && demand != Long.MAX_VALUE) {
                    demand--;
                }
            }
            if (first) {
                watchdog.run(); // the store answers: no need to give up on this call
            }
            if (fresh) {
                downstream.onNext(ServiceRetainedStore.fromProto(message));
            } else {
                call.request(1); // delivered by an earlier attempt: skipped, its place in the window given back
            }
        }

        @Override
        public void onCompleted() {
            watchdog.run();
            synchronized (RetainedMatchStream.this) {
                if (finished || this != current) {
                    return;
                }
                finished = true;
            }
            downstream.onComplete();
        }

        @Override
        public void onError(Throwable failure) {
            watchdog.run();
            Status status = Status.fromThrowable(failure);
            long retryInMillis = -1;
            int attempt;
            synchronized (RetainedMatchStream.this) {
                if (finished || this != current) {
                    return;
                }
                if (timedOut) {
                    status = Status.UNAVAILABLE.withDescription("no answer from the retained store for "
                            + policy.giveUpAfterMillis() + " ms");
                }
                attempt = attempts;
                failuresSinceProgress++;
                if (!timedOut && TRANSIENT.contains(status.getCode())
                        && elapsedSinceProgressMillis() < policy.giveUpAfterMillis()) {
                    retryInMillis = backoffMillis(failuresSinceProgress);
                    current = null;
                } else {
                    finished = true;
                }
            }
            if (retryInMillis >= 0) {
                listener.retrying(request.getFilter(), status, attempt);
                delay.after(retryInMillis, RetainedMatchStream.this::call);
                return;
            }
            listener.gaveUp(request.getFilter(), status, attempt);
            downstream.onError(status.asRuntimeException());
        }
    }
}

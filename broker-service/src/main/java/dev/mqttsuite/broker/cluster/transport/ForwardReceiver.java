package dev.mqttsuite.broker.cluster.transport;

import dev.mqttsuite.broker.auth.Permissions;
import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.routing.Router;
import dev.mqttsuite.broker.routing.SharedGroupSelector;
import dev.mqttsuite.broker.session.Delivery;
import dev.mqttsuite.broker.session.SessionListener;
import dev.mqttsuite.cluster.v1.ClusterMessage;
import dev.mqttsuite.cluster.v1.ForwardAck;
import dev.mqttsuite.cluster.v1.ForwardBatch;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.GrpcServerResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import dev.mqttsuite.broker.session.SessionJournal;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * The receiving end of the other brokers' Forward streams: each message is routed to this broker's own subscribers
 * only (through a {@link Router} over the local table, never forwarded again), its shared groups only those the sender
 * assigned to this broker ({@code shared_groups}), then the frame is acknowledged, once
 * the session journal made durable what persistent sessions queued from it (acknowledgements stay in order). A frame
 * that comes again on a new stream after a break (same sender, sequence already routed) is acknowledged without being
 * routed twice. When a local subscriber falls behind, the stream is paused like a publishing connection (ADR 0004), so
 * HTTP/2 flow control reaches back to the sender's window.
 */
public final class ForwardReceiver {

    private static final Logger LOG = Logger.getLogger(ForwardReceiver.class);

    private final Vertx vertx;
    private final Counter received;
    private final Map<String, Long> routedUpTo = new ConcurrentHashMap<>();
    private volatile Router router;
    private volatile SessionJournal journal = SessionJournal.IN_MEMORY;

    /**
     * The options of the gRPC server the peers forward to: a frame is one batch ({@code batchBytes}), or one message
     * bigger than a batch (up to {@code maxPacketSize}), with room for its envelope. gRPC's default of 256 KiB would
     * fail the stream at the first message larger than that.
     */
    public static GrpcServerOptions serverOptions(int maxPacketSize, int batchBytes) {
        return new GrpcServerOptions().setMaxMessageSize((long) Math.max(maxPacketSize, batchBytes) + 65_536);
    }

    public ForwardReceiver(Vertx vertx, MeterRegistry registry) {
        this.vertx = vertx;
        this.received = Counter.builder("mqtt.cluster.received.messages")
                .description("Messages other brokers forwarded to this one").register(registry);
    }

    /** Starts routing: until then streams are refused (the peers retry). */
    public void attach(Router localRouter, SessionJournal sessionJournal) {
        this.journal = sessionJournal;
        this.router = localRouter;
    }

    /** The sender left the cluster: its sequence numbers will never come again. */
    public void forget(String memberId) {
        routedUpTo.remove(memberId);
    }

    /** A peer opened a Forward stream. Runs on the server connection's event loop. */
    public void open(GrpcServerRequest<ForwardBatch, ForwardAck> request) {
        Router current = router;
        if (current == null) {
            request.response().status(GrpcStatus.UNAVAILABLE).statusMessage("broker starting").end();
            return;
        }
        new Inbound(request, current, vertx.getOrCreateContext()).start();
    }

    public double receivedCount() {
        return received.count();
    }

    /** One peer's stream; as a "publisher" it can be paused by a slow local subscriber. */
    private final class Inbound implements SessionListener {
        private final GrpcServerRequest<ForwardBatch, ForwardAck> request;
        private final GrpcServerResponse<ForwardBatch, ForwardAck> response;
        private final Router localRouter;
        private final Context context;
        private String sender;
        private String senderNode;
        private int pausedBy; // confined to the context
        /** Completes when the previous frame's acknowledgement was written: acknowledgements leave in order. */
        private CompletableFuture<Void> acked = CompletableFuture.completedFuture(null);

        Inbound(GrpcServerRequest<ForwardBatch, ForwardAck> request, Router localRouter, Context context) {
            this.request = request;
            this.response = request.response();
            this.localRouter = localRouter;
            this.context = context;
        }

        void start() {
            request.handler(this::frame);
            request.exceptionHandler(failure -> LOG.debugf("Cluster stream from %s: %s", senderNode, failure));
            request.endHandler(v -> response.end());
            response.writeHead();
        }

        private void frame(ForwardBatch batch) {
            if (batch.getSequence() == 0) {
                sender = batch.getSenderMember();
                senderNode = batch.getSenderNode();
                LOG.debugf("Cluster stream from %s (%s) open", senderNode, sender);
                return;
            }
            if (sender == null) {
                response.status(GrpcStatus.FAILED_PRECONDITION).statusMessage("no hello frame").end();
                return;
            }
            long sequence = batch.getSequence();
            boolean journaled = false;
            if (sequence > routedUpTo.getOrDefault(sender, 0L)) {
                long now = System.currentTimeMillis();
                for (ClusterMessage proto : batch.getMessagesList()) {
                    Message message = MessageCodec.decode(proto, now);
                    // shared groups: only those the publishing broker assigned to this one
                    journaled |= localRouter.route(message, this, !proto.getSharedOnly(),
                            SharedGroupSelector.only(proto.getSharedGroupsList())).journaled() > 0;
                }
                received.increment(batch.getMessagesCount());
                routedUpTo.put(sender, sequence);
            }
            ForwardAck ack = ForwardAck.newBuilder().setSequence(sequence).build();
            if (!journaled && acked.isDone()) {
                response.write(ack);
                return;
            }
            // the sender acknowledges its publishers on this: persistent sessions here must have it durably first
            CompletableFuture<Void> durable = journaled ? journal.barrier().toCompletableFuture()
                    : CompletableFuture.completedFuture(null);
            // (a failed journal write is repaired by its next snapshot, which holds what the sessions queued)
            acked = acked.thenCombine(durable.exceptionally(failure -> null), (a, b) -> (Void) null)
                    .thenCompose(v -> {
                        CompletableFuture<Void> written = new CompletableFuture<>();
                        context.runOnContext(x -> {
                            response.write(ack);
                            written.complete(null);
                        });
                        return written;
                    });
        }

        @Override
        public void pauseReading() {
            if (pausedBy++ == 0) {
                request.pause();
            }
        }

        @Override
        public void resumeReading() {
            context.runOnContext(v -> {
                if (pausedBy > 0 && --pausedBy == 0) {
                    request.resume();
                }
            });
        }

        @Override
        public void runOnLoop(Runnable task) {
            context.runOnContext(v -> task.run());
        }

        @Override
        public boolean sendPublish(Delivery delivery, long nowMillis) {
            throw new UnsupportedOperationException("a cluster stream is no subscriber");
        }

        @Override
        public void sendPubrel(int packetId) {
            throw new UnsupportedOperationException("a cluster stream is no subscriber");
        }

        @Override
        public int clientReceiveMaximum() {
            return 0;
        }

        @Override
        public boolean writeQueueFull() {
            return false;
        }

        @Override
        public Permissions deliveryPermissions() {
            return Permissions.NONE;
        }
    }
}

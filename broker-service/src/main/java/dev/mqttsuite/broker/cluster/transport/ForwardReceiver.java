package dev.mqttsuite.broker.cluster.transport;

import dev.mqttsuite.broker.auth.Permissions;
import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.routing.Router;
import dev.mqttsuite.broker.routing.SharedGroupSelector;
import dev.mqttsuite.broker.session.Custody;
import dev.mqttsuite.broker.session.Delivery;
import dev.mqttsuite.broker.session.SessionJournal;
import dev.mqttsuite.broker.session.SessionListener;
import dev.mqttsuite.cluster.v1.ClusterMessage;
import dev.mqttsuite.cluster.v1.ForwardAck;
import dev.mqttsuite.cluster.v1.ForwardBatch;
import dev.mqttsuite.topic.TopicFilter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerOptions;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
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
    /** This broker's member id, and where custody tokens of its own copies go (a kept message handed back here). */
    private volatile String localMember = "";
    private volatile LongConsumer ownTokens = token -> { };
    /** The open stream from each peer, by its member id: settled custody tokens go back on it. */
    private final Map<String, Inbound> inbound = new ConcurrentHashMap<>();
    /** Custody tokens settled here and not yet sent back, by the member holding the copies. */
    private final Map<String, Settlements> settlements = new ConcurrentHashMap<>();

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

    /** Where custody tokens settle that this broker holds itself (see {@link SharedCustody}). */
    public void custody(String localMemberId, LongConsumer ownCopies) {
        this.localMember = localMemberId;
        this.ownTokens = ownCopies;
    }

    /** The sender left the cluster: its sequence numbers will never come again, nor will it need its tokens back. */
    public void forget(String memberId) {
        routedUpTo.remove(memberId);
        settlements.remove(memberId);
    }

    /** A kept message ended here: its token goes back to the broker holding the copy, on that broker's stream here. */
    private void settle(String holder, long token) {
        if (holder.equals(localMember)) {
            ownTokens.accept(token);
            return;
        }
        Settlements pending = settlements.computeIfAbsent(holder, h -> new Settlements());
        if (!pending.add(token)) {
            return; // a flush is already on its way
        }
        Inbound stream = inbound.get(holder);
        if (stream == null) {
            pending.unscheduled(); // sent when the holder's stream opens again
        } else {
            stream.runOnLoop(() -> stream.sendSettled(pending));
        }
    }

    /** Settled tokens for one holder, bounded: past the bound the oldest are forgotten (the holder keeps a copy). */
    private static final class Settlements {
        private static final int MAX_PENDING = 100_000;
        private final ArrayDeque<Long> tokens = new ArrayDeque<>();
        private boolean scheduled;

        /** True when the caller must schedule a flush. */
        synchronized boolean add(long token) {
            if (tokens.size() >= MAX_PENDING) {
                tokens.poll();
            }
            tokens.add(token);
            if (scheduled) {
                return false;
            }
            scheduled = true;
            return true;
        }

        synchronized void unscheduled() {
            scheduled = false;
        }

        synchronized List<Long> take() {
            List<Long> taken = new ArrayList<>(tokens);
            tokens.clear();
            scheduled = false;
            return taken;
        }
    }

    /**
     * The custody of each shared group a forwarded message carries a token for: a delivery here settles it when it
     * ends; a group with no delivery here (no member any more) settles at once.
     */
    private final class CustodySelector implements SharedGroupSelector {
        private final Map<String, Received> byGroup = new HashMap<>(2);

        CustodySelector(ClusterMessage proto, String sender) {
            String holder = proto.getCustodyMember().isEmpty() ? sender : proto.getCustodyMember();
            for (int i = 0; i < proto.getSharedGroupsCount(); i++) {
                long token = i < proto.getCustodyTokensCount() ? proto.getCustodyTokens(i) : 0;
                byGroup.put(proto.getSharedGroups(i), token == 0 ? null : new Received(holder, token));
            }
        }

        @Override
        public boolean servesLocally(String shareName, TopicFilter filter) {
            return byGroup.containsKey(SharedGroupSelector.key(shareName, filter));
        }

        @Override
        public Custody custody(String shareName, TopicFilter filter) {
            Received received = byGroup.get(SharedGroupSelector.key(shareName, filter));
            if (received != null) {
                received.taken = true;
            }
            return received;
        }

        void settleUntaken() {
            for (Received received : byGroup.values()) {
                if (received != null && !received.taken) {
                    received.settle();
                }
            }
        }
    }

    /** The custody of one forwarded shared-group message delivered here. */
    private final class Received implements Custody {
        private final String holder;
        private final long token;
        private final AtomicBoolean settled = new AtomicBoolean();
        boolean taken;

        Received(String holder, long token) {
            this.holder = holder;
            this.token = token;
        }

        @Override
        public void settle() {
            if (settled.compareAndSet(false, true)) {
                ForwardReceiver.this.settle(holder, token);
            }
        }

        @Override
        public String holder() {
            return holder;
        }

        @Override
        public long token() {
            return token;
        }
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
            request.exceptionHandler(failure -> {
                LOG.debugf("Cluster stream from %s: %s", senderNode, failure);
                closed();
            });
            request.endHandler(v -> {
                closed();
                response.end();
            });
            response.writeHead();
        }

        private void frame(ForwardBatch batch) {
            if (batch.getSequence() == 0) {
                sender = batch.getSenderMember();
                senderNode = batch.getSenderNode();
                LOG.debugf("Cluster stream from %s (%s) open", senderNode, sender);
                inbound.put(sender, this);
                Settlements pending = settlements.get(sender);
                if (pending != null) {
                    sendSettled(pending); // settled while the stream was down
                }
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
                    if (proto.getCustodyTokensCount() == 0) {
                        journaled |= localRouter.route(message, this, !proto.getSharedOnly(),
                                SharedGroupSelector.only(proto.getSharedGroupsList())).journaled() > 0;
                    } else {
                        CustodySelector groups = new CustodySelector(proto, sender);
                        journaled |= localRouter.route(message, this, !proto.getSharedOnly(), groups)
                                .journaled() > 0;
                        groups.settleUntaken();
                    }
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

        private void closed() {
            if (sender != null) {
                inbound.remove(sender, this);
            }
        }

        /** Writes the settled tokens waiting for this stream's sender; on the stream's loop. */
        void sendSettled(Settlements pending) {
            List<Long> tokens = pending.take();
            for (int from = 0; from < tokens.size(); from += 8_192) {
                response.write(ForwardAck.newBuilder().setSequence(0)
                        .addAllSettled(tokens.subList(from, Math.min(tokens.size(), from + 8_192))).build());
            }
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

package dev.mqttsuite.broker.cluster.transport;

import dev.mqttsuite.broker.cluster.member.Peer;
import dev.mqttsuite.cluster.v1.ClusterMessage;
import dev.mqttsuite.cluster.v1.ForwardAck;
import dev.mqttsuite.cluster.v1.ForwardBatch;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.client.GrpcClient;
import io.vertx.grpc.client.GrpcClientRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * This broker's outbound stream to one peer: one ordered gRPC stream ({@code BrokerCluster.Forward}), a bounded
 * {@link ForwardWindow}, batched frames. Publishers on any event loop {@link #offer}; the link's own event loop writes
 * frames while the stream is writable (HTTP/2 flow control) and completes the QoS 1/2 stages when the peer
 * acknowledges. A broken stream is reopened after a delay and the unacknowledged frames go again with the same
 * sequence numbers, which the peer uses to route each frame once.
 */
final class PeerLink {

    private static final Logger LOG = Logger.getLogger(PeerLink.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    private static final int WARN_AFTER_FAILURES = 10;

    private final Peer peer;
    private final Vertx vertx;
    private final Context context;
    private final GrpcClient client;
    private final ForwardBatch hello;
    private final Duration reconnectDelay;
    private final ForwardWindow window;
    private final PeerMetrics metrics;
    /** Keeps the copies of shared-group messages this link carries (see {@link SharedCustody}). */
    private final ClusterForwarder custodian;

    // guarded by this
    private GrpcClientRequest<ForwardBatch, ForwardAck> stream;
    private boolean drainScheduled;
    private boolean closed;
    // confined to the context
    private boolean connecting;
    private boolean warned;
    private int failures;

    PeerLink(Peer peer, Vertx vertx, GrpcClient client, String localMemberId, String localNodeId,
            ForwardWindow window, Duration reconnectDelay, MeterRegistry registry, ClusterForwarder custodian) {
        this.peer = peer;
        this.custodian = custodian;
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.client = client;
        this.hello = ForwardBatch.newBuilder().setSequence(0).setSenderMember(localMemberId)
                .setSenderNode(localNodeId).build();
        this.reconnectDelay = reconnectDelay;
        this.window = window;
        this.metrics = new PeerMetrics(registry, peer.nodeId(), this::queued, this::inFlight);
    }

    Peer peer() {
        return peer;
    }

    /** Opens the stream (on the link's event loop). */
    void start() {
        context.runOnContext(v -> connect());
    }

    /**
     * Queues a message for the peer. Called on any publisher's event loop.
     *
     * @return for QoS 1/2, completes when the peer acknowledged the frame carrying it; for QoS 0, a completed stage
     *     (the message was queued or, beyond the window, dropped and counted); fails for QoS 1/2 once the peer left
     */
    CompletionStage<Void> offer(ClusterMessage message, int qos) {
        CompletableFuture<Void> accepted = qos == 0 ? null : new CompletableFuture<>();
        boolean schedule = false;
        synchronized (this) {
            if (closed) { // the peer left: refused like the messages its departure found waiting (see close)
                return qos == 0 ? DONE : CompletableFuture.failedFuture(left());
            }
            switch (window.offer(message, accepted)) {
                case DROPPED -> metrics.dropped();
                case ADMITTED -> {
                    schedule = stream != null && !drainScheduled;
                    drainScheduled |= schedule;
                }
                case WAITING -> {
                    // admitted when an acknowledgement frees room
                }
            }
        }
        if (schedule) {
            context.runOnContext(v -> drain());
        }
        return accepted == null ? DONE : accepted;
    }

    private void connect() {
        synchronized (this) {
            if (closed || stream != null || connecting) {
                return;
            }
        }
        connecting = true;
        client.request(SocketAddress.inetSocketAddress(peer.grpcPort(), peer.grpcHost()),
                ForwardMethod.CLIENT).onComplete(opened -> {
                    connecting = false;
                    if (opened.failed()) {
                        broken(null, opened.cause());
                        return;
                    }
                    opened(opened.result());
                });
    }

    private void opened(GrpcClientRequest<ForwardBatch, ForwardAck> request) {
        request.exceptionHandler(failure -> broken(request, failure));
        request.drainHandler(v -> drain());
        request.response().onSuccess(response -> {
            response.handler(this::acknowledged);
            response.exceptionHandler(failure -> broken(request, failure));
            response.endHandler(v -> broken(request, new IllegalStateException("stream ended by the peer: "
                    + response.status() + " " + response.statusMessage())));
        }).onFailure(failure -> broken(request, failure));
        List<ForwardWindow.Batch> resend;
        synchronized (this) {
            if (closed) {
                request.cancel();
                return;
            }
            stream = request;
            drainScheduled = true;
            resend = window.unacknowledged();
        }
        request.write(hello);
        for (ForwardWindow.Batch batch : resend) {
            request.write(frame(batch));
        }
        if (warned) {
            LOG.infof("Cluster stream to %s (%s) open again", peer.nodeId(), peer.grpcAddress());
            warned = false;
        }
        failures = 0;
        drain();
    }

    /** Writes ready frames while the stream takes them; runs on the link's event loop. */
    private void drain() {
        while (true) {
            GrpcClientRequest<ForwardBatch, ForwardAck> current;
            ForwardWindow.Batch batch;
            synchronized (this) {
                current = stream;
                if (current == null) {
                    drainScheduled = false;
                    return;
                }
                if (current.writeQueueFull()) {
                    return; // the drain handler comes back; drainScheduled stays set meanwhile
                }
                batch = window.nextBatch(System.nanoTime());
                if (batch == null) {
                    drainScheduled = false;
                    return;
                }
            }
            current.write(frame(batch));
        }
    }

    private void acknowledged(ForwardAck ack) {
        if (ack.getSettledCount() > 0) {
            custodian.settled(ack.getSettledList());
        }
        if (ack.getSequence() == 0) {
            return; // custody only
        }
        List<ForwardWindow.Batch> done;
        boolean schedule;
        synchronized (this) {
            done = window.acknowledge(ack.getSequence());
            schedule = stream != null && !drainScheduled && window.hasReady();
            drainScheduled |= schedule;
        }
        long now = System.nanoTime();
        for (ForwardWindow.Batch batch : done) {
            metrics.acknowledged(batch.messages().size(), now - batch.sentAtNanos());
            for (ClusterMessage message : batch.messages()) {
                if (message.getCustodyTokensCount() > 0) {
                    custodian.accepted(message);
                }
            }
            batch.accepted().forEach(stage -> stage.complete(null));
        }
        if (schedule) {
            drain();
        }
    }

    private void broken(GrpcClientRequest<ForwardBatch, ForwardAck> request, Throwable failure) {
        synchronized (this) {
            if (request != null && stream != request) {
                return; // an older stream's late event
            }
            stream = null;
            drainScheduled = false;
            if (closed) {
                return;
            }
        }
        if (request != null) {
            request.cancel();
        }
        // a peer that is still starting refuses streams for a moment: only a lasting failure is worth a warning
        if (!warned && ++failures >= WARN_AFTER_FAILURES) {
            LOG.warnf("Cluster stream to %s (%s) broken, reconnecting every %s while it is a member: %s",
                    peer.nodeId(), peer.grpcAddress(), reconnectDelay, failure.toString());
            warned = true;
        } else {
            LOG.debugf("Cluster stream to %s (%s): %s", peer.nodeId(), peer.grpcAddress(), failure);
        }
        vertx.setTimer(Math.max(1, reconnectDelay.toMillis()), id -> context.runOnContext(v -> connect()));
    }

    private static ForwardBatch frame(ForwardWindow.Batch batch) {
        return ForwardBatch.newBuilder().setSequence(batch.sequence()).addAllMessages(batch.messages()).build();
    }

    /**
     * The peer left the cluster: the stream closes and every waiting QoS 1/2 publisher is refused (0x80), not
     * acknowledged: the peer never accepted those messages, and its persistent sessions live on elsewhere from their
     * replicas (docs/adr/0017), so an acknowledgement would claim a delivery that did not happen. The publisher may
     * send again.
     */
    void close() {
        List<CompletableFuture<Void>> released;
        GrpcClientRequest<ForwardBatch, ForwardAck> current;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            released = window.release();
            current = stream;
            stream = null;
        }
        IllegalStateException left = left();
        released.forEach(stage -> stage.completeExceptionally(left));
        metrics.remove();
        if (current != null) {
            context.runOnContext(v -> current.end()); // half-close: the peer ends its side
        }
    }

    private IllegalStateException left() {
        return new IllegalStateException("cluster peer " + peer.nodeId() + " left before accepting the message");
    }

    synchronized int queued() {
        return window.ready() + window.waiting();
    }

    synchronized int inFlight() {
        return window.inFlight();
    }

    synchronized boolean isConnected() {
        return stream != null;
    }

    double droppedCount() {
        return metrics.droppedCount();
    }

    double forwardedCount() {
        return metrics.forwardedCount();
    }
}

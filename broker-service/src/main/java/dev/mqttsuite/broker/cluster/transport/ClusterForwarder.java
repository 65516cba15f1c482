package dev.mqttsuite.broker.cluster.transport;

import dev.mqttsuite.broker.cluster.member.Peer;
import dev.mqttsuite.broker.cluster.route.RemoteRoutes;
import dev.mqttsuite.broker.config.BrokerConfig;
import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.routing.MessageForwarder;
import dev.mqttsuite.cluster.v1.ClusterMessage;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.grpc.client.GrpcClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The cluster's {@link MessageForwarder}: a publish is matched against the other brokers' routes (a local lookup in
 * {@link RemoteRoutes}) and goes once to each broker with a matching route, however many subscribers it has there,
 * through that peer's {@link PeerLink}. The returned stage completes when every such peer acknowledged it (at once for
 * QoS 0). {@code $SYS} topics stay on their broker.
 */
public final class ClusterForwarder implements MessageForwarder, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClusterForwarder.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final RemoteRoutes remote;
    private final Vertx vertx;
    private final GrpcClient client;
    private final String localMemberId;
    private final String localNodeId;
    private final BrokerConfig.Cluster.Forward settings;
    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, PeerLink> links = new ConcurrentHashMap<>();

    public ClusterForwarder(RemoteRoutes remote, Vertx vertx, ChannelSecurity security, String localMemberId,
            String localNodeId, BrokerConfig.Cluster.Forward settings, MeterRegistry registry) {
        this.remote = remote;
        this.vertx = vertx;
        this.client = GrpcClient.client(vertx, security.clientOptions());
        this.localMemberId = localMemberId;
        this.localNodeId = localNodeId;
        this.settings = settings;
        this.registry = registry;
    }

    @Override
    public CompletionStage<Void> forward(Message message) {
        if (remote.isEmpty() || isSys(message)) {
            return DONE;
        }
        List<String> members = new ArrayList<>(2);
        remote.matchMembers(message.topic(), member -> {
            if (!members.contains(member)) {
                members.add(member);
            }
        });
        if (members.isEmpty()) {
            return DONE;
        }
        ClusterMessage encoded = MessageCodec.encode(message, System.currentTimeMillis());
        CompletionStage<Void> all = DONE;
        for (String member : members) {
            PeerLink link = links.get(member);
            if (link == null) {
                continue; // a route of a member that left a moment ago
            }
            CompletionStage<Void> stage = link.offer(encoded, message.qos());
            all = all == DONE ? stage : stage == DONE ? all : all.thenCombine(stage, (a, b) -> null);
        }
        return all;
    }

    private static boolean isSys(Message message) {
        return message.topic().isSystemTopic() && "$SYS".equals(message.topic().level(0)); // per broker
    }

    /** A broker joined (or was there when this one joined): its stream opens now. */
    public void peerJoined(Peer peer) {
        if (peer.grpcPort() <= 0) {
            LOG.warnf("Cluster member %s announces no gRPC address: no messages are forwarded to it", peer.memberId());
            return;
        }
        links.computeIfAbsent(peer.memberId(), id -> {
            PeerLink link = new PeerLink(peer, vertx, client, localMemberId, localNodeId,
                    new ForwardWindow(settings.window(), settings.batchSize(), settings.batchBytes()),
                    settings.reconnectDelay(), registry);
            link.start();
            return link;
        });
    }

    /** A broker left: its link closes and publishers waiting for it are released. */
    public void peerLeft(Peer peer) {
        PeerLink link = links.remove(peer.memberId());
        if (link != null) {
            link.close();
        }
    }

    /** Peers with an open stream. */
    public int connectedPeers() {
        int connected = 0;
        for (PeerLink link : links.values()) {
            if (link.isConnected()) {
                connected++;
            }
        }
        return connected;
    }

    /** Peers this broker has a link to (open or reconnecting). */
    public int peers() {
        return links.size();
    }

    @Override
    public void close() {
        links.values().forEach(PeerLink::close);
        links.clear();
        client.close();
    }
}

package dev.mqttsuite.broker.cluster.transport;

import dev.mqttsuite.broker.cluster.member.Peer;
import dev.mqttsuite.broker.cluster.route.RemoteRoutes;
import dev.mqttsuite.broker.config.BrokerConfig;
import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.routing.MessageForwarder;
import dev.mqttsuite.broker.routing.SharedGroupSelector;
import dev.mqttsuite.cluster.v1.ClusterMessage;
import dev.mqttsuite.topic.TopicFilter;
import dev.mqttsuite.topic.index.SharedGroup;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.grpc.client.GrpcClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * The cluster's {@link MessageForwarder}: a publish is matched against the other brokers' routes (a local lookup in
 * {@link RemoteRoutes}) and goes once to each broker with a matching route, however many subscribers it has there,
 * through that peer's {@link PeerLink}. The returned stage completes when every such peer acknowledged it (at once for
 * QoS 0). {@code $SYS} topics stay on their broker.
 *
 * <p>Shared subscriptions: each matching shared group (a route {@code $share/g/f}) is assigned to one broker among those
 * with members of it, this one included, round-robin over the group's brokers, preferring peers whose stream is open.
 * A peer gets the message once, with the groups assigned to it ({@code shared_groups}) and, when it has no matching
 * plain route, {@code shared_only}; this broker's router serves only the groups assigned to it ({@link #dispatch}).
 */
public final class ClusterForwarder implements MessageForwarder, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClusterForwarder.class);
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private static final Dispatch LOCAL = new Dispatch(DONE, SharedGroupSelector.ALL);

    private final RemoteRoutes remote;
    private final Predicate<String> localRoute;
    private final Vertx vertx;
    private final GrpcClient client;
    private final String localMemberId;
    private final String localNodeId;
    private final BrokerConfig.Cluster.Forward settings;
    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, PeerLink> links = new ConcurrentHashMap<>();

    /**
     * @param remote the routes of the other brokers, and this broker's own shared routes
     * @param localRoute whether this broker has a route now (a filter, or a group as {@code $share/g/f})
     */
    public ClusterForwarder(RemoteRoutes remote, Predicate<String> localRoute, Vertx vertx, ChannelSecurity security,
            String localMemberId, String localNodeId, BrokerConfig.Cluster.Forward settings, MeterRegistry registry) {
        this.remote = remote;
        this.localRoute = localRoute;
        this.vertx = vertx;
        this.client = GrpcClient.client(vertx, security.clientOptions());
        this.localMemberId = localMemberId;
        this.localNodeId = localNodeId;
        this.settings = settings;
        this.registry = registry;
    }

    @Override
    public CompletionStage<Void> forward(Message message) {
        return dispatch(message).accepted();
    }

    @Override
    public Dispatch dispatch(Message message) {
        if (remote.isEmpty() || isSys(message)) {
            return LOCAL;
        }
        List<String> plain = new ArrayList<>(2);
        List<SharedGroup<String, Boolean>> groups = new ArrayList<>(0);
        remote.match(message.topic(), member -> {
            if (!plain.contains(member)) {
                plain.add(member);
            }
        }, groups::add);
        if (plain.isEmpty() && groups.isEmpty()) {
            return LOCAL;
        }
        Map<String, List<String>> assigned = null; // peer -> the groups it serves for this message
        List<String> elsewhere = null;
        for (SharedGroup<String, Boolean> group : groups) {
            String key = SharedGroupSelector.key(group.shareName(), group.filter());
            String chosen = pick(group, key);
            if (chosen == null || chosen.equals(localMemberId)) {
                continue; // served here (or by nobody)
            }
            if (assigned == null) {
                assigned = new HashMap<>();
                elsewhere = new ArrayList<>(2);
            }
            assigned.computeIfAbsent(chosen, peer -> new ArrayList<>(1)).add(key);
            elsewhere.add(key);
        }
        if (plain.isEmpty() && assigned == null) {
            return LOCAL; // only groups of this broker matched, and it serves them all
        }
        ClusterMessage encoded = MessageCodec.encode(message, System.currentTimeMillis());
        CompletionStage<Void> all = DONE;
        for (String member : plain) {
            List<String> shared = assigned == null ? null : assigned.remove(member);
            all = offer(all, member, shared == null ? encoded : withGroups(encoded, shared, false), message.qos());
        }
        if (assigned != null) {
            for (Map.Entry<String, List<String>> e : assigned.entrySet()) {
                all = offer(all, e.getKey(), withGroups(encoded, e.getValue(), true), message.qos());
            }
        }
        return new Dispatch(all, elsewhere == null ? SharedGroupSelector.ALL : SharedGroupSelector.except(elsewhere));
    }

    private CompletionStage<Void> offer(CompletionStage<Void> all, String member, ClusterMessage message, int qos) {
        PeerLink link = links.get(member);
        if (link == null) { // a route of a member that left: held until its sessions are adopted (docs/adr/0017)
            return qos == 0 ? all : CompletableFuture.failedFuture(new IllegalStateException(
                    "the broker of a matching session left; its sessions are being adopted elsewhere"));
        }
        CompletionStage<Void> stage = link.offer(message, qos);
        return all == DONE ? stage : stage == DONE ? all : all.thenCombine(stage, (a, b) -> null);
    }

    private static ClusterMessage withGroups(ClusterMessage encoded, List<String> groups, boolean sharedOnly) {
        return encoded.toBuilder().addAllSharedGroups(groups).setSharedOnly(sharedOnly).build();
    }

    /**
     * One broker for a shared group's message: the next of the group's brokers, round-robin, whose stream is open (or
     * this broker, while it has members), else the next one with a link at all (the message waits for its stream);
     * null when there is none.
     */
    private String pick(SharedGroup<String, Boolean> group, String key) {
        SharedGroup.Member<String, Boolean> chosen = group.next(m -> eligible(m.subscriber(), key, true, true));
        if (chosen == null) {
            chosen = group.next(m -> eligible(m.subscriber(), key, true, false));
        }
        return chosen == null ? null : chosen.subscriber();
    }

    private boolean eligible(String member, String key, boolean includeSelf, boolean connectedOnly) {
        if (member.equals(localMemberId)) {
            return includeSelf && localRoute.test(key);
        }
        PeerLink link = links.get(member);
        return link != null && (!connectedOnly || link.isConnected());
    }

    /**
     * Hands a shared group's message on to another broker with members of that group whose stream is open, for that
     * group only; nobody waits for its acknowledgement (the publisher was answered when the message first came).
     */
    @Override
    public boolean forwardShared(Message message, String shareName, TopicFilter filter) {
        if (isSys(message)) {
            return false;
        }
        String key = SharedGroupSelector.key(shareName, filter);
        List<SharedGroup<String, Boolean>> found = new ArrayList<>(1);
        remote.match(message.topic(), member -> { }, group -> {
            if (group.shareName().equals(shareName) && group.filter().value().equals(filter.value())) {
                found.add(group);
            }
        });
        if (found.isEmpty()) {
            return false;
        }
        SharedGroup.Member<String, Boolean> chosen = found.get(0).next(m -> eligible(m.subscriber(), key, false,
                true));
        PeerLink link = chosen == null ? null : links.get(chosen.subscriber());
        if (link == null) {
            return false;
        }
        link.offer(withGroups(MessageCodec.encode(message, System.currentTimeMillis()), List.of(key), true),
                message.qos());
        LOG.debugf("Shared message of %s handed on to member %s", key, chosen.subscriber());
        return true;
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

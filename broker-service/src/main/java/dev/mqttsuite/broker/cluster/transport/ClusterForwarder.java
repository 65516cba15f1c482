package dev.mqttsuite.broker.cluster.transport;

import dev.mqttsuite.broker.cluster.member.Peer;
import dev.mqttsuite.broker.cluster.route.RemoteRoutes;
import dev.mqttsuite.broker.config.BrokerConfig;
import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.routing.MessageForwarder;
import dev.mqttsuite.broker.routing.SharedGroupSelector;
import dev.mqttsuite.broker.session.Custody;
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
    private final SharedCustody custody;
    private volatile LocalShared localShared = (message, shareName, filter) -> { };

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
        this.custody = new SharedCustody(settings.custodyMax(), registry);
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
        Map<String, Assigned> assigned = null; // peer -> the groups it serves for this message
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
            long token = message.qos() == 0 ? 0
                    : custody.hold(message, group.shareName(), group.filter(), chosen, false);
            assigned.computeIfAbsent(chosen, peer -> new Assigned()).add(key, token);
            elsewhere.add(key);
        }
        if (plain.isEmpty() && assigned == null) {
            return LOCAL; // only groups of this broker matched, and it serves them all
        }
        ClusterMessage encoded = MessageCodec.encode(message, System.currentTimeMillis());
        CompletionStage<Void> all = DONE;
        for (String member : plain) {
            Assigned shared = assigned == null ? null : assigned.get(member);
            if (shared != null) {
                shared.withPlain = true;
            }
            all = offer(all, member, shared == null ? encoded : shared.onto(encoded, false), message.qos());
        }
        if (assigned != null) {
            for (Map.Entry<String, Assigned> e : assigned.entrySet()) {
                if (!e.getValue().withPlain) {
                    all = offer(all, e.getKey(), e.getValue().onto(encoded, true), message.qos());
                }
            }
            assigned.forEach((peer, shared) -> releaseIfLeft(peer, shared.tokens));
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

    /** The shared groups one peer serves for a message, with the custody token of each (0 = none). */
    private static final class Assigned {
        final List<String> groups = new ArrayList<>(1);
        final List<Long> tokens = new ArrayList<>(1);
        /** Sent in the peer's plain copy of the message rather than a shared-only one. */
        boolean withPlain;

        void add(String group, long token) {
            groups.add(group);
            tokens.add(token);
        }

        ClusterMessage onto(ClusterMessage encoded, boolean sharedOnly) {
            ClusterMessage.Builder builder = encoded.toBuilder().addAllSharedGroups(groups).setSharedOnly(sharedOnly);
            if (tokens.stream().anyMatch(t -> t != 0)) {
                builder.addAllCustodyTokens(tokens);
            }
            return builder.build();
        }
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
     * group only; nobody waits for its acknowledgement (the publisher was answered when the message first came). The
     * custody goes with it: the broker holding a copy is named in the message and the receiver settles with it; a
     * QoS 1/2 message nobody held a copy of is kept here until the receiver settles it.
     */
    @Override
    public boolean forwardShared(Message message, String shareName, TopicFilter filter, Custody held) {
        if (isSys(message)) {
            return false;
        }
        String key = SharedGroupSelector.key(shareName, filter);
        SharedGroup<String, Boolean> group = group(message, shareName, filter);
        SharedGroup.Member<String, Boolean> chosen = group == null ? null
                : group.next(m -> eligible(m.subscriber(), key, false, true));
        PeerLink link = chosen == null ? null : links.get(chosen.subscriber());
        if (link == null) {
            return false;
        }
        ClusterMessage.Builder builder = MessageCodec.encode(message, System.currentTimeMillis()).toBuilder()
                .addSharedGroups(key).setSharedOnly(true);
        long token = 0;
        if (held != null) {
            builder.addCustodyTokens(held.token()).setCustodyMember(held.holder());
        } else if (message.qos() > 0) {
            token = custody.hold(message, shareName, filter, chosen.subscriber(), true);
            builder.addCustodyTokens(token);
        }
        link.offer(builder.build(), message.qos());
        if (links.get(chosen.subscriber()) != link) {
            // it left meanwhile: a copy its departure did not take stays ours to give elsewhere (the caller does)
            return token != 0 && !custody.release(token);
        }
        LOG.debugf("Shared message of %s handed on to member %s", key, chosen.subscriber());
        return true;
    }

    /**
     * Copies kept for a peer that left while a message was being given to it: its departure ({@link #peerLeft})
     * removes the link before it collects the copies, so a link that is gone now means that collection may have run
     * before the copies existed; they are dropped instead of waiting for ever for a settlement. The message's QoS 1/2
     * publisher is refused (0x80) by the missing link and sends it again.
     */
    private void releaseIfLeft(String peer, List<Long> tokens) {
        if (!links.containsKey(peer)) {
            tokens.forEach(custody::settle);
        }
    }

    /** The cluster's view of {@code $share/{shareName}/{filter}} for a message's topic; null when nobody has it. */
    private SharedGroup<String, Boolean> group(Message message, String shareName, TopicFilter filter) {
        List<SharedGroup<String, Boolean>> found = new ArrayList<>(1);
        remote.match(message.topic(), member -> { }, group -> {
            if (group.shareName().equals(shareName) && group.filter().value().equals(filter.value())) {
                found.add(group);
            }
        });
        return found.isEmpty() ? null : found.get(0);
    }

    /**
     * A departed broker's kept messages go to another member of their group: another broker's (with a new copy kept),
     * or one here; expired ones and those whose group has no member left are dropped and counted.
     */
    private void redeliverHeldBy(String departed) {
        List<SharedCustody.Held> orphans = custody.takeHeldBy(departed);
        long now = System.currentTimeMillis();
        for (SharedCustody.Held h : orphans) {
            Message message = h.message();
            if (message.isExpired(now)) {
                continue;
            }
            String key = SharedGroupSelector.key(h.shareName(), h.filter());
            SharedGroup<String, Boolean> group = group(message, h.shareName(), h.filter());
            SharedGroup.Member<String, Boolean> chosen = group == null ? null
                    : group.next(m -> eligible(m.subscriber(), key, true, true));
            if (chosen == null && group != null) {
                chosen = group.next(m -> eligible(m.subscriber(), key, true, false));
            }
            if (chosen != null && chosen.subscriber().equals(localMemberId)) {
                localShared.deliver(message, h.shareName(), h.filter());
                custody.redelivered();
                continue;
            }
            PeerLink link = chosen == null ? null : links.get(chosen.subscriber());
            if (link == null) {
                custody.lost();
                LOG.debugf("Kept message of %s (held by departed %s): no member left", key, departed);
                continue;
            }
            long token = custody.hold(message, h.shareName(), h.filter(), chosen.subscriber(), true);
            ClusterMessage.Builder builder = MessageCodec.encode(message, now).toBuilder().addSharedGroups(key)
                    .setSharedOnly(true);
            if (token != 0) {
                builder.addCustodyTokens(token);
            }
            link.offer(builder.build(), message.qos());
            if (links.get(chosen.subscriber()) != link) { // that one left too: its departure takes what it collected
                if (token == 0 || custody.release(token)) {
                    custody.lost();
                }
                continue;
            }
            custody.redelivered();
        }
        if (!orphans.isEmpty()) {
            LOG.infof("%d shared-group messages held by departed member %s given to other members", orphans.size(),
                    departed);
        }
    }

    /** Where a kept message goes when the member chosen for it is on this broker. */
    @FunctionalInterface
    public interface LocalShared {
        void deliver(Message message, String shareName, TopicFilter filter);
    }

    /** Sets where kept messages of a departed broker go when a member here is chosen (this broker's router). */
    public void attachLocal(LocalShared local) {
        this.localShared = local;
    }

    /** A peer settled (or accepted) custody tokens: see {@link SharedCustody}. */
    void settled(List<Long> tokens) {
        tokens.forEach(custody::settle);
    }

    /** Custody kept for the broker itself: a kept message came back here through a hand-on. */
    public void settleLocal(long token) {
        custody.settle(token);
    }

    void accepted(ClusterMessage message) {
        for (int i = 0; i < message.getCustodyTokensCount(); i++) {
            long token = message.getCustodyTokens(i);
            if (token != 0 && message.getCustodyMember().isEmpty()) {
                custody.accepted(token);
            }
        }
    }

    /** Kept shared-group messages not yet settled by their receivers. */
    public int custodySize() {
        return custody.size();
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
                    settings.reconnectDelay(), registry, this);
            link.start();
            return link;
        });
    }

    /**
     * A broker left: its link closes and publishers waiting for it are released; the shared-group messages it held
     * and had not settled go to other members.
     */
    public void peerLeft(Peer peer) {
        PeerLink link = links.remove(peer.memberId());
        if (link != null) {
            link.close();
        }
        redeliverHeldBy(peer.memberId());
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

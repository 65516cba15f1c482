package dev.mqttsuite.broker.cluster;

import dev.mqttsuite.broker.cluster.member.ClusterMember;
import dev.mqttsuite.broker.cluster.route.ClusterRouteTable;
import dev.mqttsuite.broker.cluster.route.HazelcastRoutes;
import dev.mqttsuite.broker.cluster.route.RemoteRoutes;
import dev.mqttsuite.broker.cluster.session.ClusterSessionDirectory;
import dev.mqttsuite.broker.cluster.session.GrpcHandover;
import dev.mqttsuite.broker.cluster.session.SessionReplication;
import dev.mqttsuite.broker.cluster.stats.HazelcastClusterCounts;
import dev.mqttsuite.broker.cluster.transport.ChannelSecurity;
import dev.mqttsuite.broker.cluster.transport.ClusterForwarder;
import dev.mqttsuite.broker.cluster.transport.ForwardMethod;
import dev.mqttsuite.broker.cluster.transport.ForwardReceiver;
import dev.mqttsuite.broker.config.BrokerConfig;
import dev.mqttsuite.broker.metrics.BrokerMetrics;
import dev.mqttsuite.broker.routing.LocalRouteTable;
import dev.mqttsuite.broker.routing.MessageForwarder;
import dev.mqttsuite.broker.routing.RouteTable;
import dev.mqttsuite.broker.routing.Router;
import dev.mqttsuite.broker.routing.SharedGroupSelector;
import dev.mqttsuite.broker.session.OfflineSessionEvents;
import dev.mqttsuite.broker.session.SessionDirectory;
import dev.mqttsuite.broker.session.SessionJournal;
import dev.mqttsuite.broker.session.SessionScope;
import dev.mqttsuite.broker.sys.ClusterCounts;
import dev.mqttsuite.cluster.v1.BrokerClusterGrpc;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.grpc.server.GrpcServer;
import java.io.IOException;
import java.time.Duration;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * This broker as a member of a cluster (docs/adr/0011-broker-cluster-routing.md): started by the server layer only when
 * {@code broker.cluster.enabled=true}, and the only class it touches, so a single broker never loads Hazelcast. It
 * owns the embedded Hazelcast member, the cluster route table (this broker's routes announced, the others' followed
 * into a local index), the gRPC server other brokers forward to, and one outbound link per peer.
 *
 * <p>Start order: {@link #start} binds the gRPC server (so its port can be announced), joins the cluster and loads the
 * routes; the broker then builds its core with {@link #routes()} and {@link #forwarder()}, and {@link #attach} starts
 * routing what peers forward. Until then incoming streams are refused and the peers retry.
 */
public final class BrokerCluster implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BrokerCluster.class);

    private final BrokerConfig.Cluster config;
    private final String nodeId;
    private final ClusterMember member;
    private final ClusterRouteTable routes;
    private final RemoteRoutes remote;
    private final HazelcastRoutes hazelcastRoutes;
    private final ClusterForwarder forwarder;
    private final ForwardReceiver receiver;
    private final HttpServer grpcServer;
    private final BrokerMetrics metrics;
    private final GrpcHandover handover;
    private final SessionReplication replication; // null with broker.cluster.replication.enabled=false
    private volatile ClusterSessionDirectory sessions;
    private volatile boolean attached;
    private HazelcastClusterCounts sysCounts; // created by the first sysCounts call ($SYS on)

    private BrokerCluster(BrokerConfig.Cluster config, String nodeId, ClusterMember member, ClusterRouteTable routes,
            RemoteRoutes remote, HazelcastRoutes hazelcastRoutes, ClusterForwarder forwarder, ForwardReceiver receiver,
            HttpServer grpcServer, BrokerMetrics metrics, GrpcHandover handover, SessionReplication replication) {
        this.handover = handover;
        this.replication = replication;
        this.config = config;
        this.nodeId = nodeId;
        this.member = member;
        this.routes = routes;
        this.remote = remote;
        this.hazelcastRoutes = hazelcastRoutes;
        this.forwarder = forwarder;
        this.receiver = receiver;
        this.grpcServer = grpcServer;
        this.metrics = metrics;
    }

    /**
     * Binds the gRPC server, joins the cluster and loads the other brokers' routes. Blocks (startup thread).
     *
     * @throws IllegalStateException when a port cannot be bound or the routes cannot be loaded
     */
    public static BrokerCluster start(BrokerConfig.Cluster config, BrokerConfig.Limits limits, Vertx vertx,
            BrokerMetrics metrics) {
        return start(config, limits, vertx, metrics, ChannelSecurity.PLAINTEXT);
    }

    /**
     * As {@link #start(BrokerConfig.Cluster, BrokerConfig.Limits, Vertx, BrokerMetrics)}, the streams secured by
     * {@code security}.
     */
    public static BrokerCluster start(BrokerConfig.Cluster config, BrokerConfig.Limits limits, Vertx vertx,
            BrokerMetrics metrics, ChannelSecurity security) {
        int maxTopicLevels = limits.maxTopicLevels();
        String nodeId = config.nodeId().orElseGet(() -> "broker-" + UUID.randomUUID().toString().substring(0, 8));
        ForwardReceiver receiver = new ForwardReceiver(vertx, metrics.registry());
        // a takeover waits for the previous owner at most this long, then the session starts afresh
        GrpcHandover handover = new GrpcHandover(vertx, security.clientOptions(), nodeId, handoverTimeout(config));
        GrpcServer grpc = GrpcServer.server(vertx, ForwardReceiver.serverOptions(limits.maxPacketSize(),
                config.forward().batchBytes()));
        grpc.callHandler(ForwardMethod.SERVER, receiver::open);
        grpc.callHandler(BrokerClusterGrpc.getTakeOverMethod(), handover::serve);
        HttpServer server = vertx.createHttpServer(security.serverOptions().setHost(config.host())
                .setPort(config.grpcPort())).requestHandler(security.guard(grpc));
        try {
            server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot listen for cluster streams on " + config.host() + ":"
                    + config.grpcPort() + " (broker.cluster.grpc-port): " + rootMessage(e), e);
        }
        int hazelcastPort = config.port() == 0 ? freePort(config.host()) : config.port();
        ClusterMember member;
        try {
            member = ClusterMember.start(new ClusterMember.Settings(config.name(), nodeId, config.host(),
                    hazelcastPort, config.members().orElse(List.of()), dnsService(config), config.host(),
                    server.actualPort(), config.failureTimeout(), config.joinTimeout(),
                    ClusterConfigValidator.claimQuorum(config)));
        } catch (RuntimeException e) {
            server.close();
            throw new IllegalStateException("Cannot join the cluster on " + config.host() + ":" + hazelcastPort
                    + " (broker.cluster.port, broker.cluster.discovery, broker.cluster.members,"
                    + " broker.cluster.dns-service): " + rootMessage(e), e);
        }
        ClusterRouteTable routes = new ClusterRouteTable(new LocalRouteTable(maxTopicLevels));
        RemoteRoutes remote = new RemoteRoutes(maxTopicLevels);
        ClusterForwarder forwarder = new ClusterForwarder(remote, routes::hasRoute, vertx, security, member.memberId(),
                nodeId, config.forward(), metrics.registry());
        member.onMembership(peer -> {
            LOG.infof("Cluster member joined: %s (member %s, streams %s)", peer.nodeId(), peer.memberId(),
                    peer.grpcAddress());
            forwarder.peerJoined(peer);
        }, peer -> {
            LOG.infof("Cluster member left: %s (member %s): its routes are removed", peer.nodeId(), peer.memberId());
            forwarder.peerLeft(peer);
            receiver.forget(peer.memberId());
        });
        receiver.custody(member.memberId(), forwarder::settleLocal);
        member.peers().forEach(forwarder::peerJoined);
        HazelcastRoutes hazelcastRoutes = new HazelcastRoutes(member, routes, remote);
        try {
            hazelcastRoutes.start().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            forwarder.close();
            member.close();
            server.close();
            throw new IllegalStateException("Cannot load the cluster's routes: " + rootMessage(e), e);
        }
        SessionReplication replication = config.replication().enabled()
                ? new SessionReplication(member, config.replication().timeout(), metrics.registry()) : null;
        BrokerCluster cluster = new BrokerCluster(config, nodeId, member, routes, remote, hazelcastRoutes, forwarder,
                receiver, server, metrics, handover, replication);
        metrics.gauge("mqtt.cluster.members", "Brokers in the cluster, this one included", member::size);
        metrics.gauge("mqtt.cluster.routes.local", "Distinct filters this broker announces (one route each)",
                routes::routeCount);
        metrics.gauge("mqtt.cluster.routes.remote", "Routes of the other brokers known here",
                () -> remote.size() - remote.size(member.memberId()));
        metrics.gauge("mqtt.cluster.peers.connected", "Peers this broker has an open forward stream to",
                forwarder::connectedPeers);
        LOG.infof("Cluster node %s: Hazelcast %s:%d, cluster streams on %s:%d (%s), %d member(s), %d remote routes",
                nodeId, config.host(), hazelcastPort, config.host(), server.actualPort(), security.describe(),
                member.size(), remote.size());
        return cluster;
    }

    /** The route table the broker's core uses: local subscriptions, announced to the cluster per filter. */
    public RouteTable routes() {
        return routes;
    }

    /** Where the broker's core hands every publish for the other brokers. */
    public MessageForwarder forwarder() {
        return forwarder;
    }

    /**
     * The broker's sessions as a cluster member: one owner per client id cluster-wide, taken over across brokers
     * (cluster/session, docs/adr/0011-broker-cluster-routing.md, "Sessions (phase 2a)").
     */
    public SessionScope sessionScope() {
        return (local, evictor) -> {
            ClusterSessionDirectory directory = new ClusterSessionDirectory(local, evictor, routes, member, handover,
                    handoverTimeout(config).plusSeconds(1), replication);
            sessions = directory;
            handover.answerFrom(directory);
            if (replication != null) {
                hazelcastRoutes.departureGate(directory::departed); // no fail-over gap (docs/adr/0017)
            }
            return directory;
        };
    }

    /**
     * The journal the broker's sessions write to: {@code local} (the session log, or none) and, unless
     * {@code broker.cluster.replication.enabled=false}, the replica on another broker; an acknowledgement waits for
     * both (docs/adr/0017-cluster-session-replication.md).
     */
    public SessionJournal journal(SessionJournal local) {
        return replication == null ? local : replication.journal(local);
    }

    /** The routes of the other brokers known here, and this broker's shared routes (for tests). */
    RemoteRoutes remoteRoutes() {
        return remote;
    }

    String memberId() {
        return member.memberId();
    }

    /** Starts routing the messages other brokers forward, to this broker's sessions only. */
    public void attach(SessionDirectory sessions, SessionJournal journal) {
        attach(sessions, journal, OfflineSessionEvents.NONE);
    }

    /**
     * {@link #attach}, with where sessions adopted from a departed broker's replica, or handed over to another broker,
     * get their expiry and will handled.
     */
    public void attach(SessionDirectory sessions, SessionJournal journal, OfflineSessionEvents offline) {
        if (this.sessions != null) {
            this.sessions.offlineSessions(offline);
        }
        Router local = new Router(routes, metrics, sessions::deliveryPermissions);
        receiver.attach(local, journal);
        // a departed broker's kept shared-group messages, when a member here is chosen for them
        forwarder.attachLocal((message, shareName, filter) -> local.route(message, null, false,
                SharedGroupSelector.only(List.of(SharedGroupSelector.key(shareName, filter)))));
        attached = true;
    }

    /**
     * Where this broker shares its {@code $SYS} figures and reads the others' ({@code $SYS/cluster/...}, published
     * every {@code interval}); started by the first call. Blocks (startup thread).
     */
    public synchronized ClusterCounts sysCounts(Duration interval) {
        if (sysCounts == null) {
            sysCounts = new HazelcastClusterCounts(member, HazelcastClusterCounts.ttlFor(interval)).start();
        }
        return sysCounts;
    }

    /** Ready: joined, routes loaded, routing what peers forward. */
    public boolean isReady() {
        return attached && member.isRunning();
    }

    public String nodeId() {
        return nodeId;
    }

    public int members() {
        return member.size();
    }

    /** The node ids of the members now, this one first (the admin API's overview). */
    public java.util.List<String> memberNodeIds() {
        java.util.List<String> ids = new java.util.ArrayList<>();
        ids.add(nodeId);
        member.peers().forEach(peer -> ids.add(peer.nodeId()));
        return ids;
    }

    public int grpcPort() {
        return grpcServer.actualPort();
    }

    /** Withdraws this broker's routes, closes the streams and leaves the cluster gracefully. */
    @Override
    public void close() {
        attached = false;
        if (sessions != null) {
            sessions.close();
        }
        handover.close();
        if (replication != null) {
            replication.close(); // what is queued reaches the replicas before this member leaves
        }
        hazelcastRoutes.close(replication == null); // replicated sessions: the survivors hold the routes, then adopt
        forwarder.close();
        try {
            grpcServer.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debugf("Closing the cluster gRPC server: %s", e.toString());
        }
        member.close();
        LOG.infof("Cluster node %s left the cluster %s", nodeId, config.name());
    }

    /** The headless Service's DNS name with discovery dns; null (the members list) otherwise. */
    private static String dnsService(BrokerConfig.Cluster config) {
        return config.discovery() == BrokerConfig.Cluster.Discovery.DNS
                ? config.dnsService().map(String::trim).orElseThrow() : null;
    }

    /** How long a takeover waits for the previous owner before the session starts afresh. */
    private static Duration handoverTimeout(BrokerConfig.Cluster config) {
        return Duration.ofMillis(Math.max(2000, config.failureTimeout().toMillis() / 2));
    }

    private static int freePort(String host) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free port on " + host + ": " + e.getMessage(), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.toString();
    }
}

package dev.mqttsuite.broker.cluster.member;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionOn;
import com.hazelcast.spi.merge.DiscardMergePolicy;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * This broker's embedded Hazelcast member: membership, failure detection and the cluster's data structures (the route
 * table). Configured entirely here, from {@code broker.cluster.*}: TCP/IP join on a fixed member list, or Hazelcast's
 * Kubernetes discovery in DNS lookup mode (the addresses a headless Service's name resolves to; no Kubernetes API
 * calls, so no permissions), multicast and auto-detection off, phone-home off, logging through JBoss logging (slf4j
 * binding), no shutdown hook (Quarkus owns shutdown). Its gRPC address and node id are member attributes, which is how
 * peers find each other's message port.
 */
public final class ClusterMember implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ClusterMember.class);

    /** Member attribute: host:port of the broker-to-broker gRPC server. */
    public static final String GRPC_ADDRESS = "mqtt.grpc";
    /** Member attribute: the broker's node id. */
    public static final String NODE_ID = "mqtt.node";

    /** The session ownership map (cluster/session): synchronous backup, split-brain protected. */
    public static final String SESSIONS_MAP = "mqtt.sessions";
    /** Replicas of persistent sessions (docs/adr/0017-cluster-session-replication.md). */
    public static final String REPLICAS_MAP = "mqtt.session-replicas";
    private static final String SESSIONS_QUORUM = "mqtt-sessions-quorum";

    /**
     * What a member needs to start. {@code dnsService} null: join the TCP/IP list {@code members} (empty: this member
     * alone); otherwise discover the members by resolving that DNS name (a headless Service), each at {@code port}.
     *
     * @param claimQuorum the members the session ownership map needs for any operation (split-brain protection);
     *     0 = off
     */
    public record Settings(String clusterName, String nodeId, String host, int port, List<String> members,
            String dnsService, String grpcHost, int grpcPort, Duration failureTimeout, Duration joinTimeout,
            int claimQuorum) {

        public Settings(String clusterName, String nodeId, String host, int port, List<String> members,
                String dnsService, String grpcHost, int grpcPort, Duration failureTimeout, Duration joinTimeout) {
            this(clusterName, nodeId, host, port, members, dnsService, grpcHost, grpcPort, failureTimeout,
                    joinTimeout, 0);
        }
    }

    private final HazelcastInstance hazelcast;
    private final String memberId;
    private final String nodeId;

    private ClusterMember(HazelcastInstance hazelcast, String nodeId) {
        this.hazelcast = hazelcast;
        this.memberId = hazelcast.getCluster().getLocalMember().getUuid().toString();
        this.nodeId = nodeId;
    }

    /** Starts the member and returns once it joined a cluster (or formed one alone after the join timeout). */
    public static ClusterMember start(Settings settings) {
        ClusterMember member = new ClusterMember(Hazelcast.newHazelcastInstance(hazelcastConfig(settings)),
                settings.nodeId());
        LOG.infof("Cluster %s joined as %s (member %s, %s:%d): %d member(s)", settings.clusterName(),
                settings.nodeId(), member.memberId, settings.host(), settings.port(), member.size());
        return member;
    }

    static Config hazelcastConfig(Settings settings) {
        Config config = new Config();
        config.setClusterName(settings.clusterName());
        config.setInstanceName("mqtt-" + settings.nodeId() + "-" + settings.port());
        config.setClassLoader(ClusterMember.class.getClassLoader());
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.shutdownhook.enabled", "false");
        config.setProperty("hazelcast.logging.type", "slf4j");
        config.setProperty("hazelcast.socket.bind.any", "false");
        long failureSeconds = Math.max(2, settings.failureTimeout().toSeconds());
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", Long.toString(failureSeconds));
        // a member that starts alone waits this long for the listed members before it forms a cluster of its own
        long joinSeconds = Math.max(1, settings.joinTimeout().toSeconds());
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.max.wait.seconds.before.join", Long.toString(joinSeconds));
        config.getMemberAttributeConfig().setAttribute(GRPC_ADDRESS, settings.grpcHost() + ":" + settings.grpcPort());
        config.getMemberAttributeConfig().setAttribute(NODE_ID, settings.nodeId());
        config.getJetConfig().setEnabled(false);
        // A member that was cut off (partition, long pause, a DNS answer cached before the others existed) merges
        // back within seconds, not after Hazelcast's default first merge check at 5 minutes.
        config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
        config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
        sessionsMap(config, settings.claimQuorum());

        NetworkConfig network = config.getNetworkConfig();
        network.setPort(settings.port()).setPortAutoIncrement(false).setPublicAddress(settings.host() + ":"
                + settings.port());
        network.getInterfaces().setEnabled(true).addInterface(settings.host());
        network.getRestApiConfig().setEnabled(false);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        if (settings.dnsService() != null) {
            // DNS lookup mode of the discovery built into the hazelcast jar: A records of the name, each at port
            join.getTcpIpConfig().setEnabled(false);
            join.getKubernetesConfig().setEnabled(true)
                    .setProperty("service-dns", settings.dnsService())
                    .setProperty("service-port", Integer.toString(settings.port()));
        } else {
            join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds((int) joinSeconds)
                    .setMembers(new ArrayList<>(settings.members().isEmpty()
                            ? List.of(settings.host() + ":" + settings.port()) : settings.members()));
        }
        return config;
    }

    /**
     * The session ownership map: one synchronous backup, no async ones; below the quorum every operation on it fails
     * (a minority side refuses claims); after a split the larger side's entries win ({@code DiscardMergePolicy}: what
     * the smaller side merges in is dropped), because only the majority side could claim meanwhile.
     */
    private static void sessionsMap(Config config, int quorum) {
        MapConfig map = new MapConfig(SESSIONS_MAP).setBackupCount(1).setAsyncBackupCount(0)
                .setMergePolicyConfig(new MergePolicyConfig().setPolicy(DiscardMergePolicy.class.getName()));
        if (quorum > 1) {
            config.addSplitBrainProtectionConfig(new SplitBrainProtectionConfig(SESSIONS_QUORUM, true, quorum)
                    .setProtectOn(SplitBrainProtectionOn.READ_WRITE));
            map.setSplitBrainProtectionName(SESSIONS_QUORUM);
        }
        config.addMapConfig(map);
        // replicas: the same backups, quorum and merge rule; kept as objects, so an update applies its records in
        // place instead of decoding and encoding the whole session (docs/adr/0017-cluster-session-replication.md)
        MapConfig replicas = new MapConfig(REPLICAS_MAP).setBackupCount(1).setAsyncBackupCount(0)
                .setInMemoryFormat(InMemoryFormat.OBJECT)
                .setMergePolicyConfig(new MergePolicyConfig().setPolicy(DiscardMergePolicy.class.getName()));
        if (quorum > 1) {
            replicas.setSplitBrainProtectionName(SESSIONS_QUORUM);
        }
        config.addMapConfig(replicas);
    }

    /** The Hazelcast instance, for the cluster's data structures. */
    public HazelcastInstance hazelcast() {
        return hazelcast;
    }

    /** This member's UUID: the owner of this broker's routes. */
    public String memberId() {
        return memberId;
    }

    public String nodeId() {
        return nodeId;
    }

    /** Members in the cluster, this one included; 0 once it stopped. */
    public int size() {
        return isRunning() ? hazelcast.getCluster().getMembers().size() : 0;
    }

    public boolean isRunning() {
        return hazelcast.getLifecycleService().isRunning();
    }

    /** The other members now. */
    public List<Peer> peers() {
        List<Peer> peers = new ArrayList<>();
        for (Member member : hazelcast.getCluster().getMembers()) {
            if (!member.localMember()) {
                peers.add(peer(member));
            }
        }
        return peers;
    }

    /** This member's UUID now: Hazelcast gives a member a new one when it rejoins after a split. */
    public String currentMemberId() {
        return hazelcast.getCluster().getLocalMember().getUuid().toString();
    }

    /** The other member with this UUID, if it is a member now. */
    public java.util.Optional<Peer> peer(String memberId) {
        for (Member member : hazelcast.getCluster().getMembers()) {
            if (!member.localMember() && member.getUuid().toString().equals(memberId)) {
                return java.util.Optional.of(peer(member));
            }
        }
        return java.util.Optional.empty();
    }

    /** Whether the member is a current member of the cluster. */
    public boolean isMember(String memberId) {
        for (Member member : hazelcast.getCluster().getMembers()) {
            if (member.getUuid().toString().equals(memberId)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Calls {@code joined} for every member that joins from now on and {@code left} with the member id of every member
     * that leaves (gracefully or declared dead), on Hazelcast's event thread.
     */
    public void onMembership(Consumer<Peer> joined, Consumer<Peer> left) {
        hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                joined.accept(peer(event.getMember()));
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                left.accept(peer(event.getMember()));
            }
        });
    }

    /** Calls {@code merged} after this member rejoined the cluster following a split brain. */
    public void onMerged(Runnable merged) {
        hazelcast.getLifecycleService().addLifecycleListener(event -> {
            if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
                merged.run();
            }
        });
    }

    private static Peer peer(Member member) {
        String address = member.getAttribute(GRPC_ADDRESS);
        String nodeId = member.getAttribute(NODE_ID);
        int colon = address == null ? -1 : address.lastIndexOf(':');
        if (colon < 0) {
            return new Peer(member.getUuid().toString(), nodeId == null ? member.getUuid().toString() : nodeId,
                    null, -1);
        }
        return new Peer(member.getUuid().toString(), nodeId, address.substring(0, colon),
                Integer.parseInt(address.substring(colon + 1)));
    }

    /** Leaves the cluster gracefully (partitions migrate to the others). */
    @Override
    public void close() {
        if (isRunning()) {
            hazelcast.shutdown();
        }
    }
}

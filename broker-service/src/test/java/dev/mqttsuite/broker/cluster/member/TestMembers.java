package dev.mqttsuite.broker.cluster.member;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Embedded Hazelcast members on 127.0.0.1 with free ports and a cluster name of their own, for tests in one JVM. */
public final class TestMembers implements AutoCloseable {

    private final String clusterName = "test-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<Integer> ports = new ArrayList<>();
    private final List<ClusterMember> started = new ArrayList<>();

    /** Reserves ports for {@code count} members, each listing all of them. */
    public TestMembers(int count) {
        for (int i = 0; i < count; i++) {
            ports.add(freePort());
        }
    }

    /** Starts member {@code index} (0-based). */
    public ClusterMember start(int index) {
        return start(index, 0);
    }

    /** Starts member {@code index} (0-based) whose session map needs {@code claimQuorum} members (0 = off). */
    public ClusterMember start(int index, int claimQuorum) {
        List<String> members = ports.stream().map(p -> "127.0.0.1:" + p).toList();
        ClusterMember member = ClusterMember.start(new ClusterMember.Settings(clusterName, "node-" + (index + 1),
                "127.0.0.1", ports.get(index), members, null, "127.0.0.1", 40000 + index, Duration.ofSeconds(4),
                Duration.ofSeconds(1), claimQuorum));
        started.add(member);
        return member;
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (ClusterMember member : started) {
            if (member.isRunning()) {
                member.hazelcast().getLifecycleService().terminate();
            }
        }
    }
}

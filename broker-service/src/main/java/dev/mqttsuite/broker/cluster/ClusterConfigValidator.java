package dev.mqttsuite.broker.cluster;

import dev.mqttsuite.broker.config.BrokerConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code broker.cluster.*} checks of the startup validation: each problem names its key. Nothing is checked when
 * the cluster is off. Framework-free and Hazelcast-free.
 */
public final class ClusterConfigValidator {

    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** A DNS name of 1-63 character labels, optionally ending with the root dot; no port, no scheme. */
    private static final Pattern DNS_NAME = Pattern.compile("(?=.{1,254}$)"
            + "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");

    private ClusterConfigValidator() {
    }

    /** The problems of the cluster settings, empty when they are fine or the cluster is off. */
    public static List<String> problems(BrokerConfig.Cluster cluster) {
        List<String> problems = new ArrayList<>();
        if (!cluster.enabled()) {
            return problems;
        }
        if (!CLUSTER_NAME.matcher(cluster.name()).matches()) {
            problems.add("broker.cluster.name=" + cluster.name() + " must be 1-64 letters, digits, '.', '_' or '-'");
        }
        cluster.nodeId().filter(id -> !NODE_ID.matcher(id).matches()).ifPresent(id -> problems.add(
                "broker.cluster.node-id=" + id + " must be 1-64 letters, digits, '.', '_' or '-'"));
        if (!isIpAddress(cluster.host()) || "0.0.0.0".equals(cluster.host()) || "::".equals(cluster.host())) {
            problems.add("broker.cluster.host=" + cluster.host()
                    + " must be this broker's IP address as the other members reach it (not a wildcard)");
        }
        if (cluster.port() < 0 || cluster.port() > 65535) {
            problems.add("broker.cluster.port=" + cluster.port() + " must be 0 (any free port) or 1-65535");
        }
        if (cluster.grpcPort() < 0 || cluster.grpcPort() > 65535) {
            problems.add("broker.cluster.grpc-port=" + cluster.grpcPort() + " must be 0 (any free port) or 1-65535");
        }
        if (cluster.port() != 0 && cluster.port() == cluster.grpcPort()) {
            problems.add("broker.cluster.port and broker.cluster.grpc-port must differ (both " + cluster.port() + ")");
        }
        for (String member : cluster.members().orElse(List.of())) {
            if (!isHostPort(member.trim())) {
                problems.add("broker.cluster.members: '" + member + "' must be host:port (port 1-65535)");
            }
        }
        problems.addAll(discoveryProblems(cluster));
        if (cluster.replication().timeout().toMillis() < 100) {
            problems.add("broker.cluster.replication.timeout must be at least 100ms");
        }
        if (cluster.failureTimeout().toSeconds() < 2) {
            problems.add("broker.cluster.failure-timeout must be at least 2s");
        }
        if (cluster.joinTimeout().toSeconds() < 1) {
            problems.add("broker.cluster.join-timeout must be at least 1s");
        }
        if (cluster.expectedMembers() < 0 || cluster.expectedMembers() == 1) {
            problems.add("broker.cluster.expected-members=" + cluster.expectedMembers()
                    + " must be 0 (no split-brain protection) or the number of brokers, 2 or more");
        }
        BrokerConfig.Cluster.Forward forward = cluster.forward();
        if (forward.window() < 1) {
            problems.add("broker.cluster.forward.window=" + forward.window() + " must be >= 1");
        }
        if (forward.batchSize() < 1 || forward.batchSize() > forward.window()) {
            problems.add("broker.cluster.forward.batch-size=" + forward.batchSize()
                    + " must be 1 to broker.cluster.forward.window (" + forward.window() + ")");
        }
        if (forward.batchBytes() < 1024) {
            problems.add("broker.cluster.forward.batch-bytes=" + forward.batchBytes() + " must be >= 1024");
        }
        if (forward.reconnectDelay().isNegative() || forward.reconnectDelay().isZero()) {
            problems.add("broker.cluster.forward.reconnect-delay must be positive");
        }
        if (forward.custodyMax() < 0) {
            problems.add("broker.cluster.forward.custody-max=" + forward.custodyMax()
                    + " must be >= 0 (0: shared-group messages on a dying broker are not given to another member)");
        }
        return problems;
    }

    private static List<String> discoveryProblems(BrokerConfig.Cluster cluster) {
        List<String> problems = new ArrayList<>();
        if (cluster.discovery() == BrokerConfig.Cluster.Discovery.MEMBERS) {
            cluster.dnsService().ifPresent(dns -> problems.add("broker.cluster.dns-service=" + dns
                    + " is only used with broker.cluster.discovery=dns"));
            return problems;
        }
        String dns = cluster.dnsService().map(String::trim).orElse("");
        if (dns.isEmpty()) {
            problems.add("broker.cluster.dns-service must be set with broker.cluster.discovery=dns: the DNS name of"
                    + " the brokers' headless Service, e.g. broker-cluster.mqtt.svc.cluster.local");
        } else if (!DNS_NAME.matcher(dns).matches()) {
            problems.add("broker.cluster.dns-service=" + dns
                    + " must be a DNS name (letters, digits, '-' and '.'; no port, no scheme)");
        }
        if (cluster.members().filter(members -> !members.isEmpty()).isPresent()) {
            problems.add("broker.cluster.members is not used with broker.cluster.discovery=dns: remove it");
        }
        if (cluster.port() == 0) {
            problems.add("broker.cluster.port=0 is not allowed with broker.cluster.discovery=dns: DNS gives the"
                    + " members' addresses only, so every broker must listen on the same, fixed port");
        }
        return problems;
    }

    /** The members a session claim needs: a majority of {@code expected-members}, or 0 when that is off. */
    public static int claimQuorum(BrokerConfig.Cluster cluster) {
        return cluster.expectedMembers() == 0 ? 0 : cluster.expectedMembers() / 2 + 1;
    }

    private static boolean isHostPort(String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            return false;
        }
        try {
            int port = Integer.parseInt(value.substring(colon + 1));
            return port >= 1 && port <= 65535;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isIpAddress(String host) {
        if (host == null || host.isBlank() || !host.matches("[0-9A-Fa-f.:]+")) {
            return false; // a literal, so that no name lookup happens here
        }
        try {
            InetAddress.getByName(host);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}

package dev.mqttsuite.broker.admin;

import dev.mqttsuite.broker.cluster.BrokerCluster;
import dev.mqttsuite.broker.connection.MqttConnection;
import dev.mqttsuite.broker.server.BrokerAssembly;
import dev.mqttsuite.broker.server.BrokerService;
import dev.mqttsuite.broker.session.Session;
import dev.mqttsuite.broker.session.SessionExpiry;
import dev.mqttsuite.broker.session.SubscriptionOptions;
import dev.mqttsuite.topic.SharedSubscription;
import dev.mqttsuite.topic.SubscriptionTopic;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What the admin API reads of this broker: its sessions in client id order (kept by the session directory, O(log n)
 * per session begun or ended, nothing per message) joined with their connections. Listings walk that sorted view;
 * nothing is copied or sorted per request.
 */
@ApplicationScoped
public class BrokerView {

    /** Which clients a listing shows. */
    public enum State {
        CONNECTED, OFFLINE, ALL;

        static State parse(String value) {
            try {
                return State.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw Problems.badRequest("state", "state is connected, offline or all");
            }
        }
    }

    @Inject
    BrokerService broker;

    /** The running broker's core; 503 while it starts. */
    public BrokerAssembly core() {
        BrokerAssembly core = broker.core();
        if (core == null) {
            throw Problems.problem(503, "Service Unavailable", "the broker is starting", null);
        }
        return core;
    }

    /** This broker's node id, as in the cluster configuration, or "broker" when not clustered. */
    public String node() {
        BrokerCluster cluster = broker.cluster();
        return cluster == null ? "broker" : cluster.nodeId();
    }

    /** The cluster's node ids, this one first (just this one when not clustered). */
    public List<String> clusterMembers() {
        BrokerCluster cluster = broker.cluster();
        return cluster == null ? List.of(node()) : cluster.memberNodeIds();
    }

    /** The live session of a client id on this broker, or null. */
    public Session session(String clientId) {
        Session session = core().sessions().get(clientId);
        return session == null || session.isEnded() ? null : session;
    }

    /** The connection attached to a session here, or null when offline. */
    public MqttConnection connection(Session session) {
        return core().sessions().connectionOf(session) instanceof MqttConnection mqtt ? mqtt : null;
    }

    /**
     * One page of clients in client id order.
     *
     * @param query a case-insensitive substring of the client id or user name, or null for all
     */
    public Dtos.Page<Dtos.Client> clients(String query, State state, int page, int size) {
        BrokerAssembly core = core();
        Predicate<Session> matches = matcher(query, state);
        long from = (long) page * size;
        List<Dtos.Client> items = new ArrayList<>(Math.min(size, 64));
        long total = 0;
        for (Session session : core.sessionsByClientId().values()) {
            if (!matches.test(session)) {
                continue;
            }
            if (total >= from && items.size() < size) {
                items.add(describe(session));
            }
            total++;
            if (query == null && state == State.ALL && items.size() == size) {
                total = Math.max(total, core.sessions().size()); // no filter: the directory knows the total
                break;
            }
        }
        return new Dtos.Page<>(items, page, size, total);
    }

    private Predicate<Session> matcher(String query, State state) {
        String needle = query == null ? null : query.toLowerCase(Locale.ROOT);
        return session -> {
            if (session.isEnded()) {
                return false;
            }
            if (state != State.ALL && (connection(session) != null) != (state == State.CONNECTED)) {
                return false;
            }
            if (needle == null || session.clientId().toLowerCase(Locale.ROOT).contains(needle)) {
                return true;
            }
            String user = username(session, connection(session));
            return user != null && user.toLowerCase(Locale.ROOT).contains(needle);
        };
    }

    /** A client as the listing shows it. Any thread: reads only what the connection publishes safely. */
    public Dtos.Client describe(Session session) {
        MqttConnection connection = connection(session);
        long expiry = session.expiryIntervalSeconds();
        boolean connected = connection != null;
        long since = connected ? connection.connectedAtMillis() : 0;
        return new Dtos.Client(session.clientId(), username(session, connection),
                connected ? connection.remoteAddress() : null,
                connected ? (int) connection.version().protocolLevel() : null, node(), connected,
                since > 0 ? Instant.ofEpochMilli(since).toString() : null,
                connected ? connection.keepAliveSeconds() : null, expiry == SessionExpiry.NEVER ? -1 : expiry,
                session.queuedMessages(), session.inflightMessages(), session.droppedMessages());
    }

    private static String username(Session session, MqttConnection connection) {
        String user = connection != null ? connection.principal() : session.owner();
        return user == null || user.isEmpty() ? null : user;
    }

    /** A session's subscriptions, sorted by filter. */
    public static List<Dtos.Subscription> subscriptions(Session session) {
        List<Dtos.Subscription> list = new ArrayList<>();
        for (Map.Entry<SubscriptionTopic, SubscriptionOptions> e : session.subscriptions().entrySet()) {
            SubscriptionOptions o = e.getValue();
            list.add(new Dtos.Subscription(e.getKey().filter().value(), o.qos(), o.noLocal(), o.retainAsPublished(),
                    o.retainHandling(), shareGroup(e.getKey())));
        }
        list.sort(Comparator.comparing(Dtos.Subscription::filter)
                .thenComparing(s -> s.shareGroup() == null ? "" : s.shareGroup()));
        return list;
    }

    static String shareGroup(SubscriptionTopic topic) {
        return topic instanceof SharedSubscription shared ? shared.shareName() : null;
    }
}

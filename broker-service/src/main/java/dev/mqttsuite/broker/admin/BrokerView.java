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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
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
     * One page of clients in client id order ({@code query}: a case-insensitive substring of the client id or user
     * name, or null for all). With a cursor ({@code after}: the first {@code size} ids after it;
     * {@code before}: the last {@code size} ids before it) the walk starts at the cursor in the sorted view (O(log n)
     * to get there), so a console merging several brokers' pages can page to any depth without skipping entries;
     * {@code page} is then only echoed. Without one, {@code page * size} matching entries are skipped.
     */
    public Dtos.Page<Dtos.Client> clients(String query, State state, int page, int size, String after,
            String before) {
        BrokerAssembly core = core();
        NavigableMap<String, Session> sorted = core.sessionsByClientId();
        List<Session> window = new ArrayList<>(Math.min(size, 64));
        long total;
        if (query == null && state == State.ALL) {
            // no filter: start at the cursor (or skip to the page), stop when the page is full
            NavigableMap<String, Session> walk = after != null ? sorted.tailMap(after, false)
                    : before != null ? sorted.headMap(before, false).descendingMap() : sorted;
            long skip = after == null && before == null ? (long) page * size : 0;
            for (Session session : walk.values()) {
                if (window.size() == size) {
                    break;
                }
                if (!session.isEnded() && skip-- <= 0) {
                    window.add(session);
                }
            }
            if (before != null) {
                window = window.reversed();
            }
            total = core.sessions().size(); // the directory knows the total
        } else {
            // a filter: one walk over all sessions counts the matches and keeps the page's
            Predicate<Session> matches = matcher(query, state);
            long from = after == null && before == null ? (long) page * size : 0;
            ArrayDeque<Session> last = new ArrayDeque<>(); // before a cursor: the last `size`
            total = 0;
            for (Session session : sorted.values()) {
                if (!matches.test(session)) {
                    continue;
                }
                String id = session.clientId();
                if (before != null) {
                    if (id.compareTo(before) < 0) {
                        last.addLast(session);
                        if (last.size() > size) {
                            last.removeFirst();
                        }
                    }
                } else if (window.size() < size && (after != null ? id.compareTo(after) > 0 : total >= from)) {
                    window.add(session);
                }
                total++;
            }
            if (before != null) {
                window = new ArrayList<>(last);
            }
        }
        List<Dtos.Client> items = new ArrayList<>(window.size());
        window.forEach(session -> items.add(describe(session)));
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

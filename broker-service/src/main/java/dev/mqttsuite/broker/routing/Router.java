package dev.mqttsuite.broker.routing;

import dev.mqttsuite.broker.auth.Permissions;
import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.metrics.BrokerMetrics;
import dev.mqttsuite.broker.metrics.BrokerMetrics.DropReason;
import dev.mqttsuite.broker.session.Custody;
import dev.mqttsuite.broker.session.Delivery;
import dev.mqttsuite.broker.session.Session;
import dev.mqttsuite.broker.session.Session.Enqueued;
import dev.mqttsuite.broker.session.SessionJournal;
import dev.mqttsuite.broker.session.SessionListener;
import dev.mqttsuite.broker.session.SubscriptionOptions;
import dev.mqttsuite.topic.index.MatchVisitor;
import dev.mqttsuite.topic.index.SharedGroup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Routes a published message to every matching session: one copy per session even with overlapping subscriptions,
 * at the highest granted QoS of them, carrying all their subscription identifiers [MQTT-3.3.4-2, MQTT-3.3.4-3,
 * MQTT-3.3.4-4]; one member per shared group, round-robin among connected members. Runs on the publisher's event loop
 * and only enqueues: sockets are written by each subscriber's own loop. In a cluster a {@link SharedGroupSelector}
 * says per message which local groups serve it (the others were assigned to other brokers), and a shared message
 * whose member left with no other connected member here goes to another broker with members of its group.
 */
public final class Router {

    /**
     * What routing one message did.
     *
     * @param queued the sessions that queued it
     * @param journaled how many of those recorded it in the session journal (the acknowledgement waits for it)
     * @param full the sessions that refused it because their queue is full ({@code queue-overflow=refuse})
     * @param notDurable whether a session that outlives its connection could not take it durably (the journal's
     *     {@link SessionJournal#refusal} says why)
     */
    public record Routed(int queued, int journaled, int full, boolean notDurable) {
    }

    private final RouteTable routes;
    private final BrokerMetrics metrics;
    private final Function<Session, Permissions> permissionsOf;
    private final MessageForwarder forwarder;

    /**
     * @param permissionsOf the current permissions of a session's connection (receive is checked at delivery so that
     *     ACL changes apply to existing subscriptions), or the last known ones for an offline session
     */
    public Router(RouteTable routes, BrokerMetrics metrics, Function<Session, Permissions> permissionsOf) {
        this(routes, metrics, permissionsOf, MessageForwarder.LOCAL_ONLY);
    }

    /**
     * @param forwarder where {@link #redeliver} hands a shared message when no member here is connected
     */
    public Router(RouteTable routes, BrokerMetrics metrics, Function<Session, Permissions> permissionsOf,
            MessageForwarder forwarder) {
        this.routes = routes;
        this.metrics = metrics;
        this.permissionsOf = permissionsOf;
        this.forwarder = forwarder;
    }

    /**
     * Routes {@code message}.
     *
     * @param publisher the publishing connection, paused by back-pressure if a subscriber is far behind; null for
     *     wills and $SYS messages
     * @return how many sessions queued it, and which refused it
     */
    public Routed route(Message message, SessionListener publisher) {
        return route(message, publisher, true, SharedGroupSelector.ALL);
    }

    /**
     * Routes {@code message} to part of its local recipients.
     *
     * @param subscriptions whether plain (non-shared) subscriptions get it
     * @param groups which shared groups get it (one member each)
     */
    public Routed route(Message message, SessionListener publisher, boolean subscriptions,
            SharedGroupSelector groups) {
        Collector collector = new Collector(message, subscriptions);
        routes.match(message.topic(), collector);
        Tally tally = new Tally();
        if (collector.single != null) {
            tally.add(deliver(message, collector.single, collector.singleQos, collector.singleRetain,
                    collector.singleIds(), null, publisher, null));
        } else if (collector.merged != null) {
            for (Map.Entry<Session, Merge> e : collector.merged.entrySet()) {
                Merge m = e.getValue();
                tally.add(deliver(message, e.getKey(), m.qos, m.retain, m.ids(), null, publisher, null));
            }
        }
        if (collector.groups != null) {
            for (SharedGroup<Session, SubscriptionOptions> group : collector.groups) {
                if (groups.servesLocally(group.shareName(), group.filter())) {
                    tally.add(deliverShared(message, group, publisher,
                            groups.custody(group.shareName(), group.filter())));
                }
            }
        }
        return new Routed(tally.queued, tally.journaled, tally.full, tally.notDurable);
    }

    /**
     * Gives a delivery that its shared-group member could not take to another member: a connected one here, else
     * another broker with members of the group (through the forwarder), else an offline one here; dropped and counted
     * when there is none.
     */
    public void redeliver(Delivery orphan, Session exclude) {
        SharedGroup<Session, SubscriptionOptions> group = orphan.sharedGroup();
        if (group == null) {
            return;
        }
        Message message = orphan.message();
        Custody custody = orphan.custody();
        SharedGroup.Member<Session, SubscriptionOptions> member = group.next(m -> m.subscriber() != exclude
                && m.subscriber().isConnected() && !m.subscriber().isEnded());
        if (member == null && forwarder.forwardShared(message, group.shareName(), group.filter(), custody)) {
            return; // the custody goes with it
        }
        if (member == null) {
            member = group.next(m -> m.subscriber() != exclude && !m.subscriber().isEnded());
        }
        Enqueued outcome = member == null ? ended(Enqueued.DROPPED, custody)
                : deliverShared(message, member, group, null, custody);
        if (outcome != Enqueued.QUEUED && outcome != Enqueued.JOURNALED) {
            metrics.dropped(DropReason.NO_SHARED_MEMBER);
        }
    }

    private Enqueued deliverShared(Message message, SharedGroup<Session, SubscriptionOptions> group,
            SessionListener publisher, Custody custody) {
        SharedGroup.Member<Session, SubscriptionOptions> member = group.next(m -> m.subscriber().isConnected()
                && !m.subscriber().isEnded());
        if (member == null) {
            member = group.next(m -> !m.subscriber().isEnded());
        }
        if (member == null) {
            return ended(Enqueued.DROPPED, custody);
        }
        return deliverShared(message, member, group, publisher, custody);
    }

    private Enqueued deliverShared(Message message, SharedGroup.Member<Session, SubscriptionOptions> member,
            SharedGroup<Session, SubscriptionOptions> group, SessionListener publisher, Custody custody) {
        SubscriptionOptions options = member.options();
        int qos = Math.min(message.qos(), options.qos());
        boolean retain = options.retainAsPublished() && message.retain();
        int[] ids = options.subscriptionId() == 0 ? null : new int[] {options.subscriptionId()};
        return deliver(message, member.subscriber(), qos, retain, ids, group, publisher, custody);
    }

    private Enqueued deliver(Message message, Session session, int qos, boolean retain, int[] ids,
            SharedGroup<Session, SubscriptionOptions> group, SessionListener publisher, Custody custody) {
        if (!permissionsOf.apply(session).mayReceive(message.topic())) {
            metrics.dropped(DropReason.NOT_AUTHORIZED); // read access is re-checked at delivery
            return ended(Enqueued.DROPPED, custody);
        }
        Delivery delivery = new Delivery(message, qos, retain, ids, group);
        if (custody != null && qos == 0) {
            custody.settle(); // downgraded to QoS 0 by the member's subscription: at most once from here
        } else if (custody != null) {
            delivery.withCustody(custody);
        }
        Enqueued outcome = session.enqueue(delivery, publisher);
        return outcome == Enqueued.QUEUED || outcome == Enqueued.JOURNALED ? outcome : ended(outcome, custody);
    }

    /** A shared message that was not queued here ends here: the broker holding its copy forgets it. */
    private static Enqueued ended(Enqueued outcome, Custody custody) {
        if (custody != null) {
            custody.settle();
        }
        return outcome;
    }

    private static final class Tally {
        int queued;
        int journaled;
        int full;
        boolean notDurable;

        void add(Enqueued outcome) {
            switch (outcome) {
                case QUEUED -> queued++;
                case JOURNALED -> {
                    queued++;
                    journaled++;
                }
                case FULL -> full++;
                case NOT_DURABLE -> notDurable = true;
                case DROPPED -> {
                }
            }
        }
    }

    /** Per-publish aggregation of matches by session; allocation-light for the common single-match case. */
    private final class Collector implements MatchVisitor<Session, SubscriptionOptions> {
        final Message message;
        final boolean subscriptions;
        Session single;
        int singleQos;
        boolean singleRetain;
        int singleId;
        Map<Session, Merge> merged;
        List<SharedGroup<Session, SubscriptionOptions>> groups;

        Collector(Message message, boolean subscriptions) {
            this.message = message;
            this.subscriptions = subscriptions;
        }

        int[] singleIds() {
            return singleId == 0 ? null : new int[] {singleId};
        }

        @Override
        public void onSubscription(Session session, SubscriptionOptions options) {
            if (!subscriptions) {
                return; // the message came for shared groups only
            }
            if (options.noLocal() && session.clientId().equals(message.publisherClientId())) {
                return; // [MQTT-3.8.3-3]
            }
            int qos = Math.min(message.qos(), options.qos());
            boolean retain = options.retainAsPublished() && message.retain();
            if (merged == null && single == null) {
                single = session;
                singleQos = qos;
                singleRetain = retain;
                singleId = options.subscriptionId();
                return;
            }
            if (merged == null) {
                merged = new HashMap<>();
                Merge first = new Merge();
                first.add(singleQos, singleRetain, singleId);
                merged.put(single, first);
                single = null;
            }
            merged.computeIfAbsent(session, s -> new Merge()).add(qos, retain, options.subscriptionId());
        }

        @Override
        public void onSharedGroup(SharedGroup<Session, SubscriptionOptions> group) {
            if (groups == null) {
                groups = new ArrayList<>(2);
            }
            groups.add(group);
        }
    }

    private static final class Merge {
        int qos;
        boolean retain;
        List<Integer> ids;

        void add(int q, boolean r, int id) {
            qos = Math.max(qos, q);
            retain |= r;
            if (id != 0) {
                if (ids == null) {
                    ids = new ArrayList<>(2);
                }
                ids.add(id);
            }
        }

        int[] ids() {
            return ids == null ? null : ids.stream().mapToInt(Integer::intValue).toArray();
        }
    }
}

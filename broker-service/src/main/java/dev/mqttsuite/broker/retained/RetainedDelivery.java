package dev.mqttsuite.broker.retained;

import dev.mqttsuite.broker.auth.Permissions;
import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.session.Delivery;
import dev.mqttsuite.broker.session.Session;
import dev.mqttsuite.broker.session.SubscriptionOptions;
import dev.mqttsuite.topic.TopicFilter;
import io.smallrye.mutiny.subscription.MultiSubscriber;
import java.util.concurrent.Flow;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Streams the retained messages that match a new subscription into the subscriber's session, a batch at a time:
 * the next batch is requested from the store only when the session's queue has drained to its low watermark, so any
 * number of retained messages is delivered (no truncation) without flooding memory. Each carries RETAIN=1
 * [MQTT-3.3.1-9], the subscription identifier and at most the granted QoS.
 */
public final class RetainedDelivery {

    private static final Logger LOG = Logger.getLogger(RetainedDelivery.class);

    /** One subscription's request for retained messages. */
    public record Request(TopicFilter filter, SubscriptionOptions options) {
    }

    private final RetainedStore store;
    private final int batchSize;
    private final Function<Session, Permissions> permissionsOf;

    public RetainedDelivery(RetainedStore store, int batchSize, Function<Session, Permissions> permissionsOf) {
        this.store = store;
        this.batchSize = Math.max(1, batchSize);
        this.permissionsOf = permissionsOf;
    }

    public void start(Session session, Request request) {
        store.match(request.filter()).subscribe().withSubscriber(new Pump(session, request));
    }

    private final class Pump implements MultiSubscriber<Message> {
        private final Session session;
        private final TopicFilter filter;
        private final SubscriptionOptions options;
        private Flow.Subscription subscription;
        private int outstanding;

        Pump(Session session, Request request) {
            this.session = session;
            this.filter = request.filter();
            this.options = request.options();
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            this.subscription = s;
            outstanding = batchSize;
            s.request(batchSize);
        }

        @Override
        public void onItem(Message message) {
            if (session.isEnded()) {
                subscription.cancel();
                return;
            }
            if (permissionsOf.apply(session).mayReceive(message.topic())) {
                int qos = Math.min(message.qos(), options.qos());
                int[] ids = options.subscriptionId() == 0 ? null : new int[] {options.subscriptionId()};
                session.enqueue(new Delivery(message, qos, true, ids, null), null);
            }
            if (--outstanding == 0) {
                if (session.isEnded()) {
                    subscription.cancel(); // nobody would ask for the next batch: end the store's stream now
                    return;
                }
                session.whenQueueLow(() -> {
                    outstanding = batchSize;
                    subscription.request(batchSize);
                });
            }
        }

        @Override
        public void onFailure(Throwable failure) {
            LOG.warnf("Retained messages of %s for %s could not be read: %s", filter, session.clientId(),
                    failure.toString());
        }

        @Override
        public void onCompletion() {
            // all matching retained messages were queued
        }
    }
}

package dev.mqttsuite.bridge.connect;

import dev.mqttsuite.bridge.flow.Target;
import dev.mqttsuite.bridge.route.Side;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.smallrye.reactive.messaging.mqtt.session.MqttClientSession;
import io.smallrye.reactive.messaging.mqtt.session.MqttClientSessionOptions;
import io.smallrye.reactive.messaging.mqtt.session.RequestedQoS;
import io.smallrye.reactive.messaging.mqtt.session.SessionEvent;
import io.smallrye.reactive.messaging.mqtt.session.SessionState;
import io.smallrye.reactive.messaging.mqtt.session.SubscriptionEvent;
import io.smallrye.reactive.messaging.mqtt.session.SubscriptionState;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.messages.MqttPublishMessage;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * One side of a bridge: an MQTT 3.1.1 session to a broker, kept up by the SmallRye MQTT connector's client session
 * (reconnect with our {@link JitteredBackoff}, re-subscription when the broker lost the session). Incoming QoS 1
 * messages are not acknowledged automatically: the bridge acknowledges them once the other broker has them.
 * Everything except the status getters runs on the bridge's event-loop context.
 */
public final class Endpoint implements Target {

    private static final Logger LOG = Logger.getLogger(Endpoint.class);

    /** What the bridge is told about this side. */
    public interface Listener {
        void connected(Endpoint endpoint);

        void disconnected(Endpoint endpoint);

        void message(Endpoint endpoint, MqttPublishMessage message);

        void published(Endpoint endpoint, int packetId);

        void publishExpired(Endpoint endpoint, int packetId);
    }

    private final String bridge;
    private final Side side;
    private final String address;
    private final MqttClientSession session;
    private final Context context;
    private final Map<String, Integer> subscriptions = new LinkedHashMap<>();
    private final AtomicLong reconnects = new AtomicLong();
    private Listener listener;
    private boolean subscribed;
    private boolean everConnected;
    private volatile boolean connected;
    private volatile String lastError;
    private volatile Instant lastErrorAt;

    public Endpoint(Vertx vertx, Context context, String bridge, Side side, MqttClientSessionOptions options) {
        this.bridge = bridge;
        this.side = side;
        this.context = context;
        this.address = options.getHostname() + ":" + options.getPort();
        options.setAutoAck(false);
        this.session = MqttClientSession.create(vertx, options);
    }

    /** Subscribes {@code filter} once connected (after the first CONNACK, so that a session kept from an earlier run
     * with other subscriptions still gets ours). */
    public void subscribe(String filter, int qos) {
        subscriptions.put(filter, qos);
    }

    public void start(Listener listener) {
        this.listener = listener;
        context.runOnContext(v -> {
            session.sessionStateHandler(this::onState);
            session.subscriptionStateHandler(this::onSubscription);
            session.messageHandler(m -> listener.message(this, m));
            session.publishCompletionHandler(id -> listener.published(this, id));
            session.publishCompletionExpirationHandler(id -> listener.publishExpired(this, id));
            session.exceptionHandler(e -> error(e.getMessage()));
            session.start();
        });
    }

    /** Disconnects cleanly (on the endpoint's context: the client session is not thread-safe). */
    public Future<Void> stop() {
        io.vertx.core.Promise<Void> stopped = io.vertx.core.Promise.promise();
        context.runOnContext(v -> session.stop().onComplete(stopped));
        return stopped.future();
    }

    @Override
    public Future<Integer> publish(String topic, byte[] payload, int qos, boolean dup, boolean retain) {
        return session.publish(topic, Buffer.buffer(payload), MqttQoS.valueOf(qos), dup, retain);
    }

    private void onState(SessionEvent event) {
        SessionState state = event.getSessionState();
        switch (state) {
            case CONNECTING -> {
                if (everConnected || lastError != null) {
                    reconnects.incrementAndGet();
                }
            }
            case CONNECTED -> {
                everConnected = true;
                connected = true;
                LOG.infof("bridge %s: connected to the %s broker at %s", bridge, sideName(), address);
                if (!subscribed) {
                    subscribed = true;
                    subscriptions.forEach((filter, qos) -> session.subscribe(filter, RequestedQoS.valueOf(qos)));
                }
                listener.connected(this);
            }
            case DISCONNECTED -> {
                boolean was = connected;
                connected = false;
                String cause = event.getCause() == null ? "connection closed" : event.getCause().getMessage();
                error(cause);
                if (was) {
                    LOG.warnf("bridge %s: lost the %s broker at %s: %s", bridge, sideName(), address, cause);
                } else {
                    LOG.debugf("bridge %s: cannot reach the %s broker at %s: %s", bridge, sideName(), address, cause);
                }
                listener.disconnected(this);
            }
            default -> {
            }
        }
    }

    private void onSubscription(SubscriptionEvent event) {
        if (event.getSubscriptionState() == SubscriptionState.FAILED) {
            error("the " + sideName() + " broker refused the subscription to " + event.getTopic());
            LOG.errorf("bridge %s: the %s broker at %s refused the subscription to %s", bridge, sideName(), address,
                    event.getTopic());
        }
    }

    private void error(String message) {
        lastError = message == null ? "unknown error" : message;
        lastErrorAt = Instant.now();
    }

    private String sideName() {
        return side == Side.LOCAL ? "local" : "remote";
    }

    public Side side() {
        return side;
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public boolean isConnected() {
        return connected;
    }

    /** Connection attempts after the first, successful or not. */
    public long reconnects() {
        return reconnects.get();
    }

    public String lastError() {
        return lastError;
    }

    public Instant lastErrorAt() {
        return lastErrorAt;
    }
}

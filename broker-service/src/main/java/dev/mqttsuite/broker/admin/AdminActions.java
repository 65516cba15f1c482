package dev.mqttsuite.broker.admin;

import dev.mqttsuite.broker.connection.MqttConnection;
import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.message.PublishProperties;
import dev.mqttsuite.broker.routing.MessagePublisher;
import dev.mqttsuite.broker.server.BrokerAssembly;
import dev.mqttsuite.broker.session.Session;
import dev.mqttsuite.reason.DisconnectReasonCode;
import dev.mqttsuite.topic.TopicName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The admin API's actions, each through the broker's own path and each audited: a kick is the one server-side
 * disconnect path with 0x98 Administrative action; a discard ends the session as expiry does; a publish goes through
 * the path every client message takes (retained store, local routing, session log, other brokers).
 */
@ApplicationScoped
public class AdminActions {

    static final String KICK_REASON = "disconnected by an administrator";

    @Inject
    BrokerView view;

    @Inject
    Instance<AuditLog> audit;

    /**
     * Disconnects a client connected here: MQTT 5 gets DISCONNECT 0x98 Administrative action [MQTT-3.14.2-1], 3.1.1
     * is closed; its will is published as on any server-side disconnect [MQTT-3.1.2-8]; a persistent session stays.
     */
    public void kick(String clientId, String actor) {
        Session session = view.session(clientId);
        MqttConnection connection = session == null ? null : view.connection(session);
        if (connection == null) {
            throw Problems.notFound("client " + clientId + " is not connected to this broker");
        }
        view.core().disconnector().disconnect(connection, DisconnectReasonCode.ADMINISTRATIVE_ACTION, KICK_REASON);
        audit.get().record(actor, "kick", "client", clientId, "MQTT " + connection.version().protocolLevel()
                + " from " + connection.remoteAddress());
    }

    /**
     * Ends a session as its expiry would (subscriptions, queue and in-flight messages gone, a delayed will published
     * now [MQTT-3.1.3-9]). A connected session is refused with 409 unless {@code force}: then its connection is kicked
     * with 0x98 and the session ends when the connection has closed (its expiry is set to 0 first [MQTT-3.1.2-23]).
     */
    public void discard(String clientId, boolean force, String actor) {
        BrokerAssembly core = view.core();
        Session session = view.session(clientId);
        if (session == null) {
            throw Problems.notFound("no session of client " + clientId + " on this broker");
        }
        MqttConnection connection = view.connection(session);
        if (connection != null) {
            if (!force) {
                throw Problems.conflict("client " + clientId + " is connected: kick it first, or use force=true");
            }
            connection.transport().execute(() -> {
                session.expiryIntervalSeconds(0); // read by the connection closer on this loop
                core.disconnector().disconnect(connection, DisconnectReasonCode.ADMINISTRATIVE_ACTION, KICK_REASON);
            });
        } else if (core.sessions().endIfIdle(session)) {
            core.wills().onSessionEnd(clientId);
        } else {
            throw Problems.conflict("client " + clientId + " connected meanwhile: try again, or use force=true");
        }
        audit.get().record(actor, "discard-session", "session", clientId, force && connection != null
                ? "forced: the connection was kicked" : "offline session");
    }

    /**
     * Publishes a message as a client would, without a publishing client (No Local does not apply). Runs on the
     * caller's event loop; completes when the retained store, the session log and the other brokers accepted it.
     */
    public CompletionStage<Dtos.PublishResult> publish(Dtos.PublishRequest request, String actor) {
        if (request == null || request.topic() == null) {
            throw Problems.badRequest("topic", "topic is required");
        }
        TopicName topic = TopicName.of(request.topic()); // invalid names: 400 naming the rule
        if (request.topic().startsWith("$")) {
            throw Problems.badRequest("topic",
                    "topics starting with $ are reserved for the broker (MQTT 5.0 section 4.7.2)");
        }
        int qos = request.qos() == null ? 0 : request.qos();
        if (qos < 0 || qos > 2) {
            throw Problems.badRequest("qos", "qos is 0, 1 or 2");
        }
        byte[] payload = payload(request);
        BrokerAssembly core = view.core();
        if (payload.length > core.config().limits().maxPacketSize()) {
            throw Problems.badRequest("payload", "payload larger than broker.limits.max-packet-size");
        }
        boolean retain = Boolean.TRUE.equals(request.retain());
        if (retain && !core.config().limits().retainAvailable()) {
            throw Problems.badRequest("retain", "retained messages are off (broker.limits.retain-available=false)");
        }
        Message message = new Message(topic, payload, qos, retain, PublishProperties.NONE, null, 0);
        MessagePublisher.Outcome outcome = core.publisher().publish(message, null);
        audit.get().record(actor, "publish", "topic", request.topic(), "qos=" + qos + " retain=" + retain
                + " bytes=" + payload.length + " deliveredTo=" + outcome.routed());
        if (outcome.refusal() != null) {
            throw Problems.problem(503, "Service Unavailable", "no subscriber could take the message: "
                    + outcome.refusal(), null);
        }
        CompletableFuture<Dtos.PublishResult> result = new CompletableFuture<>();
        outcome.accepted().whenComplete((ok, failure) -> {
            if (failure != null) {
                result.completeExceptionally(Problems.problem(503, "Service Unavailable",
                        "the message was routed but not stored: " + failure.getMessage(), null));
            } else {
                result.complete(new Dtos.PublishResult(request.topic(), qos, outcome.routed()));
            }
        });
        return result;
    }

    private static byte[] payload(Dtos.PublishRequest request) {
        String text = request.payload() == null ? "" : request.payload();
        String encoding = request.encoding() == null ? "utf8" : request.encoding();
        return switch (encoding) {
            case "utf8" -> text.getBytes(StandardCharsets.UTF_8);
            case "base64" -> {
                try {
                    yield Base64.getDecoder().decode(text);
                } catch (IllegalArgumentException e) {
                    throw Problems.badRequest("payload", "payload is not valid base64: " + e.getMessage());
                }
            }
            default -> throw Problems.badRequest("encoding", "encoding is utf8 or base64");
        };
    }
}

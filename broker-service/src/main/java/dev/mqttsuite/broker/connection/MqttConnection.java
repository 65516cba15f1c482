package dev.mqttsuite.broker.connection;

import dev.mqttsuite.broker.auth.AuthResult;
import dev.mqttsuite.broker.auth.Permissions;
import dev.mqttsuite.broker.metrics.BrokerMetrics;
import dev.mqttsuite.broker.quota.ConnectionQuota;
import dev.mqttsuite.broker.session.Delivery;
import dev.mqttsuite.broker.session.Session;
import dev.mqttsuite.broker.session.SessionListener;
import dev.mqttsuite.broker.will.Will;
import dev.mqttsuite.topic.TopicName;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The protocol state of one MQTT connection: what CONNECT negotiated, who the client is and what it may do, its
 * session, will and topic aliases, and the packets the broker sends it. It holds no socket (that is the
 * {@link Transport}) and no business rules (those are the packet handlers). Everything here runs on the connection's
 * event loop unless a method says otherwise.
 */
public final class MqttConnection implements SessionListener {

    private final Transport transport;
    private final BrokerMetrics metrics;
    private final String remoteAddress;
    private final List<String> certificateIdentities;
    private final InboundWindow inboundWindow;

    private ConnectionState state = ConnectionState.AWAITING_CONNECT;
    private MqttVersion version = MqttVersion.MQTT_3_1_1;
    private String clientId;
    private Session session;
    private Will will;
    private String principal = "";
    private volatile Permissions permissions = Permissions.NONE;
    private volatile boolean superuser;
    private volatile Object authAttachment;
    private String authenticationMethod;
    private int clientReceiveMaximum = 65535;
    private boolean requestProblemInformation = true;
    private final Map<Integer, TopicName> inboundAliases = new HashMap<>();
    private OutboundPublishes outbound;
    private boolean normalDisconnect;
    /** When CONNACK 0x00 went out (wall clock; 0 before), and the keep alive in force: read by the admin API. */
    private volatile long connectedAtMillis;
    private volatile int keepAliveSeconds;
    private ScheduledFuture<?> credentialExpiry;
    private Runnable onConnected;
    /** Finishes CONNECT once a multi-step enhanced authentication succeeds. */
    private Consumer<AuthResult.Allowed> pendingConnect;
    /** Rate limits of this connection and its user (broker.quota.*), set once authenticated. */
    private ConnectionQuota quota = ConnectionQuota.UNLIMITED;

    /**
     * @param receiveMaximum the broker's Receive Maximum ({@code broker.limits.receive-maximum})
     */
    public MqttConnection(Transport transport, BrokerMetrics metrics, String remoteAddress,
            List<String> certificateIdentities, int receiveMaximum) {
        this.transport = transport;
        this.metrics = metrics;
        this.remoteAddress = remoteAddress;
        this.certificateIdentities = certificateIdentities;
        this.inboundWindow = new InboundWindow(receiveMaximum);
        this.outbound = OutboundPublishes.plain(metrics);
    }

    // ---- identity and negotiated state ------------------------------------------------------------------------

    public ConnectionQuota quota() {
        return quota;
    }

    public void quota(ConnectionQuota quota) {
        this.quota = quota;
    }

    public Transport transport() {
        return transport;
    }

    public ConnectionState state() {
        return state;
    }

    public void state(ConnectionState newState) {
        this.state = newState;
    }

    public MqttVersion version() {
        return version;
    }

    public void version(MqttVersion v) {
        this.version = v;
    }

    public boolean isMqtt5() {
        return version == MqttVersion.MQTT_5;
    }

    public String clientId() {
        return clientId;
    }

    public String principal() {
        return principal;
    }

    public String remoteAddress() {
        return remoteAddress;
    }

    public List<String> certificateIdentities() {
        return certificateIdentities;
    }

    public Session session() {
        return session;
    }

    public void attachSession(Session attachedSession) {
        this.session = attachedSession;
    }

    /** What this connection may do right now: everything for a superuser, else its compiled permissions. */
    public Permissions effectivePermissions() {
        return superuser ? Permissions.ALL : permissions;
    }

    public String authenticationMethod() {
        return authenticationMethod;
    }

    public Map<Integer, TopicName> inboundAliases() {
        return inboundAliases;
    }

    /** Unacknowledged inbound QoS 1/2 PUBLISHes against the broker's Receive Maximum. */
    public InboundWindow inboundWindow() {
        return inboundWindow;
    }

    public Will will() {
        return will;
    }

    public void will(Will newWill) {
        this.will = newWill;
    }

    public boolean requestProblemInformation() {
        return requestProblemInformation;
    }

    /** Records what CONNECT negotiated. */
    public void negotiated(String id, int receiveMaximum, long maximumPacketSize, int topicAliasMaximum,
            boolean problemInformation, String authMethod, boolean outboundAliases) {
        this.clientId = id;
        this.clientReceiveMaximum = receiveMaximum;
        this.requestProblemInformation = problemInformation;
        this.authenticationMethod = authMethod;
        this.outbound = isMqtt5()
                ? OutboundPublishes.mqtt5(metrics, maximumPacketSize, outboundAliases ? topicAliasMaximum : 0)
                : OutboundPublishes.plain(metrics);
    }

    /**
     * Applies an authentication result (at CONNECT or re-authentication); {@code onExpiry} runs on the loop when the
     * credentials expire.
     */
    public void authenticated(AuthResult.Allowed allowed, Runnable onExpiry) {
        this.principal = allowed.principal();
        this.permissions = allowed.permissions();
        this.superuser = allowed.superuser();
        this.authAttachment = allowed.attachment();
        cancelTimers();
        if (allowed.expiresAt() != null) {
            long delay = Math.max(0, allowed.expiresAt().toEpochMilli() - System.currentTimeMillis());
            credentialExpiry = transport.schedule(onExpiry, delay, TimeUnit.MILLISECONDS);
        }
    }

    /** Replaces the permissions (live ACL change); deliveries already queued are re-checked by the router. */
    public void permissions(Permissions newPermissions, boolean newSuperuser, Object attachment) {
        this.permissions = newPermissions;
        this.superuser = newSuperuser;
        this.authAttachment = attachment;
    }

    /** What the authentication backend attached to this connection (see {@link AuthResult.Allowed}). */
    public Object authAttachment() {
        return authAttachment;
    }

    public void pendingConnect(Consumer<AuthResult.Allowed> completion) {
        this.pendingConnect = completion;
    }

    public Consumer<AuthResult.Allowed> pendingConnect() {
        return pendingConnect;
    }

    /** Set by the transport: replays the packets pipelined behind CONNECT. */
    public void onConnected(Runnable replay) {
        this.onConnected = replay;
    }

    /** CONNACK 0x00 is out: the connection is established and the packets held meanwhile are dispatched. */
    public void connected() {
        state = ConnectionState.CONNECTED;
        connectedAtMillis = System.currentTimeMillis();
        if (onConnected != null) {
            onConnected.run();
        }
    }

    /** When the connection was established (wall clock), 0 before CONNACK. Any thread. */
    public long connectedAtMillis() {
        return connectedAtMillis;
    }

    /** The keep alive in force (seconds, 0 = none). Any thread. */
    public int keepAliveSeconds() {
        return keepAliveSeconds;
    }

    public void keepAliveSeconds(int seconds) {
        this.keepAliveSeconds = seconds;
    }

    public boolean normalDisconnect() {
        return normalDisconnect;
    }

    public void normalDisconnect(boolean value) {
        this.normalDisconnect = value;
    }

    public void cancelTimers() {
        if (credentialExpiry != null) {
            credentialExpiry.cancel(false);
            credentialExpiry = null;
        }
    }

    // ---- writing ----------------------------------------------------------------------------------------------

    public void write(MqttMessage message) {
        transport.write(message);
    }

    public void writeAndFlush(MqttMessage message) {
        transport.writeAndFlush(message);
    }

    public void flushIfNeeded() {
        transport.flushIfNeeded();
    }

    public boolean isActive() {
        return transport.isActive();
    }

    public void close() {
        transport.close();
    }

    /** PUBACK, PUBREC, PUBREL or PUBCOMP with an optional MQTT 5 reason code. */
    public void sendAck(MqttMessageType type, int packetId, byte reasonCode) {
        MqttQoS qos = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
        MqttFixedHeader header = new MqttFixedHeader(type, false, qos, false, 0);
        Object variableHeader = isMqtt5() && reasonCode != 0
                ? new MqttPubReplyMessageVariableHeader(packetId, reasonCode, MqttProperties.NO_PROPERTIES)
                : MqttMessageIdVariableHeader.from(packetId);
        write(new MqttMessage(header, variableHeader));
    }

    // ---- SessionListener --------------------------------------------------------------------------------------

    @Override
    public boolean sendPublish(Delivery delivery, long nowMillis) {
        MqttPublishMessage publish = outbound.encode(delivery, nowMillis);
        if (publish == null) {
            return false; // [MQTT-3.1.2-25] larger than the client's Maximum Packet Size
        }
        write(publish);
        return true;
    }

    @Override
    public void sendPubrel(int packetId) {
        sendAck(MqttMessageType.PUBREL, packetId, (byte) 0);
    }

    @Override
    public int clientReceiveMaximum() {
        return clientReceiveMaximum;
    }

    @Override
    public boolean writeQueueFull() {
        return !transport.isWritable();
    }

    @Override
    public void runOnLoop(Runnable task) {
        transport.execute(task);
    }

    @Override
    public void pauseReading() {
        transport.pauseReading();
    }

    @Override
    public void resumeReading() {
        transport.resumeReading();
    }

    @Override
    public Permissions deliveryPermissions() {
        return effectivePermissions();
    }

    @Override
    public String toString() {
        return "MqttConnection[" + clientId + " " + principal + " " + remoteAddress + " " + version + "]";
    }
}

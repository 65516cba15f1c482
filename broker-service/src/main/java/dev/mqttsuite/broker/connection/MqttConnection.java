package dev.mqttsuite.broker.connection;

import dev.mqttsuite.broker.BrokerCore;
import dev.mqttsuite.broker.auth.AuthResult;
import dev.mqttsuite.broker.auth.Permissions;
import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.message.PublishProperties;
import dev.mqttsuite.broker.protocol.Props;
import dev.mqttsuite.broker.session.Delivery;
import dev.mqttsuite.broker.session.Session;
import dev.mqttsuite.broker.session.SessionListener;
import dev.mqttsuite.broker.will.Will;
import dev.mqttsuite.reason.DisconnectReasonCode;
import dev.mqttsuite.topic.TopicName;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import java.util.concurrent.TimeUnit;

/**
 * One MQTT network connection. Everything here runs on the connection's event loop (the Netty channel's executor)
 * unless a method says otherwise; the session it is attached to is shared with publishers on other loops and guards
 * itself.
 *
 * <p>Writes go through {@link #write} without a flush; the channel handler flushes once per read batch and the
 * session once per drain, so a burst of PUBACKs or PUBLISHes costs one system call.
 */
public final class MqttConnection implements SessionListener {

    private final BrokerCore broker;
    private ChannelHandlerContext ctx;
    private final String remoteAddress;
    private final List<String> certificateIdentities;

    ConnectionState state = ConnectionState.AWAITING_CONNECT;
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
    private long clientMaximumPacketSize = Long.MAX_VALUE;
    private int clientTopicAliasMaximum;
    private boolean requestProblemInformation = true;
    private long sessionExpiryInterval;
    private final Map<Integer, TopicName> inboundAliases = new HashMap<>();
    private Map<String, Integer> outboundAliases;
    private boolean flushPending;
    private boolean readingPaused;
    private Runnable onResume;
    private boolean normalDisconnect;
    private boolean closeHandled;
    private ScheduledFuture<?> credentialExpiry;
    private Runnable replayHeld;
    /** Finishes CONNECT once a multi-step enhanced authentication succeeds. */
    private Consumer<AuthResult.Allowed> pendingConnect;
    /** Packets that arrived while authentication was in progress, replayed after CONNACK. */
    final List<MqttMessage> heldWhileAuthenticating = new ArrayList<>();

    public MqttConnection(BrokerCore broker, String remoteAddress, List<String> certificateIdentities) {
        this.broker = broker;
        this.remoteAddress = remoteAddress;
        this.certificateIdentities = certificateIdentities;
    }

    // ---- identity and negotiated state ------------------------------------------------------------------------

    public BrokerCore broker() {
        return broker;
    }

    public ChannelHandlerContext channelContext() {
        return ctx;
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

    public String remoteAddress() {
        return remoteAddress;
    }

    public List<String> certificateIdentities() {
        return certificateIdentities;
    }

    public Session session() {
        return session;
    }

    public Permissions permissions() {
        return permissions;
    }

    /** What this connection may do right now: everything for a superuser, else its compiled permissions. */
    public Permissions effectivePermissions() {
        return superuser ? Permissions.ALL : permissions;
    }

    public String authenticationMethod() {
        return authenticationMethod;
    }

    public long sessionExpiryInterval() {
        return sessionExpiryInterval;
    }

    public void sessionExpiryInterval(long seconds) {
        this.sessionExpiryInterval = seconds;
    }

    public Map<Integer, TopicName> inboundAliases() {
        return inboundAliases;
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
            boolean problemInformation, String authMethod) {
        this.clientId = id;
        this.clientReceiveMaximum = receiveMaximum;
        this.clientMaximumPacketSize = maximumPacketSize;
        this.clientTopicAliasMaximum = topicAliasMaximum;
        this.requestProblemInformation = problemInformation;
        this.authenticationMethod = authMethod;
        if (topicAliasMaximum > 0 && broker.config().limits().outboundTopicAliases()) {
            outboundAliases = new HashMap<>();
        }
    }

    /** Applies an authentication result (at CONNECT or re-authentication). */
    public void authenticated(AuthResult.Allowed allowed) {
        this.principal = allowed.principal();
        this.permissions = allowed.permissions();
        this.superuser = allowed.superuser();
        this.authAttachment = allowed.attachment();
        if (credentialExpiry != null) {
            credentialExpiry.cancel(false);
            credentialExpiry = null;
        }
        if (allowed.expiresAt() != null) {
            long delay = Math.max(0, allowed.expiresAt().toEpochMilli() - System.currentTimeMillis());
            credentialExpiry = ctx.executor().schedule(() -> broker.disconnector().disconnect(this,
                    DisconnectReasonCode.MAXIMUM_CONNECT_TIME, "credentials expired"), delay, TimeUnit.MILLISECONDS);
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

    /** Binds to the context of the MQTT handler, so that writes pass through the encoder. */
    void bind(ChannelHandlerContext handlerContext) {
        this.ctx = handlerContext;
    }

    void onConnected(Runnable replay) {
        this.replayHeld = replay;
    }

    /** Dispatches the packets pipelined behind CONNECT; called right after CONNACK. */
    public void replayHeld() {
        if (replayHeld != null) {
            replayHeld.run();
        }
    }

    public void attachSession(Session attachedSession) {
        this.session = attachedSession;
    }

    public boolean normalDisconnect() {
        return normalDisconnect;
    }

    public void normalDisconnect(boolean value) {
        this.normalDisconnect = value;
    }

    /** True once; guards the close path against running twice. */
    boolean markCloseHandled() {
        if (closeHandled) {
            return false;
        }
        closeHandled = true;
        return true;
    }

    void cancelTimers() {
        if (credentialExpiry != null) {
            credentialExpiry.cancel(false);
        }
    }

    // ---- writing ----------------------------------------------------------------------------------------------

    /** Writes without flushing; see the class comment. */
    public void write(MqttMessage message) {
        broker.metrics().packets().sent(message.fixedHeader().messageType());
        flushPending = true;
        ctx.write(message, ctx.voidPromise());
    }

    public void writeAndFlush(MqttMessage message) {
        broker.metrics().packets().sent(message.fixedHeader().messageType());
        ctx.writeAndFlush(message, ctx.voidPromise());
        flushPending = false;
    }

    public void flushIfNeeded() {
        if (flushPending) {
            flushPending = false;
            ctx.flush();
        }
    }

    public boolean isActive() {
        return ctx.channel().isActive();
    }

    public void close() {
        flushIfNeeded();
        ctx.channel().close();
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
        Message message = delivery.message();
        MqttProperties props = MqttProperties.NO_PROPERTIES;
        String topic = message.topic().value();
        if (isMqtt5()) {
            props = new MqttProperties();
            PublishProperties p = message.properties();
            if (p.payloadFormatIndicator() != null) {
                Props.putInt(props, MqttPropertyType.PAYLOAD_FORMAT_INDICATOR, p.payloadFormatIndicator());
            }
            long remaining = message.remainingExpirySeconds(nowMillis);
            if (remaining >= 0) {
                Props.putInt(props, MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL, (int) remaining);
            }
            if (p.contentType() != null) {
                Props.putString(props, MqttPropertyType.CONTENT_TYPE, p.contentType());
            }
            if (p.responseTopic() != null) {
                Props.putString(props, MqttPropertyType.RESPONSE_TOPIC, p.responseTopic());
            }
            if (p.correlationData() != null) {
                Props.putBinary(props, MqttPropertyType.CORRELATION_DATA, p.correlationData());
            }
            Props.putUserProperties(props, p.userProperties());
            for (int id : delivery.subscriptionIds()) {
                Props.putInt(props, MqttPropertyType.SUBSCRIPTION_IDENTIFIER, id);
            }
            if (outboundAliases != null && !delivery.duplicate()) {
                Integer alias = outboundAliases.get(topic);
                if (alias != null) {
                    Props.putInt(props, MqttPropertyType.TOPIC_ALIAS, alias);
                    topic = "";
                } else if (outboundAliases.size() < clientTopicAliasMaximum) {
                    alias = outboundAliases.size() + 1;
                    outboundAliases.put(topic, alias);
                    Props.putInt(props, MqttPropertyType.TOPIC_ALIAS, alias);
                }
            }
        }
        if (clientMaximumPacketSize != Long.MAX_VALUE
                && estimateSize(topic, message.payload().length, props) > clientMaximumPacketSize) {
            return false; // [MQTT-3.1.2-25] the server must not send packets larger than the client's maximum
        }
        int packetId = delivery.qos() > 0 ? delivery.packetId() : 0;
        MqttFixedHeader header = new MqttFixedHeader(MqttMessageType.PUBLISH, delivery.duplicate(),
                MqttQoS.valueOf(delivery.qos()), delivery.retain(), 0);
        ByteBuf payload = Unpooled.wrappedBuffer(message.payload());
        write(new MqttPublishMessage(header, new MqttPublishVariableHeader(topic, packetId, props), payload));
        broker.metrics().messageSent(delivery.qos(), message.payload().length);
        return true;
    }

    /** An upper bound of the encoded PUBLISH size: fixed header + topic + packet id + properties + payload. */
    private static long estimateSize(String topic, int payloadLength, MqttProperties props) {
        long size = 5 + 2 + (long) topic.length() * 3 + 2 + payloadLength;
        if (props != MqttProperties.NO_PROPERTIES) {
            size += 4;
            for (MqttProperties.MqttProperty<?> p : props.listAll()) {
                Object v = p.value();
                if (v instanceof String s) {
                    size += 3 + s.length() * 3L;
                } else if (v instanceof byte[] b) {
                    size += 3 + b.length;
                } else if (v instanceof MqttProperties.StringPair pair) {
                    size += 5 + (pair.key.length() + pair.value.length()) * 3L;
                } else {
                    size += 5;
                }
            }
        }
        return size;
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
        return !ctx.channel().isWritable();
    }

    @Override
    public void runOnLoop(Runnable task) {
        ctx.executor().execute(() -> {
            task.run();
            flushIfNeeded();
        });
    }

    @Override
    public void pauseReading() {
        if (!readingPaused) {
            readingPaused = true;
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void resumeReading() {
        ctx.executor().execute(() -> {
            if (readingPaused) {
                readingPaused = false;
                if (onResume != null) {
                    onResume.run(); // packets decoded after the pause first; may pause again
                }
                if (!readingPaused) {
                    ctx.channel().config().setAutoRead(true);
                    ctx.read();
                }
                flushIfNeeded();
            }
        });
    }

    /** Whether reading is paused by back-pressure: packets decoded meanwhile wait (see MqttChannelHandler). */
    public boolean readingPaused() {
        return readingPaused;
    }

    void onResume(Runnable replay) {
        this.onResume = replay;
    }

    @Override
    public String toString() {
        return "MqttConnection[" + clientId + " " + principal + " " + remoteAddress + " " + version + "]";
    }
}

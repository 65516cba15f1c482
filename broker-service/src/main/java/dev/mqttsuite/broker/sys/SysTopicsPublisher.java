package dev.mqttsuite.broker.sys;

import dev.mqttsuite.broker.BrokerCore;
import dev.mqttsuite.broker.message.Message;
import dev.mqttsuite.broker.message.PublishProperties;
import dev.mqttsuite.broker.metrics.BrokerMetrics;
import dev.mqttsuite.topic.TopicName;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Publishes broker statistics under {@code $SYS/broker/...} every {@code broker.sys.interval}, the topics
 * Mosquitto's users know. They are routed live (QoS 0, not stored in the retained store, because several brokers
 * share that store and would overwrite each other's figures).
 */
public final class SysTopicsPublisher {

    private final BrokerCore broker;
    private final String version;

    public SysTopicsPublisher(BrokerCore broker, String version) {
        this.broker = broker;
        this.version = version;
    }

    /** The current figures by topic. */
    public Map<String, String> snapshot() {
        BrokerMetrics m = broker.metrics();
        Map<String, String> values = new LinkedHashMap<>();
        values.put("$SYS/broker/version", "mqtt-suite broker " + version);
        values.put("$SYS/broker/uptime", ((System.currentTimeMillis() - broker.startedAtMillis()) / 1000) + " seconds");
        values.put("$SYS/broker/clients/connected", Long.toString(m.connectionCount()));
        values.put("$SYS/broker/clients/total", Long.toString(broker.sessions().size()));
        values.put("$SYS/broker/clients/connections/total", Long.toString(m.connectionsTotal()));
        values.put("$SYS/broker/messages/received", Long.toString(m.messagesReceived()));
        values.put("$SYS/broker/messages/sent", Long.toString(m.messagesSent()));
        values.put("$SYS/broker/messages/dropped", Long.toString(m.droppedTotal()));
        values.put("$SYS/broker/bytes/received", Long.toString(m.bytesReceived()));
        values.put("$SYS/broker/bytes/sent", Long.toString(m.bytesSent()));
        values.put("$SYS/broker/subscriptions/count", Long.toString(broker.router().index().size()));
        values.put("$SYS/broker/retained messages/count", Long.toString(broker.retainedStore().count()));
        return values;
    }

    public void publishNow() {
        snapshot().forEach((topic, value) -> broker.publisher().publishInternal(new Message(TopicName.of(topic),
                value.getBytes(StandardCharsets.UTF_8), 0, false, PublishProperties.NONE, null, 0)));
    }
}

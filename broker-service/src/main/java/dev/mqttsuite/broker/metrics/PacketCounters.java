package dev.mqttsuite.broker.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.mqtt.MqttMessageType;

/** {@code mqtt_packets_received_total{type}} and {@code mqtt_packets_sent_total{type}}, one counter per packet type. */
public final class PacketCounters {

    private final Counter[] received = new Counter[16];
    private final Counter[] sent = new Counter[16];

    public PacketCounters(MeterRegistry registry) {
        for (MqttMessageType type : MqttMessageType.values()) {
            String name = type.name().toLowerCase();
            received[type.value()] = Counter.builder("mqtt.packets.received").tag("type", name)
                    .description("MQTT packets received, by type").register(registry);
            sent[type.value()] = Counter.builder("mqtt.packets.sent").tag("type", name)
                    .description("MQTT packets sent, by type").register(registry);
        }
    }

    public void received(MqttMessageType type) {
        received[type.value()].increment();
    }

    public void sent(MqttMessageType type) {
        sent[type.value()].increment();
    }
}

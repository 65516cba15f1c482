package dev.mqttsuite.bridge.flow;

import io.vertx.core.Future;

/** The broker a {@link Forwarder} publishes to. */
public interface Target {
    boolean isConnected();

    /** Publishes; the future carries the packet identifier (QoS 1) and fails when not connected. */
    Future<Integer> publish(String topic, byte[] payload, int qos, boolean dup, boolean retain);

    /** host:port, for logs. */
    String address();
}

package dev.mqttsuite.broker.connection;

/** The life of one network connection. */
public enum ConnectionState {
    /** TCP accepted, waiting for CONNECT (closed after broker.mqtt.connect-timeout). */
    AWAITING_CONNECT,
    /** CONNECT received, authentication in progress (packets that arrive meanwhile are held). */
    AUTHENTICATING,
    /** CONNACK 0x00 sent. */
    CONNECTED,
    /** Closing or closed. */
    CLOSED
}

package dev.mqttsuite.bridge.config;

/** Which way a bridge (or one of its topic rules) moves messages, seen from our broker. */
public enum Direction {
    /** From the remote broker into ours. */
    IN,
    /** From our broker to the remote one. */
    OUT,
    /** Both ways; echoes are suppressed (see {@code EchoFilter}). */
    BOTH;

    public boolean includesIn() {
        return this != OUT;
    }

    public boolean includesOut() {
        return this != IN;
    }
}

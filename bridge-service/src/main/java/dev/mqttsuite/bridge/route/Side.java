package dev.mqttsuite.bridge.route;

/** The two brokers a bridge connects. */
public enum Side {
    /** Our broker. */
    LOCAL,
    /** The other broker. */
    REMOTE;

    public Side other() {
        return this == LOCAL ? REMOTE : LOCAL;
    }

    /** The direction name of a flow that starts on this side ({@code in} starts on the remote). */
    public String flowName() {
        return this == LOCAL ? "out" : "in";
    }
}

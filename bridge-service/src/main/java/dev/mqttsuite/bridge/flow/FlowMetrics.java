package dev.mqttsuite.bridge.flow;

/** What a {@link Forwarder} reports; implemented with Micrometer by the bridge. */
public interface FlowMetrics {
    void forwarded();

    void dropped(String reason);

    void resent();
}

package dev.mqttsuite.broker.retained;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;

/**
 * Keeps the channel to the retained-store-service reconnecting at least every {@code intervalMillis} while the store is
 * unreachable. gRPC's own reconnect back-off grows to minutes (1 s, 1.6 s, 2.6 s, ... 120 s): after an outage of 30 s
 * the store was back for ~7 s before the broker tried again, and every retained read and put of that time failed. The
 * watch follows the channel's state and, while it is in {@code TRANSIENT_FAILURE}, resets the back-off on a timer, so
 * the store is used again within about one interval of being back; one connection attempt per interval is the cost.
 */
final class ChannelReconnect {

    private final ManagedChannel channel;
    private final Delay delay;
    private final long intervalMillis;
    private volatile boolean stopped;

    ChannelReconnect(ManagedChannel channel, Delay delay, long intervalMillis) {
        this.channel = channel;
        this.delay = delay;
        this.intervalMillis = intervalMillis;
    }

    void start() {
        watch(channel.getState(false));
    }

    void stop() {
        stopped = true;
    }

    private void watch(ConnectivityState seen) {
        if (stopped || seen == ConnectivityState.SHUTDOWN) {
            return;
        }
        if (seen == ConnectivityState.TRANSIENT_FAILURE) {
            delay.after(intervalMillis, () -> {
                if (!stopped && channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
                    channel.resetConnectBackoff();
                }
                watch(channel.getState(false));
            });
            return;
        }
        channel.notifyWhenStateChanged(seen, () -> watch(channel.getState(false)));
    }
}

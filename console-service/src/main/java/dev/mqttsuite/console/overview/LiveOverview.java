package dev.mqttsuite.console.overview;

import io.quarkus.qute.TemplateData;

/**
 * One viewer's live overview: the latest snapshot and time series of connections and of messages in, out and dropped
 * per second (rates from the brokers' counters, which are totals since start; a restarted broker gives no negative
 * rate).
 */
@TemplateData
public final class LiveOverview {

    private final Series connections;
    private final Series inRate;
    private final Series outRate;
    private final Series dropRate;
    private volatile Snapshot snapshot;
    private Snapshot previous;

    public LiveOverview(int samples) {
        connections = new Series(samples);
        inRate = new Series(samples);
        outRate = new Series(samples);
        dropRate = new Series(samples);
    }

    public synchronized LiveOverview add(Snapshot next) {
        connections.add(next.total(Snapshot.BrokerRow::connections));
        if (previous != null && next.atMillis() > previous.atMillis()) {
            double seconds = (next.atMillis() - previous.atMillis()) / 1000.0;
            inRate.add(rate(previous.total(Snapshot.BrokerRow::messagesIn), next.total(Snapshot.BrokerRow::messagesIn), seconds));
            outRate.add(rate(previous.total(Snapshot.BrokerRow::messagesOut), next.total(Snapshot.BrokerRow::messagesOut), seconds));
            dropRate.add(rate(previous.total(Snapshot.BrokerRow::messagesDropped),
                    next.total(Snapshot.BrokerRow::messagesDropped), seconds));
        }
        previous = next;
        snapshot = next;
        return this;
    }

    private static double rate(long before, long after, double seconds) {
        return after < before ? 0 : (after - before) / seconds;
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    public Series connections() {
        return connections;
    }

    public Series inRate() {
        return inRate;
    }

    public Series outRate() {
        return outRate;
    }

    public Series dropRate() {
        return dropRate;
    }
}

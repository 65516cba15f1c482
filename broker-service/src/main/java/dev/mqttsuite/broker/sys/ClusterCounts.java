package dev.mqttsuite.broker.sys;

import java.util.Collection;

/**
 * Where a cluster member shares its {@link NodeCounts} and finds everyone else's, for the {@code $SYS/cluster/...}
 * topics. Implemented by the cluster (cluster/stats); a single broker has none and publishes no cluster topics. Every
 * method is called on an event loop: none may block.
 */
public interface ClusterCounts {

    /** This broker's node id. */
    String nodeId();

    /** Brokers in the cluster now, this one included. */
    int members();

    /** Shares this broker's latest figures with the others (asynchronously). */
    void share(NodeCounts own);

    /** The latest figures of every current member that shared some, this broker's included. */
    Collection<NodeCounts> nodes();
}

package dev.mqttsuite.broker.quota;

/**
 * The rate limits one connection publishes under: its own buckets and its user's (shared with the user's other
 * connections on this node). Used on the connection's event loop; {@link #release} once when the connection ends.
 */
public final class ConnectionQuota {

    /** No limits: every check passes, nothing is counted. */
    public static final ConnectionQuota UNLIMITED = new ConnectionQuota(null, null, null, null, null, null);

    private final TokenBucket clientMessages;
    private final TokenBucket clientBytes;
    private final TokenBucket userMessages;
    private final TokenBucket userBytes;
    private final QuotaMetrics metrics;
    private final Runnable onRelease;
    private boolean released;

    ConnectionQuota(TokenBucket clientMessages, TokenBucket clientBytes, TokenBucket userMessages,
            TokenBucket userBytes, QuotaMetrics metrics, Runnable onRelease) {
        this.clientMessages = clientMessages;
        this.clientBytes = clientBytes;
        this.userMessages = userMessages;
        this.userBytes = userBytes;
        this.metrics = metrics;
        this.onRelease = onRelease;
    }

    /**
     * MQTT 5: takes one message and {@code bytes} from every bucket if all of them hold enough; otherwise takes
     * nothing, counts the refusal and says which limit was hit.
     *
     * @return null when the PUBLISH is within every rate, else the kind of limit it exceeds
     */
    public QuotaMetrics.Kind tryPublish(int bytes) {
        if (!tryTake(clientMessages, 1, null) || !tryTake(userMessages, 1, clientMessages)) {
            metrics.exceeded(QuotaMetrics.Kind.MESSAGE_RATE);
            return QuotaMetrics.Kind.MESSAGE_RATE;
        }
        if (!tryTake(clientBytes, bytes, null) || !tryTake(userBytes, bytes, clientBytes)) {
            refund(clientMessages, 1);
            refund(userMessages, 1);
            metrics.exceeded(QuotaMetrics.Kind.BYTE_RATE);
            return QuotaMetrics.Kind.BYTE_RATE;
        }
        return null;
    }

    /**
     * MQTT 3.1/3.1.1 (no reason code to refuse with): takes the PUBLISH from every bucket, debt allowed, and says how
     * long the connection must stop reading until every bucket is out of debt; counts a throttle when it must.
     *
     * @return nanoseconds to pause reading, 0 for none
     */
    public long charge(int bytes) {
        long messagesWait = Math.max(take(clientMessages, 1), take(userMessages, 1));
        long bytesWait = Math.max(take(clientBytes, bytes), take(userBytes, bytes));
        if (messagesWait > 0) {
            metrics.exceeded(QuotaMetrics.Kind.MESSAGE_RATE);
        } else if (bytesWait > 0) {
            metrics.exceeded(QuotaMetrics.Kind.BYTE_RATE);
        }
        return Math.max(messagesWait, bytesWait);
    }

    /** Gives back the connection's place in its user's connection count; idempotent. */
    public void release() {
        if (onRelease != null && !released) {
            released = true;
            onRelease.run();
        }
    }

    private static boolean tryTake(TokenBucket bucket, long amount, TokenBucket refundOnFailure) {
        if (bucket == null || bucket.tryTake(amount)) {
            return true;
        }
        refund(refundOnFailure, amount);
        return false;
    }

    private static void refund(TokenBucket bucket, long amount) {
        if (bucket != null) {
            bucket.take(-amount);
        }
    }

    private static long take(TokenBucket bucket, long amount) {
        if (bucket == null) {
            return 0;
        }
        bucket.take(amount);
        return bucket.nanosUntilClear();
    }
}

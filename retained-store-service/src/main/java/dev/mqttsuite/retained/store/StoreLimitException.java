package dev.mqttsuite.retained.store;

/** A put was refused because it would exceed a configured limit; the message names the limit and its setting. */
public final class StoreLimitException extends RuntimeException {

    public StoreLimitException(String message) {
        super(message);
    }
}

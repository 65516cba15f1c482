package dev.mqttsuite.retained.store;

/** A put was refused because it would exceed a configured limit; the message names the limit and its setting. */
public final class StoreLimitException extends RuntimeException {

    private final String setting;

    /** @param setting the limit's key without its prefix ({@code max-count}, {@code max-total-bytes}, ...) */
    public StoreLimitException(String setting, String message) {
        super(message);
        this.setting = setting;
    }

    /** The limit's key without its prefix, for metrics. */
    public String setting() {
        return setting;
    }
}

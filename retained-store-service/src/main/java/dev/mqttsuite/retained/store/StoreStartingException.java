package dev.mqttsuite.retained.store;

/** A call arrived before the storage was open (the log is being replayed): the caller should try again shortly. */
public final class StoreStartingException extends IllegalStateException {

    public StoreStartingException() {
        super("the retained store is starting (replaying its log): try again shortly");
    }
}

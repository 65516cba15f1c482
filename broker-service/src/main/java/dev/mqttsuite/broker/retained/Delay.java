package dev.mqttsuite.broker.retained;

/**
 * Runs a task later without blocking the caller (a Vert.x timer in the broker, a scheduled executor in tests). The
 * task must not block either: it runs on an event loop.
 */
@FunctionalInterface
interface Delay {

    /** Schedules {@code task}; the returned action cancels it if it has not run yet. */
    Runnable after(long millis, Runnable task);
}

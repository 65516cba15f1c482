package dev.mqttsuite.it.support;

/** Stops test processes and containers in order, best effort: one failing to stop does not keep the others up. */
public final class Closer {

    private Closer() {
    }

    public static void closeAll(AutoCloseable... resources) {
        for (AutoCloseable c : resources) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort: the next one still gets stopped
            }
        }
    }
}

package dev.mqttsuite.console.overview;

import io.quarkus.qute.TemplateData;
import java.util.ArrayDeque;
import java.util.Locale;

/**
 * A small time series drawn server-side as an SVG sparkline (a polyline in a 120×30 box): no chart library, no
 * script, nothing for the Content-Security-Policy to allow. Holds at most {@code capacity} samples.
 */
@TemplateData
public final class Series {

    public static final int WIDTH = 120;
    public static final int HEIGHT = 30;

    private final ArrayDeque<Double> values = new ArrayDeque<>();
    private final int capacity;

    public Series(int capacity) {
        this.capacity = capacity;
    }

    public synchronized void add(double value) {
        if (values.size() == capacity) {
            values.removeFirst();
        }
        values.addLast(value);
    }

    public synchronized double last() {
        return values.isEmpty() ? 0 : values.getLast();
    }

    public synchronized double max() {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    /** The polyline's points; the highest sample touches the top, zero the bottom. */
    public synchronized String points() {
        if (values.isEmpty()) {
            return "";
        }
        double max = Math.max(max(), 1e-9);
        double step = values.size() == 1 ? 0 : (double) WIDTH / (capacity - 1);
        StringBuilder out = new StringBuilder();
        int i = 0;
        double x0 = WIDTH - step * (values.size() - 1);
        for (double v : values) {
            double x = x0 + step * i++;
            double y = HEIGHT - 1 - (HEIGHT - 2) * (v / max);
            out.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        return out.toString().trim();
    }

    /** The latest value, formatted for the card (rates with one decimal). */
    public String label() {
        double v = last();
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
                : String.format(Locale.ROOT, "%.1f", v);
    }
}

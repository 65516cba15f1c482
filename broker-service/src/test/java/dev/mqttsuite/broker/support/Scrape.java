package dev.mqttsuite.broker.support;

import java.net.URL;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * One scrape of the broker's Prometheus endpoint ({@code /q/metrics}), read the way an operator's scraper reads it:
 * tests assert on what the broker exports, not on its internals.
 */
public final class Scrape {

    private record Sample(String name, String labels, double value) {
    }

    private final List<Sample> samples;

    private Scrape(List<Sample> samples) {
        this.samples = samples;
    }

    /** Scrapes {@code url} (the broker's {@code /q/metrics}). */
    public static Scrape of(URL url) {
        HttpResponse<String> response = Http.get(url);
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode());
        }
        return parse(response.body());
    }

    private static Scrape parse(String exposition) {
        List<Sample> samples = new ArrayList<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            int nameEnd = brace >= 0 && brace < space ? brace : line.indexOf(' ');
            String labels = brace >= 0 && brace < space ? line.substring(brace, line.lastIndexOf('}') + 1) : "";
            String value = line.substring(space + 1);
            samples.add(new Sample(line.substring(0, nameEnd), labels, switch (value) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(value);
            }));
        }
        return new Scrape(samples);
    }

    /**
     * The sum of the series named {@code name} that carry every given label (as {@code key="value"}). Fails when no
     * series matches: a misspelt name must not read as a reassuring 0.
     */
    public double value(String name, String... labels) {
        double sum = 0;
        boolean found = false;
        for (Sample s : samples) {
            if (s.name().equals(name) && hasAll(s.labels(), labels)) {
                sum += s.value();
                found = true;
            }
        }
        if (!found) {
            throw new IllegalArgumentException("no series " + name + " " + List.of(labels) + " in the scrape");
        }
        return sum;
    }

    /** Whether the scrape exposes a series named {@code name}. */
    public boolean has(String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }

    private static boolean hasAll(String seriesLabels, String... wanted) {
        for (String label : wanted) {
            if (!seriesLabels.contains("{" + label) && !seriesLabels.contains("," + label)) {
                return false;
            }
        }
        return true;
    }
}

package dev.mqttsuite.console.pages;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads samples out of the Prometheus text exposition format (name{labels} value), for display. */
final class PrometheusText {

    private PrometheusText() {
    }

    /** The samples whose metric name starts with {@code prefix}, as name/labels/value maps. */
    static List<Map<String, String>> lines(String text, String prefix) {
        List<Map<String, String>> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(prefix)) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            String series = line.substring(0, space);
            int brace = series.indexOf('{');
            out.add(Map.of("name", brace < 0 ? series : series.substring(0, brace),
                    "labels", brace < 0 ? "" : series.substring(brace + 1, series.length() - 1),
                    "value", line.substring(space + 1)));
        }
        return out;
    }
}

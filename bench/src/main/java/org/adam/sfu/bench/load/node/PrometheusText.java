package org.adam.sfu.bench.load.node;

import java.util.ArrayList;
import java.util.List;

/** The samples of a Prometheus text exposition, enough to add up a metric's series. */
final class PrometheusText {

    private record Sample(String name, String labels, double value) {
    }

    private final List<Sample> samples;

    private PrometheusText(List<Sample> samples) {
        this.samples = samples;
    }

    static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            if (space <= 0) {
                continue;
            }
            String name = brace > 0 && brace < space ? line.substring(0, brace) : line.substring(0, space).trim();
            String labels = brace > 0 && brace < space ? line.substring(brace, line.lastIndexOf('}') + 1) : "";
            try {
                samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1).trim())));
            } catch (NumberFormatException ignored) {
                // NaN and the like are parsed by Double; anything else is not a sample line
            }
        }
        return new PrometheusText(samples);
    }

    boolean has(String name) {
        return samples.stream().anyMatch(s -> s.name().equals(name));
    }

    /** The sum of {@code name}'s series whose labels contain {@code labelFragment}; -1 if none. */
    double sum(String name, String labelFragment) {
        double sum = 0;
        boolean found = false;
        for (Sample sample : samples) {
            if (sample.name().equals(name) && sample.labels().contains(labelFragment)) {
                sum += sample.value();
                found = true;
            }
        }
        return found ? sum : -1;
    }

    double max(String name, String labelFragment) {
        double max = -1;
        for (Sample sample : samples) {
            if (sample.name().equals(name) && sample.labels().contains(labelFragment)) {
                max = Math.max(max, sample.value());
            }
        }
        return max;
    }
}

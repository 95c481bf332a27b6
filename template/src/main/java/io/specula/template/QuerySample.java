package io.specula.template;

import java.util.Map;

/**
 * One element of a {@code query} result in Prometheus templates, Go's
 * {@code struct { Labels map[string]string; Value float64 }}: templates read
 * {@code .Labels.job} and {@code .Value}.
 */
public record QuerySample(Map<String, String> labels, double value) {
    public QuerySample {
        labels = Map.copyOf(labels);
    }
}

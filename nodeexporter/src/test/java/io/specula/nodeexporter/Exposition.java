package io.specula.nodeexporter;

import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.model.textparse.Entry;
import io.specula.model.textparse.MetricType;
import io.specula.model.textparse.Parser;
import io.specula.model.textparse.Parsers;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A scrape body parsed for comparison: family types and help, and every series (name and labels,
 * empty-valued labels dropped as Prometheus drops them) with its value.
 */
record Exposition(Map<String, MetricType> types, Map<String, String> help, Map<Labels, Double> series) {

    static Exposition parse(String body) throws Exception {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        Parser p = Parsers.text(b, 0, b.length);
        Map<String, MetricType> types = new TreeMap<>();
        Map<String, String> help = new TreeMap<>();
        Map<Labels, Double> series = new LinkedHashMap<>();
        LabelsBuilder lb = new LabelsBuilder();
        for (Entry e = p.next(); e != null; e = p.next()) {
            switch (e) {
                case TYPE -> types.put(p.metricFamily(), p.type());
                case HELP -> help.put(p.metricFamily(), p.text());
                case SERIES -> {
                    p.labels(lb);
                    Labels l = lb.build();
                    if (series.put(l, p.value()) != null) {
                        throw new AssertionError("duplicate series " + l);
                    }
                }
                default -> { }
            }
        }
        return new Exposition(types, help, series);
    }

    /** Series of family {@code name} (the sample name equals it: no histograms among the host metrics). */
    Map<Labels, Double> family(String name) {
        Map<Labels, Double> m = new LinkedHashMap<>();
        series.forEach((l, v) -> {
            if (l.metricName().equals(name)) {
                m.put(l, v);
            }
        });
        return m;
    }

    double value(String name, String... labels) {
        LabelsBuilder b = new LabelsBuilder().set(Labels.METRIC_NAME, name);
        for (int i = 0; i < labels.length; i += 2) {
            b.set(labels[i], labels[i + 1]);
        }
        Double v = series.get(b.build());
        if (v == null) {
            throw new AssertionError("no series " + b.build());
        }
        return v;
    }
}

package io.specula.nodeexporter;

import io.specula.model.exposition.ExpositionWriter;
import io.specula.model.labels.Labels;
import io.specula.model.textparse.MetricType;
import java.io.IOException;

/** What a collector writes to: a family, then its samples (named like the family). */
final class Emitter {
    private final ExpositionWriter w;
    private String family;

    Emitter(ExpositionWriter w) {
        this.w = w;
    }

    void family(String name, MetricType type, String help) throws IOException {
        family = name;
        w.family(name, type, help, null);
    }

    void sample(Labels labels, double value) throws IOException {
        w.sample(family, labels, value);
    }

    /** A sample named otherwise than its family ({@code x_bucket}, {@code x_sum}, …). */
    void sample(String name, Labels labels, double value) throws IOException {
        w.sample(name, labels, value);
    }

    void sample(double value) throws IOException {
        w.sample(family, Labels.EMPTY, value);
    }

    /** A family with one unlabelled sample. */
    void single(String name, MetricType type, String help, double value) throws IOException {
        family(name, type, help);
        sample(value);
    }

    /** A gauge with one unlabelled sample. */
    void gauge(String name, String help, double value) throws IOException {
        single(name, MetricType.GAUGE, help, value);
    }
}

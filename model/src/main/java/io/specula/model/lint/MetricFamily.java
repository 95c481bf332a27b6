package io.specula.model.lint;

import io.specula.model.labels.Labels;
import io.specula.model.textparse.MetricType;
import java.util.List;
import java.util.Objects;

/**
 * One metric family as read from an exposition body, in Prometheus's data model: the name as
 * the text format writes it (a counter's with {@code _total}), its type, HELP and UNIT (null
 * when absent) and its samples in input order. Built by {@link FamilyCollector} or by hand.
 *
 * <p>This is a small, allocating model for tools (lint, {@code check metrics}); the scrape
 * path never builds it. Instances are immutable and thread-safe.
 *
 * @param type {@link MetricType#UNKNOWN} for untyped families
 */
public record MetricFamily(String name, MetricType type, String help, String unit, List<Sample> samples) {

    /**
     * One sample line.
     *
     * @param name the sample's metric name ({@code foo_bucket}, {@code foo_count}, …)
     * @param labels its labels without {@code __name__}
     * @param timestampMillis milliseconds since the epoch, or {@link #NO_TIMESTAMP}
     */
    public record Sample(String name, Labels labels, double value, long timestampMillis) {
        public static final long NO_TIMESTAMP = Long.MIN_VALUE;

        public Sample {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(labels, "labels");
        }

        /** A sample without timestamp. */
        public Sample(String name, Labels labels, double value) {
            this(name, labels, value, NO_TIMESTAMP);
        }

        public boolean hasTimestamp() {
            return timestampMillis != NO_TIMESTAMP;
        }
    }

    public MetricFamily {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        samples = List.copyOf(samples);
    }
}

package io.specula.scrape;

import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Histogram;
import io.specula.model.labels.Labels;
import io.specula.tsdb.storage.Appendable;
import io.specula.tsdb.storage.Appender;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An {@link Appendable} that records what is committed — floats, native histograms (copied) and
 * exemplars — for scrape tests that need histograms before the head stores them.
 */
final class Recording implements Appendable {
    record Sample(Labels labels, long t, double v, Histogram h, FloatHistogram fh) {
        boolean isHistogram() {
            return h != null || fh != null;
        }
    }

    record Ex(Labels series, Labels labels, long t, double v) {}

    final List<Sample> samples = new ArrayList<>();
    final List<Ex> exemplars = new ArrayList<>();
    private final Map<Labels, Long> refs = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong();

    @Override
    public Appender appender() {
        return new Appender() {
            final List<Sample> batch = new ArrayList<>();
            final List<Ex> ex = new ArrayList<>();

            private long ref(Labels l) {
                return refs.computeIfAbsent(l, k -> next.incrementAndGet());
            }

            @Override
            public long append(long ref, Labels labels, long t, double v) {
                batch.add(new Sample(labels, t, v, null, null));
                return ref(labels);
            }

            @Override
            public long appendHistogram(long ref, Labels labels, long st, long t, Histogram h, FloatHistogram fh) {
                batch.add(new Sample(labels, t, Double.NaN, h == null ? null : h.copy(), fh == null ? null : fh.copy()));
                return ref(labels);
            }

            @Override
            public void appendExemplar(long ref, Labels labels, Labels exemplarLabels, long t, double v) {
                ex.add(new Ex(labels, exemplarLabels, t, v));
            }

            @Override
            public void commit() {
                synchronized (Recording.this) {
                    samples.addAll(batch);
                    exemplars.addAll(ex);
                }
            }

            @Override
            public void rollback() {
                batch.clear();
                ex.clear();
            }
        };
    }

    /** Committed samples whose series has {@code __name__ = name}, at time t. */
    synchronized List<Sample> at(String name, long t) {
        return samples.stream().filter(s -> s.labels().metricName().equals(name) && s.t() == t).toList();
    }

    /** The metric names committed at time t, sorted, with duplicates. */
    synchronized List<String> names(long t) {
        return samples.stream().filter(s -> s.t() == t).map(s -> s.labels().metricName()).sorted().toList();
    }
}

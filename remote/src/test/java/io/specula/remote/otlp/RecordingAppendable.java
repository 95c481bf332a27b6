package io.specula.remote.otlp;

import io.specula.model.exposition.GoFloat;
import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Histogram;
import io.specula.model.labels.Labels;
import io.specula.tsdb.storage.Appendable;
import io.specula.tsdb.storage.Appender;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** An {@link Appendable} that keeps what committed transactions appended, for assertions. */
final class RecordingAppendable implements Appendable {
    /** Committed float samples as {@code labels → "t v"} lines ({@code v} = {@code stale} for the stale marker), latest last. */
    final Map<String, List<String>> floats = new TreeMap<>();
    /** Committed native histograms by series. */
    final Map<String, List<Histogram>> histograms = new TreeMap<>();
    /** Committed exemplars as "series → exemplar labels t v". */
    final List<String> exemplars = new ArrayList<>();
    /** When false the appender refuses exemplars as a storage without them does. */
    boolean keepsExemplars = true;
    int commits;
    int rollbacks;

    @Override
    public Appender appender() {
        return new Appender() {
            final List<Object[]> batch = new ArrayList<>();

            @Override
            public long append(long ref, Labels labels, long t, double v) {
                batch.add(new Object[] {labels.toString(), t + " " + (io.specula.model.value.StaleNaN.is(v) ? "stale" : GoFloat.format(v))});
                return 1;
            }

            @Override
            public long appendHistogram(long ref, Labels labels, long st, long t, Histogram h, FloatHistogram fh) {
                batch.add(new Object[] {labels.toString(), h.copy()});
                return 1;
            }

            @Override
            public void appendExemplar(long ref, Labels labels, Labels exemplarLabels, long t, double v) {
                if (!keepsExemplars) {
                    throw new UnsupportedOperationException("no exemplars");
                }
                batch.add(new Object[] {labels.toString(), "exemplar " + exemplarLabels + " " + t + " " + GoFloat.format(v)});
            }

            @Override
            public void commit() {
                synchronized (RecordingAppendable.this) {
                    for (Object[] e : batch) {
                        if (e[1] instanceof Histogram h) {
                            histograms.computeIfAbsent((String) e[0], k -> new ArrayList<>()).add(h);
                        } else if (((String) e[1]).startsWith("exemplar ")) {
                            exemplars.add(e[0] + " → " + ((String) e[1]).substring("exemplar ".length()));
                        } else {
                            floats.computeIfAbsent((String) e[0], k -> new ArrayList<>()).add((String) e[1]);
                        }
                    }
                    commits++;
                }
            }

            @Override
            public void rollback() {
                synchronized (RecordingAppendable.this) {
                    rollbacks++;
                }
            }
        };
    }

    /** The value of the only sample of {@code series}, without its timestamp. */
    synchronized String value(String series) {
        List<String> s = floats.get(series);
        if (s == null) {
            throw new AssertionError("no series " + series + " among " + floats.keySet());
        }
        String last = s.getLast();
        return last.substring(last.indexOf(' ') + 1);
    }
}

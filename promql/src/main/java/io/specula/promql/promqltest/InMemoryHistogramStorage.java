package io.specula.promql.promqltest;

import io.specula.model.histogram.FloatHistogram;
import io.specula.model.labels.Labels;
import io.specula.model.labels.Matcher;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.storage.Queryable;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.SelectHints;
import io.specula.tsdb.storage.Series;
import io.specula.tsdb.storage.SeriesSet;
import io.specula.tsdb.storage.ValueType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * INTERIM, for the test-script runner only: an in-memory store for the series of a script
 * that hold native histograms, until the head stores histograms (the head's append path is
 * being rewritten; see docs/native-histograms.md). Float-only series still go to the real
 * {@link io.specula.tsdb.head.Head}; the runner queries both through one merged querier.
 *
 * <p>Series keep their samples (floats and histograms) by timestamp; the first sample written
 * at a timestamp stays, as the head keeps the first of duplicate samples. Histograms are read
 * back through float-histogram chunks encoded as the head would cut them (a run of histograms,
 * at most 120 per chunk), so their counter-reset hints are those a query of the head would see.
 * Not thread-safe; small by design (a script's few series).
 */
final class InMemoryHistogramStorage implements Queryable {
    private final Map<Labels, TreeMap<Long, Object>> series = new TreeMap<>();

    boolean isEmpty() {
        return series.isEmpty();
    }

    /** Series with the histograms replaced by what their chunks return; rebuilt after an add. */
    private Map<Labels, TreeMap<Long, Object>> hinted;

    /** Adds a float sample (a {@code Double}) or a histogram sample. */
    void add(Labels labels, long t, Object value) {
        series.computeIfAbsent(labels, l -> new TreeMap<>()).putIfAbsent(t, value);
        hinted = null;
    }

    private Map<Labels, TreeMap<Long, Object>> hinted() {
        if (hinted == null) {
            hinted = new TreeMap<>();
            for (Map.Entry<Labels, TreeMap<Long, Object>> e : series.entrySet()) {
                hinted.put(e.getKey(), throughChunks(e.getValue()));
            }
        }
        return hinted;
    }

    /** Appends each run of histograms to float-histogram chunks and reads them back. */
    private static TreeMap<Long, Object> throughChunks(TreeMap<Long, Object> in) {
        TreeMap<Long, Object> out = new TreeMap<>();
        io.specula.tsdb.chunkenc.FloatHistogramChunk chunk = null;
        io.specula.tsdb.chunkenc.FloatHistogramAppender app = null;
        java.util.List<io.specula.tsdb.chunkenc.FloatHistogramChunk> chunks = new ArrayList<>();
        for (Map.Entry<Long, Object> e : in.entrySet()) {
            if (!(e.getValue() instanceof FloatHistogram h)) {
                out.put(e.getKey(), e.getValue());
                if (chunk != null) {
                    chunks.add(app.chunk());
                    chunk = null;
                }
                continue;
            }
            io.specula.tsdb.chunkenc.FloatHistogramAppender prev = null;
            if (chunk != null && app.numSamples() >= 120) {
                chunks.add(app.chunk());
                prev = app;
                chunk = null;
            }
            if (chunk == null) {
                chunk = io.specula.tsdb.chunkenc.FloatHistogramChunk.create();
                try {
                    app = chunk.appender();
                } catch (io.specula.tsdb.encoding.CorruptionException impossible) {
                    throw new IllegalStateException(impossible); // an empty chunk has nothing to decode
                }
            }
            io.specula.tsdb.chunkenc.FloatHistogramChunk before = app.chunk();
            if (app.append(prev, e.getKey(), h, false) == io.specula.tsdb.chunkenc.HistogramAppender.NEW_CHUNK) {
                chunks.add(before);
            }
        }
        if (chunk != null) {
            chunks.add(app.chunk());
        }
        for (io.specula.tsdb.chunkenc.FloatHistogramChunk c : chunks) {
            SampleIterator it = c.iterator(null);
            while (it.next() == ValueType.FLOAT_HISTOGRAM) {
                out.put(it.atT(), it.atFloatHistogram(null));
            }
        }
        return out;
    }

    boolean has(Labels labels) {
        return series.containsKey(labels);
    }

    @Override
    public Querier querier(long mint, long maxt) {
        return new Querier() {
            @Override
            public SeriesSet select(boolean sorted, SelectHints hints, Matcher... matchers) {
                List<Series> out = new ArrayList<>();
                for (Map.Entry<Labels, TreeMap<Long, Object>> e : hinted().entrySet()) {
                    if (!matches(e.getKey(), matchers)) {
                        continue;
                    }
                    Map<Long, Object> in = e.getValue().subMap(mint, true, maxt, true);
                    if (in.isEmpty()) {
                        continue;
                    }
                    long[] ts = new long[in.size()];
                    Object[] vs = new Object[in.size()];
                    int i = 0;
                    for (Map.Entry<Long, Object> s : in.entrySet()) {
                        ts[i] = s.getKey();
                        vs[i++] = s.getValue();
                    }
                    Labels labels = e.getKey();
                    out.add(new Series() {
                        @Override
                        public Labels labels() {
                            return labels;
                        }

                        @Override
                        public SampleIterator iterator(SampleIterator reuse) {
                            return new Samples(ts, vs);
                        }
                    });
                }
                Iterator<Series> it = out.iterator();
                return new SeriesSet() {
                    private Series cur;

                    @Override
                    public boolean next() {
                        if (!it.hasNext()) {
                            return false;
                        }
                        cur = it.next();
                        return true;
                    }

                    @Override
                    public Series at() {
                        return cur;
                    }

                    @Override
                    public Exception err() {
                        return null;
                    }
                };
            }

            @Override
            public List<String> labelValues(String name, Matcher... matchers) {
                TreeSet<String> out = new TreeSet<>();
                for (Labels l : series.keySet()) {
                    if (matches(l, matchers) && l.has(name)) {
                        out.add(l.get(name));
                    }
                }
                return new ArrayList<>(out);
            }

            @Override
            public List<String> labelNames(Matcher... matchers) {
                TreeSet<String> out = new TreeSet<>();
                for (Labels l : series.keySet()) {
                    if (matches(l, matchers)) {
                        for (int i = 0; i < l.size(); i++) {
                            out.add(l.name(i));
                        }
                    }
                }
                return new ArrayList<>(out);
            }

            @Override
            public void close() {}
        };
    }

    private static boolean matches(Labels l, Matcher[] matchers) {
        for (Matcher m : matchers) {
            if (!m.matches(l.get(m.name()))) {
                return false;
            }
        }
        return true;
    }

    /** Iterates one series' samples: FLOAT or FLOAT_HISTOGRAM per position. */
    private static final class Samples implements SampleIterator {
        private final long[] ts;
        private final Object[] vs;
        private int i = -1;

        Samples(long[] ts, Object[] vs) {
            this.ts = ts;
            this.vs = vs;
        }

        private int type() {
            return vs[i] instanceof FloatHistogram ? ValueType.FLOAT_HISTOGRAM : ValueType.FLOAT;
        }

        @Override
        public int next() {
            if (i + 1 >= ts.length) {
                i = ts.length;
                return ValueType.NONE;
            }
            i++;
            return type();
        }

        @Override
        public int seek(long t) {
            if (i < 0) {
                i = 0;
            }
            while (i < ts.length && ts[i] < t) {
                i++;
            }
            return i < ts.length ? type() : ValueType.NONE;
        }

        @Override
        public long atT() {
            return ts[i];
        }

        @Override
        public double atV() {
            return (Double) vs[i];
        }

        @Override
        public FloatHistogram atFloatHistogram(FloatHistogram reuse) {
            FloatHistogram h = (FloatHistogram) vs[i];
            return reuse == null ? h.copy() : h.copyInto(reuse);
        }

        @Override
        public Exception err() {
            return null;
        }
    }
}

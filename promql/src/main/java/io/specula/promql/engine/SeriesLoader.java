package io.specula.promql.engine;

import io.specula.model.labels.Labels;
import io.specula.model.labels.Matcher;
import io.specula.model.value.StaleNaN;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.SelectHints;
import io.specula.tsdb.storage.Series;
import io.specula.tsdb.storage.SeriesSet;
import io.specula.tsdb.storage.ValueType;
import java.io.IOException;
import io.specula.model.histogram.FloatHistogram;
import java.util.Arrays;

/**
 * Reads the samples of every series a selector matches in {@code [mint, maxt]} into reusable
 * primitive buffers, one series at a time; each series' iterator is walked once. Start
 * timestamps are read only when asked for and only for series whose iterator has them.
 */
final class SeriesLoader {
    /**
     * Receives one series; the arrays are valid until the callback returns. {@code sts} holds
     * the samples' start timestamps (0 = unknown), or is null when none was asked for or the
     * series has none.
     */
    interface Sink {
        void accept(Labels labels, long[] ts, double[] vs, long[] sts, int n);
    }

    private long[] ts = new long[256];
    private double[] vs = new double[256];
    private long[] sts;
    /**
     * For loads that asked for histograms: the histogram at each position of the series handed
     * to the sink (null for a float; {@code vs} is then 0), valid during the callback, and
     * whether the series has any.
     */
    FloatHistogram[] hs = new FloatHistogram[256];
    boolean seriesHasHistograms;
    /** Resolve unknown counter-reset hints against the previous histogram (see {@code Evaluator.statsDecoding}). */
    boolean resolveHints;

    private void grow(QueryContext ctx, int n, boolean withSt) {
        // The buffers hold one series' raw samples, counted as Prometheus counts a window:
        // a series with more samples than the query may hold fails before they are copied.
        ctx.checkBuffer(2L * n);
        ts = Arrays.copyOf(ts, n * 2);
        vs = Arrays.copyOf(vs, n * 2);
        hs = Arrays.copyOf(hs, n * 2);
        if (withSt) {
            sts = Arrays.copyOf(sts, n * 2);
        }
    }

    void load(QueryContext ctx, Matcher[] matchers, long mint, long maxt, SelectHints hints, boolean dropStale,
            Sink sink) {
        load(ctx, matchers, mint, maxt, hints, dropStale, false, sink);
    }

    void load(QueryContext ctx, Matcher[] matchers, long mint, long maxt, SelectHints hints, boolean dropStale,
            boolean startTimes, Sink sink) {
        load(ctx, matchers, mint, maxt, hints, dropStale, startTimes, false, sink);
    }

    /**
     * With {@code histograms}, histogram samples are loaded too (into {@link #hs}); without,
     * they are skipped, as for every consumer that handles only floats.
     */
    void load(QueryContext ctx, Matcher[] matchers, long mint, long maxt, SelectHints hints, boolean dropStale,
            boolean startTimes, boolean histograms, Sink sink) {
        try (Querier q = ctx.queryable.querier(mint, maxt)) {
            SeriesSet set = q.select(false, hints, matchers);
            SampleIterator it = null;
            while (set.next()) {
                ctx.check();
                Series s = set.at();
                it = s.iterator(it);
                boolean withSt = startTimes && it.hasStartTimestamps();
                if (withSt && (sts == null || sts.length < ts.length)) {
                    sts = new long[ts.length];
                }
                int n = 0;
                seriesHasHistograms = false;
                FloatHistogram prevH = null;
                int vt = it.seek(mint);
                while (vt != ValueType.NONE) {
                    long t = it.atT();
                    if (t > maxt) {
                        break;
                    }
                    if (histograms && (vt == ValueType.HISTOGRAM || vt == ValueType.FLOAT_HISTOGRAM) && t >= mint) {
                        FloatHistogram fh = it.atFloatHistogram(null);
                        if (resolveHints && !fh.isStale()) {
                            if (fh.counterResetHint == io.specula.model.histogram.CounterResetHint.UNKNOWN && prevH != null) {
                                fh.counterResetHint = fh.detectReset(prevH) ? io.specula.model.histogram.CounterResetHint.COUNTER_RESET
                                        : io.specula.model.histogram.CounterResetHint.NOT_COUNTER_RESET;
                            }
                            prevH = fh;
                        }
                        if (!(dropStale && fh.isStale())) {
                            if (n == ts.length) {
                                grow(ctx, n, withSt);
                            }
                            ts[n] = t;
                            vs[n] = 0;
                            hs[n] = fh;
                            seriesHasHistograms = true;
                            if (withSt) {
                                sts[n] = it.atST();
                            }
                            n++;
                        }
                    } else if (vt == ValueType.FLOAT && t >= mint) {
                        double v = it.atV();
                        if (!(dropStale && StaleNaN.is(v))) {
                            if (n == ts.length) {
                                grow(ctx, n, withSt);
                            }
                            ts[n] = t;
                            vs[n] = v;
                            if (histograms) {
                                hs[n] = null;
                            }
                            if (withSt) {
                                sts[n] = it.atST();
                            }
                            n++;
                        }
                    }
                    vt = it.next();
                }
                if (it.err() != null) {
                    throw QueryException.execution(it.err().getMessage());
                }
                ctx.loaded(n);
                sink.accept(s.labels(), ts, vs, withSt ? sts : null, n);
            }
            if (set.err() != null) {
                throw QueryException.execution(set.err().getMessage());
            }
            // Storage warnings (a failed remote_read endpoint) reach the response as in Prometheus.
            set.warnings().forEach(ctx.annotations::warn);
        } catch (IOException e) {
            throw QueryException.execution(e.getMessage());
        }
    }
}

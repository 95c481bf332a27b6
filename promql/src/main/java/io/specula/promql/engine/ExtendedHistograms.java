package io.specula.promql.engine;

import io.specula.model.histogram.CounterResetHint;
import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.HistogramException;
import io.specula.model.labels.Labels;
import io.specula.promql.parser.PositionRange;

/**
 * The {@code anchored} and {@code smoothed} modifiers over series that hold native histograms
 * ({@link ExtendedWindow} does floats): {@code rate}/{@code increase}/{@code delta} as the plain
 * difference between the (anchored or interpolated) boundary histograms plus counter-reset
 * corrections, {@code resets}/{@code changes} from the anchor sample on, counting a switch
 * between float and histogram as one. Also the histogram interpolation of the smoothed instant
 * selector. Prometheus's semantics and annotations; runs after the float computation and
 * replaces the result of every step whose extended window holds a histogram.
 */
final class ExtendedHistograms {
    private ExtendedHistograms() {}

    /** The warning when exponential and custom buckets meet, followed by the quoted metric name. */
    static final String MIXED_SCHEMAS = "vector contains a mix of histograms with exponential and custom buckets schemas for metric name ";

    static void apply(Evaluator ev, String name, RangeInput in, Grid g, RangeInput.Raw raw, StepSeries o,
            PositionRange pos) {
        long lookback = ev.ctx.options.lookbackDelta();
        long[] ts = raw.ts();
        int n = raw.n();
        String metric = raw.labels().get(Labels.METRIC_NAME);
        int a = 0, b = 0, c = 0;
        for (int i = 0; i < g.steps(); i++) {
            long te = in.windowEnd(i), ws = te - in.range;
            // The extended window: (ws - lookback, te], and for smoothing up to te + lookback.
            while (a < n && ts[a] <= ws - lookback) {
                a++;
            }
            while (b < n && ts[b] <= te) {
                b++;
            }
            c = Math.max(c, b);
            if (in.smoothed) {
                while (c < n && ts[c] - te < lookback) {
                    c++;
                }
            }
            int hists = 0;
            for (int k = a; k < c; k++) {
                hists += raw.histogram(k) != null ? 1 : 0;
            }
            if (hists == 0) {
                continue; // the float result stands
            }
            o.clear(i);
            switch (name) {
                case "resets", "changes" -> {
                    int r = transitions(raw, a, b, ws, name.equals("resets"));
                    if (r >= 0) {
                        o.set(i, r);
                    }
                }
                case "rate", "increase", "delta" -> {
                    if (hists < c - a) {
                        ev.ctx.warn("encountered a mix of histograms and floats for metric name " + GoStrings.quote(metric), pos);
                        continue;
                    }
                    FloatHistogram h = rate(ev, raw, a, c, ws, te, in.smoothed, !name.equals("delta"), metric, pos);
                    if (h != null) {
                        if (name.equals("rate")) {
                            h.div(in.range / 1000.0);
                        }
                        o.setHistogram(i, h);
                    }
                }
                default -> {
                }
            }
        }
    }

    /**
     * Resets or changes from the anchor (the latest sample at or before {@code ws}, of either
     * type) through {@code hi}; a float next to a histogram counts once. -1 when no sample lies
     * after {@code ws}.
     */
    static int transitions(RangeInput.Raw raw, int lo, int hi, long ws, boolean resets) {
        long[] ts = raw.ts();
        int first = lo;
        while (first < hi && ts[first] <= ws) {
            first++;
        }
        if (first >= hi) {
            return -1;
        }
        if (first > lo) {
            first--; // the anchor
        }
        int count = 0;
        long[] sts = resets ? raw.sts() : null;
        for (int k = first + 1; k < hi; k++) {
            FloatHistogram cur = raw.histogram(k), prev = raw.histogram(k - 1);
            if ((cur == null) != (prev == null)) {
                count++;
            } else if (sts != null && RangeFunctions.isStartTimeReset(sts[k - 1], ts[k - 1], sts[k], ts[k])) {
                count++;
            } else if (cur == null) {
                double x = raw.vs()[k], p = raw.vs()[k - 1];
                if (resets ? x < p : x != p && !(Double.isNaN(x) && Double.isNaN(p))) {
                    count++;
                }
            } else if (resets ? cur.detectReset(prev) : !cur.equals(prev)) {
                count++;
            }
        }
        return count;
    }

    /**
     * The increase (or, without {@code counter}, the delta) of the histograms at {@code [lo, hi)}
     * between the window's boundaries; null (with the annotation) when it cannot be computed.
     */
    private static FloatHistogram rate(Evaluator ev, RangeInput.Raw raw, int lo, int hi, long ws, long te,
            boolean smoothed, boolean counter, String metric, PositionRange pos) {
        long[] ts = raw.ts();
        int last = hi - 1;
        int first = lo;
        while (first < last && ts[first] <= ws) {
            first++;
        }
        first = Math.max(lo, first - 1);
        if (smoothed) {
            int k = lo;
            while (k < last && ts[k] < te) {
                k++;
            }
            last = k;
        }
        if (ts[last] <= ws || (smoothed && ts[first] > te)) {
            return null;
        }
        boolean custom = raw.histogram(first).usesCustomBuckets();
        for (int k = first; k <= last; k++) {
            FloatHistogram h = raw.histogram(k);
            if (h.usesCustomBuckets() != custom) {
                ev.ctx.warn(MIXED_SCHEMAS + GoStrings.quote(metric), pos);
                return null;
            }
            if (counter && h.counterResetHint == CounterResetHint.GAUGE) {
                ev.ctx.warn("this native histogram metric is not a counter: " + GoStrings.quote(metric), pos);
            }
        }
        try {
            FloatHistogram left = smoothed && ts[first] < ws
                    ? interpolate(ev, raw.histogram(first), ts[first], raw.histogram(first + 1), ts[first + 1], ws, counter, pos)
                    : raw.histogram(first).copy();
            FloatHistogram right = smoothed && last > lo && ts[last] > te
                    ? interpolate(ev, raw.histogram(last - 1), ts[last - 1], raw.histogram(last), ts[last], te, counter, pos)
                    : raw.histogram(last).copy();
            if (left == null || right == null) {
                ev.ctx.warn(MIXED_SCHEMAS + GoStrings.quote(metric), pos);
                return null;
            }
            if (!counter && (left.counterResetHint != CounterResetHint.GAUGE || right.counterResetHint != CounterResetHint.GAUGE)) {
                ev.ctx.warn("this native histogram metric is not a gauge: " + GoStrings.quote(metric), pos);
            }
            FloatHistogram result = right.copy();
            combine(ev, result, left, -1, pos);
            if (counter) {
                FloatHistogram correction = resetCorrection(ev, raw, first, last, left, right, ws, smoothed, pos);
                if (correction != null) {
                    combine(ev, result, correction, 1, pos);
                }
            }
            result.counterResetHint = CounterResetHint.GAUGE;
            return result.compact(0);
        } catch (HistogramException e) {
            ev.ctx.warn(MIXED_SCHEMAS + GoStrings.quote(metric), pos);
            return null;
        }
    }

    /**
     * The sum of the values lost to counter resets between the boundary samples {@code first}
     * and {@code last} (both represented by {@code left}/{@code right}, so neither is compared
     * with itself); a reset the left interpolation already spanned is not counted twice.
     */
    private static FloatHistogram resetCorrection(Evaluator ev, RangeInput.Raw raw, int first, int last,
            FloatHistogram left, FloatHistogram right, long ws, boolean smoothed, PositionRange pos) {
        int from = first + 1;
        FloatHistogram prev = left;
        if (smoothed && raw.ts()[first] < ws && raw.histogram(first + 1).detectReset(raw.histogram(first))) {
            prev = raw.histogram(first + 1);
            from++;
        }
        int to = last - 1;
        if (from > to + 1) {
            return null;
        }
        FloatHistogram correction = null;
        for (int k = from; k <= to; k++) {
            FloatHistogram p = raw.histogram(k);
            if (p.detectReset(prev)) {
                correction = accumulate(ev, correction, prev, pos);
            }
            prev = p;
        }
        if (right.detectReset(prev)) {
            correction = accumulate(ev, correction, prev, pos);
        }
        return correction;
    }

    private static FloatHistogram accumulate(Evaluator ev, FloatHistogram into, FloatHistogram h, PositionRange pos) {
        if (into == null) {
            return h.copy();
        }
        combine(ev, into, h, 1, pos);
        return into;
    }

    /** {@code into += sign * h}, keeping {@code into}'s hint, with the reconciled-buckets info. */
    private static void combine(Evaluator ev, FloatHistogram into, FloatHistogram h, int sign, PositionRange pos) {
        int flags = sign > 0 ? into.add(h) : into.sub(h);
        if ((flags & FloatHistogram.CUSTOM_BOUNDS_RECONCILED) != 0) {
            ev.ctx.info("mismatched custom buckets were reconciled during " + (sign > 0 ? "addition" : "subtraction"), pos);
        }
    }

    /**
     * The histogram at {@code t} on the line from {@code h1} at {@code t1} to {@code h2} at
     * {@code t2}; across a counter reset the counter restarts from zero. Keeps {@code h2}'s hint.
     * Null when one has exponential and the other custom buckets.
     *
     * @throws HistogramException when exponential and custom buckets meet in the arithmetic
     */
    static FloatHistogram interpolate(Evaluator ev, FloatHistogram h1, long t1, FloatHistogram h2, long t2, long t,
            boolean counter, PositionRange pos) {
        if (h1.usesCustomBuckets() != h2.usesCustomBuckets()) {
            return null;
        }
        if (t == t1) {
            return h1.copy();
        }
        if (t == t2) {
            return h2.copy();
        }
        double fraction = (double) (t - t1) / (t2 - t1);
        if (counter && h2.detectReset(h1)) {
            return h2.copy().mul(fraction);
        }
        FloatHistogram r = h2.copy();
        int hint = r.counterResetHint;
        combine(ev, r, h1, -1, pos);
        r.mul(fraction);
        combine(ev, r, h1, 1, pos);
        r.counterResetHint = hint;
        return r;
    }
}

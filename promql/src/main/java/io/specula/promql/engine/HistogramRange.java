package io.specula.promql.engine;

import io.specula.model.histogram.CounterResetHint;
import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.HistogramException;
import io.specula.model.labels.Labels;
import java.util.Set;

/**
 * Range-vector functions over windows of native histograms: {@code rate}, {@code increase},
 * {@code delta} (with Prometheus's extrapolation, the zero point taken from the count),
 * {@code irate}, {@code idelta}, {@code sum_over_time}, {@code avg_over_time},
 * {@code count_over_time}, {@code last_over_time}, {@code present_over_time}, {@code resets},
 * {@code changes}. Runs after the float computation of a series that has histograms and fills
 * the steps whose window holds histograms; a window holding floats and histograms gives
 * nothing, with Prometheus's warning, except for counting functions.
 */
final class HistogramRange {
    private HistogramRange() {}

    static final Set<String> SUPPORTED = Set.of("rate", "increase", "delta", "irate", "idelta", "sum_over_time",
            "avg_over_time", "count_over_time", "last_over_time", "present_over_time", "resets", "changes",
            "first_over_time", "ts_of_first_over_time", "ts_of_last_over_time");

    static void apply(Evaluator ev, String name, RangeInput in, Grid g, RangeInput.Raw raw, StepSeries o,
            io.specula.promql.parser.PositionRange pos) {
        long[] ts = raw.ts();
        if (!SUPPORTED.contains(name)) {
            // Histograms stay invisible to functions that handle floats only; Prometheus says so
            // when a window mixes both.
            ignoredInMixedWindows(ev, in, g, raw, pos);
            return;
        }
        int n = raw.n();
        int lo = 0;
        int hi = 0;
        for (int i = 0; i < g.steps(); i++) {
            long te = in.windowEnd(i);
            long ws = te - in.range;
            while (hi < n && ts[hi] <= te) {
                hi++;
            }
            while (lo < n && ts[lo] <= ws) {
                lo++;
            }
            int hists = 0;
            for (int k = lo; k < hi; k++) {
                hists += raw.histogram(k) != null ? 1 : 0;
            }
            if (hists == 0) {
                continue;
            }
            int floats = hi - lo - hists;
            if (name.equals("count_over_time")) {
                o.set(i, hi - lo);
                continue;
            }
            if (name.equals("present_over_time")) {
                o.set(i, 1);
                continue;
            }
            if (name.equals("first_over_time") || name.equals("last_over_time")
                    || name.equals("ts_of_first_over_time") || name.equals("ts_of_last_over_time")) {
                // The first or last sample of the window, whatever its type.
                int k = name.contains("first") ? lo : hi - 1;
                if (name.startsWith("ts_of_")) {
                    o.set(i, ts[k] / 1000.0);
                } else if (raw.histogram(k) != null) {
                    o.clear(i);
                    o.setHistogram(i, raw.histogram(k));
                } else {
                    o.set(i, raw.vs()[k]);
                }
                continue;
            }
            if (name.equals("resets") || name.equals("changes")) {
                // A switch between float and histogram counts as a reset and a change.
                o.set(i, ExtendedHistograms.transitions(raw, lo, hi, ws, name.equals("resets")));
                continue;
            }
            if (name.equals("irate") || name.equals("idelta")) {
                // Only the last two samples matter, whatever came before them.
                o.clear(i);
                if (hi - lo >= 2) {
                    instant(ev, pos, name.equals("irate"), raw, hi, o, i);
                }
                continue;
            }
            if (floats > 0) {
                o.clear(i);
                ev.ctx.warn("encountered a mix of histograms and floats for metric name "
                        + GoStrings.quote(raw.labels().get(Labels.METRIC_NAME)), pos);
                continue;
            }
            try {
                compute(ev, pos, name, raw, lo, hi, ws, te, in.range, o, i);
            } catch (HistogramException e) {
                ev.ctx.warn("vector contains a mix of histograms with exponential and custom buckets schemas for metric name "
                        + GoStrings.quote(raw.labels().get(Labels.METRIC_NAME)), pos);
            }
        }
    }

    private static void ignoredInMixedWindows(Evaluator ev, RangeInput in, Grid g, RangeInput.Raw raw,
            io.specula.promql.parser.PositionRange pos) {
        long[] ts = raw.ts();
        int n = raw.n();
        int lo = 0;
        int hi = 0;
        for (int i = 0; i < g.steps(); i++) {
            long te = in.windowEnd(i);
            long ws = te - in.range;
            while (hi < n && ts[hi] <= te) {
                hi++;
            }
            while (lo < n && ts[lo] <= ws) {
                lo++;
            }
            int hists = 0;
            for (int k = lo; k < hi; k++) {
                hists += raw.histogram(k) != null ? 1 : 0;
            }
            if (hists > 0 && hists < hi - lo) {
                ev.ctx.info("ignored histograms in a range containing both floats and histograms for metric name "
                        + GoStrings.quote(raw.labels().get(Labels.METRIC_NAME)), pos);
                return;
            }
        }
    }

    private static void compute(Evaluator ev, io.specula.promql.parser.PositionRange pos, String name, RangeInput.Raw raw,
            int lo, int hi, long ws, long te, long range, StepSeries o, int step) {
        String metric = GoStrings.quote(raw.labels().get(Labels.METRIC_NAME));
        int n = hi - lo;
        FloatHistogram last = raw.histogram(hi - 1);
        switch (name) {
            case "rate", "increase", "delta" -> {
                long st0 = raw.sts() == null ? 0 : raw.sts()[lo];
                // As for floats: a counter whose start time lies inside the window rises from zero then.
                boolean fromStart = !name.equals("delta") && st0 != 0 && st0 > ws && st0 < raw.ts()[lo];
                if (n < 2 && !fromStart) {
                    return;
                }
                boolean counter = !name.equals("delta");
                if (counter) {
                    for (int k = lo; k < hi; k++) {
                        if (raw.histogram(k).counterResetHint == CounterResetHint.GAUGE) {
                            ev.ctx.warn("this native histogram metric is not a counter: " + metric, pos);
                            break;
                        }
                    }
                } else if (raw.histogram(lo).counterResetHint != CounterResetHint.GAUGE
                        || raw.histogram(hi - 1).counterResetHint != CounterResetHint.GAUGE) {
                    ev.ctx.warn("this native histogram metric is not a gauge: " + metric, pos);
                }
                FloatHistogram h = change(ev, pos, raw, lo, hi, counter, fromStart);
                if (h == null) {
                    ev.ctx.warn(ExtendedHistograms.MIXED_SCHEMAS + metric, pos);
                    return;
                }
                extrapolate(h, raw, lo, hi, ws, te, range, counter, name.equals("rate"), fromStart ? st0 : 0);
                o.setHistogram(step, h);
            }
            case "sum_over_time", "avg_over_time" -> {
                boolean avg = name.equals("avg_over_time");
                HistogramSum acc = new HistogramSum(avg);
                int hints = 0;
                for (int k = lo; k < hi; k++) {
                    acc.add(raw.histogram(k));
                    hints |= Aggregation.hintBit(raw.histogram(k));
                }
                if (hints == 3) {
                    ev.ctx.warn("conflicting counter resets during histogram aggregation", pos);
                }
                if ((acc.flags & FloatHistogram.CUSTOM_BOUNDS_RECONCILED) != 0) {
                    ev.ctx.info("mismatched custom buckets were reconciled during aggregation", pos);
                }
                o.setHistogram(step, (avg ? acc.mean() : acc.result()).compact(0));
            }
            case "last_over_time" -> o.setHistogram(step, last);
            default -> {
            }
        }
    }

    /**
     * {@code irate}/{@code idelta} from the window's last two samples, of which at least one is
     * a histogram (two floats were handled by the float computation, which then stands).
     */
    private static void instant(Evaluator ev, io.specula.promql.parser.PositionRange pos, boolean rate, RangeInput.Raw raw,
            int hi, StepSeries o, int step) {
        FloatHistogram last = raw.histogram(hi - 1), prev = raw.histogram(hi - 2);
        String metric = GoStrings.quote(raw.labels().get(Labels.METRIC_NAME));
        if (last == null && prev == null) {
            return;
        }
        if (last == null || prev == null) {
            ev.ctx.warn("encountered a mix of histograms and floats for metric name " + metric, pos);
            return;
        }
        long interval = raw.ts()[hi - 1] - raw.ts()[hi - 2];
        if (interval == 0) {
            return;
        }
        if (rate && (last.counterResetHint == CounterResetHint.GAUGE || prev.counterResetHint == CounterResetHint.GAUGE)) {
            ev.ctx.warn("this native histogram metric is not a counter: " + metric, pos);
        }
        if (!rate && (last.counterResetHint != CounterResetHint.GAUGE || prev.counterResetHint != CounterResetHint.GAUGE)) {
            ev.ctx.warn("this native histogram metric is not a gauge: " + metric, pos);
        }
        FloatHistogram h = last.copy();
        if (!rate || !last.detectReset(prev) && !startTimeReset(raw, hi - 1)) {
            try {
                int hint = h.counterResetHint;
                if ((h.sub(prev) & FloatHistogram.CUSTOM_BOUNDS_RECONCILED) != 0) {
                    ev.ctx.info("mismatched custom buckets were reconciled during subtraction", pos);
                }
                h.counterResetHint = hint;
            } catch (HistogramException e) {
                ev.ctx.warn(ExtendedHistograms.MIXED_SCHEMAS + metric, pos);
                return;
            }
        }
        h.counterResetHint = CounterResetHint.GAUGE;
        h.compact(0);
        if (rate) {
            h.div(interval / 1000.0);
        }
        o.setHistogram(step, h);
    }

    /**
     * The increase over the window: last minus first, plus every value lost to a counter reset;
     * null when exponential and custom buckets meet. As in Prometheus, a counter reset between
     * the first two samples makes the first one count as empty (only its count still steers the
     * extrapolation), so its bucket layout does not matter.
     */
    private static FloatHistogram change(Evaluator ev, io.specula.promql.parser.PositionRange pos, RangeInput.Raw raw,
            int lo, int hi, boolean counter, boolean fromZero) {
        FloatHistogram first = raw.histogram(lo);
        FloatHistogram last = raw.histogram(hi - 1);
        if (fromZero || counter && hi - lo > 1 && (raw.histogram(lo + 1).detectReset(first) || startTimeReset(raw, lo + 1))) {
            FloatHistogram second = raw.histogram(fromZero ? lo : lo + 1);
            first = new FloatHistogram();
            first.schema = second.schema;
            first.customValues = second.customValues;
        }
        boolean custom = first.usesCustomBuckets();
        if (last.usesCustomBuckets() != custom) {
            return null;
        }
        int minSchema = Math.min(first.schema, last.schema);
        if (counter) {
            for (int k = lo + 1; k < hi - 1; k++) {
                FloatHistogram h = raw.histogram(k);
                if (h.usesCustomBuckets() != custom) {
                    return null;
                }
                minSchema = Math.min(minSchema, h.schema);
            }
        }
        FloatHistogram h = last.copy();
        if (h.schema > minSchema && !h.usesCustomBuckets()) {
            h.reduceResolution(minSchema);
        }
        subtract(ev, pos, h, first);
        if (counter) {
            // Counting from zero, a reset after the first sample still loses that sample's value.
            FloatHistogram prev = fromZero ? raw.histogram(lo) : first;
            for (int k = lo + 1; k < hi; k++) {
                FloatHistogram cur = raw.histogram(k);
                if (cur.detectReset(prev) || startTimeReset(raw, k)) {
                    add(ev, pos, h, prev);
                }
                prev = cur;
            }
        }
        h.counterResetHint = CounterResetHint.GAUGE;
        return h.compact(0);
    }

    /** Whether sample {@code k}'s start time says its counter restarted after sample {@code k - 1}. */
    private static boolean startTimeReset(RangeInput.Raw raw, int k) {
        long[] sts = raw.sts();
        return sts != null && RangeFunctions.isStartTimeReset(sts[k - 1], raw.ts()[k - 1], sts[k], raw.ts()[k]);
    }

    private static void add(Evaluator ev, io.specula.promql.parser.PositionRange pos, FloatHistogram into, FloatHistogram h) {
        if ((into.add(h) & FloatHistogram.CUSTOM_BOUNDS_RECONCILED) != 0) {
            ev.ctx.info("mismatched custom buckets were reconciled during addition", pos);
        }
    }

    private static void subtract(Evaluator ev, io.specula.promql.parser.PositionRange pos, FloatHistogram into, FloatHistogram h) {
        int hint = into.counterResetHint;
        if ((into.sub(h) & FloatHistogram.CUSTOM_BOUNDS_RECONCILED) != 0) {
            ev.ctx.info("mismatched custom buckets were reconciled during subtraction", pos);
        }
        into.counterResetHint = hint;
    }

    /** Prometheus's extrapolation of a window's change towards its edges (as for floats). */
    private static void extrapolate(FloatHistogram h, RangeInput.Raw raw, int lo, int hi, long ws, long te, long range,
            boolean counter, boolean rate, long startTime) {
        int n = hi - lo;
        long firstT = raw.ts()[lo];
        long lastT = raw.ts()[hi - 1];
        double toStart = (firstT - ws) / 1000.0;
        double toEnd = (te - lastT) / 1000.0;
        double sampled = (lastT - firstT) / 1000.0;
        double avgGap = n > 1 ? sampled / (n - 1) : 0;
        double threshold = avgGap * 1.1;
        if (startTime != 0) {
            // Counted from a zero at the start time instead of extrapolated to the left.
            toStart = 0;
            sampled = (lastT - startTime) / 1000.0;
        } else if (toStart >= threshold) {
            toStart = avgGap / 2;
        }
        if (counter && startTime == 0) {
            double toZero = toStart;
            FloatHistogram first = raw.histogram(lo);
            if (h.count > 0 && first.count >= 0) {
                toZero = sampled * (first.count / h.count);
            }
            if (toZero < toStart) {
                toStart = toZero;
            }
        }
        if (toEnd >= threshold) {
            toEnd = avgGap / 2;
        }
        double factor = sampled != 0 ? (sampled + toStart + toEnd) / sampled : 1;
        if (rate) {
            factor /= range / 1000.0;
        }
        h.mul(factor);
    }
}

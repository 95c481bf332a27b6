package io.specula.promql.engine;

import java.util.Map;

/**
 * The functions over a range vector ({@code rate}, {@code *_over_time}, ...). Each computes one
 * value from the samples {@code [lo, hi)} of a {@link Window}; returning false means "no value
 * at this step". Window arrays are shared, so functions must not keep them.
 */
final class RangeFunctions {
    private RangeFunctions() {}

    /** One step's window over a series' samples, plus the step's scalar arguments. */
    static final class Window {
        long[] ts;
        double[] vs;
        /** Start timestamps parallel to {@code ts} (0 = unknown), or null when the series has none. */
        long[] sts;
        int lo, hi;
        /** Set by rate/increase when a sample's start time overlaps the previous sample (a warning). */
        boolean overlap;
        /** The window bounds in ms: {@code (rangeStart, rangeEnd]}. */
        long rangeStart, rangeEnd, range;
        /** The evaluation time of the step (after {@code @}), in ms. */
        long evalTime;
        double arg0, arg1;
        double out;
        final double[] scratch2 = new double[2];
        double[] sortBuf = new double[64];

        int size() {
            return hi - lo;
        }

        double[] sorted() {
            int n = size();
            if (sortBuf.length < n) {
                sortBuf = new double[Math.max(n, sortBuf.length * 2)];
            }
            System.arraycopy(vs, lo, sortBuf, 0, n);
            Quantiles.sortNaNFirst(sortBuf, n);
            return sortBuf;
        }
    }

    interface Fn {
        boolean apply(Window w);
    }

    static final Map<String, Fn> FUNCTIONS = Map.ofEntries(
            Map.entry("rate", w -> extrapolated(w, true, true)),
            Map.entry("increase", w -> extrapolated(w, true, false)),
            Map.entry("delta", w -> extrapolated(w, false, false)),
            Map.entry("irate", w -> instant(w, true)),
            Map.entry("idelta", w -> instant(w, false)),
            Map.entry("resets", RangeFunctions::resets),
            Map.entry("changes", RangeFunctions::changes),
            Map.entry("deriv", RangeFunctions::deriv),
            Map.entry("predict_linear", RangeFunctions::predictLinear),
            Map.entry("double_exponential_smoothing", RangeFunctions::smoothing),
            Map.entry("avg_over_time", RangeFunctions::avg),
            Map.entry("sum_over_time", RangeFunctions::sum),
            Map.entry("count_over_time", w -> result(w, w.size())),
            Map.entry("min_over_time", w -> minMax(w, false)),
            Map.entry("max_over_time", w -> minMax(w, true)),
            Map.entry("stddev_over_time", w -> variance(w, true)),
            Map.entry("stdvar_over_time", w -> variance(w, false)),
            Map.entry("last_over_time", w -> result(w, w.vs[w.hi - 1])),
            Map.entry("first_over_time", w -> result(w, w.vs[w.lo])),
            Map.entry("ts_of_last_over_time", w -> result(w, w.ts[w.hi - 1] / 1000.0)),
            Map.entry("ts_of_first_over_time", w -> result(w, w.ts[w.lo] / 1000.0)),
            Map.entry("ts_of_min_over_time", w -> tsOfMinMax(w, false)),
            Map.entry("ts_of_max_over_time", w -> tsOfMinMax(w, true)),
            Map.entry("present_over_time", w -> result(w, 1)),
            Map.entry("quantile_over_time", w -> result(w, Quantiles.quantile(w.arg0, w.sorted(), w.size()))),
            Map.entry("mad_over_time", RangeFunctions::mad));

    /** Functions whose result keeps the input's metric name. */
    static boolean keepsName(String name) {
        return name.equals("last_over_time") || name.equals("first_over_time");
    }

    private static boolean result(Window w, double v) {
        w.out = v;
        return true;
    }

    /**
     * rate/increase/delta: the change over the window, extrapolated towards the window's edges
     * when the first/last samples are near them (within 110% of the mean sample spacing),
     * otherwise by half a spacing; counters are never extrapolated below zero.
     *
     * <p>With start timestamps, a counter also resets where a sample's start time says so, and
     * when the first sample's start time lies inside the window the counter is taken to rise
     * from zero at that time instead of being extrapolated to the left (which makes a single
     * sample enough).
     */
    private static boolean extrapolated(Window w, boolean counter, boolean rate) {
        int n = w.size();
        double first = w.vs[w.lo], last = w.vs[w.hi - 1];
        double delta = last - first;
        long[] sts = w.sts;
        if (counter) {
            double prev = first;
            for (int i = w.lo + 1; i < w.hi; i++) {
                double v = w.vs[i];
                boolean reset = v < prev;
                if (sts != null) {
                    if (!w.overlap && startTimeOverlaps(sts[i - 1], w.ts[i - 1], sts[i])) {
                        w.overlap = true;
                    }
                    reset |= isStartTimeReset(sts[i - 1], w.ts[i - 1], sts[i], w.ts[i]);
                }
                if (reset) {
                    delta += prev;
                }
                prev = v;
            }
        }
        long firstT = w.ts[w.lo], lastT = w.ts[w.hi - 1];
        double toStart = (firstT - w.rangeStart) / 1000.0;
        double toEnd = (w.rangeEnd - lastT) / 1000.0;
        double sampled = (lastT - firstT) / 1000.0;
        double avgGap = n > 1 ? sampled / (n - 1) : 0;
        double threshold = avgGap * 1.1;
        long st0 = sts == null ? 0 : sts[w.lo];
        if (counter && st0 != 0 && st0 > w.rangeStart && st0 < firstT) {
            // The counter started inside the window: count from a zero at its start time.
            toStart = 0;
            sampled = (lastT - st0) / 1000.0;
            delta += first;
        } else if (n < 2) {
            return false;
        } else {
            if (toStart >= threshold) {
                toStart = avgGap / 2;
            }
            if (counter) {
                double toZero = toStart;
                if (delta > 0 && first >= 0) {
                    toZero = sampled * (first / delta);
                }
                if (toZero < toStart) {
                    toStart = toZero;
                }
            }
        }
        if (toEnd >= threshold) {
            toEnd = avgGap / 2;
        }
        double factor = sampled != 0 ? (sampled + toStart + toEnd) / sampled : 1;
        if (rate) {
            factor /= w.range / 1000.0;
        }
        w.out = delta * factor;
        return true;
    }

    /**
     * Whether a sample's start time says its counter restarted since the previous sample: the
     * start time is known, not after the sample, and after the previous sample, or equal to it
     * when the previous sample had a known start time of its own (a delta series; a cumulative
     * series with an unknown start repeats the previous sample's time instead).
     */
    static boolean isStartTimeReset(long prevSt, long prevT, long st, long t) {
        if (st == 0 || st >= t || st < prevT) {
            return false;
        }
        if (st > prevT) {
            return true;
        }
        return prevSt <= prevT && prevSt != 0 && prevSt != prevT;
    }

    /** A start time before the previous sample that is not the previous start time: overlapping intervals. */
    static boolean startTimeOverlaps(long prevSt, long prevT, long st) {
        return st != 0 && st < prevT && st != prevSt;
    }

    /** irate/idelta: from the last two samples only. */
    private static boolean instant(Window w, boolean rate) {
        if (w.size() < 2) {
            return false;
        }
        double last = w.vs[w.hi - 1], prev = w.vs[w.hi - 2];
        boolean reset = last < prev || w.sts != null
                && isStartTimeReset(w.sts[w.hi - 2], w.ts[w.hi - 2], w.sts[w.hi - 1], w.ts[w.hi - 1]);
        double d = rate && reset ? last : last - prev;
        if (!rate) {
            w.out = d;
            return true;
        }
        long gap = w.ts[w.hi - 1] - w.ts[w.hi - 2];
        if (gap == 0) {
            return false;
        }
        w.out = d / (gap / 1000.0);
        return true;
    }

    private static boolean resets(Window w) {
        int r = 0;
        long[] sts = w.sts;
        for (int i = w.lo + 1; i < w.hi; i++) {
            if (w.vs[i] < w.vs[i - 1] || sts != null && isStartTimeReset(sts[i - 1], w.ts[i - 1], sts[i], w.ts[i])) {
                r++;
            }
        }
        w.out = r;
        return true;
    }

    private static boolean changes(Window w) {
        int c = 0;
        for (int i = w.lo + 1; i < w.hi; i++) {
            double a = w.vs[i - 1], b = w.vs[i];
            if (a != b && !(Double.isNaN(a) && Double.isNaN(b))) {
                c++;
            }
        }
        w.out = c;
        return true;
    }

    /** Least-squares fit; leaves slope in {@code out[0]} and the intercept at {@code at} in {@code out[1]}. */
    static boolean regression(Window w, long at, double[] out) {
        double n = 0;
        KahanSum sx = new KahanSum(), sy = new KahanSum(), sxy = new KahanSum(), sx2 = new KahanSum();
        double initY = w.vs[w.lo];
        boolean constY = true;
        for (int i = w.lo; i < w.hi; i++) {
            double y = w.vs[i];
            if (constY && i > w.lo && y != initY) {
                constY = false;
            }
            n++;
            double x = (w.ts[i] - at) / 1000.0;
            sx.add(x);
            sy.add(y);
            sxy.add(x * y);
            sx2.add(x * x);
        }
        if (constY) {
            if (Double.isInfinite(initY)) {
                out[0] = Double.NaN;
                out[1] = Double.NaN;
            } else {
                out[0] = 0;
                out[1] = initY;
            }
            return true;
        }
        double sumX = sx.value(), sumY = sy.value(), sumXY = sxy.value(), sumX2 = sx2.value();
        double cov = sumXY - sumX * sumY / n;
        double var = sumX2 - sumX * sumX / n;
        double slope = cov / var;
        out[0] = slope;
        out[1] = sumY / n - slope * sumX / n;
        return true;
    }

    private static boolean deriv(Window w) {
        if (w.size() < 2) {
            return false;
        }
        regression(w, w.ts[w.lo], w.scratch2);
        w.out = w.scratch2[0];
        return true;
    }

    private static boolean predictLinear(Window w) {
        if (w.size() < 2) {
            return false;
        }
        regression(w, w.evalTime, w.scratch2);
        w.out = w.scratch2[0] * w.arg0 + w.scratch2[1];
        return true;
    }

    private static boolean smoothing(Window w) {
        double sf = w.arg0, tf = w.arg1;
        if (sf <= 0 || sf >= 1) {
            throw QueryException.execution("invalid smoothing factor. Expected: 0 < sf < 1, got: " + goFloatF(sf));
        }
        if (tf <= 0 || tf >= 1) {
            throw QueryException.execution("invalid trend factor. Expected: 0 < tf < 1, got: " + goFloatF(tf));
        }
        int n = w.size();
        if (n < 2) {
            return false;
        }
        double s0 = 0, s1 = w.vs[w.lo], b = w.vs[w.lo + 1] - w.vs[w.lo];
        for (int i = 1; i < n; i++) {
            double x = sf * w.vs[w.lo + i];
            if (i > 1) {
                b = tf * (s1 - s0) + (1 - tf) * b;
            }
            double y = (1 - sf) * (s1 + b);
            s0 = s1;
            s1 = x + y;
        }
        w.out = s1;
        return true;
    }

    /** Go's {@code %f}: six decimals. */
    static String goFloatF(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return String.format(java.util.Locale.ROOT, "%.6f", v);
    }

    private static boolean avg(Window w) {
        int n = w.size();
        double sum = w.vs[w.lo], c = 0, mean = 0, count = 1;
        boolean incremental = false;
        double[] r = w.scratch2;
        for (int i = 1; i < n; i++) {
            double v = w.vs[w.lo + i];
            count = i + 1;
            if (!incremental) {
                KahanSum.inc(v, sum, c, r);
                if (!Double.isInfinite(r[0])) {
                    sum = r[0];
                    c = r[1];
                    continue;
                }
                incremental = true;
                mean = sum / (count - 1);
                c /= count - 1;
            }
            double q = (count - 1) / count;
            KahanSum.inc(v / count, q * mean, q * c, r);
            mean = r[0];
            c = r[1];
        }
        w.out = incremental ? mean + c : sum / count + c / count;
        return true;
    }

    private static boolean sum(Window w) {
        double sum = 0, c = 0;
        double[] r = w.scratch2;
        for (int i = w.lo; i < w.hi; i++) {
            KahanSum.inc(w.vs[i], sum, c, r);
            sum = r[0];
            c = r[1];
        }
        w.out = Double.isInfinite(sum) ? sum : sum + c;
        return true;
    }

    private static boolean minMax(Window w, boolean max) {
        double m = w.vs[w.lo];
        for (int i = w.lo + 1; i < w.hi; i++) {
            double v = w.vs[i];
            if ((max ? v > m : v < m) || Double.isNaN(m)) {
                m = v;
            }
        }
        w.out = m;
        return true;
    }

    private static boolean tsOfMinMax(Window w, boolean max) {
        double m = w.vs[w.lo];
        long t = w.ts[w.lo];
        for (int i = w.lo + 1; i < w.hi; i++) {
            double v = w.vs[i];
            if ((max ? v >= m : v <= m) || Double.isNaN(m)) {
                m = v;
                t = w.ts[i];
            }
        }
        w.out = t / 1000.0;
        return true;
    }

    private static boolean variance(Window w, boolean sqrt) {
        double count = 0, mean = 0, cMean = 0, aux = 0, cAux = 0;
        double[] r = w.scratch2;
        for (int i = w.lo; i < w.hi; i++) {
            double v = w.vs[i];
            count++;
            double delta = v - (mean + cMean);
            KahanSum.inc(delta / count, mean, cMean, r);
            mean = r[0];
            cMean = r[1];
            KahanSum.inc(delta * (v - (mean + cMean)), aux, cAux, r);
            aux = r[0];
            cAux = r[1];
        }
        double var = (aux + cAux) / count;
        w.out = sqrt ? Math.sqrt(var) : var;
        return true;
    }

    private static boolean mad(Window w) {
        int n = w.size();
        for (int i = w.lo; i < w.hi; i++) {
            if (Double.isNaN(w.vs[i])) {
                w.out = Double.NaN;
                return true;
            }
        }
        double[] s = w.sorted();
        double median = Quantiles.quantile(0.5, s, n);
        for (int i = 0; i < n; i++) {
            s[i] = Math.abs(w.vs[w.lo + i] - median);
        }
        Quantiles.sortNaNFirst(s, n);
        w.out = Quantiles.quantile(0.5, s, n);
        return true;
    }
}

package io.specula.promql.engine;

/**
 * The experimental {@code anchored} and {@code smoothed} range modifiers. Anchored windows
 * start with the last sample at or before the window start (moved to the start); smoothed
 * windows get values interpolated at both boundaries. Rates over such windows are plain
 * differences, not extrapolated.
 */
final class ExtendedWindow {
    private final long lookback;
    private long[] ts = new long[64];
    private double[] vs = new double[64];

    ExtendedWindow(long lookback) {
        this.lookback = lookback;
    }

    static RangeFunctions.Fn function(String name) {
        return switch (name) {
            case "rate" -> w -> difference(w, true, true);
            case "increase" -> w -> difference(w, true, false);
            case "delta" -> w -> difference(w, false, false);
            default -> RangeFunctions.FUNCTIONS.get(name);
        };
    }

    private static boolean difference(RangeFunctions.Window w, boolean counter, boolean rate) {
        double d = w.vs[w.hi - 1] - w.vs[w.lo];
        if (counter) {
            for (int i = w.lo + 1; i < w.hi; i++) {
                if (w.vs[i] < w.vs[i - 1]) {
                    d += w.vs[i - 1];
                }
            }
        }
        w.out = rate ? d / (w.range / 1000.0) : d;
        return true;
    }

    /** Builds the adjusted sample sequence of one step into {@code w}; false when there is none. */
    boolean fill(RangeFunctions.Window w, RangeInput.Raw raw, int lo, int hi, boolean smoothed, boolean counter) {
        long[] st = raw.ts();
        double[] sv = raw.vs();
        int n = raw.n();
        long start = w.rangeStart, end = w.rangeEnd;
        int before = lo - 1 >= 0 && st[lo - 1] > start - lookback ? lo - 1 : -1;
        int k = 0;
        ensure(hi - lo + 2);
        if (!smoothed) {
            if (lo >= hi) {
                return false;
            }
            if (before >= 0) {
                ts[k] = start;
                vs[k++] = sv[before];
            }
            for (int i = lo; i < hi; i++) {
                ts[k] = st[i];
                vs[k++] = sv[i];
            }
        } else {
            int after = hi < n && st[hi] - end < lookback ? hi : -1;
            int firstIn = lo < hi ? lo : after;
            if (lo >= hi && (before < 0 || after < 0)) {
                return false;
            }
            double startV = before >= 0 && firstIn >= 0 ? interpolate(st[before], sv[before], st[firstIn], sv[firstIn], start, counter)
                    : before >= 0 ? sv[before] : sv[lo];
            ts[k] = start;
            vs[k++] = startV;
            for (int i = lo; i < hi; i++) {
                ts[k] = st[i];
                vs[k++] = sv[i];
            }
            int lastIn = lo < hi ? hi - 1 : before;
            double endV = after >= 0 ? interpolate(st[lastIn], sv[lastIn], st[after], sv[after], end, counter) : sv[lastIn];
            ts[k] = end;
            vs[k++] = endV;
        }
        if (k == 0) {
            return false;
        }
        w.ts = ts;
        w.sts = null; // the extended modifiers do not use start times, as in Prometheus
        w.vs = vs;
        w.lo = 0;
        w.hi = k;
        return true;
    }

    static double interpolate(long t1, double v1, long t2, double v2, long t, boolean counter) {
        if (t2 == t1) {
            return v2;
        }
        if (counter && v2 < v1) {
            // A counter reset between the two: the counter restarted from zero.
            return v2 * (t - t1) / (double) (t2 - t1);
        }
        return v1 + (v2 - v1) * (t - t1) / (double) (t2 - t1);
    }

    private void ensure(int n) {
        if (ts.length < n) {
            ts = new long[n * 2];
            vs = new double[n * 2];
        }
    }
}

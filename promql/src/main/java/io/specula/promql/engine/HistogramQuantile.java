package io.specula.promql.engine;

import io.specula.model.labels.Labels;
import io.specula.promql.parser.Call;
import io.specula.promql.parser.Expr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code histogram_quantile} over classic histograms: series grouped once by their labels
 * without {@code le}; per step the buckets are sorted, coalesced, made monotonic, and the
 * quantile interpolated linearly inside the bucket that holds the rank.
 */
final class HistogramQuantile {
    private HistogramQuantile() {}

    private static final double SMALL_DELTA = 1e-12;

    private static final class Group {
        final Labels labels;
        final List<StepSeries> series = new ArrayList<>();
        final List<Double> bounds = new ArrayList<>();
        /** Steps at which a native histogram has the same labels: neither gives a result there. */
        java.util.BitSet mixed;

        Group(Labels labels) {
            this.labels = labels;
        }
    }

    private static Map<Labels, Group> groups(Evaluator ev, List<StepSeries> in, io.specula.promql.parser.Expr arg) {
        Map<Labels, Group> groups = new LinkedHashMap<>();
        for (StepSeries s : in) {
            String le = s.labels.get("le");
            double bound;
            try {
                bound = parseLe(le);
            } catch (NumberFormatException e) {
                bound = Double.NaN;
            }
            if (Double.isNaN(bound)) {
                ev.ctx.warn("bucket label \"le\" is missing or has a malformed value of " + GoStrings.quote(le)
                        + " for metric name " + GoStrings.quote(s.labels.get(Labels.METRIC_NAME)),
                        arg.position());
                continue;
            }
            Labels key = s.labels.toBuilder().delete("le").build();
            Group grp = groups.computeIfAbsent(key, Group::new);
            grp.series.add(s);
            grp.bounds.add(bound);
        }
        return groups;
    }

    /**
     * Where a native histogram and classic buckets share their labels (without {@code le} and
     * the name) at a step, Prometheus warns and answers for neither of them.
     */
    private static void dropMixed(Evaluator ev, Map<Labels, Group> groups, List<StepSeries> all, Grid g, Expr arg) {
        Map<Labels, Group> byLabels = null;
        for (StepSeries s : all) {
            if (s.h == null) {
                continue;
            }
            if (byLabels == null) {
                byLabels = new java.util.HashMap<>();
                for (Group grp : groups.values()) {
                    byLabels.put(Evaluator.withoutName(grp.labels), grp);
                }
            }
            Group grp = byLabels.get(Evaluator.withoutName(s.labels.toBuilder().delete("le").build()));
            if (grp == null) {
                continue;
            }
            for (int i = 0; i < g.steps(); i++) {
                if (s.h[i] == null || !hasBucket(grp, i)) {
                    continue;
                }
                ev.ctx.warn("vector contains a mix of classic and native histograms for metric name "
                        + GoStrings.quote(s.labels.get(Labels.METRIC_NAME)), arg.position());
                s.h[i] = null;
                if (grp.mixed == null) {
                    grp.mixed = new java.util.BitSet();
                }
                grp.mixed.set(i);
            }
        }
    }

    private static boolean hasBucket(Group grp, int step) {
        for (StepSeries b : grp.series) {
            if (b.has(step)) {
                return true;
            }
        }
        return false;
    }

    /** The series that hold float values (classic buckets); native histograms are handled apart. */
    private static List<StepSeries> floats(List<StepSeries> in) {
        List<StepSeries> out = new ArrayList<>(in.size());
        for (StepSeries s : in) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    /** Per native-histogram step: a float from the histogram. */
    interface NativeFn {
        double apply(int step, io.specula.model.histogram.FloatHistogram h);
    }

    /**
     * One output series per input series holding native histograms, named as the input without
     * its metric name (plus {@code extraLabel} when not null), valued by {@code fn} at the
     * histogram steps.
     */
    static void natives(Evaluator ev, List<StepSeries> in, Grid g, String extraName, String extraValue, NativeFn fn,
            List<StepSeries> out) {
        natives(ev, in, g, extraName, extraValue, fn, out, null, null);
    }

    /**
     * As above; {@code function} (histogram_quantile or histogram_fraction, else null) names the
     * function in Prometheus's info about histograms with NaN observations, noted at {@code arg}.
     */
    static void natives(Evaluator ev, List<StepSeries> in, Grid g, String extraName, String extraValue, NativeFn fn,
            List<StepSeries> out, String function, Expr arg) {
        for (StepSeries s : in) {
            if (s.h == null) {
                continue;
            }
            Labels l = extraName == null ? s.labels : s.labels.toBuilder().set(extraName, extraValue).build();
            StepSeries o = new StepSeries(ev.ctx, l, g.steps());
            o.dropName = s.dropName;
            for (int i = 0; i < g.steps(); i++) {
                if (s.h[i] != null) {
                    double v = fn.apply(i, s.h[i]);
                    o.set(i, v);
                    if (function != null && Double.isNaN(s.h[i].sum)) {
                        nanObservations(ev, function, v, s.labels, arg);
                    }
                }
            }
            if (!o.isEmpty()) {
                ev.dropName(o);
                out.add(o);
            }
        }
    }

    private static void nanObservations(Evaluator ev, String function, double result, Labels l, Expr arg) {
        String effect = function.equals("histogram_fraction") ? "which are excluded from all fractions"
                : Double.isNaN(result) ? "result is NaN" : "result is skewed higher";
        ev.ctx.info("input to " + function + " has NaN observations, " + effect + " for metric name "
                + GoStrings.quote(l.get(Labels.METRIC_NAME)), arg.position());
    }

    static List<StepSeries> eval(Evaluator ev, Call c, Grid g) {
        double[] q = ev.scalar(c.args().get(0), g);
        List<StepSeries> all = ev.vectorWithHistograms(c.args().get(1), g);
        List<StepSeries> in = floats(all);
        Map<Labels, Group> groups = groups(ev, in, c.args().get(1));
        dropMixed(ev, groups, all, g, c.args().get(1));
        checkRange(ev, q, c.args().get(0));
        List<StepSeries> out = new ArrayList<>();
        for (Group grp : groups.values()) {
            StepSeries o = new StepSeries(ev.ctx, grp.labels, g.steps());
            fill(ev, grp, q, o, g, c.args().get(1));
            if (!o.isEmpty()) {
                ev.dropName(o);
                out.add(o);
            }
        }
        NativeHistograms nh = new NativeHistograms();
        natives(ev, all, g, null, null, (i, h) -> nh.quantile(q[i], h), out, "histogram_quantile", c.args().get(1));
        return out;
    }

    /** {@code histogram_quantiles(v, label, q1, q2, ...)}: one output series per quantile, told apart by {@code label}. */
    static List<StepSeries> quantiles(Evaluator ev, Call c, Grid g) {
        List<StepSeries> all = ev.vectorWithHistograms(c.args().get(0), g);
        List<StepSeries> in = floats(all);
        String label = ev.eval(c.args().get(1), g).string;
        List<double[]> qs = new ArrayList<>();
        for (int a = 2; a < c.args().size(); a++) {
            double[] q = ev.scalar(c.args().get(a), g);
            checkRange(ev, q, c.args().get(a));
            qs.add(q);
        }
        Map<Labels, Group> groups = groups(ev, in, c.args().get(0));
        dropMixed(ev, groups, all, g, c.args().get(0));
        List<StepSeries> out = new ArrayList<>();
        for (Group grp : groups.values()) {
            for (double[] q : qs) {
                String qLabel = GoStrings.formatPlain(q[0]);
                if (!qLabel.contains(".") && !qLabel.contains("Inf") && !qLabel.contains("NaN")) {
                    qLabel += ".0";
                }
                StepSeries o = new StepSeries(ev.ctx, grp.labels.toBuilder().set(label, qLabel).build(), g.steps());
                fill(ev, grp, q, o, g, c.args().get(0));
                if (!o.isEmpty()) {
                    ev.dropName(o);
                    out.add(o);
                }
            }
        }
        NativeHistograms nh = new NativeHistograms();
        for (double[] q : qs) {
            String qLabel = GoStrings.formatPlain(q[0]);
            if (!qLabel.contains(".") && !qLabel.contains("Inf") && !qLabel.contains("NaN")) {
                qLabel += ".0";
            }
            natives(ev, all, g, label, qLabel, (i, h) -> nh.quantile(q[i], h), out, "histogram_quantile", c.args().get(0));
        }
        return LabelFunctions.checkUnique(out);
    }

    /** Warns once if any step's quantile is outside [0, 1]. */
    private static void checkRange(Evaluator ev, double[] q, Expr arg) {
        for (double qv : q) {
            if (Double.isNaN(qv) || qv < 0 || qv > 1) {
                ev.ctx.warn("quantile value should be between 0 and 1, got " + GoStrings.formatG(qv), arg.position());
                return;
            }
        }
    }

    /**
     * Sets, at every step where the group has buckets, quantile {@code q[step]} of those buckets
     * into {@code o}; notes the info annotation when buckets had to be made monotonic.
     */
    private static void fill(Evaluator ev, Group grp, double[] q, StepSeries o, Grid g, Expr histogramArg) {
        int nb = grp.series.size();
        double[] ub = new double[nb], cnt = new double[nb];
        boolean[] forced = new boolean[1];
        for (int i = 0; i < g.steps(); i++) {
            if (grp.mixed != null && grp.mixed.get(i)) {
                continue;
            }
            int k = 0;
            for (int b = 0; b < nb; b++) {
                StepSeries s = grp.series.get(b);
                if (s.has(i)) {
                    ub[k] = grp.bounds.get(b);
                    cnt[k++] = s.v[i];
                }
            }
            if (k == 0) {
                continue;
            }
            forced[0] = false;
            o.set(i, quantile(q[i], ub, cnt, k, forced));
            if (forced[0]) {
                ev.ctx.info("input to histogram_quantile needed to be fixed for monotonicity (see "
                        + "https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) "
                        + "for metric name " + GoStrings.quote(grp.labels.get(Labels.METRIC_NAME)),
                        histogramArg.position());
            }
        }
    }

    /** {@code histogram_fraction(lower, upper, v)} over classic buckets. */
    static List<StepSeries> fraction(Evaluator ev, Call c, Grid g) {
        double[] lower = ev.scalar(c.args().get(0), g), upper = ev.scalar(c.args().get(1), g);
        List<StepSeries> all = ev.vectorWithHistograms(c.args().get(2), g);
        List<StepSeries> in = floats(all);
        Map<Labels, Group> groups = groups(ev, in, c.args().get(2));
        dropMixed(ev, groups, all, g, c.args().get(2));
        List<StepSeries> out = new ArrayList<>();
        for (Group grp : groups.values()) {
            StepSeries o = new StepSeries(ev.ctx, grp.labels, g.steps());
            int nb = grp.series.size();
            double[] ub = new double[nb], cnt = new double[nb];
            for (int i = 0; i < g.steps(); i++) {
                if (grp.mixed != null && grp.mixed.get(i)) {
                    continue;
                }
                int k = 0;
                for (int b = 0; b < nb; b++) {
                    StepSeries s = grp.series.get(b);
                    if (s.has(i)) {
                        ub[k] = grp.bounds.get(b);
                        cnt[k++] = s.v[i];
                    }
                }
                if (k > 0) {
                    o.set(i, fraction(lower[i], upper[i], ub, cnt, k));
                }
            }
            if (!o.isEmpty()) {
                ev.dropName(o);
                out.add(o);
            }
        }
        NativeHistograms nh = new NativeHistograms();
        natives(ev, all, g, null, null, (i, h) -> nh.fraction(lower[i], upper[i], h), out, "histogram_fraction",
                c.args().get(2));
        return out;
    }

    /** Sorts by bound and merges equal bounds; returns the new bucket count. */
    private static int sortAndCoalesce(double[] ub, double[] cnt, int k) {
        for (int i = 1; i < k; i++) {
            double u = ub[i], c = cnt[i];
            int j = i - 1;
            while (j >= 0 && ub[j] > u) {
                ub[j + 1] = ub[j];
                cnt[j + 1] = cnt[j];
                j--;
            }
            ub[j + 1] = u;
            cnt[j + 1] = c;
        }
        int m = 0;
        for (int i = 0; i < k; i++) {
            if (m > 0 && ub[m - 1] == ub[i]) {
                cnt[m - 1] += cnt[i];
            } else {
                ub[m] = ub[i];
                cnt[m++] = cnt[i];
            }
        }
        return m;
    }

    /** The share of observations between {@code lower} and {@code upper}, interpolating linearly inside buckets. */
    static double fraction(double lower, double upper, double[] ub, double[] cnt, int k) {
        k = sortAndCoalesce(ub, cnt, k);
        if (ub[k - 1] != Double.POSITIVE_INFINITY) {
            return Double.NaN;
        }
        double count = cnt[k - 1];
        if (count == 0 || Double.isNaN(lower) || Double.isNaN(upper)) {
            return Double.NaN;
        }
        if (lower >= upper) {
            return 0;
        }
        double rank = 0, lowerRank = 0, upperRank = 0;
        boolean lowerSet = false, upperSet = false;
        for (int i = 0; i < k; i++) {
            double lb = i > 0 ? ub[i - 1] : (ub[0] > 0 ? 0 : Double.NEGATIVE_INFINITY);
            double hb = ub[i];
            if (!lowerSet && lb >= lower) {
                lowerRank = rank;
                lowerSet = true;
            }
            if (!upperSet && lb >= upper) {
                upperRank = rank;
                upperSet = true;
            }
            if (lowerSet && upperSet) {
                break;
            }
            if (!lowerSet && lb < lower && hb > lower) {
                lowerRank = interpolate(rank, cnt[i], lb, hb, lower);
                lowerSet = true;
            }
            if (!upperSet && lb < upper && hb > upper) {
                upperRank = interpolate(rank, cnt[i], lb, hb, upper);
                upperSet = true;
            }
            if (lowerSet && upperSet) {
                break;
            }
            rank = cnt[i];
        }
        if (!lowerSet || lowerRank > count) {
            lowerRank = count;
        }
        if (!upperSet || upperRank > count) {
            upperRank = count;
        }
        return (upperRank - lowerRank) / count;
    }

    private static double interpolate(double rank, double bucketCount, double lb, double hb, double v) {
        if (Double.isInfinite(lb) || Double.isInfinite(hb)) {
            return Double.isInfinite(hb) ? rank : bucketCount;
        }
        return rank + (bucketCount - rank) * (v - lb) / (hb - lb);
    }

    static double parseLe(String le) {
        String t = le.trim();
        return switch (t) {
            case "+Inf", "Inf", "+inf", "inf" -> Double.POSITIVE_INFINITY;
            case "-Inf", "-inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                if (t.isEmpty() || t.equalsIgnoreCase("nan")) {
                    yield Double.NaN;
                }
                yield Double.parseDouble(t);
            }
        };
    }

    /** The quantile of {@code k} buckets (upper bounds and cumulative counts, any order). */
    static double quantile(double q, double[] ub, double[] cnt, int k, boolean[] forced) {
        if (Double.isNaN(q)) {
            return Double.NaN;
        }
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        // Insertion sort by upper bound: bucket counts are small.
        for (int i = 1; i < k; i++) {
            double u = ub[i], c = cnt[i];
            int j = i - 1;
            while (j >= 0 && ub[j] > u) {
                ub[j + 1] = ub[j];
                cnt[j + 1] = cnt[j];
                j--;
            }
            ub[j + 1] = u;
            cnt[j + 1] = c;
        }
        if (ub[k - 1] != Double.POSITIVE_INFINITY) {
            return Double.NaN;
        }
        // Coalesce equal bounds by summing their counts.
        int m = 0;
        for (int i = 0; i < k; i++) {
            if (m > 0 && ub[m - 1] == ub[i]) {
                cnt[m - 1] += cnt[i];
            } else {
                ub[m] = ub[i];
                cnt[m++] = cnt[i];
            }
        }
        k = m;
        double prev = cnt[0];
        for (int i = 1; i < k; i++) {
            double cur = cnt[i];
            if (cur == prev) {
                continue;
            }
            if (almostEqual(prev, cur, SMALL_DELTA)) {
                cnt[i] = prev;
                continue;
            }
            if (cur < prev) {
                cnt[i] = prev;
                forced[0] = true;
                continue;
            }
            prev = cur;
        }
        if (k < 2) {
            return Double.NaN;
        }
        double total = cnt[k - 1];
        if (total == 0) {
            return Double.NaN;
        }
        double rank = q * total;
        int b = 0;
        while (b < k - 1 && !(cnt[b] >= rank)) {
            b++;
        }
        if (b == k - 1) {
            return ub[k - 2];
        }
        if (b == 0 && ub[0] <= 0) {
            return ub[0];
        }
        double start = 0, end = ub[b], count = cnt[b];
        if (b > 0) {
            start = ub[b - 1];
            count -= cnt[b - 1];
            rank -= cnt[b - 1];
        }
        return start + (end - start) * (rank / count);
    }

    static boolean almostEqual(double a, double b, double eps) {
        if (a == b) {
            return true;
        }
        double absSum = Math.abs(a) + Math.abs(b);
        double diff = Math.abs(a - b);
        if (a == 0 || b == 0 || absSum < Double.MIN_NORMAL) {
            return diff < eps * Double.MIN_NORMAL;
        }
        return diff / Math.min(absSum, Double.MAX_VALUE) < eps;
    }
}

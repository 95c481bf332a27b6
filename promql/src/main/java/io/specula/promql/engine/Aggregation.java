package io.specula.promql.engine;

import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.promql.parser.AggregateExpr;
import io.specula.promql.parser.AggregateOp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code sum/avg/count/min/max/group/stddev/stdvar/quantile/topk/bottomk/count_values/limitk/limit_ratio}.
 * Each input series' group is computed once from its labels; the accumulation then runs over
 * flat {@code [group * steps + step]} primitive arrays.
 */
final class Aggregation {
    private final Evaluator ev;
    private final AggregateExpr a;
    private final Grid g;
    private final int steps;

    Aggregation(Evaluator ev, AggregateExpr a, Grid g) {
        this.ev = ev;
        this.a = a;
        this.g = g;
        this.steps = g.steps();
    }

    List<StepSeries> eval() {
        AggregateOp op = a.op();
        double[] param = null;
        String label = null;
        if (op == AggregateOp.COUNT_VALUES) {
            label = ev.eval(a.param(), g).string;
            if (!LabelFunctions.validLabelName(label)) {
                throw QueryException.execution("invalid label name " + GoStrings.quote(label));
            }
        } else if (op.hasParam) {
            param = ev.scalar(a.param(), g);
        }
        boolean histograms = op == AggregateOp.SUM || op == AggregateOp.AVG || op == AggregateOp.COUNT || op == AggregateOp.GROUP
                || op == AggregateOp.LIMITK || op == AggregateOp.LIMIT_RATIO || op == AggregateOp.COUNT_VALUES;
        List<StepSeries> in;
        if (histograms) {
            in = ev.vectorWithHistograms(a.expr(), g);
        } else {
            in = ev.vectorWithHistograms(a.expr(), g);
            if (op != AggregateOp.COUNT_VALUES && hasHistogram(in)) {
                ev.ctx.info("ignored histogram in " + op.keyword + " aggregation", a.position());
            }
            in = Evaluator.withoutHistograms(in);
        }
        // Group keys, once per series.
        Map<Labels, Integer> index = new LinkedHashMap<>();
        int[] groupOf = new int[in.size()];
        Set<String> names = new HashSet<>(a.grouping());
        LabelsBuilder b = new LabelsBuilder();
        for (int s = 0; s < in.size(); s++) {
            Labels key = groupKey(in.get(s), names, b);
            Integer gi = index.get(key);
            if (gi == null) {
                gi = index.size();
                index.put(key, gi);
            }
            groupOf[s] = gi;
        }
        List<Labels> keys = new ArrayList<>(index.keySet());
        return switch (op) {
            case TOPK, BOTTOMK, LIMITK, LIMIT_RATIO -> Selection.select(ev, a, in, groupOf, keys.size(), param, steps);
            case QUANTILE -> quantile(in, groupOf, keys, param);
            case COUNT_VALUES -> countValues(in, groupOf, keys, label);
            default -> accumulate(in, groupOf, keys);
        };
    }

    /**
     * For Prometheus's "conflicting counter resets" warning, raised when inputs say both
     * "reset" and "not reset": 1 for a reset hint, 2 for not-reset, 0 otherwise.
     */
    static byte hintBit(io.specula.model.histogram.FloatHistogram h) {
        return switch (h.counterResetHint) {
            case io.specula.model.histogram.CounterResetHint.COUNTER_RESET -> 1;
            case io.specula.model.histogram.CounterResetHint.NOT_COUNTER_RESET -> 2;
            default -> 0;
        };
    }

    private static boolean hasHistogram(List<StepSeries> in) {
        for (StepSeries s : in) {
            if (s.h != null) {
                for (io.specula.model.histogram.FloatHistogram x : s.h) {
                    if (x != null) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private Labels groupKey(StepSeries s, Set<String> names, LabelsBuilder b) {
        if (a.without()) {
            b.reset(s.labels);
            for (String n : names) {
                b.delete(n);
            }
            b.delete(Labels.METRIC_NAME);
            return b.build();
        }
        if (names.isEmpty()) {
            return Labels.EMPTY;
        }
        b.reset(s.labels);
        b.retain(names::contains);
        return b.build();
    }

    private List<StepSeries> accumulate(List<StepSeries> in, int[] groupOf, List<Labels> keys) {
        int ng = keys.size();
        AggregateOp op = a.op();
        int cells = ng * steps;
        ev.ctx.holding((long) cells);
        ev.ctx.reserve(4L * cells); // the four accumulator arrays below
        double[] val = new double[cells], comp = new double[cells], mean = new double[cells], cnt = new double[cells];
        boolean[] incremental = op == AggregateOp.AVG ? new boolean[cells] : null;
        // Native histograms (sum, avg, count, group only): per cell their sum and count, and
        // whether the cell must be dropped (floats and histograms mixed, or incompatible schemas).
        HistogramSum[] hv = null;
        int[] hcnt = null;
        boolean[] bad = null;
        byte[] hints = null; // per cell: 1 = a counter-reset hint seen, 2 = a not-reset hint seen
        for (int s = 0; s < in.size(); s++) {
            ev.ctx.check();
            StepSeries ser = in.get(s);
            int base = groupOf[s] * steps;
            double[] v = ser.v;
            for (int i = 0; i < steps; i++) {
                if (ser.h != null && ser.h[i] != null) {
                    int c = base + i;
                    if (op == AggregateOp.COUNT || op == AggregateOp.GROUP) {
                        cnt[c]++;
                        val[c] = op == AggregateOp.COUNT ? cnt[c] : 1;
                        continue;
                    }
                    if (hv == null) {
                        hv = new HistogramSum[cells];
                        hcnt = new int[cells];
                        bad = new boolean[cells];
                        hints = new byte[cells];
                    }
                    hcnt[c]++;
                    hints[c] |= hintBit(ser.h[i]);
                    if (hints[c] == 3) {
                        hints[c] = 4; // warned
                        ev.ctx.warn("conflicting counter resets during histogram aggregation", a.expr().position());
                    }
                    if (bad[c]) {
                        continue;
                    }
                    if (hv[c] == null) {
                        hv[c] = new HistogramSum(op == AggregateOp.AVG);
                        hv[c].add(ser.h[i]);
                    } else {
                        try {
                            int before = hv[c].flags;
                            hv[c].add(ser.h[i]);
                            int flags = hv[c].flags & ~before;
                            if ((flags & io.specula.model.histogram.FloatHistogram.CUSTOM_BOUNDS_RECONCILED) != 0) {
                                ev.ctx.info("mismatched custom buckets were reconciled during aggregation", a.position());
                            }
                        } catch (io.specula.model.histogram.HistogramException e) {
                            bad[c] = true;
                            ev.ctx.warn("vector contains a mix of histograms with exponential and custom buckets schemas for metric name "
                                    + GoStrings.quote(ser.labels.get(Labels.METRIC_NAME)), a.position());
                        }
                    }
                    continue;
                }
                if (!ser.has(i)) {
                    continue;
                }
                int c = base + i;
                double f = v[i];
                boolean first = cnt[c] == 0;
                switch (op) {
                    case SUM -> {
                        if (first) {
                            val[c] = f;
                        } else {
                            kahan(val, comp, c, f);
                        }
                        cnt[c]++;
                    }
                    case AVG -> {
                        cnt[c]++;
                        if (first) {
                            val[c] = f;
                            mean[c] = f;
                        } else {
                            avgAdd(val, comp, mean, cnt, incremental, c, f);
                        }
                    }
                    case COUNT -> {
                        cnt[c]++;
                        val[c] = cnt[c];
                    }
                    case GROUP -> {
                        cnt[c]++;
                        val[c] = 1;
                    }
                    case MIN -> {
                        if (first || f < val[c] || Double.isNaN(val[c])) {
                            val[c] = f;
                        }
                        cnt[c]++;
                    }
                    case MAX -> {
                        if (first || f > val[c] || Double.isNaN(val[c])) {
                            val[c] = f;
                        }
                        cnt[c]++;
                    }
                    case STDDEV, STDVAR -> {
                        if (first) {
                            cnt[c] = 1;
                            mean[c] = f;
                            val[c] = Double.isNaN(f) || Double.isInfinite(f) ? Double.NaN : 0;
                        } else {
                            cnt[c]++;
                            double delta = f - mean[c];
                            mean[c] += delta / cnt[c];
                            val[c] += delta * (f - mean[c]);
                        }
                    }
                    default -> throw new IllegalStateException(op.toString());
                }
            }
        }
        boolean[] drop = dropFlags(in, groupOf, ng);
        List<StepSeries> out = new ArrayList<>(ng);
        for (int gi = 0; gi < ng; gi++) {
            StepSeries o = new StepSeries(ev.ctx, keys.get(gi), steps);
            o.dropName = drop[gi] && keys.get(gi).has(Labels.METRIC_NAME);
            int base = gi * steps;
            for (int i = 0; i < steps; i++) {
                int c = base + i;
                if (hcnt != null && hcnt[c] > 0) {
                    if (cnt[c] > 0) {
                        ev.ctx.warn("encountered a mix of histograms and floats for aggregation", a.position());
                        continue;
                    }
                    if (!bad[c]) {
                        io.specula.model.histogram.FloatHistogram h = op == AggregateOp.AVG ? hv[c].mean() : hv[c].result();
                        o.setHistogram(i, h.compact(0));
                    }
                    continue;
                }
                if (cnt[c] == 0) {
                    continue;
                }
                double r = switch (op) {
                    case SUM -> Double.isInfinite(val[c]) ? val[c] : val[c] + comp[c];
                    case AVG -> incremental[c] ? mean[c] + comp[c] : (val[c] + comp[c]) / cnt[c];
                    case STDVAR -> val[c] / cnt[c];
                    case STDDEV -> Math.sqrt(val[c] / cnt[c]);
                    default -> val[c];
                };
                o.set(i, r);
            }
            if (o.hasAnyValue()) {
                out.add(o);
            }
        }
        return out;
    }

    /** A group whose key kept {@code __name__} drops it at the end if any member was to drop it. */
    private static boolean[] dropFlags(List<StepSeries> in, int[] groupOf, int ng) {
        boolean[] d = new boolean[ng];
        for (int s = 0; s < in.size(); s++) {
            d[groupOf[s]] |= in.get(s).dropName;
        }
        return d;
    }

    private static void kahan(double[] sum, double[] comp, int c, double f) {
        double s = sum[c], t = s + f;
        if (Double.isInfinite(t)) {
            comp[c] = 0;
        } else if (Math.abs(s) >= Math.abs(f)) {
            comp[c] += (s - t) + f;
        } else {
            comp[c] += (f - t) + s;
        }
        sum[c] = t;
    }

    /** Mean via a compensated sum, switching to an incremental mean once the sum would overflow. */
    private static void avgAdd(double[] sum, double[] comp, double[] mean, double[] cnt, boolean[] inc, int c,
            double f) {
        double n = cnt[c];
        if (!inc[c]) {
            double s = sum[c], t = s + f;
            if (!Double.isInfinite(t)) {
                kahan(sum, comp, c, f);
                return;
            }
            inc[c] = true;
            mean[c] = s / (n - 1);
            comp[c] /= n - 1;
        }
        double m = mean[c];
        if (Double.isInfinite(m)) {
            if (Double.isInfinite(f) && (m > 0) == (f > 0)) {
                return;
            }
            if (!Double.isInfinite(f) && !Double.isNaN(f)) {
                return;
            }
        }
        double current = m + comp[c];
        double inc2 = f / n - current / n;
        double t = m + inc2;
        double cc = comp[c];
        if (Double.isInfinite(t)) {
            cc = 0;
        } else if (Math.abs(m) >= Math.abs(inc2)) {
            cc += (m - t) + inc2;
        } else {
            cc += (inc2 - t) + m;
        }
        mean[c] = t;
        comp[c] = cc;
    }

    private List<StepSeries> quantile(List<StepSeries> in, int[] groupOf, List<Labels> keys, double[] q) {
        for (double qv : q) {
            if (Double.isNaN(qv) || qv < 0 || qv > 1) {
                ev.ctx.warn("quantile value should be between 0 and 1, got " + GoStrings.formatG(qv),
                        a.param().position());
                break;
            }
        }
        int ng = keys.size();
        List<List<Integer>> members = new ArrayList<>();
        for (int i = 0; i < ng; i++) {
            members.add(new ArrayList<>());
        }
        for (int s = 0; s < in.size(); s++) {
            members.get(groupOf[s]).add(s);
        }
        List<StepSeries> out = new ArrayList<>();
        double[] buf = new double[16];
        for (int gi = 0; gi < ng; gi++) {
            StepSeries o = new StepSeries(ev.ctx, keys.get(gi), steps);
            List<Integer> m = members.get(gi);
            if (buf.length < m.size()) {
                buf = new double[m.size() * 2];
            }
            for (int i = 0; i < steps; i++) {
                ev.ctx.checkWork(m.size());
                int n = 0;
                for (int s : m) {
                    StepSeries ser = in.get(s);
                    if (ser.has(i)) {
                        buf[n++] = ser.v[i];
                    }
                }
                if (n > 0) {
                    Quantiles.sortNaNFirst(buf, n);
                    o.set(i, Quantiles.quantile(q[i], buf, n));
                }
            }
            if (!o.isEmpty()) {
                out.add(o);
            }
        }
        return out;
    }

    private List<StepSeries> countValues(List<StepSeries> in, int[] groupOf, List<Labels> keys, String label) {
        Map<Labels, StepSeries> out = new LinkedHashMap<>();
        Map<Double, String> formatted = new HashMap<>();
        LabelsBuilder b = new LabelsBuilder();
        for (int s = 0; s < in.size(); s++) {
            ev.ctx.checkWork(steps);
            StepSeries ser = in.get(s);
            Labels key = keys.get(groupOf[s]);
            for (int i = 0; i < steps; i++) {
                io.specula.model.histogram.FloatHistogram h = ser.histogram(i);
                if (!ser.has(i) && h == null) {
                    continue;
                }
                // A histogram's value is its Go String(), as Prometheus formats it.
                String v = h != null ? h.toString() : formatted.computeIfAbsent(ser.v[i], GoStrings::formatPlain);
                Labels l = b.reset(key).set(label, v).build();
                StepSeries o = out.get(l);
                if (o == null) {
                    // Each new output series holds a point per step: count it against max-samples
                    // before allocating, as accumulate() does for its groups.
                    ev.ctx.holding((long) (out.size() + 1) * steps);
                    o = new StepSeries(ev.ctx, l, steps);
                    out.put(l, o);
                }
                o.set(i, o.has(i) ? o.v[i] + 1 : 1);
            }
        }
        return new ArrayList<>(out.values());
    }
}

package io.specula.promql.engine;

import io.specula.model.labels.Labels;
import io.specula.promql.parser.Call;
import io.specula.promql.parser.Expr;
import io.specula.promql.parser.MatrixSelector;
import io.specula.promql.parser.ParenExpr;
import io.specula.promql.parser.StepInvariantExpr;
import io.specula.promql.parser.ValueKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Evaluates function calls: range-vector functions slide a window over each series' samples
 * once for all steps; instant-vector functions are in {@link InstantFunctions}.
 */
final class FunctionCalls {
    private FunctionCalls() {}

    private static final Set<String> ANCHORED_SAFE = Set.of("changes", "delta", "increase", "rate", "resets");
    private static final Set<String> SMOOTHED_SAFE = Set.of("delta", "increase", "rate");

    static Evaluated eval(Evaluator ev, Call c, Grid g) {
        String name = c.function().name();
        if (c.function().experimental() && !ev.ctx.options.experimentalFunctions()) {
            // The parser refuses these too unless its options allow them; the engine's flag has the last word.
            throw QueryException.badData("function " + GoStrings.quote(name) + " is not enabled");
        }
        RangeFunctions.Fn fn = RangeFunctions.FUNCTIONS.get(name);
        if (fn != null) {
            return Evaluated.vector(range(ev, c, g, name, fn));
        }
        if (name.equals("absent_over_time")) {
            return Evaluated.vector(absentOverTime(ev, c, g));
        }
        return InstantFunctions.eval(ev, c, g);
    }

    static Expr unwrap(Expr e) {
        while (true) {
            if (e instanceof ParenExpr p) {
                e = p.expr();
            } else if (e instanceof StepInvariantExpr s) {
                e = s.expr();
            } else {
                return e;
            }
        }
    }

    private static List<StepSeries> range(Evaluator ev, Call c, Grid g, String name, RangeFunctions.Fn fn) {
        List<Expr> args = c.args();
        int matrixArg = -1;
        double[][] scalars = new double[2][];
        int s = 0;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).type() == ValueKind.MATRIX) {
                matrixArg = i;
            } else if (s < 2) {
                scalars[s++] = ev.scalar(args.get(i), g);
            }
        }
        RangeInput in = ev.eval(unwrap(args.get(matrixArg)), g).matrix;
        io.specula.promql.parser.PositionRange matrixPos = args.get(matrixArg).position();
        if (in.anchored && !ANCHORED_SAFE.contains(name)) {
            throw QueryException.badData("anchored modifier can only be used with: changes, delta, increase, rate, resets - not with " + name);
        }
        if (in.smoothed && !SMOOTHED_SAFE.contains(name)) {
            throw QueryException.badData("smoothed modifier can only be used with: delta, increase, rate - not with " + name);
        }
        boolean counterCheck = name.equals("rate") || name.equals("increase");
        if (name.equals("quantile_over_time")) {
            for (double q : scalars[0]) {
                if (Double.isNaN(q) || q < 0 || q > 1) {
                    ev.ctx.warn("quantile value should be between 0 and 1, got " + GoStrings.formatG(q),
                            args.get(0).position());
                    break;
                }
            }
        }
        boolean keepName = RangeFunctions.keepsName(name);
        RangeFunctions.Window w = new RangeFunctions.Window();
        ExtendedWindow ext = in.anchored || in.smoothed ? new ExtendedWindow(ev.ctx.options.lookbackDelta()) : null;
        RangeFunctions.Fn extFn = ext == null ? null : ExtendedWindow.function(name);
        List<StepSeries> out = new ArrayList<>();
        long[] held = {0};
        in.source.forEach(withHistograms -> {
            ev.ctx.check();
            RangeInput.Raw raw = withHistograms.floats(); // the float computation sees no histograms
            StepSeries o = new StepSeries(ev.ctx, raw.labels(), g.steps());
            long[] ts = raw.ts();
            int n = raw.n(), lo = 0, hi = 0;
            w.overlap = false;
            for (int i = 0; i < g.steps(); i++) {
                long te = in.windowEnd(i), ws = te - in.range;
                while (hi < n && ts[hi] <= te) {
                    hi++;
                }
                while (lo < n && ts[lo] <= ws) {
                    lo++;
                }
                ev.ctx.checkWork(hi - lo);
                w.arg0 = scalars[0] == null ? 0 : scalars[0][i];
                w.arg1 = scalars[1] == null ? 0 : scalars[1][i];
                w.rangeStart = ws;
                w.rangeEnd = te;
                w.range = in.range;
                w.evalTime = g.time(i);
                boolean ok;
                if (ext != null) {
                    ok = ext.fill(w, raw, lo, hi, in.smoothed, counterCheck) && extFn.apply(w);
                } else {
                    if (lo >= hi) {
                        continue;
                    }
                    w.ts = ts;
                    w.vs = raw.vs();
                    w.sts = raw.sts();
                    w.lo = lo;
                    w.hi = hi;
                    ok = fn.apply(w);
                }
                held[0] = Math.max(held[0], hi - lo);
                if (ok) {
                    o.set(i, w.out);
                }
            }
            if (withHistograms.hs() != null) {
                if (ext != null) {
                    ExtendedHistograms.apply(ev, name, in, g, withHistograms, o, matrixPos);
                } else {
                    HistogramRange.apply(ev, name, in, g, withHistograms, o, matrixPos);
                }
            }
            if (w.overlap) {
                ev.ctx.warn("sample has start time that overlaps with previous sample timestamp for metric "
                        + GoStrings.quote(raw.labels().get(Labels.METRIC_NAME)), matrixPos);
            }
            if (!o.hasAnyValue()) {
                return;
            }
            if (keepName) {
                o.dropName = raw.dropName();
            } else {
                ev.dropName(o);
            }
            if (counterCheck && !in.subquery && raw.n() > 0) {
                String metric = raw.labels().get(Labels.METRIC_NAME);
                if (!metric.isEmpty() && !(metric.endsWith("_total") || metric.endsWith("_sum")
                        || metric.endsWith("_count") || metric.endsWith("_bucket"))) {
                    ev.ctx.info("metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "
                            + GoStrings.quote(metric), matrixPos);
                }
            }
            out.add(o);
        });
        // Like Prometheus, count the largest window held at once; the output is counted by the evaluator.
        ev.ctx.holding(held[0]);
        // As in Prometheus: once the name is gone, two series of the output may not be the same, whether
        // or not their samples overlap in time (with delayed removal, the query's end decides instead).
        if (!ev.ctx.options.delayedNameRemoval() && out.size() > 1) {
            java.util.Set<Labels> seen = new java.util.HashSet<>();
            for (StepSeries series : out) {
                if (!seen.add(series.labels)) {
                    throw QueryException.execution("vector cannot contain metrics with the same labelset");
                }
            }
        }
        return out;
    }

    /** 1 at every step where the range selector finds no sample at all, with labels from its equality matchers. */
    private static List<StepSeries> absentOverTime(Evaluator ev, Call c, Grid g) {
        Expr arg = unwrap(c.args().get(0));
        RangeInput in = ev.eval(arg, g).matrix;
        StepSeries o = new StepSeries(ev.ctx, absentLabels(arg), g.steps());
        boolean[] seen = new boolean[g.steps()];
        in.source.forEach(raw -> {
            long[] ts = raw.ts();
            int n = raw.n();
            int lo = 0, hi = 0;
            for (int i = 0; i < g.steps(); i++) {
                long te = in.windowEnd(i), ws = te - in.range;
                while (hi < n && ts[hi] <= te) {
                    hi++;
                }
                while (lo < n && ts[lo] <= ws) {
                    lo++;
                }
                if (lo < hi) {
                    seen[i] = true;
                }
            }
        });
        for (int i = 0; i < g.steps(); i++) {
            if (!seen[i]) {
                o.set(i, 1);
            }
        }
        return o.isEmpty() ? List.of() : List.of(o);
    }

    /** The labels {@code absent()} gives its result: the selector's equality matchers, once each, without the name. */
    static Labels absentLabels(Expr arg) {
        io.specula.promql.parser.VectorSelector vs = null;
        if (arg instanceof MatrixSelector ms) {
            vs = ms.selector();
        } else if (arg instanceof io.specula.promql.parser.VectorSelector v) {
            vs = v;
        }
        if (vs == null) {
            return Labels.EMPTY;
        }
        io.specula.model.labels.LabelsBuilder b = new io.specula.model.labels.LabelsBuilder();
        java.util.Set<String> dup = new java.util.HashSet<>();
        for (io.specula.model.labels.Matcher m : vs.matchers()) {
            if (m.name().equals(Labels.METRIC_NAME)) {
                continue;
            }
            if (m.type() == io.specula.model.labels.MatchType.EQUAL) {
                if (b.has(m.name())) {
                    dup.add(m.name());
                }
                b.set(m.name(), m.value());
            }
        }
        for (io.specula.model.labels.Matcher m : vs.matchers()) {
            if (m.type() != io.specula.model.labels.MatchType.EQUAL && b.has(m.name())) {
                dup.add(m.name());
            }
        }
        for (String d : dup) {
            b.delete(d);
        }
        return b.build();
    }
}

package io.specula.promql.engine;

import io.specula.model.labels.Labels;
import io.specula.model.labels.Matcher;
import io.specula.model.value.StaleNaN;
import io.specula.promql.parser.AggregateExpr;
import io.specula.promql.parser.BinaryExpr;
import io.specula.promql.parser.Call;
import io.specula.promql.parser.DurationExpr;
import io.specula.promql.parser.Expr;
import io.specula.promql.parser.MatrixSelector;
import io.specula.promql.parser.NumberLiteral;
import io.specula.promql.parser.ParenExpr;
import io.specula.promql.parser.StepInvariantExpr;
import io.specula.promql.parser.StringLiteral;
import io.specula.promql.parser.SubqueryExpr;
import io.specula.promql.parser.UnaryExpr;
import io.specula.promql.parser.ValueKind;
import io.specula.promql.parser.VectorSelector;
import io.specula.tsdb.storage.SelectHints;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Evaluates a prepared expression tree over a {@link Grid}, every node over all steps at once.
 * This class dispatches and handles the leaves (literals, selectors, subqueries); operators
 * and functions live in their own classes.
 */
final class Evaluator {
    final QueryContext ctx;
    final SeriesLoader loader = new SeriesLoader();
    /**
     * The function or aggregation the node being evaluated sits in, for {@link SelectHints#function()}:
     * the nearest enclosing call or aggregation, cleared by a binary operator (as Prometheus does).
     */
    private String hintFunction;
    /**
     * Whether selectors below read histograms only for their count and sum (the nearest
     * enclosing histogram function is histogram_count/sum/avg, with no binary operator or
     * subquery between): then, as Prometheus's histogram-stats iterator does, an unknown
     * counter-reset hint is resolved against the previous sample, which makes aggregations
     * see (and warn about) resets the stored hints leave open.
     */
    private boolean statsDecoding;

    /** What an instant selector emits per step: the value, its timestamp, or its start timestamp. */
    /** What an instant selector yields per step; INFO: timestamps of floats, histograms as they are (info() rejects them). */
    enum Emit { VALUE, TIMESTAMP, START_TIMESTAMP, INFO }

    Evaluator(QueryContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Evaluates {@code e}. Sample accounting: the children's outputs are counted while this node
     * runs; afterwards only this node's output stays counted.
     */
    Evaluated eval(Expr e, Grid g) {
        long before = ctx.currentSamples;
        long slotsBefore = ctx.liveSlots();
        String outer = hintFunction;
        boolean outerStats = statsDecoding;
        switch (e) {
            case Call c -> {
                hintFunction = c.function().name();
                switch (hintFunction) {
                    case "histogram_count", "histogram_sum", "histogram_avg" -> statsDecoding = true;
                    case "histogram_quantile", "histogram_quantiles", "histogram_fraction", "histogram_stddev",
                            "histogram_stdvar" -> statsDecoding = false;
                    default -> { }
                }
            }
            case AggregateExpr a -> hintFunction = a.op().keyword;
            case BinaryExpr b -> {
                hintFunction = null;
                statsDecoding = false;
            }
            case SubqueryExpr sq -> statsDecoding = false;
            default -> { }
        }
        Evaluated r;
        try {
            r = evalNode(e, g);
        } finally {
            hintFunction = outer;
            statsDecoding = outerStats;
        }
        long own = points(r);
        ctx.holding(own);
        ctx.currentSamples = before + own;
        // What the children and this node allocated is released, but for this node's output.
        ctx.releaseTo(slotsBefore);
        ctx.reserve(slots(r));
        return r;
    }

    /** The dense slots {@code r} occupies (see {@link QueryContext#liveSlots()}). */
    private static long slots(Evaluated r) {
        long n = 0;
        switch (r.kind) {
            case SCALAR -> n = r.scalar.length;
            case VECTOR -> {
                for (StepSeries s : r.series) {
                    n += s.v.length + (s.h == null ? 0 : s.v.length / 2);
                }
            }
            case MATRIX -> n = r.matrix.heldSlots;
            default -> { }
        }
        return n;
    }

    /** A scalar's per-step array, taken from the query's budget first. */
    double[] doubles(int n) {
        ctx.reserve(n);
        return new double[n];
    }

    private static long points(Evaluated r) {
        if (r.kind != ValueKind.VECTOR) {
            return 0;
        }
        long n = 0;
        for (StepSeries s : r.series) {
            n += s.count();
        }
        return n;
    }

    private Evaluated evalNode(Expr e, Grid g) {
        ctx.checkNow();
        return switch (e) {
            case NumberLiteral n -> Evaluated.scalar(filled(g.steps(), n.value()));
            case StringLiteral s -> Evaluated.string(s.value());
            case ParenExpr p -> eval(p.expr(), g);
            case StepInvariantExpr s -> evalInvariant(s.expr(), g);
            case UnaryExpr u -> unary(u, g);
            case VectorSelector vs -> Evaluated.vector(vectorSelector(vs, g, false));
            case MatrixSelector ms -> Evaluated.matrix(matrixSelector(ms, g));
            case SubqueryExpr sq -> Evaluated.matrix(subquery(sq, g));
            case AggregateExpr a -> Evaluated.vector(new Aggregation(this, a, g).eval());
            case BinaryExpr b -> BinaryOperation.eval(this, b, g);
            case Call c -> FunctionCalls.eval(this, c, g);
            case DurationExpr d -> Evaluated.scalar(filled(g.steps(), Durations.seconds(d, ctx)));
        };
    }

    /**
     * Evaluates {@code e}, which must be an instant vector, for a consumer that handles floats
     * only: native-histogram values are dropped (and series left without values), so that such
     * a consumer sees what it saw before histograms were stored.
     */
    List<StepSeries> vector(Expr e, Grid g) {
        return withoutHistograms(eval(e, g).series);
    }

    /** Evaluates {@code e}, an instant vector, keeping native-histogram values (histogram_* functions). */
    List<StepSeries> vectorWithHistograms(Expr e, Grid g) {
        return eval(e, g).series;
    }

    static List<StepSeries> withoutHistograms(List<StepSeries> in) {
        boolean any = false;
        for (StepSeries s : in) {
            any |= s.h != null;
        }
        if (!any) {
            return in;
        }
        List<StepSeries> out = new ArrayList<>(in.size());
        for (StepSeries s : in) {
            s.h = null;
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    /** Evaluates {@code e}, which must be a scalar. */
    double[] scalar(Expr e, Grid g) {
        return eval(e, g).scalar;
    }

    double[] filled(int n, double v) {
        double[] a = doubles(n);
        Arrays.fill(a, v);
        return a;
    }

    /** A step-invariant subtree: evaluated at the first step only, then copied to every step. */
    private Evaluated evalInvariant(Expr e, Grid g) {
        if (g.steps() == 1) {
            return eval(e, g);
        }
        Evaluated one = eval(e, new Grid(g.start(), g.start(), g.step(), 1));
        return switch (one.kind) {
            case SCALAR -> Evaluated.scalar(filled(g.steps(), one.scalar[0]));
            case VECTOR -> {
                List<StepSeries> out = new ArrayList<>(one.series.size());
                for (StepSeries s : one.series) {
                    io.specula.model.histogram.FloatHistogram h = s.histogram(0);
                    if (!s.has(0) && h == null) {
                        continue;
                    }
                    StepSeries b = new StepSeries(ctx, s.labels, g.steps());
                    b.dropName = s.dropName;
                    for (int i = 0; i < g.steps(); i++) {
                        if (h != null) {
                            b.setHistogram(i, h); // shared: results never change a histogram in place
                        } else {
                            b.set(i, s.v[0]);
                        }
                    }
                    out.add(b);
                }
                yield Evaluated.vector(out);
            }
            default -> one;
        };
    }

    private Evaluated unary(UnaryExpr u, Grid g) {
        Evaluated r = eval(u.expr(), g);
        if (!u.negate()) {
            return r;
        }
        if (r.kind == ValueKind.SCALAR) {
            double[] v = r.scalar;
            for (int i = 0; i < v.length; i++) {
                v[i] = -v[i];
            }
            return r;
        }
        for (StepSeries s : r.series) {
            for (int i = 0; i < s.v.length; i++) {
                s.v[i] = -s.v[i];
                if (s.h != null && s.h[i] != null) {
                    s.h[i] = s.h[i].copy().mul(-1);
                    s.h[i].counterResetHint = io.specula.model.histogram.CounterResetHint.GAUGE; // a negated counter is a gauge
                }
            }
            dropName(s);
        }
        return r;
    }

    /**
     * The labels without the metric name; the {@code __type__} and {@code __unit__} metadata
     * labels describe the name and go with it.
     */
    static Labels withoutName(Labels l) {
        if (!l.has(Labels.METRIC_NAME) && !l.has("__type__") && !l.has("__unit__")) {
            return l;
        }
        return l.toBuilder().delete(Labels.METRIC_NAME).delete("__type__").delete("__unit__").build();
    }

    /** Marks (delayed removal) or removes the metric name, as functions and arithmetic do. */
    void dropName(StepSeries s) {
        if (ctx.options.delayedNameRemoval()) {
            s.dropName = true;
        } else if (s.labels.has(Labels.METRIC_NAME)) {
            s.labels = Evaluator.withoutName(s.labels);
        }
    }

    List<StepSeries> vectorSelector(VectorSelector vs, Grid g, boolean timestamps) {
        return vectorSelector(vs, g, timestamps ? Emit.TIMESTAMP : Emit.VALUE);
    }

    /**
     * An instant selector: per series and step, the latest sample in the lookback window
     * {@code (t - lookback, t]} unless it is a staleness marker.
     *
     * @param emit the sample's value, or its timestamp in seconds ({@code timestamp()}), or its
     *     start timestamp in seconds, 0 when unknown ({@code start_timestamp()})
     */
    List<StepSeries> vectorSelector(VectorSelector vs, Grid g, Emit emit) {
        boolean timestamps = emit != Emit.VALUE;
        boolean startTimes = emit == Emit.START_TIMESTAMP;
        long lookback = ctx.options.lookbackDelta();
        boolean at = vs.at().isSet();
        long firstEnd = (at ? vs.at().timestamp() : g.start()) - vs.offset();
        long lastEnd = (at ? vs.at().timestamp() : g.end()) - vs.offset();
        long mint = firstEnd - lookback + 1, maxt = vs.smoothed() ? lastEnd + lookback : lastEnd;
        List<StepSeries> out = new ArrayList<>();
        int steps = g.steps();
        boolean smoothed = vs.smoothed() && !timestamps;
        loader.resolveHints = statsDecoding;
        loader.load(ctx, matchers(vs), mint, maxt, new SelectHints(mint, maxt, g.step(), hintFunction, 0), false,
                startTimes, true, (labels, ts, vals, sts, n) -> {
                    StepSeries s = new StepSeries(ctx, labels, steps);
                    io.specula.model.histogram.FloatHistogram[] hs = loader.seriesHasHistograms ? loader.hs : null;
                    int j = 0;
                    for (int i = 0; i < steps; i++) {
                        long te = (at ? vs.at().timestamp() : g.time(i)) - vs.offset();
                        while (j < n && ts[j] <= te) {
                            j++;
                        }
                        int k = j - 1;
                        if (k < 0 || ts[k] <= te - lookback || stale(hs, vals, k)) {
                            continue;
                        }
                        // Smoothing interpolates towards the next sample when there is one within the lookback.
                        boolean interpolate = smoothed && ts[k] < te && j < n && ts[j] - te < lookback && !stale(hs, vals, j);
                        boolean hk = hs != null && hs[k] != null;
                        if (interpolate && (hk || (hs != null && hs[j] != null))) {
                            smoothHistogram(s, i, labels, vs, hs, ts, k, j, te);
                        } else if (hk) {
                            if (startTimes) {
                                s.set(i, sts == null ? 0 : sts[k] / 1000.0);
                            } else if (emit == Emit.INFO) {
                                s.setHistogram(i, hs[k]);
                            } else if (timestamps) {
                                s.set(i, ts[k] / 1000.0); // timestamp() of a histogram sample
                            } else {
                                s.setHistogram(i, hs[k]);
                            }
                        } else {
                            double v = startTimes ? (sts == null ? 0 : sts[k] / 1000.0)
                                    : timestamps ? ts[k] / 1000.0 : vals[k];
                            if (interpolate) {
                                v = ExtendedWindow.interpolate(ts[k], vals[k], ts[j], vals[j], te, false);
                            }
                            s.set(i, v);
                        }
                    }
                    if (s.hasAnyValue()) {
                        out.add(s);
                    }
                });
        return out;
    }

    private static boolean stale(io.specula.model.histogram.FloatHistogram[] hs, double[] vals, int k) {
        return hs != null && hs[k] != null ? hs[k].isStale() : StaleNaN.is(vals[k]);
    }

    /** A smoothed selector's value between a histogram and its neighbour; none when they do not mix. */
    private void smoothHistogram(StepSeries s, int i, Labels labels, VectorSelector vs,
            io.specula.model.histogram.FloatHistogram[] hs, long[] ts, int k, int j, long te) {
        String metric = GoStrings.quote(labels.get(Labels.METRIC_NAME));
        if (hs[k] == null || hs[j] == null) {
            ctx.warn("encountered a mix of histograms and floats for metric name " + metric, vs.position());
            return;
        }
        try {
            boolean counter = hs[j].counterResetHint != io.specula.model.histogram.CounterResetHint.GAUGE;
            io.specula.model.histogram.FloatHistogram h = ExtendedHistograms.interpolate(this, hs[k], ts[k], hs[j], ts[j], te,
                    counter, vs.position());
            if (h == null) {
                ctx.warn(ExtendedHistograms.MIXED_SCHEMAS + metric, vs.position());
            } else {
                s.setHistogram(i, h);
            }
        } catch (io.specula.model.histogram.HistogramException e) {
            ctx.warn(ExtendedHistograms.MIXED_SCHEMAS + metric, vs.position());
        }
    }

    static Matcher[] matchers(VectorSelector vs) {
        return vs.matchers().toArray(new Matcher[0]);
    }

    /** A range selector: each series' samples over all windows of the grid, staleness markers dropped. */
    RangeInput matrixSelector(MatrixSelector ms, Grid g) {
        VectorSelector vs = ms.selector();
        long range = ms.range();
        boolean at = vs.at().isSet();
        long firstEnd = (at ? vs.at().timestamp() : g.start()) - vs.offset();
        long lastEnd = (at ? vs.at().timestamp() : g.end()) - vs.offset();
        long mint = firstEnd - range + 1, maxt = lastEnd;
        if (vs.anchored() || vs.smoothed()) {
            // The extended modifiers also look at the sample before the window (and after, when
            // smoothing); one lookback delta each way bounds what they need.
            mint -= ctx.options.lookbackDelta();
            if (vs.smoothed()) {
                maxt += ctx.options.lookbackDelta();
            }
        }
        long mintF = mint, maxtF = maxt;
        SelectHints hints = new SelectHints(mintF, maxtF, g.step(), hintFunction, range);
        boolean startTimes = ctx.options.startTimestamps();
        boolean stats = statsDecoding;
        RangeInput.Source source = consumer -> {
            loader.resolveHints = stats;
            loader.load(ctx, matchers(vs), mintF, maxtF, hints, true, startTimes,
                true, (labels, ts, vals, sts, n) -> {
                    if (n > 0) {
                        consumer.accept(new RangeInput.Raw(labels, ts, vals, sts, n, false,
                                loader.seriesHasHistograms ? loader.hs : null));
                    }
                });
        };
        return new RangeInput(source, g, range, vs.offset(), at, vs.at().timestamp(), vs.anchored(), vs.smoothed(),
                false);
    }

    /**
     * A histogram as a subquery hands it on: a stored counter-reset hint describes the sample's
     * relation to the previous stored sample, not to the previous subquery step, so counters
     * get "unknown" and range functions detect resets themselves (gauges stay gauges).
     */
    private static io.specula.model.histogram.FloatHistogram unhinted(io.specula.model.histogram.FloatHistogram h) {
        int hint = h.counterResetHint;
        if (hint == io.specula.model.histogram.CounterResetHint.GAUGE || hint == io.specula.model.histogram.CounterResetHint.UNKNOWN) {
            return h;
        }
        io.specula.model.histogram.FloatHistogram c = h.copy();
        c.counterResetHint = io.specula.model.histogram.CounterResetHint.UNKNOWN;
        return c;
    }

    /** The grid's times, taken from the budget first. */
    private long[] times(Grid g) {
        ctx.reserve(g.steps());
        long[] ts = new long[g.steps()];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = g.time(i);
        }
        return ts;
    }

    /**
     * A subquery: the inner expression evaluated at multiples of the subquery step (aligned to
     * the epoch) covering every outer window, then handed to range functions like a range selector.
     */
    RangeInput subquery(SubqueryExpr sq, Grid g) {
        long step = sq.step() > 0 ? sq.step() : ctx.options.defaultSubqueryStep();
        boolean at = sq.at().isSet();
        long outerStart = at ? sq.at().timestamp() : g.start();
        long outerEnd = at ? sq.at().timestamp() : g.end();
        long from = outerStart - sq.offset() - sq.range();
        long innerStart = step * (from / step);
        if (innerStart <= from) {
            innerStart += step;
        }
        long innerEnd = outerEnd - sq.offset();
        List<RangeInput.Raw> out = new ArrayList<>();
        long held = 0;
        if (innerStart <= innerEnd) {
            long steps = (innerEnd - innerStart) / step + 1;
            // Each inner series holds one point per step: more steps than --query.max-samples can
            // only end in that error (or overflow an array), so refuse before allocating.
            if (steps > ctx.options.maxSamples() || steps > Integer.MAX_VALUE - 8) {
                throw QueryException.tooManySamples();
            }
            Grid inner = new Grid(innerStart, innerStart + (innerEnd - innerStart) / step * step, step, (int) steps);
            Evaluated r = eval(sq.expr(), inner);
            // One timestamp array for every series with a value at each step (the common case):
            // their own value arrays then serve as the points, nothing is copied.
            long[] gridTimes = null;
            if (r.kind == ValueKind.SCALAR) {
                gridTimes = times(inner);
                held += 2L * inner.steps();
                out.add(new RangeInput.Raw(Labels.EMPTY, gridTimes, r.scalar, null, gridTimes.length, false));
            } else {
                List<StepSeries> series = r.series;
                for (int idx = 0; idx < series.size(); idx++) {
                    StepSeries s = series.get(idx);
                    ctx.check();
                    if (s.h == null && s.count() == inner.steps()) {
                        if (gridTimes == null) {
                            gridTimes = times(inner);
                            held += inner.steps();
                        }
                        held += s.v.length;
                        out.add(new RangeInput.Raw(s.labels, gridTimes, s.v, null, s.v.length, s.dropName));
                        continue;
                    }
                    if (series instanceof ArrayList<StepSeries> owned) {
                        // Hand the dense step arrays to the collector as soon as they are copied.
                        owned.set(idx, null);
                        ctx.release(s.v.length + (s.h == null ? 0 : s.v.length / 2));
                    }
                    int n = s.count();
                    int nh = 0;
                    if (s.h != null) {
                        for (io.specula.model.histogram.FloatHistogram x : s.h) {
                            nh += x != null ? 1 : 0;
                        }
                    }
                    if (n + nh == 0) {
                        continue;
                    }
                    long cost = 2L * (n + nh) + (nh == 0 ? 0 : (n + nh) / 2);
                    ctx.reserve(cost);
                    held += cost;
                    long[] ts = new long[n + nh];
                    double[] vs = new double[n + nh];
                    io.specula.model.histogram.FloatHistogram[] hs = nh == 0 ? null : new io.specula.model.histogram.FloatHistogram[n + nh];
                    int k = 0;
                    for (int i = 0; i < inner.steps(); i++) {
                        if (s.has(i)) {
                            ts[k] = inner.time(i);
                            vs[k++] = s.v[i];
                        } else if (hs != null && s.h[i] != null) {
                            ts[k] = inner.time(i);
                            hs[k++] = unhinted(s.h[i]);
                        }
                    }
                    out.add(new RangeInput.Raw(s.labels, ts, vs, null, n + nh, s.dropName, hs));
                }
            }
        }
        RangeInput in = new RangeInput(RangeInput.of(out), g, sq.range(), sq.offset(), at, sq.at().timestamp(), false,
                false, true);
        in.heldSlots = held;
        return in;
    }
}

package io.specula.promql.engine;

import io.specula.model.labels.Labels;
import io.specula.promql.parser.Call;
import io.specula.promql.parser.Expr;
import io.specula.promql.parser.VectorSelector;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/** Functions over instant vectors and scalars: math, clamping, time and date, sort, absent, scalar/vector. */
final class InstantFunctions {
    private static final double MIN_EPOCH_SECOND = Instant.MIN.getEpochSecond();
    private static final double MAX_EPOCH_SECOND = Instant.MAX.getEpochSecond();

    private InstantFunctions() {}

    static Evaluated eval(Evaluator ev, Call c, Grid g) {
        String name = c.function().name();
        List<Expr> args = c.args();
        DoubleUnaryOperator math = math(name);
        if (math != null) {
            return Evaluated.vector(map(ev, ev.vector(args.get(0), g), math));
        }
        return switch (name) {
            case "time" -> {
                double[] v = ev.doubles(g.steps());
                for (int i = 0; i < v.length; i++) {
                    v[i] = g.time(i) / 1000.0;
                }
                yield Evaluated.scalar(v);
            }
            case "pi" -> Evaluated.scalar(ev.filled(g.steps(), Math.PI));
            case "vector" -> {
                double[] v = ev.scalar(args.get(0), g);
                StepSeries s = new StepSeries(ev.ctx, Labels.EMPTY, g.steps());
                for (int i = 0; i < v.length; i++) {
                    s.set(i, v[i]);
                }
                yield Evaluated.vector(new ArrayList<>(List.of(s)));
            }
            case "scalar" -> Evaluated.scalar(scalar(ev.vector(args.get(0), g), g));
            case "round" -> {
                List<StepSeries> in = ev.vector(args.get(0), g);
                double[] to = args.size() > 1 ? ev.scalar(args.get(1), g) : ev.filled(g.steps(), 1);
                for (StepSeries s : in) {
                    for (int i = 0; i < g.steps(); i++) {
                        double inv = 1.0 / to[i];
                        s.v[i] = Math.floor(s.v[i] * inv + 0.5) / inv;
                    }
                    ev.dropName(s);
                }
                yield Evaluated.vector(in);
            }
            case "clamp", "clamp_min", "clamp_max" -> Evaluated.vector(clamp(ev, c, g, name));
            case "timestamp" -> {
                Expr a = FunctionCalls.unwrap(args.get(0));
                List<StepSeries> in;
                if (a instanceof VectorSelector vs) {
                    in = ev.vectorSelector(vs, g, true);
                } else {
                    in = ev.vector(a, g);
                    for (StepSeries s : in) {
                        for (int i = 0; i < g.steps(); i++) {
                            s.v[i] = g.time(i) / 1000.0;
                        }
                    }
                }
                for (StepSeries s : in) {
                    ev.dropName(s);
                }
                yield Evaluated.vector(in);
            }
            case "start_timestamp" -> {
                // Only a selector's samples carry start times; for any other argument, or with the
                // feature off, the result is empty (Prometheus does the same).
                Expr a = FunctionCalls.unwrap(args.get(0));
                List<StepSeries> in;
                if (a instanceof VectorSelector vs && ev.ctx.options.startTimestamps()) {
                    in = ev.vectorSelector(vs, g, Evaluator.Emit.START_TIMESTAMP);
                    for (StepSeries s : in) {
                        ev.dropName(s);
                    }
                } else {
                    ev.vector(a, g);
                    in = new ArrayList<>();
                }
                yield Evaluated.vector(in);
            }
            case "day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour", "minute", "month",
                    "year" -> Evaluated.vector(date(ev, c, g, name));
            case "label_replace" -> Evaluated.vector(LabelFunctions.replace(ev, c, g));
            case "label_join" -> Evaluated.vector(LabelFunctions.join(ev, c, g));
            case "sort", "sort_desc", "sort_by_label", "sort_by_label_desc" -> Evaluated.vector(sort(ev, c, g, name));
            case "absent" -> {
                List<StepSeries> in = ev.vectorWithHistograms(args.get(0), g); // a histogram sample is present too
                StepSeries o = new StepSeries(ev.ctx, FunctionCalls.absentLabels(FunctionCalls.unwrap(args.get(0))), g.steps());
                for (int i = 0; i < g.steps(); i++) {
                    boolean any = false;
                    for (StepSeries s : in) {
                        if (s.has(i) || s.histogram(i) != null) {
                            any = true;
                            break;
                        }
                    }
                    if (!any) {
                        o.set(i, 1);
                    }
                }
                yield Evaluated.vector(o.isEmpty() ? new ArrayList<>() : new ArrayList<>(List.of(o)));
            }
            case "histogram_quantile" -> Evaluated.vector(HistogramQuantile.eval(ev, c, g));
            case "histogram_quantiles" -> Evaluated.vector(HistogramQuantile.quantiles(ev, c, g));
            case "histogram_fraction" -> Evaluated.vector(HistogramQuantile.fraction(ev, c, g));
            case "info" -> Evaluated.vector(InfoFunction.eval(ev, c, g));
            default -> {
                if (name.startsWith("histogram_")) {
                    yield Evaluated.vector(nativeHistogramFunction(ev, c, g, name));
                }
                throw new QueryException(QueryException.Type.BAD_DATA, "function \"" + name + "\" is not supported");
            }
        };
    }

    /** {@code histogram_count|sum|avg|stddev|stdvar}: a float per native histogram; float samples give nothing. */
    private static List<StepSeries> nativeHistogramFunction(Evaluator ev, Call c, Grid g, String name) {
        List<StepSeries> in = ev.vectorWithHistograms(c.args().get(0), g);
        for (int a = 1; a < c.args().size(); a++) {
            ev.eval(c.args().get(a), g);
        }
        NativeHistograms nh = new NativeHistograms();
        HistogramQuantile.NativeFn fn = switch (name) {
            case "histogram_count" -> (i, h) -> h.count;
            case "histogram_sum" -> (i, h) -> h.sum;
            case "histogram_avg" -> (i, h) -> h.sum / h.count;
            case "histogram_stddev" -> (i, h) -> nh.stddev(h);
            case "histogram_stdvar" -> (i, h) -> nh.stdvar(h);
            default -> null;
        };
        List<StepSeries> out = new ArrayList<>();
        if (fn != null) {
            HistogramQuantile.natives(ev, in, g, null, null, fn, out);
        }
        return out;
    }

    private static List<StepSeries> map(Evaluator ev, List<StepSeries> in, DoubleUnaryOperator f) {
        for (StepSeries s : in) {
            double[] v = s.v;
            for (int i = 0; i < v.length; i++) {
                v[i] = f.applyAsDouble(v[i]);
            }
            ev.dropName(s);
        }
        return in;
    }

    static DoubleUnaryOperator math(String name) {
        return switch (name) {
            case "abs" -> Math::abs;
            case "ceil" -> Math::ceil;
            case "floor" -> Math::floor;
            case "exp" -> Math::exp;
            case "sqrt" -> Math::sqrt;
            case "ln" -> Math::log;
            case "log2" -> InstantFunctions::log2;
            case "log10" -> Math::log10;
            case "sgn" -> v -> v < 0 ? -1 : v > 0 ? 1 : v;
            case "acos" -> Math::acos;
            case "asin" -> Math::asin;
            case "atan" -> Math::atan;
            case "cos" -> Math::cos;
            case "sin" -> Math::sin;
            case "tan" -> Math::tan;
            case "cosh" -> Math::cosh;
            case "sinh" -> Math::sinh;
            case "tanh" -> Math::tanh;
            case "acosh" -> v -> Math.log(v + Math.sqrt(v * v - 1));
            case "asinh" -> v -> Double.isInfinite(v) ? v
                    : Math.copySign(Math.log(Math.abs(v) + Math.sqrt(v * v + 1)), v);
            case "atanh" -> v -> 0.5 * Math.log((1 + v) / (1 - v));
            case "deg" -> v -> v * 180 / Math.PI;
            case "rad" -> v -> v * Math.PI / 180;
            default -> null;
        };
    }

    /** Exact for powers of two, as Go's math.Log2 is. */
    static double log2(double v) {
        if (v > 0 && !Double.isInfinite(v) && v == Math.scalb(1.0, Math.getExponent(v))) {
            return Math.getExponent(v);
        }
        return Math.log(v) / Math.log(2);
    }

    private static double[] scalar(List<StepSeries> in, Grid g) {
        double[] out = new double[g.steps()];
        for (int i = 0; i < out.length; i++) {
            int n = 0;
            double v = Double.NaN;
            for (StepSeries s : in) {
                if (s.has(i)) {
                    n++;
                    v = s.v[i];
                }
            }
            out[i] = n == 1 ? v : Double.NaN;
        }
        return out;
    }

    private static List<StepSeries> clamp(Evaluator ev, Call c, Grid g, String name) {
        List<StepSeries> in = ev.vector(c.args().get(0), g);
        double[] lo = null, hi = null;
        switch (name) {
            case "clamp" -> {
                lo = ev.scalar(c.args().get(1), g);
                hi = ev.scalar(c.args().get(2), g);
            }
            case "clamp_min" -> lo = ev.scalar(c.args().get(1), g);
            default -> hi = ev.scalar(c.args().get(1), g);
        }
        for (StepSeries s : in) {
            for (int i = 0; i < g.steps(); i++) {
                if (!s.has(i)) {
                    continue;
                }
                if (lo != null && hi != null && hi[i] < lo[i]) {
                    s.clear(i);
                    continue;
                }
                double v = s.v[i];
                if (lo != null) {
                    v = Double.isNaN(v) || Double.isNaN(lo[i]) ? Double.NaN : Math.max(lo[i], v);
                }
                if (hi != null) {
                    v = Double.isNaN(v) || Double.isNaN(hi[i]) ? Double.NaN : Math.min(hi[i], v);
                }
                s.v[i] = v;
            }
            ev.dropName(s);
        }
        // A new list: the input may be immutable (absent_over_time's single series).
        List<StepSeries> out = new ArrayList<>(in.size());
        for (StepSeries s : in) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    private static List<StepSeries> date(Evaluator ev, Call c, Grid g, String name) {
        List<StepSeries> in;
        if (c.args().isEmpty()) {
            StepSeries s = new StepSeries(ev.ctx, Labels.EMPTY, g.steps());
            for (int i = 0; i < g.steps(); i++) {
                s.set(i, g.time(i) / 1000.0);
            }
            in = new ArrayList<>(List.of(s));
        } else {
            in = ev.vector(c.args().get(0), g);
        }
        for (StepSeries s : in) {
            for (int i = 0; i < g.steps(); i++) {
                double v = s.v[i];
                // Beyond Instant's years (and NaN, ±Inf): no date; once a DateTimeException (500).
                if (!(v >= MIN_EPOCH_SECOND && v <= MAX_EPOCH_SECOND)) {
                    s.v[i] = Double.NaN;
                    continue;
                }
                ZonedDateTime t = Instant.ofEpochSecond((long) v).atZone(ZoneOffset.UTC);
                s.v[i] = switch (name) {
                    case "day_of_month" -> t.getDayOfMonth();
                    case "day_of_week" -> t.getDayOfWeek().getValue() % 7;
                    case "day_of_year" -> t.getDayOfYear();
                    case "days_in_month" -> t.toLocalDate().lengthOfMonth();
                    case "hour" -> t.getHour();
                    case "minute" -> t.getMinute();
                    case "month" -> t.getMonthValue();
                    default -> t.getYear();
                };
            }
            ev.dropName(s);
        }
        return in;
    }

    private static List<StepSeries> sort(Evaluator ev, Call c, Grid g, String name) {
        List<StepSeries> in = ev.vector(c.args().get(0), g);
        if (ev.ctx.queryStart != ev.ctx.queryEnd) {
            ev.ctx.warn("sort is ineffective for range queries since results are always ordered by labels",
                    c.position());
            return in;
        }
        if (g.steps() != 1) {
            return in;
        }
        Comparator<StepSeries> cmp;
        switch (name) {
            case "sort" -> cmp = (a, b) -> byValue(a.v[0], b.v[0], false);
            case "sort_desc" -> cmp = (a, b) -> byValue(a.v[0], b.v[0], true);
            default -> {
                List<String> labels = new ArrayList<>();
                for (int i = 1; i < c.args().size(); i++) {
                    labels.add(ev.eval(c.args().get(i), g).string);
                }
                boolean desc = name.endsWith("_desc");
                cmp = (a, b) -> {
                    for (String l : labels) {
                        int r = NaturalOrder.compare(a.labels.get(l), b.labels.get(l));
                        if (r != 0) {
                            return desc ? -r : r;
                        }
                    }
                    int r = a.labels.compareTo(b.labels);
                    return desc ? -r : r;
                };
            }
        }
        in.sort(cmp);
        return in;
    }

    private static int byValue(double a, double b, boolean desc) {
        if (Double.isNaN(a)) {
            return Double.isNaN(b) ? 0 : 1;
        }
        if (Double.isNaN(b)) {
            return -1;
        }
        return desc ? Double.compare(b, a) : Double.compare(a, b);
    }
}

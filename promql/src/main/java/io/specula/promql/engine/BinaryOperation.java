package io.specula.promql.engine;

import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.promql.parser.BinaryExpr;
import io.specula.promql.parser.BinaryOp;
import io.specula.promql.parser.ValueKind;
import io.specula.promql.parser.VectorMatching;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Binary operators. Scalar operands are per-step arrays; between vectors, matching signatures
 * and result labels are computed once per series (pair), then values combine step by step.
 */
final class BinaryOperation {
    private BinaryOperation() {}

    /** Sets the present bit of every histogram step (its float slot holds NaN, unused). */
    private static void markHistogramSteps(List<StepSeries> in) {
        for (StepSeries s : in) {
            if (s.h != null) {
                for (int i = 0; i < s.h.length; i++) {
                    if (s.h[i] != null) {
                        s.set(i, Double.NaN);
                    }
                }
            }
        }
    }

    static Evaluated eval(Evaluator ev, BinaryExpr b, Grid g) {
        Evaluated l = ev.eval(b.lhs(), g);
        Evaluated r = ev.eval(b.rhs(), g);
        BinaryOp op = b.op();
        if (l.kind != ValueKind.SCALAR && r.kind != ValueKind.SCALAR && !op.isSetOperator()) {
            // Vector matching sees histogram steps as present; VectorMatch combines them.
            markHistogramSteps(l.series);
            markHistogramSteps(r.series);
        }
        if (l.kind == ValueKind.SCALAR && r.kind == ValueKind.SCALAR) {
            double[] out = ev.doubles(g.steps());
            for (int i = 0; i < out.length; i++) {
                out[i] = apply(op, l.scalar[i], r.scalar[i]);
            }
            return Evaluated.scalar(out);
        }
        if (l.kind == ValueKind.SCALAR || r.kind == ValueKind.SCALAR) {
            boolean scalarLeft = l.kind == ValueKind.SCALAR;
            return Evaluated.vector(vectorScalar(ev, b, scalarLeft ? r.series : l.series,
                    scalarLeft ? l.scalar : r.scalar, scalarLeft));
        }
        VectorMatching m = b.matching() != null ? b.matching()
                : new VectorMatching(op.isSetOperator() ? VectorMatching.Cardinality.MANY_TO_MANY
                        : VectorMatching.Cardinality.ONE_TO_ONE, List.of(), false, List.of(), null, null);
        return switch (op) {
            case AND, UNLESS -> Evaluated.vector(andUnless(l.series, r.series, m, op == BinaryOp.AND, g));
            case OR -> Evaluated.vector(or(l.series, r.series, m, g));
            default -> Evaluated.vector(new VectorMatch(ev, b, m, g).eval(l.series, r.series));
        };
    }

    /** Arithmetic; for comparisons returns 1/0 (true/false). */
    static double apply(BinaryOp op, double a, double b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MOD -> a % b;
            case POW -> pow(a, b);
            case ATAN2 -> Math.atan2(a, b);
            default -> compare(op, a, b) ? 1 : 0;
        };
    }

    /** Go's math.Pow where it differs from Java's: 1^y and (-1)^±Inf are 1. */
    static double pow(double a, double b) {
        if (a == 1 || b == 0) {
            return 1;
        }
        if (a == -1 && Double.isInfinite(b)) {
            return 1;
        }
        return Math.pow(a, b);
    }

    static boolean compare(BinaryOp op, double a, double b) {
        return switch (op) {
            case EQL -> a == b;
            case NEQ -> a != b;
            case GTR -> a > b;
            case LSS -> a < b;
            case GTE -> a >= b;
            case LTE -> a <= b;
            default -> throw new IllegalArgumentException(op.toString());
        };
    }

    private static List<StepSeries> vectorScalar(Evaluator ev, BinaryExpr b, List<StepSeries> vec, double[] sc,
            boolean scalarLeft) {
        BinaryOp op = b.op();
        boolean cmp = op.isComparison();
        for (StepSeries s : vec) {
            double[] v = s.v;
            for (int i = 0; i < v.length; i++) {
                if (s.h != null && s.h[i] != null) {
                    s.h[i] = histogramScalar(ev, b, s.h[i], sc[i], scalarLeft);
                    continue;
                }
                if (!s.has(i)) {
                    continue;
                }
                double lv = scalarLeft ? sc[i] : v[i], rv = scalarLeft ? v[i] : sc[i];
                if (cmp) {
                    boolean keep = compare(op, lv, rv);
                    if (b.returnBool()) {
                        v[i] = keep ? 1 : 0;
                    } else if (!keep) {
                        s.clear(i);
                    }
                } else {
                    v[i] = apply(op, lv, rv);
                }
            }
            boolean trim = op == BinaryOp.TRIM_UPPER || op == BinaryOp.TRIM_LOWER; // trimming keeps the metric name
            if ((!cmp || b.returnBool()) && !trim) {
                ev.dropName(s);
            }
        }
        // A new list: the input may be immutable (absent_over_time's single series).
        List<StepSeries> out = new ArrayList<>(vec.size());
        for (StepSeries s : vec) {
            if (s.hasAnyValue()) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * A histogram with a scalar: {@code h * s}, {@code s * h} and {@code h / s} scale it; every
     * other operator drops the sample with Prometheus's info annotation.
     */
    private static io.specula.model.histogram.FloatHistogram histogramScalar(Evaluator ev, BinaryExpr b,
            io.specula.model.histogram.FloatHistogram h, double sc, boolean scalarLeft) {
        BinaryOp op = b.op();
        if (op == BinaryOp.MUL) {
            return h.copy().mul(sc);
        }
        if (op == BinaryOp.DIV && !scalarLeft) {
            return h.copy().div(sc);
        }
        if ((op == BinaryOp.TRIM_UPPER || op == BinaryOp.TRIM_LOWER) && !scalarLeft) {
            return HistogramTrim.trim(h, sc, op == BinaryOp.TRIM_UPPER);
        }
        String lt = scalarLeft ? "float" : "histogram";
        String rt = scalarLeft ? "histogram" : "float";
        ev.ctx.info("incompatible sample types encountered for binary operator " + GoStrings.quote(op.symbol)
                + ": " + lt + " " + op.symbol + " " + rt, b.position());
        return null;
    }

    static Labels signature(Labels l, VectorMatching m, Set<String> names, LabelsBuilder b) {
        b.reset(l);
        if (m.on()) {
            b.retain(names::contains);
        } else {
            for (String n : names) {
                b.delete(n);
            }
            b.delete(Labels.METRIC_NAME);
        }
        return b.build();
    }

    /** Per signature, the steps at which any series of {@code side} has a value. */
    private static Map<Labels, long[]> presence(List<StepSeries> side, VectorMatching m, Grid g) {
        Set<String> names = new HashSet<>(m.labels());
        LabelsBuilder b = new LabelsBuilder();
        Map<Labels, long[]> out = new HashMap<>();
        for (StepSeries s : side) {
            long[] bits = out.computeIfAbsent(signature(s.labels, m, names, b), k -> new long[s.present.length]);
            long[] has = withHistogramSteps(s);
            for (int i = 0; i < bits.length; i++) {
                bits[i] |= has[i];
            }
        }
        return out;
    }

    private static List<StepSeries> andUnless(List<StepSeries> lhs, List<StepSeries> rhs, VectorMatching m,
            boolean and, Grid g) {
        Map<Labels, long[]> right = presence(rhs, m, g);
        Set<String> names = new HashSet<>(m.labels());
        LabelsBuilder b = new LabelsBuilder();
        List<StepSeries> out = new ArrayList<>();
        for (StepSeries s : lhs) {
            long[] bits = right.get(signature(s.labels, m, names, b));
            long[] keep = new long[s.present.length];
            for (int i = 0; i < s.present.length; i++) {
                long r = bits == null ? 0 : bits[i];
                keep[i] = and ? r : ~r;
                s.present[i] &= keep[i];
            }
            dropHistograms(s, keep);
            if (s.hasAnyValue()) {
                out.add(s);
            }
        }
        return out;
    }

    /** The steps at which {@code s} has a float or a histogram. */
    private static long[] withHistogramSteps(StepSeries s) {
        if (s.h == null) {
            return s.present;
        }
        long[] bits = s.present.clone();
        for (int i = 0; i < s.h.length; i++) {
            if (s.h[i] != null) {
                bits[i >>> 6] |= 1L << i;
            }
        }
        return bits;
    }

    /** Removes the histograms at steps whose bit in {@code keep} is clear. */
    private static void dropHistograms(StepSeries s, long[] keep) {
        if (s.h == null) {
            return;
        }
        for (int i = 0; i < s.h.length; i++) {
            if ((keep[i >>> 6] & (1L << i)) == 0) {
                s.h[i] = null;
            }
        }
    }

    private static List<StepSeries> or(List<StepSeries> lhs, List<StepSeries> rhs, VectorMatching m, Grid g) {
        Map<Labels, long[]> left = presence(lhs, m, g);
        Set<String> names = new HashSet<>(m.labels());
        LabelsBuilder b = new LabelsBuilder();
        List<StepSeries> out = new ArrayList<>(lhs);
        for (StepSeries s : rhs) {
            long[] bits = left.get(signature(s.labels, m, names, b));
            if (bits != null) {
                long[] keep = new long[s.present.length];
                for (int i = 0; i < s.present.length; i++) {
                    keep[i] = ~bits[i];
                    s.present[i] &= keep[i];
                }
                dropHistograms(s, keep);
            }
            if (s.hasAnyValue()) {
                out.add(s);
            }
        }
        return out;
    }
}

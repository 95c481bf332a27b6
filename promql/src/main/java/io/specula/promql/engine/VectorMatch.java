package io.specula.promql.engine;

import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.promql.parser.BinaryExpr;
import io.specula.promql.parser.BinaryOp;
import io.specula.promql.parser.VectorMatching;
import io.specula.promql.parser.VectorMatching.Cardinality;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Arithmetic and comparison between two instant vectors with one-to-one or many-to-one /
 * one-to-many matching (and the experimental fill modifiers). Signatures and result labels
 * are computed once per series or pair; values combine over the steps both sides have.
 */
final class VectorMatch {
    private final Evaluator ev;
    private final BinaryExpr b;
    private final VectorMatching m;
    private final Grid g;
    private final BinaryOp op;
    private final boolean swap;
    private final Set<String> names;
    private final LabelsBuilder lb = new LabelsBuilder();
    private final boolean dropName;

    VectorMatch(Evaluator ev, BinaryExpr b, VectorMatching m, Grid g) {
        this.ev = ev;
        this.b = b;
        this.m = m;
        this.g = g;
        this.op = b.op();
        this.swap = m.card() == Cardinality.ONE_TO_MANY;
        this.names = new HashSet<>(m.labels());
        this.dropName = !op.isComparison() || b.returnBool();
    }

    List<StepSeries> eval(List<StepSeries> lhs, List<StepSeries> rhs) {
        List<StepSeries> many = swap ? rhs : lhs, one = swap ? lhs : rhs;
        int words = (g.steps() + 63) >>> 6;
        Labels[] manySig = new Labels[many.size()];
        for (int i = 0; i < many.size(); i++) {
            manySig[i] = BinaryOperation.signature(many.get(i).labels, m, names, lb);
        }
        Map<Labels, List<StepSeries>> oneBySig = new LinkedHashMap<>();
        for (StepSeries s : one) {
            oneBySig.computeIfAbsent(BinaryOperation.signature(s.labels, m, names, lb), k -> new ArrayList<>()).add(s);
        }
        for (Map.Entry<Labels, List<StepSeries>> e : oneBySig.entrySet()) {
            checkUnique(e.getKey(), e.getValue());
        }
        // fill_right stands in for a missing "one"-side partner, fill_left for a missing "many"-side one.
        Double fillOne = m.fillRight();
        Double fillMany = m.fillLeft();
        Map<Labels, StepSeries> out = new LinkedHashMap<>();
        Map<Labels, long[]> matchedOne = new HashMap<>();
        Map<Labels, long[]> manyPresence = fillMany != null ? new HashMap<>() : null;
        long[] matched = new long[words];
        for (int mi = 0; mi < many.size(); mi++) {
            ev.ctx.check();
            StepSeries ms = many.get(mi);
            List<StepSeries> group = oneBySig.get(manySig[mi]);
            java.util.Arrays.fill(matched, 0);
            if (manyPresence != null) {
                long[] p = manyPresence.computeIfAbsent(manySig[mi], k -> new long[words]);
                for (int w = 0; w < words; w++) {
                    p[w] |= ms.present[w];
                }
            }
            if (group != null) {
                for (StepSeries os : group) {
                    boolean any = false;
                    for (int w = 0; w < words; w++) {
                        long both = ms.present[w] & os.present[w];
                        matched[w] |= both;
                        any |= both != 0;
                    }
                    if (!any) {
                        continue;
                    }
                    if (m.card() == Cardinality.ONE_TO_ONE) {
                        long[] prev = matchedOne.computeIfAbsent(manySig[mi], k -> new long[words]);
                        for (int w = 0; w < words; w++) {
                            long both = ms.present[w] & os.present[w];
                            if ((prev[w] & both) != 0) {
                                throw QueryException.execution(
                                        "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
                            }
                            prev[w] |= both;
                        }
                    }
                    combine(out, resultLabels(ms.labels, os.labels), ms, os, null, ms.dropName);
                }
            }
            if (fillOne != null) {
                combineUnmatched(out, ms, matched, fillOne, true);
            }
        }
        if (fillMany != null) {
            for (Map.Entry<Labels, List<StepSeries>> e : oneBySig.entrySet()) {
                long[] p = manyPresence.get(e.getKey());
                for (StepSeries os : e.getValue()) {
                    combineUnmatched(out, os, p == null ? new long[words] : p, fillMany, false);
                }
            }
        }
        List<StepSeries> res = new ArrayList<>(out.size());
        for (StepSeries s : out.values()) {
            if (s.hasAnyValue()) {
                res.add(s);
            }
        }
        return res;
    }

    /** Two series of the "one" side with the same signature must never be present at the same step. */
    private void checkUnique(Labels sig, List<StepSeries> group) {
        if (group.size() < 2) {
            return;
        }
        for (int i = 0; i < group.size(); i++) {
            for (int j = i + 1; j < group.size(); j++) {
                StepSeries x = group.get(i), y = group.get(j);
                for (int w = 0; w < x.present.length; w++) {
                    if ((x.present[w] & y.present[w]) != 0) {
                        Labels a = x.labels, c = y.labels;
                        if (a.compareTo(c) > 0) {
                            Labels t = a;
                            a = c;
                            c = t;
                        }
                        throw QueryException.execution("found duplicate series for the match group " + sig + " on the "
                                + (swap ? "left" : "right") + " hand-side of the operation: [" + a + ", " + c
                                + "];many-to-many matching not allowed: matching labels must be unique on one side");
                    }
                }
            }
        }
    }

    /** Combines {@code ms} (many side) with {@code os} (one side) at the steps both have. */
    private void combine(Map<Labels, StepSeries> out, Labels labels, StepSeries ms, StepSeries os, Double fill,
            boolean srcDrop) {
        StepSeries o = out.get(labels);
        boolean fresh = o == null;
        if (fresh) {
            o = new StepSeries(ev.ctx, labels, g.steps());
        }
        for (int i = 0; i < g.steps(); i++) {
            if (!ms.has(i) || !os.has(i)) {
                continue;
            }
            if (ms.histogram(i) != null || os.histogram(i) != null) {
                combineHistograms(o, i, swap ? os : ms, swap ? ms : os);
                continue;
            }
            double mv = ms.v[i], ov = os.v[i];
            double lv = swap ? ov : mv, rv = swap ? mv : ov;
            if (!yields(lv, rv)) {
                continue;
            }
            double v = value(lv, rv);
            if (o.has(i)) {
                throw QueryException.execution(m.card() == Cardinality.ONE_TO_ONE
                        ? "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)"
                        : "multiple matches for labels: grouping labels must ensure unique matches");
            }
            o.set(i, v);
        }
        if (fresh) {
            o.dropName = markDrop(labels, srcDrop);
            out.put(labels, o);
        }
    }

    /**
     * A pair where at least one side is a native histogram: histogram + and - histogram,
     * histogram * float (either order), histogram / float, histogram trimmed by a float
     * bound ({@code </}, {@code >/}), and == / != between histograms;
     * anything else drops the pair with Prometheus's info annotation.
     */
    private void combineHistograms(StepSeries o, int i, StepSeries left, StepSeries right) {
        io.specula.model.histogram.FloatHistogram lh = left.histogram(i), rh = right.histogram(i);
        double lv = left.v[i], rv = right.v[i];
        io.specula.model.histogram.FloatHistogram h = null;
        double v = 0;
        boolean isFloat = false;
        boolean ok = true;
        if (lh != null && rh != null) {
            switch (op) {
                case ADD -> h = lh.copy();
                case SUB -> h = lh.copy();
                case EQL, NEQ -> {
                    boolean eq = lh.equals(rh);
                    boolean keep = op == io.specula.promql.parser.BinaryOp.EQL ? eq : !eq;
                    if (b.returnBool()) {
                        isFloat = true;
                        v = keep ? 1 : 0;
                    } else if (keep) {
                        h = lh;
                    } else {
                        return;
                    }
                }
                default -> ok = false;
            }
            if (ok && h != null && (op == io.specula.promql.parser.BinaryOp.ADD || op == io.specula.promql.parser.BinaryOp.SUB)) {
                try {
                    boolean add = op == io.specula.promql.parser.BinaryOp.ADD;
                    int flags = add ? h.add(rh) : h.sub(rh);
                    if ((flags & io.specula.model.histogram.FloatHistogram.CUSTOM_BOUNDS_RECONCILED) != 0) {
                        ev.ctx.info("mismatched custom buckets were reconciled during " + (add ? "addition" : "subtraction"),
                                b.position());
                    }
                    if (!add) {
                        // A difference is a gauge, even when it is not negative.
                        h.counterResetHint = io.specula.model.histogram.CounterResetHint.GAUGE;
                    }
                    h.compact(0);
                } catch (io.specula.model.histogram.HistogramException e) {
                    ev.ctx.warn("vector contains a mix of histograms with exponential and custom buckets schemas for metric name \"\"",
                            b.position());
                    return;
                }
            }
        } else if (op == io.specula.promql.parser.BinaryOp.MUL) {
            h = lh != null ? lh.copy().mul(rv) : rh.copy().mul(lv);
        } else if (op == io.specula.promql.parser.BinaryOp.DIV && lh != null) {
            h = lh.copy().div(rv);
        } else if ((op == io.specula.promql.parser.BinaryOp.TRIM_UPPER || op == io.specula.promql.parser.BinaryOp.TRIM_LOWER)
                && lh != null) {
            h = HistogramTrim.trim(lh, rv, op == io.specula.promql.parser.BinaryOp.TRIM_UPPER);
        } else {
            ok = false;
        }
        if (!ok) {
            ev.ctx.info("incompatible sample types encountered for binary operator " + GoStrings.quote(op.symbol) + ": "
                    + (lh != null ? "histogram" : "float") + " " + op.symbol + " " + (rh != null ? "histogram" : "float"),
                    b.position());
            return;
        }
        if (o.has(i) || o.histogram(i) != null) {
            throw QueryException.execution(m.card() == Cardinality.ONE_TO_ONE
                    ? "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)"
                    : "multiple matches for labels: grouping labels must ensure unique matches");
        }
        if (isFloat) {
            o.set(i, v);
        } else {
            o.setHistogram(i, h);
        }
    }

    /** Whether a pair of operands yields a value: false only when a filtering comparison drops it. */
    private boolean yields(double lv, double rv) {
        return !op.isComparison() || b.returnBool() || BinaryOperation.compare(op, lv, rv);
    }

    /** The value a pair yields, once {@link #yields} said it does: the left value for a filter. */
    private double value(double lv, double rv) {
        if (!op.isComparison()) {
            return BinaryOperation.apply(op, lv, rv);
        }
        if (b.returnBool()) {
            return BinaryOperation.compare(op, lv, rv) ? 1 : 0;
        }
        return lv;
    }

    /** The steps of {@code s} without a partner, combined with the fill value for the missing side. */
    private void combineUnmatched(Map<Labels, StepSeries> out, StepSeries s, long[] partnerBits, double fill,
            boolean sIsMany) {
        Labels labels = sIsMany ? resultLabels(s.labels, null) : fillLabels(s.labels);
        StepSeries o = out.get(labels);
        boolean fresh = o == null;
        if (fresh) {
            o = new StepSeries(ev.ctx, labels, g.steps());
        }
        for (int i = 0; i < g.steps(); i++) {
            if (!s.has(i) || (partnerBits[i >>> 6] & (1L << i)) != 0 || s.histogram(i) != null) {
                continue;
            }
            double sv = s.v[i];
            // The original left operand: the many side unless swapped.
            boolean sIsLeft = sIsMany != swap;
            double lv = sIsLeft ? sv : fill, rv = sIsLeft ? fill : sv;
            if (!yields(lv, rv)) {
                continue;
            }
            double v = value(lv, rv);
            o.set(i, v);
        }
        if (fresh) {
            o.dropName = markDrop(labels, s.dropName);
            out.put(labels, o);
        }
    }

    private boolean markDrop(Labels labels, boolean srcDrop) {
        if (!labels.has(Labels.METRIC_NAME)) {
            return false;
        }
        return srcDrop || (dropName && ev.ctx.options.delayedNameRemoval());
    }

    private Labels fillLabels(Labels oneLabels) {
        lb.reset(oneLabels);
        lb.delete(Labels.METRIC_NAME);
        if (m.on()) {
            lb.retain(names::contains);
        } else {
            for (String n : names) {
                lb.delete(n);
            }
        }
        return lb.build();
    }

    private Labels resultLabels(Labels many, Labels one) {
        lb.reset(many);
        if (dropName && !ev.ctx.options.delayedNameRemoval()) {
            lb.delete(Labels.METRIC_NAME);
        }
        if (m.card() == Cardinality.ONE_TO_ONE) {
            if (m.on()) {
                lb.retain(names::contains);
            } else {
                for (String n : names) {
                    lb.delete(n);
                }
            }
        }
        if (one != null) {
            for (String n : m.include()) {
                String v = one.get(n);
                if (v.isEmpty()) {
                    lb.delete(n);
                } else {
                    lb.set(n, v);
                }
            }
        }
        return lb.build();
    }
}

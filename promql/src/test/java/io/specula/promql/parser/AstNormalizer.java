package io.specula.promql.parser;

import java.util.ArrayList;
import java.util.List;

/** Rebuilds a tree with every position set to {@link PositionRange#NONE}, for comparing trees. */
final class AstNormalizer {
    private static final PositionRange N = PositionRange.NONE;

    private AstNormalizer() {
    }

    /** Matcher order carries no meaning; the printer sorts them. */
    private static List<io.specula.model.labels.Matcher> sorted(List<io.specula.model.labels.Matcher> ms) {
        List<io.specula.model.labels.Matcher> l = new ArrayList<>(ms);
        l.sort(java.util.Comparator.comparing(Object::toString));
        return l;
    }

    static Expr strip(Expr e) {
        if (e == null) {
            return null;
        }
        return switch (e) {
            case AggregateExpr a -> new AggregateExpr(a.op(), strip(a.expr()), strip(a.param()), a.grouping(),
                    a.without(), N);
            case BinaryExpr b -> new BinaryExpr(b.op(), strip(b.lhs()), strip(b.rhs()), b.matching(), b.returnBool(), N);
            case Call c -> {
                List<Expr> args = new ArrayList<>();
                for (Expr x : c.args()) {
                    args.add(strip(x));
                }
                yield new Call(c.function(), args, N);
            }
            case MatrixSelector m -> new MatrixSelector((VectorSelector) strip(m.selector()), m.range(),
                    (DurationExpr) strip(m.rangeExpr()), N);
            case SubqueryExpr s -> new SubqueryExpr(strip(s.expr()), s.range(), (DurationExpr) strip(s.rangeExpr()),
                    s.step(), (DurationExpr) strip(s.stepExpr()), s.offset(), (DurationExpr) strip(s.offsetExpr()),
                    s.at(), N);
            case NumberLiteral n -> new NumberLiteral(n.value(), n.duration(), N);
            case StringLiteral s -> new StringLiteral(s.value(), N);
            case ParenExpr p -> new ParenExpr(strip(p.expr()), N);
            case UnaryExpr u -> new UnaryExpr(u.negate(), strip(u.expr()), N);
            case VectorSelector v -> new VectorSelector(v.name(), sorted(v.matchers()), v.offset(),
                    (DurationExpr) strip(v.offsetExpr()), v.at(), v.anchored(), v.smoothed(), N);
            case DurationExpr d -> new DurationExpr(d.op(), strip(d.lhs()), strip(d.rhs()), d.wrapped(), N);
            case StepInvariantExpr s -> new StepInvariantExpr(strip(s.expr()));
        };
    }
}

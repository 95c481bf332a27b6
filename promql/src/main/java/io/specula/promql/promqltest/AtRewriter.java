package io.specula.promql.promqltest;

import io.specula.promql.parser.AggregateExpr;
import io.specula.promql.parser.At;
import io.specula.promql.parser.BinaryExpr;
import io.specula.promql.parser.Call;
import io.specula.promql.parser.Expr;
import io.specula.promql.parser.MatrixSelector;
import io.specula.promql.parser.ParenExpr;
import io.specula.promql.parser.StepInvariantExpr;
import io.specula.promql.parser.SubqueryExpr;
import io.specula.promql.parser.UnaryExpr;
import io.specula.promql.parser.VectorSelector;
import java.util.ArrayList;
import java.util.List;

/**
 * For the scripts' step-invariance check: pins every selector and subquery without {@code @}
 * to a fixed time (selectors inside a pinned subquery stay as they are).
 */
final class AtRewriter {
    private AtRewriter() {}

    static Expr pin(Expr e, long t) {
        return switch (e) {
            case VectorSelector vs -> vs.at().isSet() ? vs : vs.withAt(At.timestamp(t));
            case MatrixSelector ms -> new MatrixSelector((VectorSelector) pin(ms.selector(), t), ms.range(),
                    ms.rangeExpr(), ms.position());
            case SubqueryExpr sq -> sq.at().isSet() ? sq
                    : new SubqueryExpr(sq.expr(), sq.range(), sq.rangeExpr(), sq.step(), sq.stepExpr(), sq.offset(),
                            sq.offsetExpr(), At.timestamp(t), sq.position());
            case AggregateExpr a -> new AggregateExpr(a.op(), pin(a.expr(), t),
                    a.param() == null ? null : pin(a.param(), t), a.grouping(), a.without(), a.position());
            case BinaryExpr b -> new BinaryExpr(b.op(), pin(b.lhs(), t), pin(b.rhs(), t), b.matching(),
                    b.returnBool(), b.position());
            case UnaryExpr u -> new UnaryExpr(u.negate(), pin(u.expr(), t), u.position());
            case ParenExpr p -> new ParenExpr(pin(p.expr(), t), p.position());
            case StepInvariantExpr s -> new StepInvariantExpr(pin(s.expr(), t));
            case Call c -> {
                List<Expr> args = new ArrayList<>();
                for (Expr a : c.args()) {
                    args.add(pin(a, t));
                }
                yield new Call(c.function(), args, c.position());
            }
            default -> e;
        };
    }

    /** Whether the expression calls a function whose result depends on the evaluation time itself. */
    static boolean usesTime(Expr e) {
        return switch (e) {
            case Call c -> UNSAFE.contains(c.function().name()) || c.args().stream().anyMatch(AtRewriter::usesTime);
            case AggregateExpr a -> usesTime(a.expr()) || (a.param() != null && usesTime(a.param()));
            case BinaryExpr b -> usesTime(b.lhs()) || usesTime(b.rhs());
            case UnaryExpr u -> usesTime(u.expr());
            case ParenExpr p -> usesTime(p.expr());
            case SubqueryExpr sq -> usesTime(sq.expr());
            case StepInvariantExpr s -> usesTime(s.expr());
            default -> false;
        };
    }

    private static final java.util.Set<String> UNSAFE = java.util.Set.of("days_in_month", "day_of_month",
            "day_of_week", "day_of_year", "hour", "minute", "month", "year", "predict_linear", "time", "timestamp");
}

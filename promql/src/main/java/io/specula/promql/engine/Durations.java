package io.specula.promql.engine;

import io.specula.promql.parser.DurationExpr;
import io.specula.promql.parser.Expr;
import io.specula.promql.parser.NumberLiteral;
import io.specula.promql.parser.ParenExpr;
import io.specula.promql.parser.UnaryExpr;

/** Evaluates duration expressions ({@code [5m+step()]}) once per query, before evaluation. */
final class Durations {
    private Durations() {}

    /** The value in seconds; {@code step()} is the query step, {@code range()} its end minus start. */
    static double seconds(Expr e, QueryContext ctx) {
        return switch (e) {
            case NumberLiteral n -> n.value();
            case ParenExpr p -> seconds(p.expr(), ctx);
            case UnaryExpr u -> u.negate() ? -seconds(u.expr(), ctx) : seconds(u.expr(), ctx);
            case DurationExpr d -> switch (d.op()) {
                case STEP -> ctx.queryStep / 1000.0;
                case RANGE -> (ctx.queryEnd - ctx.queryStart) / 1000.0;
                case START -> ctx.queryStart / 1000.0;
                case END -> ctx.queryEnd / 1000.0;
                case ADD -> d.lhs() == null ? seconds(d.rhs(), ctx) : seconds(d.lhs(), ctx) + seconds(d.rhs(), ctx);
                case SUB -> d.lhs() == null ? -seconds(d.rhs(), ctx) : seconds(d.lhs(), ctx) - seconds(d.rhs(), ctx);
                case MUL -> seconds(d.lhs(), ctx) * seconds(d.rhs(), ctx);
                case DIV -> seconds(d.lhs(), ctx) / seconds(d.rhs(), ctx);
                case MOD -> seconds(d.lhs(), ctx) % seconds(d.rhs(), ctx);
                case POW -> BinaryOperation.pow(seconds(d.lhs(), ctx), seconds(d.rhs(), ctx));
                case MIN_OF -> Math.min(seconds(d.lhs(), ctx), seconds(d.rhs(), ctx));
                case MAX_OF -> Math.max(seconds(d.lhs(), ctx), seconds(d.rhs(), ctx));
            };
            default -> throw QueryException.badData("unexpected expression in a duration: " + e);
        };
    }

    /** Seconds to whole milliseconds, truncating as a Go time.Duration conversion does. */
    static long millis(Expr e, QueryContext ctx) {
        double s = seconds(e, ctx);
        return (long) (s * 1e9) / 1_000_000L;
    }
}

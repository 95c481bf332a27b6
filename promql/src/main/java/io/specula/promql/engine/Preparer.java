package io.specula.promql.engine;

import io.specula.promql.parser.AggregateExpr;
import io.specula.promql.parser.At;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Rewrites a parsed tree before evaluation: resolves duration expressions and
 * {@code @ start()/end()} to numbers, then wraps the largest step-invariant subtrees in
 * {@link StepInvariantExpr} so they are evaluated once instead of at every step.
 */
final class Preparer {
    /** Functions whose result depends on the evaluation time even when their arguments do not. */
    static final Set<String> AT_UNSAFE = Set.of("days_in_month", "day_of_month", "day_of_week", "day_of_year", "hour",
            "minute", "month", "year", "predict_linear", "time", "timestamp");

    private final QueryContext ctx;

    Preparer(QueryContext ctx) {
        this.ctx = ctx;
    }

    Expr prepare(Expr e) {
        Expr resolved = resolve(e);
        Holder h = new Holder(resolved);
        if (invariant(h)) {
            return resolved.type() == ValueKind.MATRIX ? h.e : new StepInvariantExpr(h.e);
        }
        return h.e;
    }

    private At at(At a) {
        return switch (a.kind()) {
            case START -> At.timestamp(ctx.queryStart);
            case END -> At.timestamp(ctx.queryEnd);
            default -> a;
        };
    }

    private VectorSelector selector(VectorSelector vs) {
        long offset = vs.offsetExpr() != null ? Durations.millis(vs.offsetExpr(), ctx) : vs.offset();
        return new VectorSelector(vs.name(), vs.matchers(), offset, null, at(vs.at()), vs.anchored(), vs.smoothed(),
                vs.position());
    }

    Expr resolve(Expr e) {
        return switch (e) {
            case VectorSelector vs -> selector(vs);
            case MatrixSelector ms -> {
                long range = ms.rangeExpr() != null ? Durations.millis(ms.rangeExpr(), ctx) : ms.range();
                if (ms.rangeExpr() != null && range <= 0) {
                    throw QueryException.badData("duration must be greater than 0");
                }
                yield new MatrixSelector(selector(ms.selector()), range, null, ms.position());
            }
            case SubqueryExpr sq -> {
                long range = sq.rangeExpr() != null ? Durations.millis(sq.rangeExpr(), ctx) : sq.range();
                long step = sq.stepExpr() != null ? Durations.millis(sq.stepExpr(), ctx) : sq.step();
                long offset = sq.offsetExpr() != null ? Durations.millis(sq.offsetExpr(), ctx) : sq.offset();
                if (sq.rangeExpr() != null && range <= 0) {
                    throw QueryException.badData("duration must be greater than 0");
                }
                if (sq.stepExpr() != null && step <= 0) {
                    throw QueryException.badData("duration must be greater than 0");
                }
                yield new SubqueryExpr(resolve(sq.expr()), range, null, step, null, offset, null, at(sq.at()),
                        sq.position());
            }
            case AggregateExpr a -> new AggregateExpr(a.op(), resolve(a.expr()),
                    a.param() == null ? null : resolve(a.param()), a.grouping(), a.without(), a.position());
            case BinaryExpr b -> new BinaryExpr(b.op(), resolve(b.lhs()), resolve(b.rhs()), b.matching(),
                    b.returnBool(), b.position());
            case UnaryExpr u -> new UnaryExpr(u.negate(), resolve(u.expr()), u.position());
            case ParenExpr p -> new ParenExpr(resolve(p.expr()), p.position());
            case Call c -> {
                List<Expr> args = new ArrayList<>(c.args().size());
                for (Expr a : c.args()) {
                    args.add(resolve(a));
                }
                yield new Call(c.function(), args, c.position());
            }
            case DurationExpr d -> new NumberLiteral(Durations.seconds(d, ctx), d.position());
            case StepInvariantExpr s -> resolve(s.expr());
            case NumberLiteral n -> n;
            case StringLiteral s -> s;
        };
    }

    /** A mutable slot so the walk can replace a child with its wrapped form. */
    private static final class Holder {
        Expr e;

        Holder(Expr e) {
            this.e = e;
        }
    }

    private static Expr wrap(Expr e) {
        if (e.type() == ValueKind.MATRIX || e instanceof NumberLiteral || e instanceof StringLiteral) {
            return e;
        }
        return new StepInvariantExpr(e);
    }

    /** Whether {@code h.e} is step invariant; wraps invariant children of variant nodes. */
    private boolean invariant(Holder h) {
        Expr e = h.e;
        switch (e) {
            case NumberLiteral n -> {
                return true;
            }
            case StringLiteral s -> {
                return true;
            }
            case VectorSelector vs -> {
                return vs.at().isSet();
            }
            case MatrixSelector ms -> {
                return ms.selector().at().isSet();
            }
            case ParenExpr p -> {
                Holder c = new Holder(p.expr());
                boolean r = invariant(c);
                h.e = new ParenExpr(c.e, p.position());
                return r;
            }
            case UnaryExpr u -> {
                Holder c = new Holder(u.expr());
                boolean r = invariant(c);
                h.e = new UnaryExpr(u.negate(), c.e, u.position());
                return r;
            }
            case AggregateExpr a -> {
                Holder c = new Holder(a.expr());
                boolean r = invariant(c);
                h.e = new AggregateExpr(a.op(), c.e, a.param(), a.grouping(), a.without(), a.position());
                return r;
            }
            case BinaryExpr b -> {
                Holder l = new Holder(b.lhs()), r = new Holder(b.rhs());
                boolean li = invariant(l), ri = invariant(r);
                if (li && ri) {
                    h.e = new BinaryExpr(b.op(), l.e, r.e, b.matching(), b.returnBool(), b.position());
                    return true;
                }
                h.e = new BinaryExpr(b.op(), li ? wrap(l.e) : l.e, ri ? wrap(r.e) : r.e, b.matching(),
                        b.returnBool(), b.position());
                return false;
            }
            case Call c -> {
                boolean all = !AT_UNSAFE.contains(c.function().name());
                List<Expr> args = new ArrayList<>(c.args().size());
                boolean[] inv = new boolean[c.args().size()];
                for (int i = 0; i < c.args().size(); i++) {
                    Holder a = new Holder(c.args().get(i));
                    inv[i] = invariant(a);
                    all &= inv[i];
                    args.add(a.e);
                }
                if (!all) {
                    for (int i = 0; i < args.size(); i++) {
                        if (inv[i]) {
                            args.set(i, wrap(args.get(i)));
                        }
                    }
                }
                h.e = new Call(c.function(), args, c.position());
                return all;
            }
            case SubqueryExpr sq -> {
                Holder c = new Holder(sq.expr());
                boolean r = invariant(c);
                Expr inner = r ? wrap(c.e) : c.e;
                h.e = new SubqueryExpr(inner, sq.range(), null, sq.step(), null, sq.offset(), null, sq.at(),
                        sq.position());
                return sq.at().isSet();
            }
            default -> {
                return false;
            }
        }
    }
}

package io.specula.promql.parser;

import io.specula.model.labels.Labels;
import io.specula.model.labels.Matcher;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The second phase of parsing: checks operand types, argument counts and the rules of
 * vector matching, walking the tree in Prometheus's order so the first error reported is the
 * one Prometheus reports.
 */
final class TypeChecker {
    private final String input;
    private final Map<BinaryExpr, VectorMatching> written;
    /** Selectors allowed to have only empty matchers (the second argument of info()). */
    private final Set<VectorSelector> bypassEmptyMatcherCheck = Collections.newSetFromMap(new IdentityHashMap<>());

    TypeChecker(String input, Map<BinaryExpr, VectorMatching> written) {
        this.input = input;
        this.written = written;
    }

    private ParseException error(PositionRange r, String msg) {
        return new ParseException(input, r, msg);
    }

    private void expectType(Expr e, ValueKind want, String context) throws ParseException {
        ValueKind t = check(e);
        if (t != want) {
            throw error(e.position(), "expected type " + want.documentedName + " in " + context + ", got "
                    + t.documentedName);
        }
    }

    ValueKind check(Expr node) throws ParseException {
        switch (node) {
            case AggregateExpr a -> {
                expectType(a.expr(), ValueKind.VECTOR, "aggregation expression");
                switch (a.op()) {
                    case TOPK, BOTTOMK, QUANTILE, LIMITK, LIMIT_RATIO ->
                            expectType(a.param(), ValueKind.SCALAR, "aggregation parameter");
                    case COUNT_VALUES -> expectType(a.param(), ValueKind.STRING, "aggregation parameter");
                    default -> {
                        // no parameter
                    }
                }
            }
            case BinaryExpr b -> checkBinary(b);
            case Call c -> checkCall(c);
            case ParenExpr pe -> check(pe.expr());
            case UnaryExpr u -> {
                ValueKind t = check(u.expr());
                if (t != ValueKind.SCALAR && t != ValueKind.VECTOR) {
                    throw error(u.position(), "unary expression only allowed on expressions of type scalar or "
                            + "instant vector, got " + GoStrings.quote(t.documentedName));
                }
            }
            case SubqueryExpr s -> {
                ValueKind t = check(s.expr());
                if (t != ValueKind.VECTOR) {
                    throw error(s.position(), "subquery is only allowed on instant vector, got " + t.apiName
                            + " instead");
                }
            }
            case MatrixSelector m -> check(m.selector());
            case VectorSelector vs -> checkSelector(vs);
            case StepInvariantExpr si -> check(si.expr());
            case NumberLiteral n -> {
                // terminal
            }
            case StringLiteral s -> {
                // terminal
            }
            case DurationExpr d -> {
                // only inside ranges and offsets
            }
        }
        return node.type();
    }

    private void checkSelector(VectorSelector vs) throws ParseException {
        List<Matcher> ms = vs.matchers();
        if (vs.name() != null) {
            // The name matcher is the last one; an explicit __name__ before it sets the name twice.
            for (int i = 0; i < ms.size() - 1; i++) {
                Matcher m = ms.get(i);
                if (m.name().equals(Labels.METRIC_NAME)) {
                    throw error(vs.position(), "metric name must not be set twice: " + GoStrings.quote(vs.name())
                            + " or " + GoStrings.quote(m.value()));
                }
            }
            return;
        }
        if (bypassEmptyMatcherCheck.contains(vs)) {
            return;
        }
        for (Matcher m : ms) {
            if (!m.matchesEmpty()) {
                return;
            }
        }
        throw error(vs.position(), "vector selector must contain at least one non-empty matcher");
    }

    private void checkCall(Call c) throws ParseException {
        Function f = c.function();
        int nargs = f.argTypes().size();
        int got = c.args().size();
        String qname = GoStrings.quote(f.name());
        if (f.variadic() == 0) {
            if (nargs != got) {
                throw error(c.position(), "expected " + nargs + " argument(s) in call to " + qname + ", got " + got);
            }
        } else {
            int na = nargs - 1;
            if (na > got) {
                throw error(c.position(), "expected at least " + na + " argument(s) in call to " + qname + ", got "
                        + got);
            }
            int max = na + f.variadic();
            if (f.variadic() > 0 && max < got) {
                throw error(c.position(), "expected at most " + max + " argument(s) in call to " + qname + ", got "
                        + got);
            }
        }
        if (f.name().equals("info") && got > 1) {
            Expr second = c.args().get(1);
            if (second.type() != ValueKind.VECTOR) {
                throw error(c.position(), "expected type instant vector in call to function " + qname + ", got "
                        + second.type().documentedName);
            }
            if (second instanceof VectorSelector vs) {
                if (vs.name() != null) {
                    throw error(second.position(), "expected label selectors only, got vector selector instead");
                }
                bypassEmptyMatcherCheck.add(vs);
            } else {
                throw error(second.position(), "expected label selectors only");
            }
        }
        for (int i = 0; i < got; i++) {
            int k = i;
            if (i >= nargs) {
                if (f.variadic() == 0) {
                    break;
                }
                k = nargs - 1;
            }
            Expr arg = c.args().get(i);
            ValueKind t = check(arg);
            ValueKind want = f.argTypes().get(k);
            if (t != want) {
                throw error(arg.position(), "expected type " + want.documentedName + " in call to function " + qname
                        + ", got " + t.documentedName);
            }
        }
    }

    /** The operator's text range: from the end of the left operand to the start of the right, trimmed. */
    private PositionRange opRange(BinaryExpr b) {
        int s = b.lhs().position().end();
        while (s < input.length() && Lexer.isSpace(input.charAt(s))) {
            s++;
        }
        int e = b.rhs().position().start() - 1;
        while (e > s && Lexer.isSpace(input.charAt(e))) {
            e--;
        }
        return new PositionRange(s, e);
    }

    /**
     * Checks a chain of binary expressions nested on their left side ({@code a + b + c + ...})
     * without recursing once per operator, so long chains cannot overflow the stack; the
     * order of checks is the recursive one.
     */
    private void checkBinary(BinaryExpr top) throws ParseException {
        java.util.ArrayList<BinaryExpr> spine = new java.util.ArrayList<>();
        Expr e = top;
        while (e instanceof BinaryExpr b) {
            spine.add(b);
            e = b.lhs();
        }
        check(e);
        for (int i = spine.size() - 1; i >= 0; i--) {
            BinaryExpr b = spine.get(i);
            checkBinaryNode(b, b.lhs().type(), check(b.rhs()));
        }
    }

    private void checkBinaryNode(BinaryExpr b, ValueKind lt, ValueKind rt) throws ParseException {
        BinaryOp op = b.op();
        if (b.returnBool() && !op.isComparison()) {
            throw error(opRange(b), "bool modifier can only be used on comparison operators");
        }
        if (op.isComparison() && !b.returnBool() && lt == ValueKind.SCALAR && rt == ValueKind.SCALAR) {
            throw error(opRange(b), "comparisons between scalars must use BOOL modifier");
        }
        VectorMatching vm = written.get(b);
        if (vm == null) {
            vm = b.matching() != null ? b.matching()
                    : new VectorMatching(VectorMatching.Cardinality.ONE_TO_ONE, List.of(), false, List.of(), null, null);
        }
        VectorMatching.Cardinality card = vm.card();
        if (op.isSetOperator() && card == VectorMatching.Cardinality.ONE_TO_ONE) {
            card = VectorMatching.Cardinality.MANY_TO_MANY;
        }
        if (vm.on()) {
            for (String l1 : vm.labels()) {
                if (vm.include().contains(l1)) {
                    throw error(opRange(b), "label " + GoStrings.quote(l1) + " must not occur in ON and GROUP clause at once");
                }
            }
        }
        if (lt != ValueKind.SCALAR && lt != ValueKind.VECTOR) {
            throw error(b.lhs().position(), "binary expression must contain only scalar and instant vector types");
        }
        if (rt != ValueKind.SCALAR && rt != ValueKind.VECTOR) {
            throw error(b.rhs().position(), "binary expression must contain only scalar and instant vector types");
        }
        boolean fill = vm.fillLeft() != null || vm.fillRight() != null;
        if (lt != ValueKind.VECTOR || rt != ValueKind.VECTOR) {
            if (!vm.labels().isEmpty()) {
                throw error(b.position(), "vector matching only allowed between instant vectors");
            }
            if (fill) {
                throw error(b.position(), "filling in missing series only allowed between instant vectors");
            }
        } else if (op.isSetOperator()) {
            if (card == VectorMatching.Cardinality.ONE_TO_MANY || card == VectorMatching.Cardinality.MANY_TO_ONE) {
                throw error(b.position(), "no grouping allowed for " + GoStrings.quote(op.symbol) + " operation");
            }
            if (card != VectorMatching.Cardinality.MANY_TO_MANY) {
                throw error(b.position(), "set operations must always be many-to-many");
            }
            if (fill) {
                throw error(b.position(), "filling in missing series not allowed for set operators");
            }
        }
        if ((lt == ValueKind.SCALAR || rt == ValueKind.SCALAR) && op.isSetOperator()) {
            throw error(b.position(), "set operator " + GoStrings.quote(op.symbol) + " not allowed in binary scalar expression");
        }
    }
}

package io.specula.promql.parser;

import io.specula.model.labels.LabelNames;
import io.specula.model.labels.Labels;
import io.specula.model.labels.MatchType;
import io.specula.model.labels.Matcher;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Renders an expression in the canonical form Prometheus's {@code format_query} and
 * {@code Expr.String()} produce: {@code sum by (job) (rate(x[5m]))}, matchers sorted,
 * durations as {@code 1h30m}, strings double-quoted with Go escapes. Parsing the output gives
 * the same tree again (positions aside).
 *
 * <p>Printing does not recurse: each node is expanded into its text pieces and child nodes,
 * which go on an explicit work stack, so any depth the parser or a program builds prints
 * without exhausting the thread's stack.
 */
public final class Printer {
    private Printer() {
    }

    public static String print(Expr e) {
        StringBuilder out = new StringBuilder();
        ArrayDeque<Object> work = new ArrayDeque<>();
        work.push(e);
        Pieces pieces = new Pieces();
        while (!work.isEmpty()) {
            Object item = work.pop();
            if (item instanceof String text) {
                out.append(text);
                continue;
            }
            pieces.parts.clear();
            write(pieces, (Expr) item);
            pieces.flush();
            for (int i = pieces.parts.size() - 1; i >= 0; i--) {
                work.push(pieces.parts.get(i));
            }
        }
        return out.toString();
    }

    /** One node's expansion: text (Strings) and child expressions, in output order. */
    private static final class Pieces {
        final StringBuilder sb = new StringBuilder();
        final List<Object> parts = new ArrayList<>();

        /** A child expression goes here; it is printed after the text so far. */
        void child(Expr e) {
            flush();
            parts.add(e);
        }

        void flush() {
            if (!sb.isEmpty()) {
                parts.add(sb.toString());
                sb.setLength(0);
            }
        }
    }

    private static void write(Pieces o, Expr e) {
        StringBuilder sb = o.sb;
        switch (e) {
            case AggregateExpr a -> {
                sb.append(a.op().keyword);
                if (a.without()) {
                    sb.append(" without (");
                    labelList(sb, a.grouping()).append(") ");
                } else if (!a.grouping().isEmpty()) {
                    sb.append(" by (");
                    labelList(sb, a.grouping()).append(") ");
                }
                sb.append('(');
                if (a.param() != null) {
                    o.child(a.param());
                    sb.append(", ");
                }
                o.child(a.expr());
                sb.append(')');
            }
            case BinaryExpr top -> {
                // The left spine is written flat: one expansion for a whole operator chain.
                List<BinaryExpr> spine = new ArrayList<>();
                Expr left = top;
                while (left instanceof BinaryExpr b) {
                    spine.add(b);
                    left = b.lhs();
                }
                if (left instanceof NumberLiteral n && n.value() == Double.POSITIVE_INFINITY
                        && spine.getLast().op() == BinaryOp.POW) {
                    // "+Inf ^ x" would read back as +(Inf ^ x); Go prints +Inf, so only here write Inf.
                    sb.append("Inf");
                } else {
                    o.child(left);
                }
                for (int i = spine.size() - 1; i >= 0; i--) {
                    BinaryExpr b = spine.get(i);
                    sb.append(' ').append(b.op().symbol);
                    if (b.returnBool()) {
                        sb.append(" bool");
                    }
                    matching(sb, b.matching());
                    sb.append(' ');
                    o.child(b.rhs());
                }
            }
            case Call c -> {
                sb.append(c.function().name()).append('(');
                for (int i = 0; i < c.args().size(); i++) {
                    if (i > 0) {
                        sb.append(", ");
                    }
                    o.child(c.args().get(i));
                }
                sb.append(')');
            }
            case MatrixSelector m -> {
                VectorSelector vs = m.selector();
                selectorBody(sb, vs);
                sb.append('[');
                if (m.rangeExpr() != null) {
                    o.child(m.rangeExpr());
                } else {
                    sb.append(GoNumbers.formatDuration(m.range()));
                }
                sb.append(']');
                modifiers(o, vs.anchored(), vs.smoothed(), vs.at(), vs.offset(), vs.offsetExpr());
            }
            case SubqueryExpr s -> {
                o.child(s.expr());
                sb.append('[');
                if (s.rangeExpr() != null) {
                    o.child(s.rangeExpr());
                } else {
                    sb.append(GoNumbers.formatDuration(s.range()));
                }
                sb.append(':');
                if (s.stepExpr() != null) {
                    o.child(s.stepExpr());
                } else if (s.step() != 0) {
                    sb.append(GoNumbers.formatDuration(s.step()));
                }
                sb.append(']');
                modifiers(o, false, false, s.at(), s.offset(), s.offsetExpr());
            }
            case NumberLiteral n -> number(sb, n);
            case ParenExpr p -> {
                sb.append('(');
                o.child(p.expr());
                sb.append(')');
            }
            case StringLiteral s -> GoStrings.appendQuoted(sb, s.value(), '"');
            case UnaryExpr u -> {
                sb.append(u.negate() ? '-' : '+');
                o.child(u.expr());
            }
            case VectorSelector vs -> {
                selectorBody(sb, vs);
                modifiers(o, vs.anchored(), vs.smoothed(), vs.at(), vs.offset(), vs.offsetExpr());
            }
            case StepInvariantExpr si -> o.child(si.expr());
            case DurationExpr d -> duration(o, d);
        }
    }

    private static void number(StringBuilder sb, NumberLiteral n) {
        if (n.duration() && Double.isFinite(n.value())) {
            double v = n.value();
            sb.append(v < 0 ? "-" : "").append(GoNumbers.formatDuration(GoNumbers.secondsToMs(Math.abs(v))));
        } else {
            sb.append(GoNumbers.formatFloat(n.value()));
        }
    }

    private static void duration(Pieces o, DurationExpr d) {
        StringBuilder sb = o.sb;
        if (d.wrapped()) {
            sb.append('(');
        }
        switch (d.op()) {
            case STEP -> sb.append("step()");
            case RANGE -> sb.append("range()");
            case START -> sb.append("start()");
            case END -> sb.append("end()");
            case MIN_OF, MAX_OF -> {
                sb.append(d.op() == DurationExpr.Op.MIN_OF ? "min_of(" : "max_of(");
                o.child(d.lhs());
                sb.append(", ");
                o.child(d.rhs());
                sb.append(')');
            }
            default -> {
                if (d.lhs() == null) {
                    sb.append(d.op() == DurationExpr.Op.SUB ? "-" : "+");
                    o.child(d.rhs());
                } else {
                    o.child(d.lhs());
                    sb.append(' ').append(switch (d.op()) {
                        case ADD -> "+";
                        case SUB -> "-";
                        case MUL -> "*";
                        case DIV -> "/";
                        case MOD -> "%";
                        default -> "^";
                    }).append(' ');
                    o.child(d.rhs());
                }
            }
        }
        if (d.wrapped()) {
            sb.append(')');
        }
    }

    private static void matching(StringBuilder sb, VectorMatching vm) {
        if (vm == null) {
            return;
        }
        boolean grouped = vm.card() == VectorMatching.Cardinality.MANY_TO_ONE
                || vm.card() == VectorMatching.Cardinality.ONE_TO_MANY;
        if (!vm.labels().isEmpty() || vm.on() || grouped) {
            sb.append(vm.on() ? " on (" : " ignoring (");
            labelList(sb, vm.labels()).append(')');
            if (grouped) {
                sb.append(vm.card() == VectorMatching.Cardinality.MANY_TO_ONE ? " group_left (" : " group_right (");
                labelList(sb, vm.include()).append(')');
            }
        }
        Double l = vm.fillLeft();
        Double r = vm.fillRight();
        if (l != null && r != null && Double.doubleToLongBits(l) == Double.doubleToLongBits(r)) {
            sb.append(" fill (").append(GoNumbers.formatFloat(l)).append(')');
        } else {
            if (l != null) {
                sb.append(" fill_left (").append(GoNumbers.formatFloat(l)).append(')');
            }
            if (r != null) {
                sb.append(" fill_right (").append(GoNumbers.formatFloat(r)).append(')');
            }
        }
    }

    private static StringBuilder labelList(StringBuilder sb, List<String> labels) {
        for (int i = 0; i < labels.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            label(sb, labels.get(i));
        }
        return sb;
    }

    private static void label(StringBuilder sb, String name) {
        if (LabelNames.isValidLegacyLabelName(name)) {
            sb.append(name);
        } else {
            GoStrings.appendQuoted(sb, name, '"');
        }
    }

    private static void selectorBody(StringBuilder sb, VectorSelector vs) {
        List<String> parts = new ArrayList<>(vs.matchers().size());
        String name = vs.name();
        for (Matcher m : vs.matchers()) {
            if (name != null && m.name().equals(Labels.METRIC_NAME) && m.type() == MatchType.EQUAL
                    && m.value().equals(name) && !name.isEmpty()) {
                continue;
            }
            StringBuilder p = new StringBuilder();
            label(p, m.name());
            p.append(m.type().operator());
            GoStrings.appendQuoted(p, m.value(), '"');
            parts.add(p.toString());
        }
        boolean legacyName = name == null || LabelNames.isValidLegacyMetricName(name);
        if (name != null && legacyName) {
            sb.append(name);
        }
        if (!legacyName) {
            parts.add(0, "");
        }
        if (parts.isEmpty()) {
            return;
        }
        Collections.sort(parts.subList(legacyName ? 0 : 1, parts.size()));
        sb.append('{');
        if (!legacyName) {
            GoStrings.appendQuoted(sb, name, '"');
            parts.remove(0);
            if (!parts.isEmpty()) {
                sb.append(", ");
            }
        }
        sb.append(String.join(",", parts)).append('}');
    }

    private static void modifiers(Pieces o, boolean anchored, boolean smoothed, At at, long offset,
            DurationExpr offsetExpr) {
        StringBuilder sb = o.sb;
        if (anchored) {
            sb.append(" anchored");
        }
        if (smoothed) {
            sb.append(" smoothed");
        }
        switch (at.kind()) {
            case TIMESTAMP -> sb.append(" @ ").append(BigDecimal.valueOf(at.timestamp(), 3).toPlainString());
            case START -> sb.append(" @ start()");
            case END -> sb.append(" @ end()");
            case NONE -> {
                // no @
            }
        }
        if (offsetExpr != null) {
            sb.append(" offset ");
            o.child(offsetExpr);
        } else if (offset != 0) {
            sb.append(" offset ").append(GoNumbers.formatSignedDuration(offset));
        }
    }
}

package io.specula.web.api;

import io.specula.model.labels.Matcher;
import io.specula.promql.parser.AggregateExpr;
import io.specula.promql.parser.At;
import io.specula.promql.parser.BinaryExpr;
import io.specula.promql.parser.Call;
import io.specula.promql.parser.DurationExpr;
import io.specula.promql.parser.Expr;
import io.specula.promql.parser.MatrixSelector;
import io.specula.promql.parser.NumberLiteral;
import io.specula.promql.parser.ParenExpr;
import io.specula.promql.parser.Printer;
import io.specula.promql.parser.StepInvariantExpr;
import io.specula.promql.parser.StringLiteral;
import io.specula.promql.parser.SubqueryExpr;
import io.specula.promql.parser.UnaryExpr;
import io.specula.promql.parser.ValueKind;
import io.specula.promql.parser.VectorMatching;
import io.specula.promql.parser.VectorSelector;
import java.util.List;

/**
 * The syntax tree as {@code /api/v1/parse_query} returns it (the tree view of Prometheus 3's
 * UI): one object per node with a {@code type} member; members in Go's sorted-key order.
 * A stand-alone duration expression ({@code step()}, {@code min_of(…)}), which Prometheus's
 * translation does not cover, is written as {@code {"expr":"<text>","type":"durationExpr"}}.
 */
final class AstJson {
    private AstJson() {}

    static void write(Json j, Expr e) {
        switch (e) {
            case null -> j.nullValue();
            case AggregateExpr a -> {
                j.beginObject().name("expr");
                write(j, a.expr());
                j.name("grouping").strings(a.grouping()).name("op").value(a.op().keyword).name("param");
                write(j, a.param());
                j.name("type").value("aggregation").name("without").value(a.without()).endObject();
            }
            case BinaryExpr b -> {
                j.beginObject().name("bool").value(b.returnBool()).name("lhs");
                write(j, b.lhs());
                j.name("matching");
                matching(j, b.matching());
                j.name("op").value(b.op().symbol).name("rhs");
                write(j, b.rhs());
                j.name("type").value("binaryExpr").endObject();
            }
            case Call c -> {
                j.beginObject().name("args").beginArray();
                for (Expr arg : c.args()) {
                    write(j, arg);
                }
                j.endArray().name("func").beginObject().name("argTypes").beginArray();
                for (ValueKind k : c.function().argTypes()) {
                    j.value(k.apiName);
                }
                j.endArray().name("name").value(c.function().name()).name("returnType").value(c.function().returnType().apiName)
                        .name("variadic").value(c.function().variadic()).endObject()
                        .name("type").value("call").endObject();
            }
            case MatrixSelector m -> {
                VectorSelector vs = m.selector();
                j.beginObject().name("anchored").value(vs.anchored());
                matchers(j, vs.matchers());
                j.name("name").value(vs.name() == null ? "" : vs.name()).name("offset").value(vs.offset())
                        .name("range").value(m.range()).name("smoothed").value(vs.smoothed());
                at(j, vs.at());
                j.name("type").value("matrixSelector").endObject();
            }
            case SubqueryExpr s -> {
                j.beginObject().name("alignEvalTime").value(false).name("expr");
                write(j, s.expr());
                j.name("offset").value(s.offset()).name("range").value(s.range());
                // at() writes startOrEnd and timestamp, which sort after "step" only partly: keep Go's order.
                At at = s.at();
                j.name("startOrEnd");
                startOrEnd(j, at);
                j.name("step").value(s.step()).name("timestamp");
                timestamp(j, at);
                j.name("type").value("subquery").endObject();
            }
            case NumberLiteral n -> j.beginObject().name("type").value("numberLiteral").name("val").scalarValue(n.value())
                    .endObject();
            case ParenExpr p -> {
                j.beginObject().name("expr");
                write(j, p.expr());
                j.name("type").value("parenExpr").endObject();
            }
            case StringLiteral s -> j.beginObject().name("type").value("stringLiteral").name("val").value(s.value()).endObject();
            case UnaryExpr u -> {
                j.beginObject().name("expr");
                write(j, u.expr());
                j.name("op").value(u.negate() ? "-" : "+").name("type").value("unaryExpr").endObject();
            }
            case VectorSelector vs -> {
                j.beginObject().name("anchored").value(vs.anchored());
                matchers(j, vs.matchers());
                j.name("name").value(vs.name() == null ? "" : vs.name()).name("offset").value(vs.offset())
                        .name("smoothed").value(vs.smoothed());
                at(j, vs.at());
                j.name("type").value("vectorSelector").endObject();
            }
            case StepInvariantExpr s -> write(j, s.expr());
            case DurationExpr d -> j.beginObject().name("expr").value(Printer.print(d)).name("type").value("durationExpr").endObject();
        }
    }

    private static void matching(Json j, VectorMatching m) {
        if (m == null) {
            j.nullValue();
            return;
        }
        String card = switch (m.card()) {
            case ONE_TO_ONE -> "one-to-one";
            case MANY_TO_ONE -> "many-to-one";
            case ONE_TO_MANY -> "one-to-many";
            case MANY_TO_MANY -> "many-to-many";
        };
        j.beginObject().name("card").value(card).name("fillValues").beginObject().name("lhs");
        fill(j, m.fillLeft());
        j.name("rhs");
        fill(j, m.fillRight());
        j.endObject().name("include").strings(m.include()).name("labels").strings(m.labels()).name("on").value(m.on())
                .endObject();
    }

    private static void fill(Json j, Double v) {
        if (v == null) {
            j.nullValue();
        } else {
            j.number(v);
        }
    }

    private static void matchers(Json j, List<Matcher> ms) {
        j.name("matchers").beginArray();
        for (Matcher m : ms) {
            j.beginObject().name("name").value(m.name()).name("type").value(m.type().operator())
                    .name("value").value(m.value()).endObject();
        }
        j.endArray();
    }

    /** {@code startOrEnd} then {@code timestamp}, the members an {@code @} modifier sets. */
    private static void at(Json j, At at) {
        j.name("startOrEnd");
        startOrEnd(j, at);
        j.name("timestamp");
        timestamp(j, at);
    }

    private static void startOrEnd(Json j, At at) {
        switch (at == null ? At.Kind.NONE : at.kind()) {
            case START -> j.value("start");
            case END -> j.value("end");
            default -> j.nullValue();
        }
    }

    private static void timestamp(Json j, At at) {
        if (at != null && at.kind() == At.Kind.TIMESTAMP) {
            j.value(at.timestamp());
        } else {
            j.nullValue();
        }
    }
}

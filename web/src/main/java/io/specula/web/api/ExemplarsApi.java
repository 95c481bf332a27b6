package io.specula.web.api;

import io.specula.model.labels.Matcher;
import io.specula.promql.parser.AggregateExpr;
import io.specula.promql.parser.BinaryExpr;
import io.specula.promql.parser.Call;
import io.specula.promql.parser.Expr;
import io.specula.promql.parser.MatrixSelector;
import io.specula.promql.parser.ParenExpr;
import io.specula.promql.parser.ParseException;
import io.specula.promql.parser.PromQLParser;
import io.specula.promql.parser.StepInvariantExpr;
import io.specula.promql.parser.SubqueryExpr;
import io.specula.promql.parser.UnaryExpr;
import io.specula.promql.parser.VectorSelector;
import io.specula.tsdb.DB;
import io.specula.tsdb.exemplar.CircularExemplarStorage;
import io.specula.web.ServerContext;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /api/v1/query_exemplars?query=&start=&end=}: the exemplars in [start, end] of the
 * series any vector selector of the query selects (Prometheus's {@code ExtractSelectors}:
 * every selector's matchers, the name included, as one set; a query without selectors gets
 * 204 No Content), as {@code [{"seriesLabels":{…},"exemplars":[{"labels":{…},"value":"v","timestamp":t}]}]}
 * sorted by series labels.
 */
final class ExemplarsApi {
    private final ServerContext ctx;

    ExemplarsApi(ServerContext ctx) {
        this.ctx = ctx;
    }

    Reply query(Params p) throws ApiException {
        long start = p.time("start", Params.MIN_TIME);
        long end = p.time("end", Params.MAX_TIME);
        if (end < start) {
            throw ApiException.badData("end timestamp must not be before start timestamp");
        }
        Expr expr;
        try {
            expr = PromQLParser.parse(p.get("query"), ctx.engine().options().parserOptions());
        } catch (ParseException e) {
            throw ApiException.badData(e.getMessage());
        }
        List<Matcher[]> selectors = new ArrayList<>();
        extractSelectors(expr, selectors);
        if (selectors.isEmpty()) {
            return Reply.NO_CONTENT; // Prometheus answers no data at all: 204
        }
        DB db = ServerDb.require(ctx);
        List<CircularExemplarStorage.Result> results = db.exemplars().select(start, end, selectors);
        return Reply.of(j -> {
            j.beginArray();
            for (CircularExemplarStorage.Result r : results) {
                j.beginObject().name("seriesLabels").labels(r.seriesLabels()).name("exemplars").beginArray();
                for (CircularExemplarStorage.Exemplar e : r.exemplars()) {
                    j.beginObject().name("labels").labels(e.labels()).name("value").sampleValue(e.value())
                            .name("timestamp").timestamp(e.t()).endObject();
                }
                j.endArray().endObject();
            }
            j.endArray();
        });
    }

    /** Every vector selector's matchers, depth first in Prometheus's child order. */
    static void extractSelectors(Expr e, List<Matcher[]> out) {
        switch (e) {
            case VectorSelector v -> out.add(v.matchers().toArray(new Matcher[0]));
            case MatrixSelector m -> extractSelectors(m.selector(), out);
            case SubqueryExpr s -> extractSelectors(s.expr(), out);
            case AggregateExpr a -> {
                extractSelectors(a.expr(), out);
                if (a.param() != null) {
                    extractSelectors(a.param(), out);
                }
            }
            case BinaryExpr b -> {
                extractSelectors(b.lhs(), out);
                extractSelectors(b.rhs(), out);
            }
            case UnaryExpr u -> extractSelectors(u.expr(), out);
            case ParenExpr p -> extractSelectors(p.expr(), out);
            case StepInvariantExpr s -> extractSelectors(s.expr(), out);
            case Call c -> {
                for (Expr a : c.args()) {
                    extractSelectors(a, out);
                }
            }
            default -> { } // literals and durations hold no selector
        }
    }
}

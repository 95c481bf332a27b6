package io.specula.web.api;

import io.specula.promql.engine.Engine;
import io.specula.promql.engine.Matrix;
import io.specula.promql.engine.Query;
import io.specula.promql.engine.QueryException;
import io.specula.promql.engine.QueryStats;
import io.specula.promql.engine.Result;
import io.specula.promql.engine.Sample;
import io.specula.promql.engine.Scalar;
import io.specula.promql.engine.StringValue;
import io.specula.promql.engine.Value;
import io.specula.promql.engine.Vector;
import io.specula.promql.parser.Expr;
import io.specula.promql.parser.ParseException;
import io.specula.promql.parser.Printer;
import io.specula.promql.parser.PromQLParser;
import io.specula.tsdb.DB;
import io.specula.web.ServerContext;
import io.specula.web.WebOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * {@code query}, {@code query_range}, {@code format_query} and {@code parse_query}. A query
 * runs with the request's {@code timeout} capped by {@code --query.timeout}: when it expires the
 * query is canceled and answers Prometheus's {@code timeout} error.
 */
final class QueryApi {
    private final ServerContext ctx;
    private final WebOptions opts;
    /** Receives each executed query's statistics (self-metrics); may be null. */
    private final Consumer<QueryStats> observer;
    private final ScheduledExecutorService timer;

    QueryApi(ServerContext ctx, WebOptions opts, Consumer<QueryStats> observer) {
        this.ctx = ctx;
        this.opts = opts;
        this.observer = observer;
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "specula-query-timeout");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
    }

    void close() {
        timer.shutdownNow();
    }

    Reply instant(Params p) throws ApiException {
        int limit = p.limit();
        long t = p.time("time", System.currentTimeMillis());
        long timeout = timeout(p);
        DB db = ServerDb.require(ctx);
        Engine engine = ctx.engine();
        Query q;
        try {
            q = engine.instantQuery(ctx.queryable(db), p.get("query"), t);
        } catch (ParseException e) {
            throw ApiException.invalidParam("query", e.getMessage());
        } catch (QueryException e) {
            throw ApiException.invalidParam("query", e.getMessage());
        }
        return run(q, timeout, limit, p.get("stats"), p);
    }

    Reply range(Params p) throws ApiException {
        int limit = p.limit();
        long start = p.requiredTime("start");
        long end = p.requiredTime("end");
        if (end < start) {
            throw ApiException.invalidParam("end", "end timestamp must not be before start time");
        }
        long step = p.duration("step");
        if (step <= 0) {
            throw ApiException.invalidParam("step",
                    "zero or negative query resolution step widths are not accepted. Try a positive integer");
        }
        if ((end - start) / step > Engine.MAX_POINTS_PER_SERIES) {
            throw ApiException.badData("exceeded maximum resolution of 11,000 points per timeseries. "
                    + "Try decreasing the query resolution (?step=XX)");
        }
        long timeout = timeout(p);
        DB db = ServerDb.require(ctx);
        Query q;
        try {
            q = ctx.engine().rangeQuery(ctx.queryable(db), p.get("query"), start, end, step);
        } catch (ParseException e) {
            throw ApiException.invalidParam("query", e.getMessage());
        } catch (QueryException e) {
            throw ApiException.invalidParam("query", e.getMessage());
        }
        return run(q, timeout, limit, p.get("stats"), p);
    }

    Reply format(Params p) throws ApiException {
        Expr e = parse(p.get("query"));
        String text = Printer.print(e);
        return Reply.of(j -> j.value(text));
    }

    Reply parse(Params p) throws ApiException {
        Expr e = parse(p.get("query"));
        return Reply.of(j -> AstJson.write(j, e));
    }

    private Expr parse(String query) throws ApiException {
        try {
            return PromQLParser.parse(query, ctx.engine().options().parserOptions());
        } catch (ParseException e) {
            throw ApiException.invalidParam("query", e.getMessage());
        }
    }

    /** The effective timeout in ms: the request's, never above {@code --query.timeout}. */
    private long timeout(Params p) throws ApiException {
        long max = opts.queryTimeout() == null ? Long.MAX_VALUE : opts.queryTimeout().toMillis();
        String s = p.get("timeout");
        if (s.isEmpty()) {
            return max;
        }
        long t;
        try {
            t = Params.parseDuration(s);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidParam("timeout", e.getMessage());
        }
        return Math.min(t, max);
    }

    private Reply run(Query q, long timeoutMs, int limit, String statsParam, Params p) throws ApiException {
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> f = timeoutMs == Long.MAX_VALUE ? null : timer.schedule(() -> {
            timedOut.set(true);
            q.cancel();
        }, Math.max(0, timeoutMs), TimeUnit.MILLISECONDS);
        Result r;
        // A client that hangs up no longer waits for the answer: stop computing it.
        AutoCloseable watch = p.onDisconnect(q::cancel);
        try {
            r = q.exec();
        } finally {
            try {
                watch.close();
            } catch (Exception e) {
                throw new IllegalStateException(e); // the watch's close does not throw
            }
            if (f != null) {
                f.cancel(false);
            }
            q.close();
        }
        if (observer != null && r.stats() != null) {
            observer.accept(r.stats());
        }
        if (!r.ok()) {
            QueryException e = r.error();
            if (timedOut.get() && e.type() == QueryException.Type.CANCELED) {
                throw new ApiException(ApiException.Type.TIMEOUT, "query timed out in expression evaluation");
            }
            throw new ApiException(switch (e.type()) {
                case BAD_DATA -> ApiException.Type.BAD_DATA;
                case TIMEOUT -> ApiException.Type.TIMEOUT;
                case CANCELED -> ApiException.Type.CANCELED;
                case INTERNAL -> ApiException.Type.INTERNAL;
                case EXECUTION -> ApiException.Type.EXECUTION;
            }, e.getMessage());
        }
        List<String> warnings = new ArrayList<>(r.annotations().warnings());
        Value v = r.value();
        if (limit > 0) {
            if (v instanceof Vector vec && vec.samples().size() > limit) {
                v = new Vector(vec.samples().subList(0, limit));
                warnings.add("results truncated due to limit");
            } else if (v instanceof Matrix m && m.series().size() > limit) {
                v = new Matrix(m.series().subList(0, limit));
                warnings.add("results truncated due to limit");
            }
        }
        Value value = v;
        QueryStats stats = statsParam.isEmpty() ? null : r.stats();
        return new Reply(j -> {
            j.beginObject().name("resultType").value(value.kind().apiName).name("result");
            writeValue(j, value);
            if (stats != null) {
                j.name("stats");
                writeStats(j, stats);
            }
            j.endObject();
        }, warnings, r.annotations().infos());
    }

    /** A query result in Prometheus's shapes ({@code [t,"v"]}, {@code {"metric":…,"value":…}}, …). */
    static void writeValue(Json j, Value v) {
        switch (v) {
            case Scalar s -> j.beginArray().timestamp(s.t()).scalarValue(s.v()).endArray();
            case StringValue s -> j.beginArray().timestamp(s.t()).value(s.v()).endArray();
            case Vector vec -> {
                j.beginArray();
                for (Sample s : vec.samples()) {
                    j.beginObject().name("metric").labels(s.labels());
                    if (s.isHistogram()) {
                        j.name("histogram").beginArray().timestamp(s.t());
                        writeHistogram(j, s.h());
                        j.endArray().endObject();
                    } else {
                        j.name("value").beginArray().timestamp(s.t()).sampleValue(s.v()).endArray().endObject();
                    }
                }
                j.endArray();
            }
            case Matrix m -> {
                j.beginArray();
                for (Matrix.Series s : m.series()) {
                    j.beginObject().name("metric").labels(s.labels());
                    long[] ts = s.ts();
                    double[] vs = s.vs();
                    int histograms = 0;
                    for (int i = 0; i < ts.length; i++) {
                        histograms += s.histogram(i) != null ? 1 : 0;
                    }
                    // Prometheus's layout: float points under "values", histogram points under "histograms".
                    if (histograms < ts.length || histograms == 0) {
                        j.name("values").beginArray();
                        for (int i = 0; i < ts.length; i++) {
                            if (s.histogram(i) == null) {
                                j.beginArray().timestamp(ts[i]).sampleValue(vs[i]).endArray();
                            }
                        }
                        j.endArray();
                    }
                    if (histograms > 0) {
                        j.name("histograms").beginArray();
                        for (int i = 0; i < ts.length; i++) {
                            if (s.histogram(i) != null) {
                                j.beginArray().timestamp(ts[i]);
                                writeHistogram(j, s.histogram(i));
                                j.endArray();
                            }
                        }
                        j.endArray();
                    }
                    j.endObject();
                }
                j.endArray();
            }
        }
    }

    /**
     * A native histogram as Prometheus's API writes it: {@code {"count":"…","sum":"…","buckets":
     * [[rule,"lower","upper","count"],…]}}, populated buckets only, in bound order; the rule is
     * 0 (lower bound exclusive, upper inclusive), 1 (lower inclusive, upper exclusive), 2 (both
     * exclusive) or 3 (both inclusive).
     */
    static void writeHistogram(Json j, io.specula.model.histogram.FloatHistogram h) {
        j.beginObject().name("count").sampleValue(h.count).name("sum").sampleValue(h.sum);
        io.specula.model.histogram.BucketIterator it = h.allBuckets(null);
        boolean any = false;
        while (it.next()) {
            if (it.count == 0) {
                continue;
            }
            if (!any) {
                j.name("buckets").beginArray();
                any = true;
            }
            int rule = it.lowerInclusive ? (it.upperInclusive ? 3 : 1) : (it.upperInclusive ? 0 : 2);
            j.beginArray().value(rule).sampleValue(it.lower).sampleValue(it.upper).sampleValue(it.count).endArray();
        }
        if (any) {
            j.endArray();
        }
        j.endObject();
    }

    /** Prometheus's {@code stats} member: timings in seconds and sample counts. */
    static void writeStats(Json j, QueryStats s) {
        double prepare = s.prepareNanos() / 1e9;
        double exec = s.execNanos() / 1e9;
        double queue = s.queueNanos() / 1e9;
        j.beginObject().name("timings").beginObject()
                .name("evalTotalTime").number(exec)
                .name("resultSortTime").number(0)
                .name("queryPreparationTime").number(prepare)
                .name("innerEvalTime").number(Math.max(0, exec - prepare))
                .name("execQueueTime").number(queue)
                .name("execTotalTime").number(exec + queue)
                .endObject()
                .name("samples").beginObject()
                .name("totalQueryableSamples").value(s.totalSamples())
                .name("peakSamples").value(s.peakSamples())
                .endObject().endObject();
    }
}

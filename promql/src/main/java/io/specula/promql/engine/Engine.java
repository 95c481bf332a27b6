package io.specula.promql.engine;

import io.specula.promql.parser.Expr;
import io.specula.promql.parser.ParseException;
import io.specula.promql.parser.PromQLParser;
import io.specula.promql.parser.ValueKind;
import io.specula.tsdb.storage.Queryable;
import java.util.concurrent.Semaphore;

/**
 * The PromQL engine: parses a query, and returns a {@link Query} that evaluates it against a
 * {@link Queryable}. Thread-safe; at most {@link EngineOptions#maxConcurrency()} queries
 * execute at once, the others wait for a slot.
 */
public final class Engine {
    /** Prometheus refuses range queries with more points per series than this. */
    public static final long MAX_POINTS_PER_SERIES = 11_000;

    private final EngineOptions options;
    private final Semaphore gate;
    /** Queries executing or waiting for a slot ({@code prometheus_engine_queries}). */
    private final java.util.concurrent.atomic.AtomicInteger active = new java.util.concurrent.atomic.AtomicInteger();

    private final MemoryBudget budget;

    public Engine(EngineOptions options) {
        this(options, MemoryBudget.ofHeap());
    }

    Engine(EngineOptions options, MemoryBudget budget) {
        this.options = options;
        this.gate = new Semaphore(Math.max(1, options.maxConcurrency()), true);
        this.budget = budget;
    }

    MemoryBudget budget() {
        return budget;
    }

    public EngineOptions options() {
        return options;
    }

    /** An instant query evaluated at {@code timeMs}. */
    public Query instantQuery(Queryable q, String query, long timeMs) throws ParseException {
        Expr e = PromQLParser.parse(query, options.parserOptions());
        return instantQuery(q, e, query, timeMs);
    }

    /** An instant query of an already parsed expression ({@code text} is used for annotation positions). */
    public Query instantQuery(Queryable q, Expr e, String text, long timeMs) {
        return new Query(this, q, e, text, timeMs, timeMs, 0, false);
    }

    /** A range query evaluated at {@code start, start+step, ... <= end}. */
    public Query rangeQuery(Queryable q, String query, long startMs, long endMs, long stepMs) throws ParseException {
        Expr e = PromQLParser.parse(query, options.parserOptions());
        return rangeQuery(q, e, query, startMs, endMs, stepMs);
    }

    /** A range query of an already parsed expression. */
    public Query rangeQuery(Queryable q, Expr e, String text, long startMs, long endMs, long stepMs) {
        if (stepMs <= 0) {
            throw QueryException.badData(
                    "zero or negative query resolution step widths are not accepted. Try a positive integer");
        }
        if (endMs < startMs) {
            throw QueryException.badData("end timestamp must not be before start time");
        }
        if ((endMs - startMs) / stepMs > MAX_POINTS_PER_SERIES) {
            throw QueryException.badData("exceeded maximum resolution of 11,000 points per timeseries. "
                    + "Try decreasing the query resolution (?step=XX)");
        }
        if (e.type() != ValueKind.VECTOR && e.type() != ValueKind.SCALAR) {
            throw QueryException.badData("invalid expression type \"" + e.type().documentedName
                    + "\" for range query, must be Scalar or instant Vector");
        }
        return new Query(this, q, e, text, startMs, endMs, stepMs, true);
    }

    Semaphore gate() {
        return gate;
    }

    /** How many queries are executing or waiting for a concurrency slot right now. */
    public int activeQueries() {
        return active.get();
    }

    java.util.concurrent.atomic.AtomicInteger active() {
        return active;
    }
}

package io.specula.promql.engine;

import io.specula.model.labels.Labels;
import io.specula.promql.parser.Expr;
import io.specula.tsdb.storage.Queryable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One prepared query. {@link #exec()} runs it (once); {@link #cancel()} may be called from any
 * thread and stops evaluation at its next check.
 */
public final class Query implements AutoCloseable {
    private final Engine engine;
    private final Queryable queryable;
    private final Expr expr;
    private final String text;
    private final long start, end, step;
    private final boolean range;
    private volatile QueryContext ctx;
    private volatile boolean canceled;

    Query(Engine engine, Queryable queryable, Expr expr, String text, long start, long end, long step, boolean range) {
        this.engine = engine;
        this.queryable = queryable;
        this.expr = expr;
        this.text = text;
        this.start = start;
        this.end = end;
        this.step = step;
        this.range = range;
    }

    public String text() {
        return text;
    }

    public Expr expr() {
        return expr;
    }

    /** Evaluates the query; errors are returned in the {@link Result}, never thrown. */
    public Result exec() {
        long t0 = System.nanoTime();
        EngineOptions opts = engine.options();
        QueryContext c = new QueryContext(queryable, opts, engine.budget(), text, start, end, step);
        ctx = c;
        if (canceled) {
            c.canceled = true;
        }
        long queued = 0, prepared = 0;
        boolean acquired = false;
        engine.active().incrementAndGet();
        try {
            long q0 = System.nanoTime();
            acquired = engine.gate().tryAcquire(opts.timeout(), java.util.concurrent.TimeUnit.MILLISECONDS);
            queued = System.nanoTime() - q0;
            if (!acquired) {
                throw new QueryException(QueryException.Type.TIMEOUT, "query timed out in query queue");
            }
            long p0 = System.nanoTime();
            Expr prepared0 = new Preparer(c).prepare(expr);
            prepared = System.nanoTime() - p0;
            Grid g = range ? Grid.of(start, end, step) : new Grid(start, start, 0, 1);
            Evaluated r = new Evaluator(c).eval(prepared0, g);
            Value v = toValue(r, g, c);
            return new Result(v, null, c.annotations, stats(c, prepared, t0, queued));
        } catch (QueryException e) {
            return new Result(null, e, c.annotations, stats(c, prepared, t0, queued));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(null, new QueryException(QueryException.Type.CANCELED, "query was canceled in query queue"),
                    c.annotations, stats(c, prepared, t0, queued));
        } catch (StackOverflowError e) {
            // The parser accepts nesting as deep as its own stack allows; preparing or evaluating
            // such a tree can need more. Report it as bad input rather than dying.
            return new Result(null, new QueryException(QueryException.Type.EXECUTION, "expression is nested too deeply"),
                    c.annotations, stats(c, prepared, t0, queued));
        } catch (RuntimeException e) {
            return new Result(null, new QueryException(QueryException.Type.INTERNAL, String.valueOf(e)),
                    c.annotations, stats(c, prepared, t0, queued));
        } finally {
            c.releaseTo(0); // the result is built: what the query held is garbage
            engine.active().decrementAndGet();
            if (acquired) {
                engine.gate().release();
            }
        }
    }

    private static QueryStats stats(QueryContext c, long prepared, long t0, long queued) {
        return new QueryStats(c.totalSamples, c.peakSamples, prepared, System.nanoTime() - t0 - queued, queued);
    }

    public void cancel() {
        canceled = true;
        QueryContext c = ctx;
        if (c != null) {
            c.canceled = true;
        }
    }

    @Override
    public void close() {}

    private Value toValue(Evaluated r, Grid g, QueryContext c) {
        switch (r.kind) {
            case SCALAR -> {
                if (!range) {
                    return new Scalar(start, r.scalar[0]);
                }
                long[] ts = new long[g.steps()];
                for (int i = 0; i < ts.length; i++) {
                    ts[i] = g.time(i);
                }
                return new Matrix(List.of(new Matrix.Series(Labels.EMPTY, ts, r.scalar.clone())));
            }
            case STRING -> {
                return new StringValue(start, r.string);
            }
            case MATRIX -> {
                return rangeVector(r.matrix, c);
            }
            default -> {
            }
        }
        List<StepSeries> series = cleanup(r.series);
        if (!range) {
            List<Sample> out = new ArrayList<>(series.size());
            for (StepSeries s : series) {
                if (s.has(0)) {
                    out.add(new Sample(s.labels, start, s.v[0]));
                } else if (s.histogram(0) != null) {
                    out.add(new Sample(s.labels, start, 0, s.histogram(0)));
                }
            }
            return new Vector(out);
        }
        List<Matrix.Series> out = new ArrayList<>(series.size());
        // Series with a point at every step share one timestamp array (Matrix arrays are read-only).
        long[] allSteps = new long[g.steps()];
        for (int i = 0; i < allSteps.length; i++) {
            allSteps[i] = g.time(i);
        }
        for (StepSeries s : series) {
            if (s.h != null) {
                out.add(withHistograms(s, g));
                continue;
            }
            int n = s.count();
            if (n == 0) {
                continue;
            }
            if (n == g.steps()) {
                out.add(new Matrix.Series(s.labels, allSteps, s.v));
                continue;
            }
            long[] ts = new long[n];
            double[] vs = new double[n];
            int k = 0;
            for (int i = 0; i < g.steps(); i++) {
                if (s.has(i)) {
                    ts[k] = g.time(i);
                    vs[k++] = s.v[i];
                }
            }
            out.add(new Matrix.Series(s.labels, ts, vs));
        }
        out.sort(Comparator.comparing(Matrix.Series::labels));
        return new Matrix(out);
    }

    /** A range result series holding histogram points, with its float points in between. */
    private static Matrix.Series withHistograms(StepSeries s, Grid g) {
        int n = 0;
        for (int i = 0; i < g.steps(); i++) {
            if (s.has(i) || s.h[i] != null) {
                n++;
            }
        }
        long[] ts = new long[n];
        double[] vs = new double[n];
        io.specula.model.histogram.FloatHistogram[] hs = new io.specula.model.histogram.FloatHistogram[n];
        int k = 0;
        for (int i = 0; i < g.steps(); i++) {
            if (s.has(i) || s.h[i] != null) {
                ts[k] = g.time(i);
                vs[k] = s.has(i) ? s.v[i] : 0;
                hs[k] = s.has(i) ? null : s.h[i];
                k++;
            }
        }
        return new Matrix.Series(s.labels, ts, vs, hs);
    }

    /** Drops {@code __name__} where removal was delayed, then merges series that became identical. */
    private static List<StepSeries> cleanup(List<StepSeries> in) {
        boolean any = false;
        for (StepSeries s : in) {
            if (s.dropName && s.labels.has(Labels.METRIC_NAME)) {
                s.labels = Evaluator.withoutName(s.labels);
                any = true;
            }
            s.dropName = false;
        }
        if (!any) {
            java.util.Set<Labels> seen = new java.util.HashSet<>();
            for (StepSeries s : in) {
                if (!seen.add(s.labels)) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                return in;
            }
        }
        Map<Labels, StepSeries> merged = new LinkedHashMap<>();
        for (StepSeries s : in) {
            StepSeries prev = merged.putIfAbsent(s.labels, s);
            if (prev != null) {
                for (int i = 0; i < s.steps(); i++) {
                    if (s.has(i)) {
                        if (prev.has(i)) {
                            throw QueryException.execution("vector cannot contain metrics with the same labelset");
                        }
                        prev.set(i, s.v[i]);
                    }
                    if (s.histogram(i) != null) {
                        if (prev.has(i) || prev.histogram(i) != null) {
                            throw QueryException.execution("vector cannot contain metrics with the same labelset");
                        }
                        prev.setHistogram(i, s.histogram(i));
                    }
                }
            }
        }
        return new ArrayList<>(merged.values());
    }

    /** An instant query's range vector: the raw points of each series' window. */
    private static Matrix rangeVector(RangeInput in, QueryContext c) {
        List<Matrix.Series> out = new ArrayList<>();
        long te = in.windowEnd(0), ws = te - in.range;
        long[] points = {0};
        in.source.forEach(raw -> {
            c.check();
            int lo = 0, hi = 0;
            while (hi < raw.n() && raw.ts()[hi] <= te) {
                hi++;
            }
            while (lo < raw.n() && raw.ts()[lo] <= ws) {
                lo++;
            }
            if (lo < hi) {
                // The points a range-vector result holds count against max-samples, as in Prometheus.
                points[0] += hi - lo;
                c.holding(points[0]);
                Labels l = raw.dropName() ? Evaluator.withoutName(raw.labels()) : raw.labels();
                out.add(new Matrix.Series(l, Arrays.copyOfRange(raw.ts(), lo, hi), Arrays.copyOfRange(raw.vs(), lo, hi),
                        raw.hs() == null ? null : Arrays.copyOfRange(raw.hs(), lo, hi)));
            }
        });
        out.sort(Comparator.comparing(Matrix.Series::labels));
        return new Matrix(out);
    }
}

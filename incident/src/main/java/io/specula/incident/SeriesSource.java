package io.specula.incident;

import io.specula.model.labels.Labels;
import io.specula.promql.engine.Engine;
import io.specula.promql.engine.Matrix;
import io.specula.promql.engine.Query;
import io.specula.promql.engine.Result;
import io.specula.promql.engine.Sample;
import io.specula.promql.engine.Vector;
import io.specula.promql.parser.ParseException;
import io.specula.tsdb.storage.Queryable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * PromQL over the stored series, as the graph and the health signals read them. Thread-safe.
 * A failing query is an empty answer (logged by the caller's counters), never an exception:
 * topology is best effort and must not stop incident tracking.
 */
public final class SeriesSource {
    private final Engine engine;
    private final Supplier<Queryable> storage;

    /** @param storage the TSDB, or a supplier answering null while it is not open yet */
    public SeriesSource(Engine engine, Supplier<Queryable> storage) {
        this.engine = engine;
        this.storage = storage;
    }

    /** One series of a range query: its labels and the steps it has a value at. */
    public record Series(Labels labels, long[] ts, double[] vs) {}

    /** The samples of an instant query at {@code tMs}; empty when the storage is not open or the query fails. */
    public List<Sample> instant(String promql, long tMs) {
        Queryable q = storage.get();
        if (q == null) {
            return List.of();
        }
        try (Query query = engine.instantQuery(q, promql, tMs)) {
            Result r = query.exec();
            if (r.ok() && r.value() instanceof Vector v) {
                return v.samples();
            }
            return List.of();
        } catch (ParseException | RuntimeException e) {
            return List.of();
        }
    }

    /** The series of a range query; empty when the storage is not open or the query fails. */
    public List<Series> range(String promql, long startMs, long endMs, long stepMs) {
        Queryable q = storage.get();
        if (q == null) {
            return List.of();
        }
        try (Query query = engine.rangeQuery(q, promql, startMs, endMs, stepMs)) {
            Result r = query.exec();
            if (!r.ok()) {
                return List.of();
            }
            List<Series> out = new ArrayList<>();
            if (r.value() instanceof Matrix m) {
                for (Matrix.Series s : m.series()) {
                    out.add(new Series(s.labels(), s.ts(), s.vs()));
                }
            }
            return out;
        } catch (ParseException | RuntimeException e) {
            return List.of();
        }
    }
}

package io.specula.rules;

import io.specula.model.labels.Labels;
import io.specula.promql.engine.Engine;
import io.specula.promql.engine.Query;
import io.specula.promql.engine.QueryException;
import io.specula.promql.engine.Result;
import io.specula.promql.engine.Sample;
import io.specula.promql.engine.Scalar;
import io.specula.promql.engine.Vector;
import io.specula.promql.parser.Expr;
import io.specula.template.QueryFunction;
import io.specula.template.QuerySample;
import io.specula.tsdb.storage.Queryable;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What rules need to evaluate: the engine and storage to query, and the external labels and
 * URL templates see. Immutable and thread-safe.
 */
final class EvalContext {
    final Engine engine;
    final Queryable queryable;
    final Labels externalLabels;
    final Map<String, String> externalLabelsMap;
    final String externalUrl;
    final URI externalUri;

    EvalContext(Engine engine, Queryable queryable, Labels externalLabels, String externalUrl) {
        this.engine = engine;
        this.queryable = queryable;
        this.externalLabels = externalLabels == null ? Labels.EMPTY : externalLabels;
        this.externalLabelsMap = toMap(this.externalLabels);
        this.externalUrl = externalUrl == null ? "" : externalUrl;
        URI u = null;
        try {
            u = this.externalUrl.isEmpty() ? null : URI.create(this.externalUrl);
        } catch (IllegalArgumentException e) {
            // an unparsable URL only loses pathPrefix in templates
        }
        this.externalUri = u;
    }

    static Map<String, String> toMap(Labels l) {
        Map<String, String> m = new LinkedHashMap<>();
        l.forEach(m::put);
        return m;
    }

    /**
     * Runs an instant query as rules see it: a vector as is, a scalar as one sample without
     * labels, anything else an error (Prometheus's wording).
     */
    List<Sample> query(Expr expr, String text, long ts) {
        try (Query q = engine.instantQuery(queryable, expr, text, ts)) {
            Result r = q.exec();
            if (!r.ok()) {
                throw r.error();
            }
            if (r.value() instanceof Vector v) {
                return v.samples(); // native histograms too: recording rules store them, alerts keep them as $value
            }
            if (r.value() instanceof Scalar s) {
                return List.of(new Sample(Labels.EMPTY, s.t(), s.v()));
            }
            throw new QueryException(QueryException.Type.EXECUTION, "rule result is not a vector or scalar");
        }
    }

    /** The {@code query} template function over the same engine and storage. */
    QueryFunction templateQuery() {
        return (text, ts) -> {
            List<Sample> samples;
            try (Query q = engine.instantQuery(queryable, text, ts)) {
                Result r = q.exec();
                if (!r.ok()) {
                    throw r.error();
                }
                if (r.value() instanceof Vector v) {
                    samples = v.floatSamples(); // templates print no histograms yet
                } else if (r.value() instanceof Scalar s) {
                    samples = List.of(new Sample(Labels.EMPTY, s.t(), s.v()));
                } else {
                    throw new QueryException(QueryException.Type.EXECUTION, "rule result is not a vector or scalar");
                }
            }
            List<QuerySample> out = new ArrayList<>(samples.size());
            for (Sample s : samples) {
                out.add(new QuerySample(toMap(s.labels()), s.v()));
            }
            return out;
        };
    }
}

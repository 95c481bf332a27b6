package io.specula.incident;

import io.specula.model.labels.Labels;
import io.specula.promql.engine.Engine;
import io.specula.promql.engine.EngineOptions;
import io.specula.promql.parser.PromQLParser;
import io.specula.tsdb.head.Head;
import io.specula.tsdb.storage.Appender;

/** Recorded series states in an in-memory head, read through the real PromQL engine. */
final class RecordedSeries implements AutoCloseable {
    final Head head = new Head(1L << 50, null);
    final SeriesSource source = new SeriesSource(new Engine(EngineOptions.defaults()), () -> head);

    /** Adds {@code values[i]} at {@code start + i * step}; NaN values are left out. */
    RecordedSeries series(String series, long start, long step, double... values) throws Exception {
        Labels l = PromQLParser.parseMetric(series);
        Appender app = head.appender();
        for (int i = 0; i < values.length; i++) {
            if (!Double.isNaN(values[i])) {
                app.append(0, l, start + i * step, values[i]);
            }
        }
        app.commit();
        return this;
    }

    @Override
    public void close() throws Exception {
        head.close();
    }
}

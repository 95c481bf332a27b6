package io.specula.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import io.specula.tsdb.head.Head;
import io.specula.tsdb.storage.Appender;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Queries found by the API's random-query test (web's QueryLimitsTest) that broke a limit or
 * failed with an internal error; each now ends as Prometheus's would, within the timeout.
 */
class EngineLimitsTest {
    private Head head;

    @BeforeEach
    void load() throws Exception {
        head = new Head();
        Appender app = head.appender();
        for (int s = 0; s < 200; s++) {
            Labels l = Labels.of("__name__", "m", "instance", "i" + s);
            long ref = 0;
            for (int i = 0; i <= 240; i++) {
                ref = app.append(ref, l, i * 15_000L, s * 1000 + i);
            }
        }
        app.commit();
    }

    @AfterEach
    void close() throws IOException {
        head.close();
    }

    private Result run(EngineOptions o, String q, long end, long step) throws Exception {
        Engine e = new Engine(o);
        return (step == 0 ? e.instantQuery(head, q, end) : e.rangeQuery(head, q, 0, end, step)).exec();
    }

    @Test
    void subquery_stepsBeyondAnArray_tooManySamplesNotInternal() throws Exception {
        // 30d at 1ms is 2.6 billion steps: once a NegativeArraySizeException (500).
        Result r = run(EngineOptions.defaults(), "sum_over_time(sum_over_time(m[30d:1ms])[1m:1ms])", 3_600_000, 0);
        assertThat(r.ok()).isFalse();
        assertThat(r.error().type()).isEqualTo(QueryException.Type.EXECUTION);
        assertThat(r.error().getMessage())
                .isEqualTo("query processing would load too many samples into memory in query execution");
    }

    @Test
    void dateFunctions_beyondRepresentableYears_areNaNNotInternal() throws Exception {
        // hour(clamp(exp(m), -1, Inf)) found by QueryLimitsTest's random queries: once a 500.
        for (String q : java.util.List.of("hour(vector(1e300))", "year(vector(-1e300))", "minute(vector(9.3e18))")) {
            Result r = run(EngineOptions.defaults(), q, 3_600_000, 0);
            assertThat(r.error()).as(q).isNull();
            assertThat(r.value().toString()).as(q).contains("NaN");
        }
    }

    @Test
    void rangeFunction_longWindowsAtManySteps_stopsAtTheTimeout() throws Exception {
        // 600,000 steps each summing a 600,000-point window: checked per series only, it ran for hours.
        long t0 = System.nanoTime();
        Result r = run(EngineOptions.defaults().withTimeout(1_000),
                "sum_over_time(sum_over_time(vector(1)[10m:1ms])[10m:1ms])", 3_600_000, 0);
        assertThat(r.ok()).isFalse();
        assertThat(r.error().type()).isEqualTo(QueryException.Type.TIMEOUT);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5_000);
    }

    @Test
    void countValues_explosion_countedAgainstMaxSamples() throws Exception {
        // Every value distinct: 200 × 241 output series of 241 steps each.
        Result r = run(EngineOptions.defaults().withMaxSamples(100_000), "quantile(0.5, count_values(\"v\", m))",
                3_600_000, 15_000);
        assertThat(r.ok()).isFalse();
        assertThat(r.error().type()).isEqualTo(QueryException.Type.EXECUTION);
    }

    @Test
    void rangeVectorResult_countedAgainstMaxSamples() throws Exception {
        // 200 series × 241 points: answered in full before.
        Result r = run(EngineOptions.defaults().withMaxSamples(10_000), "m[1h]", 3_600_000, 0);
        assertThat(r.ok()).isFalse();
        assertThat(r.error().getMessage())
                .isEqualTo("query processing would load too many samples into memory in query execution");
        assertThat(run(EngineOptions.defaults().withMaxSamples(100_000), "m[1h]", 3_600_000, 0).ok()).isTrue();
    }

    @Test
    void clampAndComparison_ofAbsentOverTime_noInternalError() throws Exception {
        // absent_over_time answers an immutable one-series list; clamp and comparisons filtered it in place.
        for (String q : new String[] {"clamp(absent_over_time(nothing[5m]), 0, 1)", "absent_over_time(nothing[5m]) > 0",
            "clamp(absent_over_time(m[100y]), 1e-300, 0)"}) {
            Result r = run(EngineOptions.defaults(), q, 3_600_000, 0);
            assertThat(r.ok()).as(q + ": " + r.error()).isTrue();
        }
        Result r = run(EngineOptions.defaults(), "clamp(absent_over_time(nothing[5m]), 0, 0.5)", 3_600_000, 0);
        assertThat(((Vector) r.value()).samples()).singleElement().extracting(Sample::v).isEqualTo(0.5);
    }
}

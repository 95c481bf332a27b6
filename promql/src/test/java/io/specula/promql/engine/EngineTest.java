package io.specula.promql.engine;

import io.specula.model.value.StaleNaN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.labels.Labels;
import io.specula.promql.parser.ParseException;
import io.specula.tsdb.head.Head;
import io.specula.tsdb.storage.Appender;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EngineTest {
    private Head head;
    private final Engine engine = new Engine(EngineOptions.forTests());

    @BeforeEach
    void load() throws Exception {
        head = new Head();
        Appender app = head.appender();
        for (int s = 0; s < 10; s++) {
            Labels l = Labels.of("__name__", "req_total", "instance", "i" + s, "job", s % 2 == 0 ? "a" : "b");
            long ref = 0;
            for (int i = 0; i <= 60; i++) {
                ref = app.append(ref, l, i * 15_000L, i * (s + 1));
            }
        }
        Labels stale = Labels.of("__name__", "gone");
        app.append(0, stale, 0, 1);
        app.append(0, stale, 15_000, StaleNaN.VALUE);
        app.commit();
    }

    @AfterEach
    void close() throws IOException {
        head.close();
    }

    @Test
    void instantQuery_sumByJob_groupsOncePerSeries() throws ParseException {
        Result r = engine.instantQuery(head, "sum by (job) (req_total)", 900_000).exec();
        assertThat(r.ok()).isTrue();
        Vector v = (Vector) r.value();
        assertThat(v.samples()).extracting(Sample::labels)
                .containsExactlyInAnyOrder(Labels.of("job", "a"), Labels.of("job", "b"));
        double a = v.samples().stream().filter(s -> s.labels().get("job").equals("a")).findFirst().orElseThrow().v();
        assertThat(a).isEqualTo(60 * (1 + 3 + 5 + 7 + 9));
    }

    @Test
    void rangeQuery_rate_isSortedMatrixWithOnePointPerStep() throws ParseException {
        Result r = engine.rangeQuery(head, "rate(req_total[1m])", 300_000, 600_000, 60_000).exec();
        Matrix m = (Matrix) r.value();
        assertThat(m.series()).hasSize(10);
        for (int i = 1; i < m.series().size(); i++) {
            assertThat(m.series().get(i - 1).labels()).isLessThan(m.series().get(i).labels());
        }
        Matrix.Series first = m.series().get(0);
        assertThat(first.labels().has("__name__")).isFalse();
        assertThat(first.ts()).containsExactly(300_000, 360_000, 420_000, 480_000, 540_000, 600_000);
        assertThat(first.vs()[0]).isCloseTo(1 / 15.0, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void instantQuery_staleMarker_endsSeriesBeforeLookback() throws ParseException {
        assertThat(((Vector) engine.instantQuery(head, "gone", 10_000).exec().value()).samples()).hasSize(1);
        assertThat(((Vector) engine.instantQuery(head, "gone", 20_000).exec().value()).samples()).isEmpty();
    }

    @Test
    void exec_tooManySamples_failsWithPrometheusMessage() throws ParseException {
        Engine small = new Engine(EngineOptions.forTests().withMaxSamples(100));
        Result r = small.rangeQuery(head, "req_total", 0, 900_000, 15_000).exec();
        assertThat(r.error()).isNotNull();
        assertThat(r.error().type()).isEqualTo(QueryException.Type.EXECUTION);
        assertThat(r.error().getMessage())
                .isEqualTo("query processing would load too many samples into memory in query execution");
    }

    @Test
    void exec_canceled_reportsCanceled() throws ParseException {
        Query q = engine.instantQuery(head, "sum(req_total)", 900_000);
        q.cancel();
        Result r = q.exec();
        assertThat(r.error().type()).isEqualTo(QueryException.Type.CANCELED);
    }

    @Test
    void exec_timeout_reportsTimeout() throws ParseException {
        Engine quick = new Engine(EngineOptions.forTests().withTimeout(0));
        Result r = quick.instantQuery(head, "sum(req_total)", 900_000).exec();
        assertThat(r.error().type()).isEqualTo(QueryException.Type.TIMEOUT);
        assertThat(r.error().getMessage()).isEqualTo("query timed out in expression evaluation");
    }

    @Test
    void exec_manyToMany_failsWithMatchingError() throws ParseException {
        Result r = engine.instantQuery(head, "req_total + on(job) req_total", 900_000).exec();
        assertThat(r.error().getMessage()).startsWith("found duplicate series for the match group {job=\"a\"}")
                .endsWith("many-to-many matching not allowed: matching labels must be unique on one side");
    }

    @Test
    void rangeQuery_badStep_isBadData() {
        assertThatThrownBy(() -> engine.rangeQuery(head, "req_total", 0, 10, 0))
                .isInstanceOfSatisfying(QueryException.class,
                        e -> assertThat(e.type()).isEqualTo(QueryException.Type.BAD_DATA));
    }

    @Test
    void instantQuery_parseError_throwsParseException() {
        assertThatThrownBy(() -> engine.instantQuery(head, "sum(", 0)).isInstanceOf(ParseException.class);
    }

    @Test
    void instantQuery_rateOfNonCounter_addsInfoAnnotation() throws ParseException {
        Result r = engine.instantQuery(head, "rate(gone[1m])", 15_000).exec();
        assertThat(r.ok()).isTrue();
        Result r2 = engine.instantQuery(head, "rate(req_total[5m]) + rate(gone[5m])", 300_000).exec();
        assertThat(r2.annotations().infos()).isEmpty();
        Engine e = new Engine(EngineOptions.forTests());
        Result r3 = e.instantQuery(head, "sum(sort(req_total))", 900_000).exec();
        assertThat(r3.annotations().warnings()).isEmpty();
        Result r4 = e.rangeQuery(head, "sort(req_total)", 0, 60_000, 15_000).exec();
        assertThat(r4.annotations().warnings())
                .containsExactly("PromQL warning: sort is ineffective for range queries since results are always "
                        + "ordered by labels (1:1)");
    }

    @Test
    void instantQuery_stepInvariantAt_sameAtEveryStep() throws ParseException {
        Matrix m = (Matrix) engine.rangeQuery(head, "sum(req_total @ 300)", 0, 900_000, 60_000).exec().value();
        assertThat(m.series()).hasSize(1);
        for (double v : m.series().get(0).vs()) {
            assertThat(v).isEqualTo(20 * 55);
        }
    }

    @Test
    void instantQuery_withoutDelayedNameRemoval_dropsNameEagerly() throws ParseException {
        Engine eager = new Engine(EngineOptions.defaults());
        Vector v = (Vector) eager.instantQuery(head, "-req_total{instance=\"i0\"}", 900_000).exec().value();
        assertThat(v.samples()).singleElement().satisfies(s -> {
            assertThat(s.labels()).isEqualTo(Labels.of("instance", "i0", "job", "a"));
            assertThat(s.v()).isEqualTo(-60);
        });
        Vector kept = (Vector) eager.instantQuery(head, "req_total{instance=\"i0\"} > 10", 900_000).exec().value();
        assertThat(kept.samples()).singleElement().satisfies(s -> assertThat(s.labels().has("__name__")).isTrue());
    }

    @Test
    void exec_concurrencyGate_queuesBeyondLimit() throws Exception {
        EngineOptions o = EngineOptions.forTests();
        Engine one = new Engine(new EngineOptions(o.lookbackDelta(), o.maxSamples(), 50, 1, o.defaultSubqueryStep(),
                true, true, o.parserOptions()));
        one.gate().acquire();
        try {
            Result r = one.instantQuery(head, "req_total", 0).exec();
            assertThat(r.error().type()).isEqualTo(QueryException.Type.TIMEOUT);
        } finally {
            one.gate().release();
        }
        assertThat(one.instantQuery(head, "req_total", 0).exec().ok()).isTrue();
    }

    @Test
    void exec_maxSamples_countsInputsHeldTogether() throws ParseException {
        Engine limited = new Engine(EngineOptions.forTests().withMaxSamples(1000));
        // 10 series x 61 steps = 610 points: one selector fits, both operands of + do not.
        assertThat(limited.rangeQuery(head, "req_total", 0, 900_000, 15_000).exec().ok()).isTrue();
        Result r = limited.rangeQuery(head, "req_total + req_total", 0, 900_000, 15_000).exec();
        assertThat(r.error()).isNotNull();
        assertThat(r.error().getMessage()).startsWith("query processing would load too many samples");
        // Refused when the second operand's arrays were about to be allocated, not after.
        assertThat(limited.rangeQuery(head, "sum(req_total)", 0, 900_000, 15_000).exec().stats().peakSamples())
                .isBetween(610L, 1000L);
    }

    @Test
    void exec_experimentalFunctionWhenDisabled_isBadData() throws ParseException {
        EngineOptions o = EngineOptions.forTests();
        Engine off = new Engine(new EngineOptions(o.lookbackDelta(), o.maxSamples(), o.timeout(), 1,
                o.defaultSubqueryStep(), true, false, o.parserOptions()));
        Result r = off.instantQuery(head, "mad_over_time(req_total[5m])", 900_000).exec();
        assertThat(r.error().type()).isEqualTo(QueryException.Type.BAD_DATA);
        assertThat(r.error().getMessage()).isEqualTo("function \"mad_over_time\" is not enabled");
    }
}

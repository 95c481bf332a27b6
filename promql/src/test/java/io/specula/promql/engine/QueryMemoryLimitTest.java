package io.specula.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.labels.Labels;
import io.specula.tsdb.head.Head;
import io.specula.tsdb.storage.Appender;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code --query.max-samples} holds for every query shape of the hostile-query run
 * (docs/reliability.md), and it holds <em>before</em> the memory is taken: each refused query
 * is measured with the thread's allocation counter, which stays far below what building the
 * refused values would have allocated (given beside each case).
 */
class QueryMemoryLimitTest {
    private static final String TOO_MANY =
            "query processing would load too many samples into memory in query execution";
    private static final long HOUR = 3_600_000L;
    private static Head head;

    @BeforeAll
    static void load() throws Exception {
        head = new Head();
        Appender app = head.appender();
        // 200 series scraped every 15 s for an hour, and one dense series of 100,000 samples (every 36 ms).
        for (int s = 0; s < 200; s++) {
            Labels l = Labels.of("__name__", "m", "instance", "i" + s, "job", s % 2 == 0 ? "a" : "b");
            long ref = 0;
            for (int i = 0; i <= 240; i++) {
                ref = app.append(ref, l, i * 15_000L, s * 1000 + i);
            }
        }
        Labels dense = Labels.of("__name__", "dense");
        long ref = 0;
        for (int i = 0; i < 100_000; i++) {
            ref = app.append(ref, dense, i * 36L, i);
        }
        app.commit();
    }

    @AfterAll
    static void close() throws IOException {
        head.close();
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** Runs the query and returns {result, bytes allocated by this thread while it ran}. */
    private static Object[] run(long maxSamples, String q, long start, long end, long step) throws Exception {
        Engine e = new Engine(EngineOptions.defaults().withMaxSamples(maxSamples));
        Query query = step == 0 ? e.instantQuery(head, q, end) : e.rangeQuery(head, q, start, end, step);
        long before = allocatedBytes();
        Result r = query.exec();
        return new Object[] {r, allocatedBytes() - before};
    }

    private static void assertRefusedWithin(Object[] run, long maxBytes) {
        Result r = (Result) run[0];
        assertThat(r.ok()).as("refused").isFalse();
        assertThat(r.error().type()).isEqualTo(QueryException.Type.EXECUTION); // the API's 422
        assertThat(r.error().getMessage()).isEqualTo(TOO_MANY);
        assertThat((long) run[1]).as("bytes allocated before the refusal").isLessThan(maxBytes);
    }

    @Test
    void subquery_tinyStepOverAllSeries_refusedBeforeBuildingTheSteps() throws Exception {
        // 360,000 steps × 201 series: ~580 MB of step arrays if built.
        // The step count alone (360,000) is within the limit of 1 million.
        Object[] r = run(1_000_000, "quantile_over_time(0.5, {__name__=~\".+\"}[1h:10ms])", 0, HOUR, 0);
        assertRefusedWithin(r, 12 << 20);
    }

    @Test
    void subquery_tinyStepOverAHugeRange_refusedBeforeAnyStep() throws Exception {
        // 10,000 days at 1 s (864 million steps) and a year at 1 ms: refused from the step count alone.
        assertRefusedWithin(run(50_000_000, "sum_over_time(m[10000d:1s])", 0, HOUR, 0), 1 << 20);
        assertRefusedWithin(run(50_000_000, "rate(m[1y:1ms])", 0, HOUR, 15_000), 1 << 20);
    }

    @Test
    void subquery_resultWithinTheLimit_isAnswered() throws Exception {
        Result r = (Result) run(1_000_000, "sum_over_time(m{instance=\"i1\"}[1h:1s])", 0, HOUR, 0)[0];
        assertThat(r.ok()).as(String.valueOf(r.error())).isTrue();
        assertThat(((Vector) r.value()).samples()).hasSize(1);
    }

    @Test
    void rangeVector_seriesWithMoreSamplesThanTheLimit_refusedWhileReading() throws Exception {
        // 100,000 raw samples in one window: Prometheus counts the window, so does the loader's buffer.
        assertRefusedWithin(run(20_000, "sum_over_time(dense[1h])", 0, HOUR, 0), 4 << 20);
        assertRefusedWithin(run(20_000, "dense[1h]", 0, HOUR, 0), 4 << 20);
        Result ok = (Result) run(250_000, "sum_over_time(dense[1h])", 0, HOUR, 0)[0];
        assertThat(ok.ok()).as(String.valueOf(ok.error())).isTrue();
    }

    @Test
    void regexOverAllSeries_rangeQuery_refusedBeforeBuildingEverySeries() throws Exception {
        // 3,601 steps × 201 series: 5.8 MB of step arrays if built; the limit allows 100,000 slots.
        assertRefusedWithin(run(100_000, "{__name__=~\".+\"}", 0, HOUR, 1_000), 3 << 20);
        assertRefusedWithin(run(100_000, "rate({__name__=~\".+\"}[5m])", 0, HOUR, 1_000), 3 << 20);
    }

    @Test
    void sumByThousandsOfLabels_answeredAndBounded() throws Exception {
        StringBuilder labels = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            labels.append(i == 0 ? "" : ",").append("l").append(i);
        }
        String q = "sum by (" + labels + ", instance) (m)";
        Result ok = (Result) run(1_000_000, q, 0, HOUR, 60_000)[0];
        assertThat(ok.ok()).as(String.valueOf(ok.error())).isTrue();
        assertThat(((Matrix) ok.value()).series()).hasSize(200);
        // 200 groups × 3,601 steps: the four accumulator arrays alone would be 23 MB.
        assertRefusedWithin(run(500_000, q, 0, HOUR, 1_000), 8 << 20);
    }

    @Test
    void rangeQuery_tinyStep_refusedAsBadDataOrByTheLimit() throws Exception {
        // More than 11,000 points per series: Prometheus's resolution error, a 400.
        assertThatThrownBy(() -> run(50_000_000, "m", 0, 86_400_000L, 1))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.type()).isEqualTo(QueryException.Type.BAD_DATA))
                .hasMessageStartingWith("exceeded maximum resolution of 11,000 points per timeseries");
        // 10,800 steps of 333 ms × 200 series = 2.2 million slots against a 1 million limit.
        assertRefusedWithin(run(1_000_000, "m * 2", 0, HOUR, 333), 12 << 20);
    }

    @Test
    void scalarSteps_countedToo() throws Exception {
        // vector(time()) in a 100-day subquery at 1 s: 8.6 million steps, fewer than the limit of
        // 10 million, but time()'s scalar array and vector()'s series together are more. Refused
        // before the series is allocated: only the scalar (69 MB) was built.
        assertRefusedWithin(run(10_000_000, "sum_over_time(vector(time())[100d:1s])", 0, HOUR, 0), 75L << 20);
    }

    @Test
    void longLoops_stopAtTheTimeout() throws Exception {
        // Within the sample limit but slow: 3.6 million steps of a window of 60,000 points each.
        Engine e = new Engine(EngineOptions.defaults().withTimeout(500));
        long t0 = System.nanoTime();
        Result r = e.instantQuery(head, "max_over_time(sum_over_time(vector(1)[1m:1ms])[1h:1ms])", HOUR).exec();
        assertThat(r.ok()).isFalse();
        assertThat(r.error().type()).isIn(QueryException.Type.TIMEOUT, QueryException.Type.EXECUTION);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5_000);
    }

    @Test
    void engineBudget_boundsAllQueriesTogether_andIsGivenBack() throws Exception {
        MemoryBudget budget = new MemoryBudget(100_000);
        Engine e = new Engine(EngineOptions.defaults(), budget);
        // 3,601 steps × 200 series is within max-samples (50 million) but not within the engine's budget.
        Result r = e.rangeQuery(head, "m", 0, HOUR, 1_000).exec();
        assertThat(r.ok()).isFalse();
        assertThat(r.error().getMessage()).isEqualTo(TOO_MANY);
        assertThat(budget.held()).as("released after a refusal").isZero();
        // Another query holding the budget: what is left is not enough for a query that alone would fit.
        assertThat(budget.add(95_000)).isTrue();
        assertThat(e.rangeQuery(head, "m{instance=\"i1\"}", 0, HOUR, 60_000).exec().ok()).isTrue();
        Result squeezed = e.rangeQuery(head, "m{job=\"a\"}", 0, HOUR, 60_000).exec(); // 100 × 61 slots
        assertThat(squeezed.ok()).isFalse();
        assertThat(squeezed.error().getMessage()).isEqualTo(TOO_MANY);
        budget.add(-95_000);
        assertThat(e.rangeQuery(head, "m{job=\"a\"}", 0, HOUR, 60_000).exec().ok()).isTrue();
        assertThat(budget.held()).as("released after an answer").isZero();
    }

    @Test
    void engineBudget_followsTheLiveHeap() {
        long mb = 1 << 20;
        long[] live = {0};
        MemoryBudget budget = new MemoryBudget(() -> live[0], (4096 * mb) / 4 / MemoryBudget.SLOT_BYTES);
        assertThat(budget.limit()).as("before any collection: the minimum").isEqualTo(MemoryBudget.MIN_BYTES / 8);
        live[0] = 400 * mb;
        assertThat(budget.limit()).as("three quarters of the live heap").isEqualTo(300 * mb / 8);
        assertThat(budget.add(100 * mb / 8)).isTrue();
        assertThat(budget.limit()).as("what queries hold is not the server's").isEqualTo(225 * mb / 8);
        budget.add(-100 * mb / 8);
        live[0] = 100_000 * mb;
        assertThat(budget.limit()).as("at most a quarter of the ceiling").isEqualTo(1024 * mb / 8);
    }

    @Test
    void liveHeap_isTheLeastInUseAfterACollection_overOneToTwoWindows() {
        long[] now = {0};
        LiveHeap h = new LiveHeap(() -> now[0]);
        assertThat(h.bytes()).isZero();
        h.collected(500);
        h.collected(300);
        h.collected(800); // young collections with old garbage in them
        assertThat(h.bytes()).isEqualTo(300);
        now[0] += LiveHeap.WINDOW_NANOS;
        h.collected(900);
        assertThat(h.bytes()).as("the previous window still counts").isEqualTo(300);
        now[0] += LiveHeap.WINDOW_NANOS;
        h.collected(1000);
        assertThat(h.bytes()).as("a grown live set shows within two windows").isEqualTo(900);
    }
}

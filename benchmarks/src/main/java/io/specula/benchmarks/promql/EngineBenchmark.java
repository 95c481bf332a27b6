package io.specula.benchmarks.promql;

import io.specula.model.labels.Labels;
import io.specula.promql.engine.Engine;
import io.specula.promql.engine.EngineOptions;
import io.specula.promql.engine.Result;
import io.specula.tsdb.head.Head;
import io.specula.tsdb.storage.Appender;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Latency of typical dashboard range queries: 1 h at a 15 s step (241 steps) over a head of
 * {@code series} counters scraped every 15 s for 2 h; the histogram query reads
 * {@code series} bucket series (10 buckets each of {@code series/10} histograms).
 *
 * <p>Run: {@code bench/jmh.sh EngineBenchmark -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EngineBenchmark {
    private static final long INTERVAL = 15_000, SPAN = 2 * 3_600_000L, END = SPAN, START = END - 3_600_000L;
    private static final String[] LE = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"};

    @Param({"1000", "10000"})
    public int series;

    /** The queries, by a name usable with {@code -p query=...} (JMH splits parameter values at commas). */
    public enum Workload {
        RATE("rate(http_requests_total[5m])"),
        SUM_BY_RATE("sum by (job) (rate(http_requests_total[5m]))"),
        HISTOGRAM_QUANTILE("histogram_quantile(0.9, sum by (le, job) (rate(request_duration_seconds_bucket[5m])))"),
        GROUP_LEFT("http_requests_total / on(instance, job) group_left up");

        final String promql;

        Workload(String promql) {
            this.promql = promql;
        }
    }

    @Param({"RATE", "SUM_BY_RATE", "HISTOGRAM_QUANTILE", "GROUP_LEFT"})
    public Workload query;

    /**
     * The engine's start-timestamp feature; the data has none, so "true" measures what the
     * feature costs series without start timestamps (it should be nothing).
     */
    @Param({"false"})
    public boolean startTimestamps;

    private Head head;
    private Engine engine;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        head = new Head(Long.MAX_VALUE / 4, null);
        engine = new Engine(EngineOptions.defaults().withStartTimestamps(startTimestamps));
        Random rnd = new Random(42);
        Appender app = head.appender();
        int hist = Math.max(1, series / LE.length);
        for (int s = 0; s < series; s++) {
            String inst = "host-" + s, job = "job-" + (s % 20);
            append(app, rnd, Labels.of("__name__", "http_requests_total", "instance", inst, "job", job), true);
            append(app, rnd, Labels.of("__name__", "up", "instance", inst, "job", job), false);
            if (s < hist) {
                for (int b = 0; b < LE.length; b++) {
                    append(app, rnd, Labels.of("__name__", "request_duration_seconds_bucket", "instance", inst,
                            "job", job, "le", LE[b]), true);
                }
            }
        }
        app.commit();
    }

    private static void append(Appender app, Random rnd, Labels l, boolean counter) throws Exception {
        long ref = 0;
        double v = 0;
        for (long t = 0; t <= SPAN; t += INTERVAL) {
            v = counter ? v + rnd.nextInt(10) : 1;
            ref = app.append(ref, l, t, v);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        head.close();
    }

    @Benchmark
    public Result rangeQuery() throws Exception {
        Result r = engine.rangeQuery(head, query.promql, START, END, INTERVAL).exec();
        if (!r.ok()) {
            throw r.error();
        }
        return r;
    }
}

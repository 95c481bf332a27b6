package io.specula.benchmarks.tsdb;

import io.specula.model.labels.Labels;
import io.specula.model.labels.MatchType;
import io.specula.model.labels.Matcher;
import io.specula.tsdb.head.Head;
import io.specula.tsdb.storage.Appender;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.SeriesSet;
import io.specula.tsdb.storage.ValueType;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Select throughput of the head, in samples decoded per second (one operation = one sample):
 * postings, series lookup, chunk references and XOR decoding through {@link Head#querier}, the
 * open chunk included. The head holds {@value #SERIES} series scraped every 10 s for 2 h
 * ({@value #SAMPLES} samples each), 10 metric names, in memory (no {@code chunks_head/}):
 * <ul>
 *   <li>{@code oneMetric}: {@code __name__="metric_3"}, a tenth of the series, every sample;
 *   <li>{@code lastHalfHour}: every series over the last 30 min (a dashboard).
 * </ul>
 * Run: {@code bench/jmh.sh HeadSelectBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HeadSelectBenchmark {
    static final int SERIES = 2000;
    static final int SAMPLES = 720;
    private static final long T0 = 1_699_999_200_000L;
    private static final long INTERVAL = 10_000;

    private Head head;
    private SampleIterator it;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        head = new Head(Long.MAX_VALUE / 4, null);
        Random rnd = new Random(42);
        Appender app = head.appender();
        for (int s = 0; s < SERIES; s++) {
            Labels l = Labels.of("__name__", "metric_" + (s % 10), "instance", "host-" + s, "job", "job-" + (s % 7));
            double v = 100 + rnd.nextInt(100);
            for (int i = 0; i < SAMPLES; i++) {
                app.append(0, l, T0 + i * INTERVAL, v);
                v = Math.round((v + rnd.nextGaussian()) * 100) / 100.0;
            }
        }
        app.commit();
    }

    private long drain(SeriesSet set, Blackhole bh) {
        long n = 0;
        while (set.next()) {
            it = set.at().iterator(it);
            while (it.next() == ValueType.FLOAT) {
                bh.consume(it.atV());
                n++;
            }
        }
        return n;
    }

    @Benchmark
    @OperationsPerInvocation(SERIES / 10 * SAMPLES)
    public long oneMetric(Blackhole bh) throws Exception {
        try (Querier q = head.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            return drain(q.select(true, null, Matcher.of(MatchType.EQUAL, "__name__", "metric_3")), bh);
        }
    }

    @Benchmark
    @OperationsPerInvocation(SERIES * 180)
    public long lastHalfHour(Blackhole bh) throws Exception {
        long end = T0 + (SAMPLES - 1) * INTERVAL;
        try (Querier q = head.querier(end - 1_800_000 + 1, end)) {
            return drain(q.select(true, null, Matcher.of(MatchType.REGEX, "__name__", ".+")), bh);
        }
    }
}

package io.specula.benchmarks.tsdb;

import io.specula.tsdb.fileutil.FileUtil;
import io.specula.model.labels.Labels;
import io.specula.model.labels.MatchType;
import io.specula.model.labels.Matcher;
import io.specula.tsdb.block.Block;
import io.specula.tsdb.block.BlockMeta;
import io.specula.tsdb.block.BlockWriter;
import io.specula.tsdb.block.Ulid;
import io.specula.tsdb.head.Head;
import io.specula.tsdb.storage.Appender;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.SeriesSet;
import io.specula.tsdb.storage.ValueType;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Select throughput of a persistent block, in samples decoded per second (one operation = one
 * sample): postings, series decoding, chunk reads from the mapped segment files and XOR
 * decoding, through {@link Block#querier}. The block holds {@value #SERIES} series scraped
 * every 10 s for 2 h ({@value #SAMPLES} samples each, 6 chunks of 120), 10 metric names:
 * <ul>
 *   <li>{@code all}: every series, every sample (a dump, a compaction read);
 *   <li>{@code oneMetric}: {@code __name__="metric_3"}, a tenth of the series;
 *   <li>{@code lastHalfHour}: every series over the last 30 min (a dashboard), so the
 *       iterators skip whole chunks.
 * </ul>
 * The setup prints the block's bytes per sample ({@code # bytes/sample} lines).
 *
 * <p>Run: {@code bench/jmh.sh BlockSelectBenchmark -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BlockSelectBenchmark {
    static final int SERIES = 2000;
    static final int SAMPLES = 720;
    private static final long T0 = 1_699_999_200_000L;
    private static final long INTERVAL = 10_000;

    public enum Workload { GAUGE, COUNTER }

    @Param({"GAUGE", "COUNTER"})
    public Workload workload;

    private Path dir;
    private Block block;
    private SampleIterator it;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        Path shm = Path.of("/dev/shm");
        dir = Files.createTempDirectory(Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir")), "block-bench");
        Head head = new Head(Long.MAX_VALUE / 4, null); // any time order across series
        Random rnd = new Random(42);
        Appender app = head.appender();
        for (int s = 0; s < SERIES; s++) {
            Labels l = Labels.of("__name__", "metric_" + (s % 10), "instance", "host-" + s, "job", "job-" + (s % 7));
            double v = workload == Workload.GAUGE ? 100 + rnd.nextInt(100) : rnd.nextInt(1_000_000);
            long t = T0 + rnd.nextInt(10_000);
            for (int i = 0; i < SAMPLES; i++, t += INTERVAL) {
                app.append(0, l, t, v);
                v = workload == Workload.GAUGE ? Math.round((v + rnd.nextGaussian()) * 100) / 100.0
                        : v + (rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(201));
            }
        }
        app.commit();
        Ulid id = Ulid.random(T0, rnd);
        try (Querier q = head.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            BlockMeta meta = BlockWriter.write(dir, id, T0, T0 + 2 * 3600_000L + INTERVAL, q.select(true, null), null);
            block = Block.open(dir.resolve(id.toString()));
            System.out.printf("%n# bytes/sample %s: %.3f (%d samples, %d chunks, %d bytes)%n", workload,
                    (double) block.sizeBytes() / meta.stats().numSamples(), meta.stats().numSamples(), meta.stats().numChunks(), block.sizeBytes());
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        block.close();
        FileUtil.deleteRecursively(dir);
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
    @OperationsPerInvocation(SERIES * SAMPLES)
    public long all(Blackhole bh) {
        try (Querier q = block.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            return drain(q.select(true, null, Matcher.of(MatchType.REGEX, "__name__", ".+")), bh);
        }
    }

    @Benchmark
    @OperationsPerInvocation(SERIES / 10 * SAMPLES)
    public long oneMetric(Blackhole bh) {
        try (Querier q = block.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            return drain(q.select(true, null, Matcher.of(MatchType.EQUAL, "__name__", "metric_3")), bh);
        }
    }

    @Benchmark
    @OperationsPerInvocation(SERIES * 180)
    public long lastHalfHour(Blackhole bh) {
        long end = T0 + 2 * 3600_000L;
        try (Querier q = block.querier(end - 1_800_000, end)) {
            return drain(q.select(true, null, Matcher.of(MatchType.REGEX, "__name__", ".+")), bh);
        }
    }
}

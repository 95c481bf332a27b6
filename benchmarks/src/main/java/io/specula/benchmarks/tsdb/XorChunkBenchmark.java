package io.specula.benchmarks.tsdb;

import io.specula.tsdb.chunkenc.ChunkAppender;
import io.specula.tsdb.chunkenc.XorChunk;
import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.ValueType;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * XOR chunk encode and decode throughput, in samples per second (one operation = one sample;
 * each invocation encodes or decodes a whole chunk of 120 samples, as the head cuts them).
 * Data: 256 series scraped at a regular 15 s interval (delta of deltas 0), cycled so the
 * branch predictor does not learn a single series:
 * <ul>
 *   <li>{@code GAUGE}: a random walk with two decimals around 100 (latency, temperature);
 *   <li>{@code COUNTER}: an integer counter, +0..200 per scrape, a quarter of scrapes idle;
 *   <li>{@code CONSTANT}: an unchanging value such as {@code up}.
 * </ul>
 * The setup prints the encoded size as bytes per sample ({@code # bytes/sample} lines).
 *
 * <p>Run: {@code bench/jmh.sh XorChunkBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class XorChunkBenchmark {
    static final int SAMPLES = 120;
    private static final int SERIES = 256;
    private static final long INTERVAL_MS = 15_000;

    public enum Workload { GAUGE, COUNTER, CONSTANT }

    @Param({"GAUGE", "COUNTER", "CONSTANT"})
    public Workload workload;

    private final long[][] ts = new long[SERIES][SAMPLES];
    private final double[][] vs = new double[SERIES][SAMPLES];
    private final XorChunk[] chunks = new XorChunk[SERIES];
    private SampleIterator it;
    private int next;

    @Setup
    public void setup() throws CorruptionException {
        Random rnd = new Random(42);
        long bytes = 0;
        for (int s = 0; s < SERIES; s++) {
            long t = 1_700_000_000_000L + rnd.nextInt(15_000);
            double v = switch (workload) {
                case GAUGE -> 100 + rnd.nextInt(100);
                case COUNTER -> rnd.nextInt(1_000_000);
                case CONSTANT -> 1;
            };
            for (int i = 0; i < SAMPLES; i++) {
                ts[s][i] = t;
                vs[s][i] = v;
                t += INTERVAL_MS;
                v = switch (workload) {
                    case GAUGE -> Math.round((v + rnd.nextGaussian()) * 100) / 100.0;
                    case COUNTER -> v + (rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(201));
                    case CONSTANT -> v;
                };
            }
            chunks[s] = encode(s);
            bytes += chunks[s].length();
        }
        System.out.printf("%n# bytes/sample %s: %.3f (chunk data only; a block adds ~10 bytes per chunk of framing)%n",
                workload, (double) bytes / (SERIES * SAMPLES));
    }

    private XorChunk encode(int s) throws CorruptionException {
        XorChunk c = XorChunk.create();
        ChunkAppender app = c.appender();
        long[] t = ts[s];
        double[] v = vs[s];
        for (int i = 0; i < SAMPLES; i++) {
            app.append(t[i], v[i]);
        }
        return c;
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public XorChunk append() throws CorruptionException {
        int s = next++ & (SERIES - 1);
        return encode(s);
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public double iterate() {
        int s = next++ & (SERIES - 1);
        it = chunks[s].iterator(it);
        double sum = 0;
        while (it.next() == ValueType.FLOAT) {
            sum += it.atV() + it.atT();
        }
        return sum;
    }
}

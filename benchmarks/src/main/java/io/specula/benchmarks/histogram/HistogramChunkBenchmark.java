package io.specula.benchmarks.histogram;

import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Histogram;
import io.specula.model.histogram.Spans;
import io.specula.tsdb.chunkenc.HistogramAppender;
import io.specula.tsdb.chunkenc.HistogramChunk;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Histogram chunk encoding: appending a chunk's worth of 120 scrapes of a native histogram
 * whose layout is stable (the common case), and decoding them as integer or float histograms
 * into reused objects. Per sample. Run: {@code bench/jmh.sh HistogramChunkBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HistogramChunkBenchmark {
    static final int SAMPLES = 120;

    /** Populated buckets per histogram (client_java's default schema 5 spans ~20-60 for typical latencies). */
    @Param({"10", "40"})
    public int buckets;

    private Histogram[] samples;
    private long[] times;
    private HistogramChunk full;
    private SampleIterator it;
    private final Histogram h = new Histogram();
    private final FloatHistogram fh = new FloatHistogram();

    @Setup
    public void setup() throws CorruptionException {
        Random rnd = new Random(1);
        samples = new Histogram[SAMPLES];
        times = new long[SAMPLES];
        long[] abs = new long[buckets];
        long t = 1_700_000_000_000L;
        for (int i = 0; i < SAMPLES; i++) {
            Histogram x = new Histogram();
            x.schema = 5;
            x.zeroThreshold = Math.scalb(1.0, -128);
            x.positiveSpans = Spans.of(-buckets / 2, buckets);
            x.positiveBuckets = new long[buckets];
            long prev = 0;
            long count = 0;
            for (int b = 0; b < buckets; b++) {
                abs[b] += rnd.nextInt(20);
                x.positiveBuckets[b] = abs[b] - prev;
                prev = abs[b];
                count += abs[b];
            }
            x.count = count;
            x.sum = count * 0.37;
            samples[i] = x;
            t += 15_000 + rnd.nextInt(5) - 2;
            times[i] = t;
        }
        full = HistogramChunk.create();
        HistogramAppender a = full.appender();
        for (int i = 0; i < SAMPLES; i++) {
            a.append(null, times[i], samples[i], false);
        }
        it = full.iterator(null);
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public HistogramChunk append() throws CorruptionException {
        HistogramChunk c = HistogramChunk.create();
        HistogramAppender a = c.appender();
        for (int i = 0; i < SAMPLES; i++) {
            a.append(null, times[i], samples[i], false);
        }
        return c;
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public void iterateHistogram(Blackhole bh) {
        it = full.iterator(it);
        while (it.next() == ValueType.HISTOGRAM) {
            bh.consume(it.atHistogram(h).count);
        }
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public void iterateFloatHistogram(Blackhole bh) {
        it = full.iterator(it);
        while (it.next() == ValueType.HISTOGRAM) {
            bh.consume(it.atFloatHistogram(fh).count);
        }
    }

    /** Bytes per sample of the full chunk, for the docs (not a benchmark). */
    public static void main(String[] args) throws Exception {
        HistogramChunkBenchmark b = new HistogramChunkBenchmark();
        for (int n : new int[] {10, 40}) {
            b.buckets = n;
            b.setup();
            System.out.printf("%d buckets: %d bytes for %d samples (%.1f bytes/sample)%n", n, b.full.length(), SAMPLES,
                    b.full.length() / (double) SAMPLES);
        }
    }
}

package io.specula.benchmarks.histogram;

import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Spans;
import io.specula.promql.engine.NativeHistograms;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code histogram_quantile} over one native histogram (the per-sample work of the function,
 * outside the engine, which does not evaluate native histograms yet): a low and a high
 * quantile, which Prometheus's algorithm locates from opposite ends. Per call.
 * Run: {@code bench/jmh.sh NativeHistogramQuantileBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NativeHistogramQuantileBenchmark {
    @Param({"10", "40", "160"})
    public int buckets;

    @Param({"0.1", "0.99"})
    public double q;

    private FloatHistogram h;
    private final NativeHistograms nh = new NativeHistograms();

    @Setup
    public void setup() {
        Random rnd = new Random(1);
        h = new FloatHistogram();
        h.schema = 5;
        h.zeroThreshold = Math.scalb(1.0, -128);
        h.zeroCount = 3;
        h.positiveSpans = Spans.of(-buckets / 3, buckets);
        h.positiveBuckets = new double[buckets];
        double count = h.zeroCount;
        for (int b = 0; b < buckets; b++) {
            h.positiveBuckets[b] = 1 + rnd.nextInt(100);
            count += h.positiveBuckets[b];
        }
        h.count = count;
        h.sum = count * 1.7;
    }

    @Benchmark
    public double quantile() {
        return nh.quantile(q, h);
    }
}

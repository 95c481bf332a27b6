package io.specula.benchmarks.exposition;

import io.specula.benchmarks.ThroughputCounters;
import io.specula.model.exposition.ExpositionBuffer;
import io.specula.model.exposition.ExpositionFormat;
import io.specula.model.exposition.ExpositionWriter;
import io.specula.model.labels.Labels;
import io.specula.model.textparse.MetricType;
import java.io.IOException;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of the exposition writers on one core, as samples/s and bytes/s (the
 * {@code samples} and {@code bytes} counters), writing a /metrics-sized body into one reused
 * buffer, as a handler serving scrapes does. Run with {@code -prof gc} to see that writing
 * allocates nothing per sample ({@code gc.alloc.rate.norm} should be a few hundred bytes per
 * body, the writer object, whatever the number of samples).
 *
 * <p>{@code gauges}: 2,000 series of float gauges (non-integral values take the JDK's
 * shortest-digits path); {@code histograms}: 200 series x 12 buckets with integral counts.
 *
 * <p>Run: {@code bench/jmh.sh ExpositionWriterBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ExpositionWriterBenchmark {
    private static final double[] BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, Double.POSITIVE_INFINITY};

    @Param({"PROMETHEUS_TEXT", "OPENMETRICS_TEXT"})
    public ExpositionFormat format;

    @Param({"gauges", "histograms"})
    public String shape;

    private Labels[] series;
    private double[] values;
    private final ExpositionBuffer buffer = new ExpositionBuffer(1 << 20);

    @Setup
    public void setup() {
        Random rnd = new Random(20261124);
        int n = shape.equals("gauges") ? 2000 : 200;
        series = new Labels[n];
        values = new double[n];
        for (int i = 0; i < n; i++) {
            series[i] = Labels.of("device", "dev" + (i % 50), "instance", "host-" + (i / 50) + ":9100", "mode", "m" + (i % 7));
            values[i] = rnd.nextDouble() * 1e6;
        }
    }

    @Benchmark
    public void write(ThroughputCounters counters, Blackhole bh) throws IOException {
        buffer.reset();
        ExpositionWriter w = format.newWriter(buffer);
        long samples = 0;
        if (shape.equals("gauges")) {
            w.family("node_disk_io_time_seconds", MetricType.GAUGE, "Time spent doing I/Os.", null);
            for (int i = 0; i < series.length; i++) {
                w.sample("node_disk_io_time_seconds", series[i], values[i]);
            }
            samples += series.length;
        } else {
            w.family("http_request_duration_seconds", MetricType.HISTOGRAM, "Request latency.", null);
            for (int i = 0; i < series.length; i++) {
                long count = 0;
                for (double le : BOUNDS) {
                    count += 17;
                    w.sample("http_request_duration_seconds_bucket", series[i], "le", le, count);
                }
                w.sample("http_request_duration_seconds_sum", series[i], values[i]);
                w.sample("http_request_duration_seconds_count", series[i], count);
            }
            samples += series.length * (BOUNDS.length + 2L);
        }
        w.finish();
        bh.consume(buffer.array());
        counters.samples += samples;
        counters.bytes += buffer.size();
    }
}

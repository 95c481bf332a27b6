package io.specula.model.textparse;

import io.specula.model.labels.LabelsBuilder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parsing cost per sample of a scrape body shaped like a typical exporter's: counters with a
 * few labels, histograms with eleven buckets, a summary; integer and short decimal values.
 * "next" is what the scrape loop pays on a cache hit (no label decoding), "labels" adds the
 * decoding of a cache miss, "created" asks every OpenMetrics sample for its created timestamp.
 *
 * <p>Run (2 cores, quick): {@code java -jar benchmarks/target/benchmarks.jar ParseBenchmark -f 1
 * -wi 3 -i 5 -prof gc} after {@code ./mvnw -pl model,benchmarks -am package -DskipTests} with the
 * benchmarks module enabled.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ParseBenchmark {
    static final int SAMPLES = 10_000; // per body, see body()

    private final byte[] text = body(false);
    private final byte[] openMetrics = body(true);
    private final LabelsBuilder builder = new LabelsBuilder();

    /** Exactly {@link #SAMPLES} samples. */
    static byte[] body(boolean om) {
        StringBuilder sb = new StringBuilder();
        int n = 0;
        sb.append("# HELP http_requests Requests served.\n# TYPE http_requests counter\n");
        for (int i = 0; n < 4000; i++) {
            String ls = "{method=\"" + (i % 2 == 0 ? "get" : "post") + "\",code=\"" + (200 + i % 5) + "\",handler=\"/api/v1/h" + i + "\"}";
            sb.append("http_requests_total").append(ls).append(' ').append(i * 13).append('\n');
            n++;
            if (om) {
                sb.append("http_requests_created").append(ls).append(" 1700000000.5\n");
                n++;
            }
        }
        sb.append("# HELP latency_seconds Request latency.\n# TYPE latency_seconds histogram\n");
        String[] les = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10"};
        for (int i = 0; n < SAMPLES - 4 - 14; i++) {
            String ls = "handler=\"/api/v1/h" + i + "\"";
            for (int b = 0; b < les.length; b++) {
                sb.append("latency_seconds_bucket{").append(ls).append(",le=\"").append(les[b]).append("\"} ").append(b * 3 + i).append('\n');
            }
            sb.append("latency_seconds_bucket{").append(ls).append(",le=\"+Inf\"} ").append(40 + i).append('\n');
            sb.append("latency_seconds_count{").append(ls).append("} ").append(40 + i).append('\n');
            sb.append("latency_seconds_sum{").append(ls).append("} ").append(i).append(".125\n");
            n += 14;
        }
        sb.append("# TYPE gc_seconds summary\n");
        sb.append("gc_seconds{quantile=\"0.5\"} 0.013\ngc_seconds{quantile=\"0.99\"} 0.021\ngc_seconds_sum 56.12\ngc_seconds_count 7476\n");
        n += 4;
        while (n < SAMPLES) {
            sb.append("filler_gauge{i=\"").append(n).append("\"} ").append(n).append('\n');
            n++;
        }
        if (om) {
            sb.append("# EOF\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public void textNext(Blackhole bh) throws ParseException {
        Parser p = new PromTextParser(text);
        for (Entry e; (e = p.next()) != null; ) {
            if (e == Entry.SERIES) {
                bh.consume(p.seriesLength());
                bh.consume(p.value());
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public void textLabels(Blackhole bh) throws ParseException {
        Parser p = new PromTextParser(text);
        for (Entry e; (e = p.next()) != null; ) {
            if (e == Entry.SERIES) {
                p.labels(builder);
                bh.consume(builder.size());
                bh.consume(p.value());
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public void openMetricsNext(Blackhole bh) throws ParseException {
        Parser p = new OpenMetricsParser(openMetrics);
        for (Entry e; (e = p.next()) != null; ) {
            if (e == Entry.SERIES) {
                bh.consume(p.seriesLength());
                bh.consume(p.value());
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public void openMetricsCreated(Blackhole bh) throws ParseException {
        Parser p = new OpenMetricsParser(openMetrics);
        for (Entry e; (e = p.next()) != null; ) {
            if (e == Entry.SERIES) {
                bh.consume(p.seriesLength());
                bh.consume(p.value());
                bh.consume(p.createdTimestamp());
            }
        }
    }
}

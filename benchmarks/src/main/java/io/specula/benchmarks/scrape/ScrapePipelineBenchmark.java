package io.specula.benchmarks.scrape;

import io.specula.benchmarks.ThroughputCounters;
import io.specula.model.labels.Labels;
import io.specula.scrape.ScrapePipeline;
import io.specula.scrape.config.GlobalConfig;
import io.specula.scrape.config.ScrapeConfig;
import io.specula.scrape.config.ScrapeConfigs;
import io.specula.tsdb.head.Head;
import io.specula.tsdb.head.HeadOptions;
import io.specula.tsdb.wal.WalWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
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
 * One scrape of a 10k-series target through the whole append pipeline with a warm scrape
 * cache: parse, cache lookup by raw series bytes, (metric relabeling only on misses), append by
 * reference into an in-memory head, staleness bookkeeping, commit. The {@code samples} counter
 * gives samples/s on one core; the head is recreated every iteration so chunks do not pile up.
 *
 * <p>{@code relabel=true} adds a typical {@code metric_relabel_configs} (a drop rule and a
 * labeldrop), which a warm cache must make free.
 *
 * <p>{@code storage=wal} appends into a durable head instead (Snappy-compressed WAL and head
 * chunk files, as {@code specula server} runs it) under {@code -Dspecula.bench.dir} (default
 * {@code /dev/shm} when present, so the figure is Specula's code, not the disk): head append and
 * WAL commit together.
 *
 * <p>Run: {@code bench/jmh.sh ScrapePipelineBenchmark} (add {@code -prof gc} for allocations).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class ScrapePipelineBenchmark {
    @Param({"10000"})
    public int series;

    @Param({"text", "openmetrics"})
    public String format;

    @Param({"false", "true"})
    public boolean relabel;

    @Param({"memory", "wal"})
    public String storage;

    private byte[] body;
    private String contentType;
    private ScrapeConfig config;
    private Head head;
    private ScrapePipeline pipeline;
    private long t;
    private Path dir;

    /** A target's exposition of {@code series} counters in 20 families (OpenMetrics with {@code om}). */
    static byte[] body(int series, boolean om) {
        StringBuilder sb = new StringBuilder(series * 100);
        String[] methods = {"GET", "POST", "PUT", "DELETE"};
        String[] codes = {"200", "201", "400", "404", "500"};
        int perFamily = 500;
        for (int i = 0; i < series; i++) {
            int fam = i / perFamily;
            if (i % perFamily == 0) {
                sb.append("# HELP app_requests").append(fam).append(" Requests handled.\n");
                sb.append("# TYPE app_requests").append(fam).append(" counter\n");
            }
            sb.append("app_requests").append(fam).append("_total{method=\"").append(methods[i % 4])
                    .append("\",code=\"").append(codes[(i / 4) % 5]).append("\",handler=\"/api/v1/h")
                    .append(i / 20).append("\"} ").append(i * 7L + 1).append('\n');
        }
        if (om) {
            sb.append("# EOF\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Setup(Level.Trial)
    public void setupBody() throws Exception {
        boolean om = format.equals("openmetrics");
        body = body(series, om);
        contentType = om ? "application/openmetrics-text; version=1.0.0" : "text/plain; version=0.0.4";
        String rules = relabel ? """
                    metric_relabel_configs:
                      - {source_labels: [__name__], regex: 'go_gc_.*', action: drop}
                      - {regex: 'pod_template_hash', action: labeldrop}
                """ : "";
        config = ScrapeConfigs.parse("scrape_configs:\n  - job_name: bench\n" + rules, "bench", GlobalConfig.defaults())
                .getFirst();
    }

    @Setup(Level.Iteration)
    public void setupHead() throws Exception {
        if (storage.equals("wal")) {
            Path root = Path.of(System.getProperty("specula.bench.dir", Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm" : System.getProperty("java.io.tmpdir")));
            dir = Files.createTempDirectory(root, "scrape-pipeline-");
            head = Head.open(dir, HeadOptions.defaults().withWal(WalWriter.Options.defaults().withSnappy(true)));
        } else {
            head = new Head();
        }
        pipeline = new ScrapePipeline(config, Labels.of("__address__", "target:9100"), head);
        t = 1_700_000_000_000L;
        pipeline.append(body, body.length, contentType, t); // warm the cache
    }

    @TearDown(Level.Iteration)
    public void closeHead() throws Exception {
        head.close();
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
            dir = null;
        }
    }

    @Benchmark
    public int scrape(ThroughputCounters counters) throws Exception {
        t += 15_000;
        int n = pipeline.append(body, body.length, contentType, t);
        counters.samples += n;
        counters.bytes += body.length;
        return n;
    }
}

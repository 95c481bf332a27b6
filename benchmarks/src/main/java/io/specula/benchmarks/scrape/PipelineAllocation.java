package io.specula.benchmarks.scrape;

import io.specula.model.labels.Labels;
import io.specula.scrape.ScrapePipeline;
import io.specula.scrape.config.GlobalConfig;
import io.specula.scrape.config.ScrapeConfig;
import io.specula.scrape.config.ScrapeConfigs;
import io.specula.tsdb.head.Head;
import io.specula.tsdb.head.HeadOptions;
import io.specula.tsdb.wal.WalWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/**
 * Bytes allocated per ingested sample on a warm scrape cache, counted exactly by the JVM for
 * the scraping thread (unlike JMH's {@code -prof gc}, which divides all threads' allocation
 * rate by throughput and so drifts on a busy machine): the same pipeline as
 * {@link ScrapePipelineBenchmark} (parse, cache, append into the head, commit), into an
 * in-memory head and into a durable one (Snappy WAL and head chunk files, on {@code /dev/shm}
 * when present). The rounds span several chunk cuts (15 s apart, so 120 samples fill a chunk).
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.specula.benchmarks.scrape.PipelineAllocation [SERIES] [ROUNDS]}.
 */
public final class PipelineAllocation {
    private PipelineAllocation() {}

    public static void main(String[] args) throws Exception {
        int series = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        byte[] body = ScrapePipelineBenchmark.body(series, false);
        ScrapeConfig config = ScrapeConfigs.parse("scrape_configs:\n  - job_name: bench\n", "bench", GlobalConfig.defaults()).getFirst();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (String storage : new String[] {"memory", "wal"}) {
            Path root = Path.of(Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm" : System.getProperty("java.io.tmpdir"));
            Path dir = storage.equals("wal") ? Files.createTempDirectory(root, "pipeline-alloc-") : null;
            try (Head head = dir == null ? new Head()
                    : Head.open(dir, HeadOptions.defaults().withWal(WalWriter.Options.defaults().withSnappy(true)))) {
                ScrapePipeline p = new ScrapePipeline(config, Labels.of("__address__", "target:9100"), head);
                long t = 1_700_000_000_000L;
                for (int i = 0; i < rounds; i++) { // warm: cache filled, code compiled, first chunks cut
                    p.append(body, body.length, "text/plain; version=0.0.4", t += 15_000);
                }
                long samples = 0;
                long before = threads.getCurrentThreadAllocatedBytes();
                long start = System.nanoTime();
                for (int i = 0; i < rounds; i++) {
                    samples += p.append(body, body.length, "text/plain; version=0.0.4", t += 15_000);
                }
                long nanos = System.nanoTime() - start;
                long bytes = threads.getCurrentThreadAllocatedBytes() - before;
                System.out.printf("%-6s %d series x %d scrapes: %.2f B allocated per sample, %.0f ns per sample (one thread)%n",
                        storage, series, rounds, (double) bytes / samples, (double) nanos / samples);
            } finally {
                if (dir != null) {
                    try (var files = Files.walk(dir)) {
                        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                    }
                }
            }
        }
    }
}

import io.specula.model.labels.Labels;
import io.specula.scrape.ScrapePipeline;
import io.specula.scrape.config.GlobalConfig;
import io.specula.scrape.config.ScrapeConfigs;
import io.specula.tsdb.head.Head;
import io.specula.tsdb.head.HeadOptions;
import io.specula.tsdb.wal.WalWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The scrape pipeline (parse, scrape cache, head append, WAL commit) of {@code SERIES} series
 * into a durable head, on one thread: this thread's CPU time per sample in five slices of
 * {@code ROUNDS / 2} scrapes after {@code ROUNDS} warm ones (CPU time, because a busy neighbour
 * moves wall time far more than the CPU the work takes), then the live heap after a full GC.
 * With {@code HOLD} seconds it then waits, so that {@code jcmd PID GC.class_histogram} can
 * count the head's objects. Runs against any benchmarks jar, so builds compare side by side:
 * {@code java <launcher flags> -Xmx1g -cp benchmarks/target/benchmarks.jar bench/PipelineCpu.java 50000 200 [HOLD]}.
 */
public class PipelineCpu {
    public static void main(String[] a) throws Exception {
        int series = Integer.parseInt(a[0]), rounds = Integer.parseInt(a[1]);
        int hold = a.length > 2 ? Integer.parseInt(a[2]) : 0;
        var body = Class.forName("io.specula.benchmarks.scrape.ScrapePipelineBenchmark").getDeclaredMethod("body", int.class, boolean.class);
        body.setAccessible(true);
        byte[] b = (byte[]) body.invoke(null, series, false);
        var config = ScrapeConfigs.parse("scrape_configs:\n  - job_name: bench\n", "bench", GlobalConfig.defaults()).getFirst();
        Path root = Path.of(Files.isDirectory(Path.of("/dev/shm")) ? "/dev/shm" : System.getProperty("java.io.tmpdir"));
        Path dir = Files.createTempDirectory(root, "pipeline-cpu-");
        var threads = ManagementFactory.getThreadMXBean();
        try (Head head = Head.open(dir, HeadOptions.defaults().withWal(WalWriter.Options.defaults().withSnappy(true)))) {
            ScrapePipeline p = new ScrapePipeline(config, Labels.of("__address__", "target:9100"), head);
            long t = 1_700_000_000_000L;
            for (int i = 0; i < rounds; i++) {
                p.append(b, b.length, "text/plain; version=0.0.4", t += 15_000);
            }
            double[] ns = new double[5];
            for (int k = 0; k < ns.length; k++) {
                long samples = 0, c0 = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < rounds / 2; i++) {
                    samples += p.append(b, b.length, "text/plain; version=0.0.4", t += 15_000);
                }
                ns[k] = (double) (threads.getCurrentThreadCpuTime() - c0) / samples;
            }
            Arrays.sort(ns);
            System.gc();
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            System.out.printf("%d series: CPU ns per sample (one thread, 5 slices of %d scrapes) min %.0f median %.0f max %.0f;"
                    + " heap after GC %d B (%d B per series)%n", series, rounds / 2, ns[0], ns[2], ns[4], used, used / series);
            if (hold > 0) {
                System.out.println("holding " + hold + " s for jcmd " + ProcessHandle.current().pid() + " GC.class_histogram");
                System.out.flush();
                Thread.sleep(hold * 1000L);
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}

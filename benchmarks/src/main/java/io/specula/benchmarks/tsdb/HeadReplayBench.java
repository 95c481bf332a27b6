package io.specula.benchmarks.tsdb;

import io.specula.model.labels.Labels;
import io.specula.tsdb.head.Head;
import io.specula.tsdb.head.HeadOptions;
import io.specula.tsdb.head.ReplayReport;
import io.specula.tsdb.storage.Appender;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The Specula side of {@code bench/tsdb-vs-prometheus.sh} (not a JMH benchmark: it measures
 * one process from start to ready, as the script does for Prometheus).
 *
 * <pre>
 * generate DIR SERIES SAMPLES   fill a durable head on DIR (Prometheus's wal/ and chunks_head/)
 *                               and report the process CPU spent appending
 * replay DIR                    open the head on DIR, report time to ready, CPU, heap after GC, RSS
 * </pre>
 *
 * Series look like node-exporter scrapes: 500 metric names per target ({@code instance}),
 * {@code job="node"}, so a million series are 2,000 targets. Samples come 15 s apart, ending at
 * the current time, one appender (one commit) per target and scrape round, with the series
 * references cached after the first round as a scrape loop does. Values: half counters with
 * random increments, a third two-decimal gauges on a random walk, the rest 0/1 flags.
 * Output lines are {@code key=value} pairs for the script to parse.
 */
public final class HeadReplayBench {
    static final long STEP = 15_000;
    static final int METRICS_PER_TARGET = 500;

    private HeadReplayBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 4 && args[0].equals("generate")) {
            generate(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        } else if (args.length == 2 && args[0].equals("replay")) {
            replay(Path.of(args[1]));
        } else {
            System.err.println("usage: HeadReplayBench generate DIR SERIES SAMPLES | replay DIR");
            System.exit(2);
        }
    }

    private static void generate(Path dir, int series, int samples) throws Exception {
        String[] names = new String[METRICS_PER_TARGET];
        for (int i = 0; i < names.length; i++) {
            names[i] = "node_bench_metric_" + i;
        }
        int targets = (series + METRICS_PER_TARGET - 1) / METRICS_PER_TARGET;
        Labels[] labels = new Labels[series]; // built before timing: a scrape parses them anyway
        for (int i = 0; i < series; i++) {
            labels[i] = Labels.of("__name__", names[i % METRICS_PER_TARGET], "instance",
                    "host-" + (i / METRICS_PER_TARGET) + ".example.org:9100", "job", "node");
        }
        long[] refs = new long[series];
        double[] values = new double[series];
        SplittableRandom rnd = new SplittableRandom(7);
        long last = System.currentTimeMillis() / STEP * STEP;
        long first = last - (samples - 1) * STEP;

        long cpu0 = processCpuNanos(), wall0 = System.nanoTime();
        long cpuFirstRound = 0;
        try (Head head = Head.open(dir, HeadOptions.defaults())) {
            for (int k = 0; k < samples; k++) {
                long t = first + k * STEP;
                for (int target = 0; target < targets; target++) {
                    Appender app = head.appender();
                    int end = Math.min(series, (target + 1) * METRICS_PER_TARGET);
                    for (int i = target * METRICS_PER_TARGET; i < end; i++) {
                        double v = switch (i % 6) {
                            case 0, 1, 2 -> values[i] += rnd.nextInt(1000);
                            case 3, 4 -> values[i] = Math.round((values[i] + rnd.nextDouble() - 0.5) * 100) / 100.0;
                            default -> rnd.nextInt(2);
                        };
                        refs[i] = app.append(refs[i], refs[i] == 0 ? labels[i] : null, t, v);
                    }
                    app.commit();
                }
                if (k == 0) {
                    cpuFirstRound = processCpuNanos() - cpu0;
                }
            }
        }
        long cpu = processCpuNanos() - cpu0;
        long wall = System.nanoTime() - wall0;
        long total = (long) series * samples;
        System.out.printf("generate series=%d samples_per_series=%d samples=%d wall_s=%.2f cpu_s=%.2f%n",
                series, samples, total, wall / 1e9, cpu / 1e9);
        System.out.printf("append_cpu_s_per_1M_samples=%.3f first_round_cpu_s=%.2f%n", cpu / 1e3 / total, cpuFirstRound / 1e9);
        if (samples > 1) {
            System.out.printf("append_cpu_s_per_1M_samples_after_first_round=%.3f%n",
                    (cpu - cpuFirstRound) / 1e3 / ((long) series * (samples - 1)));
        }
        System.out.printf("dir_bytes=%d%n", directoryBytes(dir));
    }

    private static void replay(Path dir) throws Exception {
        long cpu0 = processCpuNanos(), wall0 = System.nanoTime();
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        // -Dspecula.replay.workers=N: 1 replays in the opening thread only; default: one per processor.
        HeadOptions options = HeadOptions.defaults().withReplayWorkers(Integer.getInteger("specula.replay.workers", 0));
        try (Head head = Head.open(dir, options)) {
            long wall = System.nanoTime() - wall0;
            long cpu = processCpuNanos() - cpu0;
            long fromStart = System.currentTimeMillis() - jvmStart;
            long cpuTotal = processCpuNanos();
            ReplayReport r = head.replayReport();
            long rssAtReady = rssBytes();
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long rss = rssBytes();
            long n = head.numSeries();
            System.out.printf("replay series=%d samples=%d mapped_chunks=%d open_s=%.2f open_cpu_s=%.2f "
                    + "start_to_ready_s=%.2f cpu_to_ready_s=%.2f%n",
                    n, r.samples(), r.mappedChunks(), wall / 1e9, cpu / 1e9, fromStart / 1e3, cpuTotal / 1e9);
            System.out.printf("heap_after_gc_bytes=%d rss_at_ready_bytes=%d rss_after_gc_bytes=%d heap_per_series=%d rss_per_series=%d%n",
                    heap, rssAtReady, rss, n == 0 ? 0 : heap / n, n == 0 ? 0 : rss / n);
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Resident set size from /proc/self/status (Linux). */
    static long rssBytes() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    private static long directoryBytes(Path dir) throws Exception {
        try (var s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}

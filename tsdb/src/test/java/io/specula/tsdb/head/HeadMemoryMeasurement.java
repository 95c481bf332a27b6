package io.specula.tsdb.head;

import io.specula.model.labels.Labels;
import io.specula.tsdb.storage.Appender;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heap bytes per active series of a head, with cut chunks kept in memory (an in-memory head,
 * as every head was before head chunk files) and with them on disk (a durable head). A
 * measurement, not a test: it asserts nothing and runs only when asked, since it takes a
 * minute and a few hundred MB of heap and disk:
 *
 * <pre>
 * ./mvnw -B -q -ntp -pl tsdb -am test -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dtest=HeadMemoryMeasurement -Dspecula.measure=true [-Dspecula.measure.series=100000 -Dspecula.measure.minutes=180]
 * </pre>
 *
 * Scenario: {@code series} series (200 metric names, 100 instances, an id label each) scraped
 * every 15 s for {@code minutes} minutes, in one appender per scrape round; values: 40% counters
 * with random increments, 30% gauges on a random walk with two decimals, 20% constants, 10%
 * random doubles (which do not compress). Heap is measured after full GCs, before and after
 * filling the head, so it includes labels, postings, series, open chunks and cut chunks. At
 * 180 minutes every open chunk is full (120 samples since the last cut), at 165 half full,
 * the average over time.
 */
@EnabledIfSystemProperty(named = "specula.measure", matches = "true")
class HeadMemoryMeasurement {
    private static final long STEP = 15_000;

    @TempDir
    Path tmp;

    @Test
    void heapBytesPerSeries() throws Exception {
        int series = Integer.getInteger("specula.measure.series", 100_000);
        int minutes = Integer.getInteger("specula.measure.minutes", 180);
        System.out.println("head memory: " + series + " series, " + minutes + " min at 15 s ("
                + (long) series * minutes * 4 + " samples), JDK " + Runtime.version());
        measure("chunks in memory (in-memory head)", series, minutes, false);
        measure("chunks on disk   (durable head)   ", series, minutes, true);
    }

    private void measure(String what, int series, int minutes, boolean durable) throws Exception {
        String[] names = new String[200];
        for (int i = 0; i < names.length; i++) {
            names[i] = ("node_metric_" + i + "_total").intern();
        }
        String[] instances = new String[100];
        for (int i = 0; i < instances.length; i++) {
            instances[i] = ("host-" + i + ".example.org:9100").intern();
        }
        long[] refs = new long[series];
        double[] values = new double[series];
        SplittableRandom rnd = new SplittableRandom(42);
        Path dir = tmp.resolve("data-" + durable);

        long before = usedHeap();
        long start = System.nanoTime();
        Head head = durable ? Head.open(dir, HeadOptions.defaults()) : new Head();
        int steps = minutes * 4;
        for (int k = 0; k < steps; k++) {
            Appender app = head.appender();
            for (int i = 0; i < series; i++) {
                Labels labels = refs[i] != 0 ? null : Labels.of("__name__", names[i % names.length], "job", "node",
                        "instance", instances[i / 10 % instances.length], "id", Integer.toString(i));
                double v = switch (i % 10) {
                    case 0, 1, 2, 3 -> values[i] += rnd.nextInt(100);
                    case 4, 5, 6 -> values[i] = Math.round((values[i] + rnd.nextDouble() - 0.5) * 100) / 100.0;
                    case 7, 8 -> 1;
                    default -> rnd.nextDouble();
                };
                refs[i] = app.append(refs[i], labels, k * STEP, v);
            }
            app.commit();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long after = usedHeap();
        long perSeries = (after - before) / series;
        System.out.printf("  %s: %,d heap bytes per series (%.0f MB for %d series); appended in %.1f s%n",
                what, perSeries, (after - before) / 1e6, head.numSeries(), seconds);
        if (Boolean.getBoolean("specula.measure.histogram")) {
            printHistogram();
        }
        long failures = head.chunkWriteFailures();
        head.close();
        if (durable) {
            // After close: the current head chunk file is cut to its data (it was preallocated).
            long chunkBytes = size(dir.resolve(Head.CHUNKS_DIR));
            System.out.printf("  on disk: %.0f MB in chunks_head/ (%.2f bytes per sample in cut chunks), %.0f MB in wal/, "
                    + "%d chunk write failures%n", chunkBytes / 1e6, chunkBytes / (series * (steps - 120.0)),
                    size(dir.resolve(Head.WAL_DIR)) / 1e6, failures);
            head = null;
            long base = usedHeap();
            try (Head reopened = Head.open(dir, HeadOptions.defaults())) {
                ReplayReport r = reopened.replayReport();
                long heap = usedHeap();
                System.out.printf("  reopen (replay): %.1f s for %d WAL segments, %,d chunks from disk, %,d samples applied, "
                        + "%,d covered; %,d heap bytes per series afterwards%n", r.duration().toMillis() / 1e3, r.walSegments(),
                        r.mappedChunks(), r.samples(), r.coveredSamples(), (heap - base) / series);
            }
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static long size(Path dir) throws Exception {
        try (Stream<Path> all = Files.walk(dir)) {
            long n = 0;
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                n += Files.size(p);
            }
            return n;
        }
    }

    /** The biggest classes on the heap (jcmd GC.class_histogram), to see where the bytes go. */
    private static void printHistogram() throws Exception {
        javax.management.ObjectName name = new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand");
        String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(name, "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        histogram.lines().limit(28).forEach(l -> System.out.println("    " + l));
    }

    private static long usedHeap() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}

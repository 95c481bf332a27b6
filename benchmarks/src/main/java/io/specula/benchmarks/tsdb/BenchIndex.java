package io.specula.benchmarks.tsdb;

import io.specula.model.labels.Labels;
import io.specula.tsdb.index.ChunkMetas;
import io.specula.tsdb.index.IndexWriter;
import io.specula.tsdb.index.Utf8Order;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A synthetic block index shaped like a Kubernetes cluster's: {@code n} series over 100
 * metric names, 10 jobs, 3 zones, instances of 100 series each and one unique pod label per
 * series (the high-cardinality label that makes real indexes big), with 2 chunks each.
 * Written once per JVM into a temporary directory deleted at exit.
 */
final class BenchIndex {
    private static Path cached;
    private static int cachedN;

    private BenchIndex() {}

    static Labels labels(int i) {
        return Labels.of("__name__", "metric_" + (i % 100), "instance", "host-" + (i / 100), "job", "job-" + (i % 10),
                "pod", "pod-" + i, "zone", "z" + (i % 3));
    }

    static synchronized Path get(int n) {
        if (cached != null && cachedN == n) {
            return cached;
        }
        try {
            Path dir = Files.createTempDirectory("specula-bench-index");
            Path file = dir.resolve("index");
            List<Labels> series = new ArrayList<>(n);
            TreeSet<String> symbols = new TreeSet<>(Utf8Order.STRINGS);
            for (int i = 0; i < n; i++) {
                Labels l = labels(i);
                series.add(l);
                l.forEach((k, v) -> {
                    symbols.add(k);
                    symbols.add(v);
                });
            }
            series.sort(Utf8Order.LABELS);
            long t0 = System.nanoTime();
            try (IndexWriter w = IndexWriter.create(file)) {
                for (String s : symbols) {
                    w.addSymbol(s);
                }
                ChunkMetas c = new ChunkMetas();
                long ref = 8;
                for (Labels l : series) {
                    c.clear().add(ref, 0, 3_599_999).add(ref + 200, 3_600_000, 7_199_999);
                    ref += 400;
                    w.addSeries(l, c);
                }
            }
            System.err.printf("# wrote %,d-series index (%,d bytes) in %.1f s%n", n, Files.size(file), (System.nanoTime() - t0) / 1e9);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Files.deleteIfExists(file);
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // best effort
                }
            }));
            cached = file;
            cachedN = n;
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

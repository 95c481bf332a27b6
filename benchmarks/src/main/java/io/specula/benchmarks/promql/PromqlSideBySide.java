package io.specula.benchmarks.promql;

import io.specula.model.labels.Labels;
import io.specula.promql.engine.Engine;
import io.specula.promql.engine.EngineOptions;
import io.specula.promql.engine.Matrix;
import io.specula.promql.engine.Result;
import io.specula.tsdb.head.Head;
import io.specula.tsdb.head.HeadOptions;
import io.specula.tsdb.storage.Appender;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * The Specula side of {@code bench/promql-vs-prometheus.sh} (not JMH: the script times
 * Prometheus the same way, as the median of repeated runs of each query).
 *
 * <pre>
 * generate DIR SERIES                       fill a durable head on DIR with {@link EngineBenchmark}'s
 *                                           data, ending at the current time; prints end_ms=...
 * query DIR END_MS WARMUP RUNS OUT_DIR      open the head on DIR, run each {@link EngineBenchmark.Workload}
 *                                           over the last hour before END_MS at a 15 s step WARMUP
 *                                           times untimed, then RUNS times timed; prints the median
 *                                           and writes the last result to OUT_DIR/NAME.txt
 * </pre>
 *
 * The data has EngineBenchmark's shape (counters with increments 0..9, {@code up} at 1, a tenth
 * of the targets with a 10-bucket classic histogram, every 15 s for 2 h) but is appended in time
 * order, one commit per scrape round, so the WAL looks like a real scraper's.
 */
public final class PromqlSideBySide {
    static final long INTERVAL = 15_000, SPAN = 2 * 3_600_000L, RANGE = 3_600_000L;
    private static final String[] LE = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"};

    private PromqlSideBySide() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("generate")) {
            generate(Path.of(args[1]), Integer.parseInt(args[2]));
        } else if (args.length == 6 && args[0].equals("query")) {
            query(Path.of(args[1]), Long.parseLong(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Path.of(args[5]));
        } else {
            System.err.println("usage: PromqlSideBySide generate DIR SERIES | query DIR END_MS WARMUP RUNS OUT_DIR");
            System.exit(2);
        }
    }

    private static void generate(Path dir, int series) throws Exception {
        int hist = Math.max(1, series / LE.length);
        int total = series * 2 + hist * LE.length;
        Labels[] labels = new Labels[total];
        boolean[] counter = new boolean[total];
        int n = 0;
        for (int s = 0; s < series; s++) {
            String inst = "host-" + s, job = "job-" + (s % 20);
            counter[n] = true;
            labels[n++] = Labels.of("__name__", "http_requests_total", "instance", inst, "job", job);
            labels[n++] = Labels.of("__name__", "up", "instance", inst, "job", job);
            if (s < hist) {
                for (String le : LE) {
                    counter[n] = true;
                    labels[n++] = Labels.of("__name__", "request_duration_seconds_bucket", "instance", inst,
                            "job", job, "le", le);
                }
            }
        }
        long[] refs = new long[total];
        double[] values = new double[total];
        Random rnd = new Random(42);
        long end = System.currentTimeMillis() / INTERVAL * INTERVAL;
        long wall0 = System.nanoTime();
        try (Head head = Head.open(dir, HeadOptions.defaults())) {
            for (long t = end - SPAN; t <= end; t += INTERVAL) {
                Appender app = head.appender();
                for (int i = 0; i < total; i++) {
                    double v = counter[i] ? (values[i] += rnd.nextInt(10)) : 1;
                    refs[i] = app.append(refs[i], refs[i] == 0 ? labels[i] : null, t, v);
                }
                app.commit();
            }
        }
        System.out.printf("generated series=%d samples=%d wall_s=%.2f%n", total, total * (SPAN / INTERVAL + 1),
                (System.nanoTime() - wall0) / 1e9);
        System.out.println("end_ms=" + end);
    }

    private static void query(Path dir, long end, int warmup, int runs, Path out) throws Exception {
        Files.createDirectories(out);
        Engine engine = new Engine(EngineOptions.defaults());
        long open0 = System.nanoTime();
        try (Head head = Head.open(dir, HeadOptions.defaults())) {
            System.out.printf("specula_open series=%d open_s=%.2f%n", head.numSeries(), (System.nanoTime() - open0) / 1e9);
            for (EngineBenchmark.Workload w : EngineBenchmark.Workload.values()) {
                Result last = null;
                for (int i = 0; i < warmup; i++) {
                    last = run(engine, head, w.promql, end);
                }
                double[] ms = new double[runs];
                for (int i = 0; i < runs; i++) {
                    long t0 = System.nanoTime();
                    last = run(engine, head, w.promql, end);
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                }
                Arrays.sort(ms);
                double median = runs % 2 == 1 ? ms[runs / 2] : (ms[runs / 2 - 1] + ms[runs / 2]) / 2;
                Matrix m = (Matrix) last.value();
                System.out.printf("specula query=%s median_ms=%.3f min_ms=%.3f max_ms=%.3f series=%d%n",
                        w.name(), median, ms[0], ms[runs - 1], m.series().size());
                dump(m, out.resolve(w.name() + ".txt"));
            }
        }
    }

    private static Result run(Engine engine, Head head, String promql, long end) throws Exception {
        Result r = engine.rangeQuery(head, promql, end - RANGE, end, INTERVAL).exec();
        if (!r.ok()) {
            throw r.error();
        }
        return r;
    }

    /** One line per series: {@code name=value,...} (sorted names), a tab, then {@code t v} pairs. */
    private static void dump(Matrix m, Path file) throws Exception {
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            for (Matrix.Series s : m.series()) {
                Labels l = s.labels();
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < l.size(); i++) {
                    b.append(i == 0 ? "" : ",").append(l.name(i)).append('=').append(l.value(i));
                }
                b.append('\t');
                for (int i = 0; i < s.size(); i++) {
                    b.append(i == 0 ? "" : " ").append(s.ts()[i]).append(' ').append(s.vs()[i]);
                }
                w.write(b.toString());
                w.newLine();
            }
        }
    }
}

package io.specula.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.specula.model.exposition.proto.BucketSpan;
import io.specula.model.exposition.proto.Counter;
import io.specula.model.exposition.proto.DelimitedMetricFamilies;
import io.specula.model.exposition.proto.Gauge;
import io.specula.model.exposition.proto.Histogram;
import io.specula.model.exposition.proto.LabelPair;
import io.specula.model.exposition.proto.Metric;
import io.specula.model.exposition.proto.MetricFamily;
import io.specula.model.exposition.proto.MetricType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * kill -9 loop under scrape load against the real server process: a target in this JVM exposes
 * counters, gauges and native histograms (protobuf) scraped every 500 ms; compaction runs every
 * 2 s with 1 m blocks so kills land in WAL writes, head compaction, checkpoints and block merges.
 * Before each kill the raw samples of a fixed past window are snapshotted; after the restart
 * the same window must still hold every one of them with the same value (a sample still in
 * flight at snapshot time may be added, none may be lost or changed).
 *
 * <p>Tunable: {@code -Dspecula.killloop.kills=8} (CI default, ~2 min; 20 on demand), {@code -Dspecula.killloop.maxDelayMs=1500},
 * {@code -Dspecula.killloop.series=1500} (per kind), {@code -Dspecula.killloop.readySeconds=60}.
 */
class KillLoopTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KILLS = Integer.getInteger("specula.killloop.kills", 8);
    private static final int MAX_DELAY_MS = Integer.getInteger("specula.killloop.maxDelayMs", 1500);
    private static final int SERIES = Integer.getInteger("specula.killloop.series", 1500);
    private static final int READY_SECONDS = Integer.getInteger("specula.killloop.readySeconds", 60);
    private static final int HISTOGRAMS = 5;

    @TempDir
    Path tmp;

    private final AtomicLong scrapes = new AtomicLong();

    @Test
    void killMinus9Loop_everyRestartReady_noAnsweredSampleLostOrChanged() throws Exception {
        HttpServer target = startTarget();
        try {
            Path cfg = Files.writeString(tmp.resolve("prometheus.yml"), """
                    global: {scrape_interval: 500ms, scrape_timeout: 400ms}
                    scrape_configs:
                      - job_name: kl
                        static_configs: [{targets: ["127.0.0.1:%d"]}]
                    """.formatted(target.getAddress().getPort()));
            Path data = tmp.resolve("data");
            Path log = tmp.resolve("specula.log");
            int port = ServerProcess.freePort();
            long start = System.currentTimeMillis();
            Random rnd = new Random(Long.getLong("specula.killloop.seed", System.nanoTime()));
            List<long[]> windows = new ArrayList<>(); // {t1}
            List<Map<String, String>> snapshots = new ArrayList<>();
            long maxReady = 0;
            int targeted = 0;
            long verified = 0;
            ServerProcess s = startServer(cfg, data, log, port);
            try {
                maxReady = s.awaitReady(Duration.ofSeconds(READY_SECONDS)).toMillis();
                long firstDeadline = System.nanoTime() + 30_000_000_000L;
                // Samples old enough for the first kill's window (it ends 1.5 s before the kill).
                while (samples(s, start, System.currentTimeMillis() - 1500).isEmpty()) {
                    assertThat(System.nanoTime()).as("no sample scraped within 30 s; log:%n%s", Files.readString(log))
                            .isLessThan(firstDeadline);
                    Thread.sleep(200);
                }
                for (int k = 1; k <= KILLS; k++) {
                    long seen = scrapes.get(); // kill under load: after the restarted server scraped again
                    long scrapeDeadline = System.nanoTime() + 20_000_000_000L;
                    while (scrapes.get() < seen + 2 && System.nanoTime() < scrapeDeadline) {
                        Thread.sleep(20);
                    }
                    Thread.sleep(rnd.nextInt(MAX_DELAY_MS));
                    long t1 = System.currentTimeMillis() - 1500; // samples older than this were committed
                    Map<String, String> before = samples(s, start, t1);
                    assertThat(before).as("samples before kill %d", k).isNotEmpty();
                    if (k % 2 == 0 && awaitTemporaryFiles(data, Duration.ofMillis(MAX_DELAY_MS + 2000))) {
                        targeted++; // killed while a block, checkpoint or compaction was being written
                    }
                    s.kill();
                    s = startServer(cfg, data, log, port);
                    maxReady = Math.max(maxReady, s.awaitReady(Duration.ofSeconds(READY_SECONDS)).toMillis());
                    verified += assertKept(before, samples(s, start, t1), "after kill " + k);
                    windows.add(new long[] {t1});
                    snapshots.add(before);
                }
                for (int i = 0; i < windows.size(); i++) { // nothing lost later either
                    verified += assertKept(snapshots.get(i), samples(s, start, windows.get(i)[0]), "window " + (i + 1) + " at the end");
                }
            } finally {
                s.kill();
            }
            System.out.printf("kill loop: %d kills (%d during a block/checkpoint write), max time to ready %d ms, "
                    + "%d samples re-verified, %d scrapes served, %d series%n",
                    KILLS, targeted, maxReady, verified, scrapes.get(), 2 * SERIES + HISTOGRAMS);
            assertThat(scrapes.get()).isGreaterThan(KILLS);
        } finally {
            target.stop(0);
        }
    }

    private static ServerProcess startServer(Path cfg, Path data, Path log, int port) throws IOException {
        return ServerProcess.start(data, port, log, List.of("-Dspecula.tsdb.compaction-interval-ms=2000"),
                "--config.file=" + cfg, "--enable-feature=native-histograms",
                "--storage.tsdb.min-block-duration=1m", "--storage.tsdb.max-block-duration=4m");
    }

    /** Whether a write in progress ({@code *.tmp*} block or checkpoint directory) showed up in time. */
    private static boolean awaitTemporaryFiles(Path data, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline) {
            for (Path dir : List.of(data, data.resolve("wal"))) {
                try (Stream<Path> files = Files.list(dir)) {
                    if (files.anyMatch(p -> p.getFileName().toString().contains(".tmp"))) {
                        return true;
                    }
                } catch (IOException e) {
                    // listed while being renamed: look again
                }
            }
            Thread.sleep(2);
        }
        return false;
    }

    /** Raw samples (series@t -> value) in (start, t1] of a tenth of the counters and gauges, and all histograms. */
    private static Map<String, String> samples(ServerProcess s, long start, long t1) throws Exception {
        Map<String, String> out = new HashMap<>();
        String range = "[" + (t1 - start) + "ms]";
        for (String sel : List.of("{__name__=~\"kl_.*\",i=~\".*3\"}", "kl_latency_seconds")) {
            String q = URLEncoder.encode(sel + range, StandardCharsets.UTF_8);
            JsonNode root = JSON.readTree(s.get("/api/v1/query?query=" + q + "&time=" + t1 / 1000.0));
            for (JsonNode r : root.path("data").path("result")) {
                String series = r.path("metric").toString();
                for (JsonNode v : r.path("values")) {
                    out.put(series + "@" + v.get(0).asString(), v.get(1).asString());
                }
                for (JsonNode v : r.path("histograms")) {
                    out.put(series + "@" + v.get(0).asString(), v.get(1).toString());
                }
            }
        }
        return out;
    }

    private static long assertKept(Map<String, String> before, Map<String, String> after, String when) {
        List<String> lost = new ArrayList<>();
        before.forEach((k, v) -> {
            if (!v.equals(after.get(k))) {
                lost.add(k + " was " + v + " now " + after.get(k));
            }
        });
        assertThat(lost).as("samples lost or changed %s (of %d)", when, before.size()).isEmpty();
        return before.size();
    }

    /** 2×SERIES counters and gauges plus native histograms, values a function of the scrape count. */
    private HttpServer startTarget() throws IOException {
        HttpServer h = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        h.createContext("/metrics", ex -> {
            long g = scrapes.incrementAndGet();
            byte[] body;
            boolean proto = String.valueOf(ex.getRequestHeaders().getFirst("Accept")).contains("protobuf");
            if (proto) {
                body = protobuf(g);
                ex.getResponseHeaders().set("Content-Type", DelimitedMetricFamilies.MEDIA_TYPE);
            } else {
                body = text(g);
                ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            }
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        h.start();
        return h;
    }

    private static byte[] text(long g) {
        StringBuilder b = new StringBuilder("# TYPE kl_requests_total counter\n");
        for (int i = 0; i < SERIES; i++) {
            b.append("kl_requests_total{i=\"").append(i).append("\"} ").append(g * (i % 7 + 1)).append('\n');
        }
        b.append("# TYPE kl_temperature gauge\n");
        for (int i = 0; i < SERIES; i++) {
            b.append("kl_temperature{i=\"").append(i).append("\"} ").append((g * 31 + i) % 1000 / 10.0).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] protobuf(long g) throws IOException {
        MetricFamily.Builder c = MetricFamily.newBuilder().setName("kl_requests_total").setType(MetricType.COUNTER);
        MetricFamily.Builder ga = MetricFamily.newBuilder().setName("kl_temperature").setType(MetricType.GAUGE);
        for (int i = 0; i < SERIES; i++) {
            LabelPair l = LabelPair.newBuilder().setName("i").setValue(Integer.toString(i)).build();
            c.addMetric(Metric.newBuilder().addLabel(l).setCounter(Counter.newBuilder().setValue(g * (i % 7 + 1))));
            ga.addMetric(Metric.newBuilder().addLabel(l).setGauge(Gauge.newBuilder().setValue((g * 31 + i) % 1000 / 10.0)));
        }
        MetricFamily.Builder hi = MetricFamily.newBuilder().setName("kl_latency_seconds").setType(MetricType.HISTOGRAM);
        for (int i = 0; i < HISTOGRAMS; i++) {
            long a = g * (i + 1);
            // Buckets 0..2 of schema 0 hold a, 2a, a: deltas a, a, -a.
            hi.addMetric(Metric.newBuilder().addLabel(LabelPair.newBuilder().setName("h").setValue(Integer.toString(i)))
                    .setHistogram(Histogram.newBuilder().setSampleCount(4 * a).setSampleSum(1.5 * a).setSchema(0)
                            .setZeroThreshold(1e-128).setZeroCount(0)
                            .addPositiveSpan(BucketSpan.newBuilder().setOffset(0).setLength(3))
                            .addPositiveDelta(a).addPositiveDelta(a).addPositiveDelta(-a)));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DelimitedMetricFamilies.write(c.build(), out);
        DelimitedMetricFamilies.write(ga.build(), out);
        DelimitedMetricFamilies.write(hi.build(), out);
        return out.toByteArray();
    }
}

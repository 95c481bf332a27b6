package io.specula.tsdb.chunkenc;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.specula.model.labels.LabelsBuilder;
import io.specula.tsdb.block.Block;
import io.specula.tsdb.chunks.ChunkSegmentReader;
import io.specula.tsdb.index.ChunkMetas;
import io.specula.tsdb.index.IndexFileReader;
import io.specula.tsdb.index.Postings;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.ValueType;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Byte compatibility of the histogram chunk encoding with the real Prometheus 2.42: it scrapes a
 * Prometheus Java client 1.x target serving native histograms over protobuf (growing bucket
 * layouts, negative and zero observations, a resolution reduction, a counter reset), a
 * snapshot cuts its head into a block, and every histogram chunk in that block must decode
 * with our iterator and re-encode with our appender to the same bytes. About 20 s; skipped
 * with a message when Prometheus is not installed.
 */
class PrometheusHistogramChunkInteropTest {
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final Pattern SNAPSHOT = Pattern.compile("\"name\":\"([^\"]+)\"");

    @TempDir
    Path tmp;

    @Test
    void prometheusChunks_reencodeToTheSameBytes() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PROMETHEUS),
                PROMETHEUS + " not found: install Debian's 'prometheus' package to test histogram chunks against Prometheus 2.42");
        PrometheusRegistry registry = new PrometheusRegistry();
        Histogram latency = Histogram.builder().name("test_latency_seconds").help("h").labelNames("path").nativeOnly().register(registry);
        Histogram coarse = Histogram.builder().name("test_size_bytes").help("h").nativeOnly().nativeInitialSchema(0)
                .nativeMaxNumberOfBuckets(12).register(registry);
        // Swapped atomically for a fresh histogram to make a counter reset (unregistering would
        // let a scrape see the series missing and write a stale marker instead).
        AtomicReference<Histogram> resettable = new AtomicReference<>(Histogram.builder().name("test_reset").help("h").nativeOnly().build());
        java.util.concurrent.atomic.AtomicInteger scrapes = new java.util.concurrent.atomic.AtomicInteger();
        registry.register((Collector) () -> {
            scrapes.incrementAndGet();
            return resettable.get().collect();
        });
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean resetNow = new AtomicBoolean();
        Random rnd = new Random(42);
        Thread observer = new Thread(() -> {
            int round = 0;
            while (!stop.get()) {
                round++;
                for (int i = 0; i < 20; i++) {
                    latency.labelValues("/a").observe(Math.exp(rnd.nextGaussian() * (1 + round / 50.0)));
                    latency.labelValues("/b").observe(i % 5 == 0 ? 0 : -Math.exp(rnd.nextGaussian()));
                    coarse.observe(Math.exp(rnd.nextGaussian() * (2 + round / 20.0)));
                    resettable.get().observe(1 + rnd.nextDouble()); // one octave: the schema never changes
                }
                if (resetNow.compareAndSet(true, false)) { // a counter reset: the histogram starts again from zero
                    Histogram fresh = Histogram.builder().name("test_reset").help("h").nativeOnly().build();
                    fresh.observe(1.5); // never exposed empty (an empty one has no native part)
                    resettable.set(fresh);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        int targetPort = freePort();
        HTTPServer target = HTTPServer.builder().inetAddress(InetAddress.getLoopbackAddress()).port(targetPort).registry(registry).buildAndStart();
        observer.start();
        Path data = tmp.resolve("data");
        Path cfg = tmp.resolve("prometheus.yml");
        Files.writeString(cfg, """
                global:
                  scrape_interval: 500ms
                scrape_configs:
                  - job_name: client_java
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(targetPort));
        Path log = tmp.resolve("prometheus.log");
        int port = freePort();
        Process p = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + cfg, "--storage.tsdb.path=" + data,
                "--web.listen-address=127.0.0.1:" + port, "--enable-feature=native-histograms", "--web.enable-admin-api")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        String snapshot;
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            awaitReady(http, port, p, log);
            // Scrapes counted at the target, so the machine's load cannot skew the plan.
            awaitScrapes(scrapes, 6, p, log);
            resetNow.set(true);
            while (resetNow.get()) {
                Thread.sleep(10);
            }
            awaitScrapes(scrapes, scrapes.get() + 6, p, log);
            assertThat(p.isAlive()).as("prometheus running; log:\n%s", Files.readString(log)).isTrue();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/admin/tsdb/snapshot"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            Matcher m = SNAPSHOT.matcher(r.body());
            assertThat(m.find()).as(r.body()).isTrue();
            snapshot = m.group(1);
        } finally {
            stop.set(true);
            observer.join();
            target.close();
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }

        int chunks = 0;
        int samples = 0;
        int[] headers = new int[4];
        List<String> seen = new java.util.ArrayList<>();
        List<Path> blocks;
        try (Stream<Path> s = Files.list(data.resolve("snapshots").resolve(snapshot))) {
            blocks = s.filter(Files::isDirectory).toList();
        }
        assertThat(blocks).isNotEmpty();
        for (Path dir : blocks) {
            try (IndexFileReader index = IndexFileReader.open(dir.resolve(Block.INDEX));
                    ChunkSegmentReader reader = ChunkSegmentReader.open(dir.resolve(Block.CHUNKS))) {
                Postings postings = index.allPostings();
                LabelsBuilder lb = new LabelsBuilder();
                ChunkMetas metas = new ChunkMetas();
                while (postings.next()) {
                    index.series(postings.at(), lb, metas.clear());
                    HistogramAppender prev = null;
                    for (int i = 0; i < metas.size(); i++) {
                        Chunk c = reader.chunk(metas.ref(i));
                        if (c.encoding() != Encoding.HISTOGRAM) {
                            prev = null;
                            continue;
                        }
                        byte[] theirs = Arrays.copyOf(c.bytes(), c.length());
                        HistogramChunk ours = HistogramChunk.create();
                        HistogramAppender app = ours.appender();
                        SampleIterator it = c.iterator(null);
                        io.specula.model.histogram.Histogram h = null;
                        // Prometheus 2.42's head writes "unknown" into a chunk it cuts at a chunk-range
                        // boundary, where 3.x (and we) derive "not a reset" from the previous chunk;
                        // readers see no difference (the first sample's hint is "unknown" either way).
                        HistogramAppender from = ((HistogramChunk) c).counterResetHeader() == HistogramChunk.HEADER_UNKNOWN ? null : prev;
                        while (it.next() == ValueType.HISTOGRAM) {
                            h = it.atHistogram(h);
                            assertThat(app.append(from, it.atT(), h, false)).as("re-appending %s", lb.build()).isEqualTo(HistogramAppender.APPENDED);
                            samples++;
                        }
                        assertThat(it.err()).as("decoding a chunk of %s", lb.build()).isNull();
                        assertThat(HexFormat.of().formatHex(Arrays.copyOf(ours.bytes(), ours.length())))
                                .as("chunk %d of %s (%d samples)", i, lb.build(), c.numSamples())
                                .isEqualTo(HexFormat.of().formatHex(theirs));
                        headers[((HistogramChunk) c).counterResetHeader() >>> 6]++;
                        seen.add(lb.build().get("__name__") + lb.build().get("path") + ":" + ((HistogramChunk) c).counterResetHeader() + "/" + c.numSamples());
                        chunks++;
                        prev = app;
                    }
                }
            }
        }
        assertThat(chunks).as("histogram chunks Prometheus wrote; log:\n%s", Files.readString(log)).isGreaterThanOrEqualTo(4);
        assertThat(samples).isGreaterThan(30);
        // The reset cut a chunk. (2.42 marks it "unknown"; 3.x and we mark such a chunk "reset".)
        assertThat(seen.stream().filter(x -> x.startsWith("test_reset")).count()).as("chunks of the reset series; %s", seen).isGreaterThanOrEqualTo(2);
        System.out.printf("re-encoded %d histogram chunks (%d samples) of Prometheus 2.42 byte for byte; headers unknown/not-reset/reset/gauge: %s%n",
                chunks, samples, Arrays.toString(headers));

        // The block read path hands the same histograms out through the storage iterators, and a
        // block rewritten by our writer (what compaction does) holds them unchanged.
        for (Path dir : blocks) {
            Block block = Block.open(dir);
            Path rewritten = tmp.resolve("rewritten");
            Files.createDirectories(rewritten);
            io.specula.tsdb.block.BlockMeta meta;
            try (io.specula.tsdb.storage.Querier q = block.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                meta = io.specula.tsdb.block.BlockWriter.write(rewritten, io.specula.tsdb.block.Ulid.parse(dir.getFileName().toString()),
                        block.meta().minTime(), block.meta().maxTime(), q.select(true, null), null);
            }
            Block copy = Block.open(rewritten.resolve(dir.getFileName().toString()));
            try (io.specula.tsdb.storage.Querier q1 = block.querier(Long.MIN_VALUE, Long.MAX_VALUE);
                    io.specula.tsdb.storage.Querier q2 = copy.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                io.specula.tsdb.storage.SeriesSet a = q1.select(true, null);
                io.specula.tsdb.storage.SeriesSet b = q2.select(true, null);
                int histograms = 0;
                while (a.next()) {
                    assertThat(b.next()).isTrue();
                    assertThat(b.at().labels()).isEqualTo(a.at().labels());
                    SampleIterator ia = a.at().iterator(null);
                    SampleIterator ib = b.at().iterator(null);
                    for (int type = ia.next(); type != ValueType.NONE; type = ia.next()) {
                        assertThat(ib.next()).isEqualTo(type);
                        assertThat(ib.atT()).isEqualTo(ia.atT());
                        if (type == ValueType.HISTOGRAM) {
                            histograms++;
                            assertThat(ib.atHistogram(null).equals(ia.atHistogram(null))).isTrue();
                            assertThat(ib.atFloatHistogram(null).equals(ia.atFloatHistogram(null))).isTrue();
                        } else {
                            assertThat(Double.doubleToRawLongBits(ib.atV())).isEqualTo(Double.doubleToRawLongBits(ia.atV()));
                        }
                    }
                    assertThat(ia.err()).isNull();
                    assertThat(ib.next()).isEqualTo(ValueType.NONE);
                }
                assertThat(b.next()).isFalse();
                assertThat(histograms).isEqualTo(samples);
                assertThat(meta.stats().numSamples()).isGreaterThan(samples);
            } finally {
                copy.close();
                block.close();
            }
        }
    }

    private static void awaitScrapes(java.util.concurrent.atomic.AtomicInteger scrapes, int atLeast, Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (scrapes.get() < atLeast) {
            assertThat(p.isAlive()).as("prometheus running; log:\n%s", Files.readString(log)).isTrue();
            assertThat(System.nanoTime()).as("%d scrapes within 60 s", atLeast).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static void awaitReady(HttpClient http, int port, Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            assertThat(p.isAlive()).as("prometheus running; log:\n%s", Files.readString(log)).isTrue();
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("prometheus not ready; log:\n" + Files.readString(log));
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

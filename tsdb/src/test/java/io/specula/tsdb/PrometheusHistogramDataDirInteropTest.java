package io.specula.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.histogram.BucketIterator;
import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Spans;
import io.specula.model.labels.Labels;
import io.specula.model.labels.MatchType;
import io.specula.model.labels.Matcher;
import io.specula.testsupport.RealPrometheus;
import io.specula.tsdb.storage.Appender;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.SeriesSet;
import io.specula.tsdb.storage.ValueType;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Data directories with native histograms move both ways between the real Prometheus 2.42
 * ({@code --enable-feature=native-histograms}) and Specula with identical raw samples:
 * <ol>
 * <li>Prometheus scrapes a Prometheus Java client 1.x target serving native histograms over
 *     protobuf (a counter reset included); Specula opens its data directory (WAL records 7,
 *     {@code chunks_head/}) and the block of an admin-API snapshot, and returns what
 *     Prometheus's API returns for {@code {__name__=~"test_.*"}[1h]};</li>
 * <li>Specula writes integer and float histograms (a reset, a stale marker) into a data
 *     directory, compacting the older part into a block; Prometheus opens it and its API
 *     returns what Specula reads.</li>
 * </ol>
 * About 25 s; skipped with a message when Prometheus is not installed.
 */
class PrometheusHistogramDataDirInteropTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @BeforeEach
    void requirePrometheus() {
        Assumptions.assumeTrue(RealPrometheus.available(), RealPrometheus.BINARY
                + " not found: install Debian's 'prometheus' package to test histogram data directories against Prometheus 2.42");
    }

    /** A histogram as Prometheus's API shows it: count, sum and the populated buckets with their boundary rule. */
    static String render(FloatHistogram h) {
        StringBuilder sb = new StringBuilder("count=").append(h.count).append(" sum=").append(h.sum);
        BucketIterator it = h.allBuckets(null);
        while (it.next()) {
            if (it.count == 0) {
                continue; // the API lists populated buckets only
            }
            int rule = it.lowerInclusive ? (it.upperInclusive ? 3 : 1) : (it.upperInclusive ? 0 : 2);
            sb.append(" [").append(rule).append(',').append(it.lower).append(',').append(it.upper).append(',').append(it.count).append(']');
        }
        return sb.toString();
    }

    /** Every sample of the series matching {@code nameRegex} in (maxt − range, maxt], per series, read from Specula. */
    static Map<String, List<String>> ours(DB db, String nameRegex, long maxt, long range) throws Exception {
        Map<String, List<String>> out = new TreeMap<>();
        try (Querier q = db.querier(maxt - range + 1, maxt)) {
            SeriesSet set = q.select(true, null, Matcher.of(MatchType.REGEX, "__name__", nameRegex));
            while (set.next()) {
                List<String> samples = new ArrayList<>();
                SampleIterator it = set.at().iterator(null);
                int type;
                while ((type = it.next()) != ValueType.NONE) {
                    if (type == ValueType.FLOAT) {
                        samples.add(it.atT() + " " + it.atV());
                    } else if (it.atFloatHistogram(null).isStale()) {
                        continue; // the API does not return stale markers
                    } else {
                        samples.add(it.atT() + " " + render(it.atFloatHistogram(null)));
                    }
                }
                assertThat(it.err()).isNull();
                out.put(set.at().labels().toString(), samples);
            }
        }
        return out;
    }

    /**
     * The same from Prometheus's query API: a range selector evaluated at {@code maxt}, one query
     * per series (Prometheus 2.42 returns wrong integer histograms when one matrix result holds
     * several histogram series: a histogram object shared between them).
     */
    static Map<String, List<String>> theirs(RealPrometheus prom, String nameRegex, long maxt, long range) throws Exception {
        Map<String, List<String>> out = new TreeMap<>();
        for (JsonNode first : query(prom, "{__name__=~\"" + nameRegex + "\"}", maxt, range)) {
            StringBuilder sel = new StringBuilder("{");
            io.specula.model.labels.LabelsBuilder lb = new io.specula.model.labels.LabelsBuilder();
            for (Map.Entry<String, JsonNode> e : first.path("metric").properties()) {
                lb.add(e.getKey(), e.getValue().asString());
                sel.append(sel.length() > 1 ? "," : "").append(e.getKey()).append("=").append(JSON.writeValueAsString(e.getValue().asString()));
            }
            JsonNode series = query(prom, sel.append('}').toString(), maxt, range).get(0);
            List<String> samples = new ArrayList<>();
            for (JsonNode v : series.path("values")) {
                samples.add(millis(v.get(0)) + " " + Double.parseDouble(v.get(1).asString()));
            }
            for (JsonNode v : series.path("histograms")) {
                JsonNode h = v.get(1);
                StringBuilder sb = new StringBuilder("count=").append(Double.parseDouble(h.path("count").asString()))
                        .append(" sum=").append(Double.parseDouble(h.path("sum").asString()));
                for (JsonNode b : h.path("buckets")) {
                    sb.append(" [").append(b.get(0).asInt()).append(',').append(Double.parseDouble(b.get(1).asString()))
                            .append(',').append(Double.parseDouble(b.get(2).asString())).append(',')
                            .append(Double.parseDouble(b.get(3).asString())).append(']');
                }
                samples.add(millis(v.get(0)) + " " + sb);
            }
            samples.sort((a, b) -> Long.compare(Long.parseLong(a.split(" ")[0]), Long.parseLong(b.split(" ")[0])));
            out.put(lb.build().toString(), samples);
        }
        return out;
    }

    private static JsonNode query(RealPrometheus prom, String selector, long maxt, long range) throws Exception {
        String q = selector + "[" + range + "ms]";
        String body = prom.get("/api/v1/query?query=" + URLEncoder.encode(q, StandardCharsets.UTF_8) + "&time="
                + BigDecimal.valueOf(maxt).movePointLeft(3).toPlainString());
        JsonNode root = JSON.readTree(body);
        assertThat(root.path("status").asString()).as(body).isEqualTo("success");
        return root.path("data").path("result");
    }

    /** Equal maps, the first differing sample named in the message. */
    static void assertSame(Map<String, List<String>> actual, Map<String, List<String>> expected, String log) {
        assertThat(actual.keySet()).as("series; log:%n%s", log).isEqualTo(expected.keySet());
        for (String k : expected.keySet()) {
            List<String> a = actual.get(k), e = expected.get(k);
            for (int i = 0; i < Math.min(a.size(), e.size()); i++) {
                assertThat(a.get(i)).as("sample %d of %s: actual %s%nexpected %s", i, k,
                        a.subList(i, Math.min(a.size(), i + 12)), e.subList(i, Math.min(e.size(), i + 12))).isEqualTo(e.get(i));
            }
            assertThat(a).as("samples of %s", k).hasSameSizeAs(e);
        }
    }

    private static long millis(JsonNode seconds) {
        return new BigDecimal(seconds.asString()).movePointRight(3).longValueExact();
    }

    @Test
    void specula_opensPrometheusDataDirAndSnapshotBlock_withTheSameHistograms() throws Exception {
        Path promDir = tmp.resolve("prom");
        Files.createDirectories(promDir);
        Path cfg = promDir.resolve("prometheus.yml");
        ClientJavaHistogramTarget target = new ClientJavaHistogramTarget(7, false);
        Files.writeString(cfg, target.prometheusConfig());
        long at;
        Map<String, List<String>> theirs;
        Path snapshotDir;
        String log;
        try (RealPrometheus prom = RealPrometheus.start(cfg, promDir, List.of(), "--enable-feature=native-histograms",
                "--web.enable-admin-api")) {
            target.awaitScrapes(6);
            target.resetCounter();
            target.awaitScrapes(target.scrapes() + 6);
            at = System.currentTimeMillis();
            snapshotDir = prom.snapshot();
            theirs = theirs(prom, "test_.*", at, 3_600_000);
            log = prom.log();
        } finally {
            target.close();
        }
        assertThat(theirs).as("Prometheus log:%n%s", log).hasSize(3);
        assertThat(theirs.values()).allSatisfy(v -> assertThat(v).hasSizeGreaterThanOrEqualTo(8));

        Path data = promDir.resolve("data");
        Path snapshotCopy = tmp.resolve("snapshot");
        copy(snapshotDir, snapshotCopy);
        deleteRecursively(data.resolve("snapshots"));
        try (DB db = DB.open(data, DB.Options.defaults())) {
            assertThat(db.head().replayReport().skippedRecords()).as("histogram records replayed, none skipped").isZero();
            assertSame(ours(db, "test_.*", at, 3_600_000), theirs, "");
        }
        try (DB db = DB.open(snapshotCopy, DB.Options.defaults())) {
            assertThat(db.blocks()).isNotEmpty();
            Map<String, List<String>> fromBlock = ours(db, "test_.*", at, 3_600_000);
            assertThat(fromBlock.keySet()).isEqualTo(theirs.keySet());
            for (Map.Entry<String, List<String>> e : fromBlock.entrySet()) {
                // The snapshot was taken just before the query time: its samples are a prefix.
                List<String> all = theirs.get(e.getKey());
                assertThat(e.getValue()).hasSizeGreaterThanOrEqualTo(all.size() - 2);
                assertThat(e.getValue()).isEqualTo(all.subList(0, e.getValue().size()));
            }
        }
    }

    @Test
    void prometheus_opensSpeculaDataDir_walAndBlock_withTheSameHistograms() throws Exception {
        Path specDir = tmp.resolve("spec");
        Path data = specDir.resolve("data");
        long step = 60_000;
        long now = System.currentTimeMillis() / step * step;
        long first = now - 299 * step; // five hours: the older part goes into a block
        Labels h = Labels.of("__name__", "specula_latency_seconds", "job", "x");
        Labels f = Labels.of("__name__", "specula_ratio", "job", "x");
        Labels g = Labels.of("__name__", "specula_gauge_histogram", "job", "x");
        Map<String, List<String>> ours;
        try (DB db = DB.open(data, DB.Options.defaults())) {
            for (int i = 0; i < 300; i++) {
                long t = first + i * step;
                Appender app = db.appender();
                int k = i < 200 ? i : i - 200; // a counter reset at i = 200
                app.appendHistogram(0, h, 0, t, counter(k), null);
                if (i != 150) {
                    app.appendHistogram(0, f, 0, t, null, counter(k).toFloat(null).mul(0.5));
                } else {
                    app.append(0, f, t, io.specula.model.value.StaleNaN.VALUE); // a stale marker
                }
                FloatHistogram gauge = counter(i % 17).toFloat(null);
                gauge.counterResetHint = io.specula.model.histogram.CounterResetHint.GAUGE;
                app.appendHistogram(0, g, 0, t, null, gauge);
                app.commit();
            }
            assertThat(db.compact()).as("blocks written").isPositive();
            ours = ours(db, "specula_.*", now, 6 * 3_600_000L);
        }
        assertThat(ours).hasSize(3);
        assertThat(ours.get(h.toString())).hasSize(300);
        assertThat(ours.get(f.toString())).hasSize(299);
        try (Stream<Path> s = Files.list(data)) {
            assertThat(s.filter(p -> p.getFileName().toString().length() == 26).count()).as("a block").isPositive();
        }
        Path cfg = specDir.resolve("prometheus.yml");
        Files.writeString(cfg, "global:\n  scrape_interval: 1h\n");
        try (RealPrometheus prom = RealPrometheus.start(cfg, specDir, List.of(), "--enable-feature=native-histograms")) {
            Map<String, List<String>> theirs = theirs(prom, "specula_.*", now, 6 * 3_600_000L);
            assertSame(theirs, ours, prom.log());
        }
    }

    /** A counter histogram after {@code k} increments, new buckets appearing as it grows. */
    static io.specula.model.histogram.Histogram counter(int k) {
        io.specula.model.histogram.Histogram x = new io.specula.model.histogram.Histogram();
        x.schema = 1;
        x.zeroThreshold = 1e-128;
        x.zeroCount = k;
        int n = 2 + k / 40;
        x.positiveSpans = Spans.of(-1, n);
        x.positiveBuckets = new long[n];
        long prev = 0, count = k;
        for (int b = 0; b < n; b++) {
            long abs = (long) k * (b + 1) + b;
            x.positiveBuckets[b] = abs - prev;
            prev = abs;
            count += abs;
        }
        x.count = count;
        x.sum = k * 2.25;
        return x;
    }

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path d = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(d);
                } else {
                    Files.copy(p, d);
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

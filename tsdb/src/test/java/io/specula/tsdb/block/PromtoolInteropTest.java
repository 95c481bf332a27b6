package io.specula.tsdb.block;

import io.specula.tsdb.fileutil.FileUtil;
import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.model.textparse.Entry;
import io.specula.model.textparse.OpenMetricsParser;
import io.specula.tsdb.head.Head;
import io.specula.tsdb.storage.Appender;
import io.specula.tsdb.storage.MergeQuerier;
import io.specula.tsdb.storage.Querier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Blocks both ways with the real Prometheus tooling: promtool must list, analyze and dump
 * blocks we write to exactly the samples we ingested, and we must read the blocks promtool's
 * {@code create-blocks-from openmetrics} writes to exactly the samples of the file. Aborted
 * with a message when promtool is missing.
 */
class PromtoolInteropTest {
    private static final long H2 = 2 * 3600_000L;
    /** A multiple of 2 h, so block boundaries are predictable. */
    private static final long T0 = 1_699_999_200_000L;
    /** Go's math.NaN(), which Prometheus's parser returns for "NaN". */
    private static final long GO_NAN_BITS = 0x7FF8000000000001L;

    @TempDir
    Path tmp;

    /**
     * An OpenMetrics file of {@code series} gauges over [T0, T0 + span); returns the samples
     * as Prometheus reads them (seconds parsed as float64, times 1000, truncated).
     */
    private static Map<Labels, List<String>> writeOpenMetrics(Random rnd, int series, long span, Path file) throws Exception {
        StringBuilder sb = new StringBuilder();
        Map<Labels, List<String>> out = new TreeMap<>();
        for (int s = 0; s < series; s++) {
            String name = "specula_m" + (s % 4);
            String inst = "host-" + s + (s % 5 == 0 ? "-ü" : "");
            Labels l = Labels.of("__name__", name, "instance", inst, "zone", s % 2 == 0 ? "a" : "b");
            if (s < 4) {
                sb.append("# TYPE ").append(name).append(" gauge\n");
            }
            List<String> samples = new ArrayList<>();
            long step = 5_000 + rnd.nextInt(60_000);
            double acc = rnd.nextInt(1000);
            for (long t = T0 + rnd.nextInt(10_000); t < T0 + span; t += step + rnd.nextInt(50)) {
                double v = switch (rnd.nextInt(12)) {
                    case 0 -> Double.NaN;
                    case 1 -> Double.POSITIVE_INFINITY;
                    case 2 -> rnd.nextGaussian() * Math.pow(10, rnd.nextInt(40) - 20);
                    case 3 -> -0.0;
                    default -> acc += rnd.nextInt(100);
                };
                String secs = String.format("%d.%03d", t / 1000, t % 1000);
                long parsedT = (long) (Double.parseDouble(secs) * 1000);
                String text = Double.isNaN(v) ? "NaN" : Double.isInfinite(v) ? (v > 0 ? "+Inf" : "-Inf") : Double.toString(v);
                samples.add(TestSamples.sample(parsedT, Double.isNaN(v) ? Double.longBitsToDouble(GO_NAN_BITS) : v));
                sb.append(name).append("{instance=\"").append(inst).append("\",zone=\"").append(l.get("zone")).append("\"} ")
                        .append(text).append(' ').append(secs).append('\n');
            }
            out.put(l, samples);
        }
        // OpenMetrics wants a family's samples together: regroup the lines by metric name.
        List<String> lines = new ArrayList<>(List.of(sb.toString().split("\n")));
        StringBuilder grouped = new StringBuilder();
        for (int m = 0; m < 4; m++) {
            String name = "specula_m" + m;
            grouped.append("# TYPE ").append(name).append(" gauge\n");
            for (String line : lines) {
                if (line.startsWith(name + "{")) {
                    grouped.append(line).append('\n');
                }
            }
        }
        grouped.append("# EOF\n");
        Files.writeString(file, grouped, StandardCharsets.UTF_8);
        return out;
    }

    /** Parses {@code file} with our OpenMetrics parser into a head. */
    private static Head ingest(Path file) throws Exception {
        Head head = new Head(Long.MAX_VALUE / 4, null);
        OpenMetricsParser p = new OpenMetricsParser(Files.readAllBytes(file));
        Appender app = head.appender();
        LabelsBuilder lb = new LabelsBuilder();
        for (Entry e; (e = p.next()) != null; ) {
            if (e == Entry.SERIES) {
                p.labels(lb);
                app.append(0, lb.build(), p.timestamp(), p.value());
            }
        }
        app.commit();
        return head;
    }

    /** promtool dump lines as labels → "t=bits", with NaN as Go's NaN (the text cannot say more). */
    private static Map<String, List<String>> parseDump(String dump) {
        Map<String, List<String>> out = new TreeMap<>();
        for (String line : dump.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int ts = line.lastIndexOf(' ');
            int val = line.lastIndexOf(' ', ts - 1);
            double v = switch (line.substring(val + 1, ts)) {
                case "NaN" -> Double.longBitsToDouble(GO_NAN_BITS);
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(line.substring(val + 1, ts));
            };
            out.computeIfAbsent(line.substring(0, val), k -> new ArrayList<>())
                    .add(TestSamples.sample(Long.parseLong(line.substring(ts + 1)), v));
        }
        return out;
    }

    /** Go's labels.String(): {a="b", c="d"} (our values need no escaping). */
    private static String goLabels(Labels l) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < l.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(l.name(i)).append("=\"").append(l.value(i)).append('"');
        }
        return sb.append('}').toString();
    }

    private static Map<String, List<String>> asDump(Map<Labels, List<String>> data) {
        Map<String, List<String>> out = new TreeMap<>();
        data.forEach((l, s) -> out.put(goLabels(l), s));
        return out;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2})
    void ourBlock_listedAnalyzedAndDumpedByPromtool(long seed) throws Exception {
        Path promtool = Promtool.require();
        Path om = tmp.resolve("in.om");
        Map<Labels, List<String>> data = writeOpenMetrics(new Random(seed), 25, H2, om);
        Head head = ingest(om);
        Path db = tmp.resolve("db");
        Files.createDirectories(db.resolve("wal")); // promtool dump opens the data dir's (here empty) WAL too
        Ulid id = Ulid.random(T0, new Random(seed));
        BlockMeta meta = BlockWriter.write(db, id, T0, T0 + H2, head.querier(Long.MIN_VALUE, Long.MAX_VALUE).select(true, null), null);

        String list = Promtool.run(promtool, "tsdb", "list", db.toString());
        assertThat(list).contains(id.toString()).contains(" " + meta.stats().numSamples() + " ")
                .contains(" " + meta.stats().numChunks() + " ").contains(" " + meta.stats().numSeries() + " ");

        String analyze = Promtool.run(promtool, "tsdb", "analyze", db.toString());
        assertThat(analyze).contains("Block ID: " + id).contains("Series: " + data.size())
                .contains("Label names: 3").contains("Postings (unique label pairs): ");

        String dump = Promtool.run(promtool, "tsdb", "dump", db.toString());
        assertThat(parseDump(dump)).isEqualTo(asDump(data));
        assertThat(dump.lines().count()).isEqualTo(TestSamples.count(data));
    }

    @org.junit.jupiter.api.Test
    void ourTombstonesAndCompactedBlocks_honouredByPromtool() throws Exception {
        Path promtool = Promtool.require();
        Path om = tmp.resolve("in.om");
        Map<Labels, List<String>> data = writeOpenMetrics(new Random(5), 20, 2 * H2, om);
        Head head = ingest(om);
        Path db = tmp.resolve("db");
        Files.createDirectories(db.resolve("wal"));
        Ulid.Generator ids = new Ulid.Generator(new Random(5));
        List<Block> parts = new ArrayList<>();
        for (long t = T0; t < T0 + 2 * H2; t += H2) {
            BlockMeta m = BlockWriter.write(db, ids.next(t), t, t + H2, head.querier(Long.MIN_VALUE, Long.MAX_VALUE).select(true, null), null);
            parts.add(Block.open(db.resolve(m.ulid().toString())));
        }
        long dmin = T0 + H2 - 1_800_000, dmax = T0 + H2 + 1_800_000; // across the block boundary
        io.specula.model.labels.Matcher zone = io.specula.model.labels.Matcher.of(io.specula.model.labels.MatchType.EQUAL, "zone", "a");
        Map<Labels, List<String>> want = new TreeMap<>();
        data.forEach((l, s) -> want.put(l, l.get("zone").equals("a")
                ? s.stream().filter(x -> TestSamples.time(x) < dmin || TestSamples.time(x) > dmax).toList() : s));
        want.values().removeIf(List::isEmpty);
        try {
            for (Block b : parts) {
                b.delete(dmin, dmax, zone);
            }
            assertThat(parseDump(Promtool.run(promtool, "tsdb", "dump", db.toString()))).as("tombstones honoured").isEqualTo(asDump(want));

            BlockMeta merged = io.specula.tsdb.compact.Compactor.compact(db, parts, ids.next(T0));
            for (Block b : parts) {
                b.close();
                FileUtil.deleteRecursively(b.dir());
            }
            assertThat(merged.compaction().level()).isEqualTo(2);
            String list = Promtool.run(promtool, "tsdb", "list", db.toString());
            assertThat(list).contains(merged.ulid().toString()).contains(" " + merged.stats().numSamples() + " ");
            assertThat(parseDump(Promtool.run(promtool, "tsdb", "dump", db.toString()))).as("compacted").isEqualTo(asDump(want));
        } finally {
            parts.forEach(Block::close);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {3, 4})
    void promtoolBlocks_readByBlockToExactlyTheFileSamples(long seed) throws Exception {
        Path promtool = Promtool.require();
        Path om = tmp.resolve("in.om");
        Map<Labels, List<String>> data = writeOpenMetrics(new Random(seed), 30, 3 * H2 + 1_800_000, om);
        Path out = tmp.resolve("out");
        Promtool.run(promtool, "tsdb", "create-blocks-from", "openmetrics", "-q", om.toString(), out.toString());
        List<Block> blocks = new ArrayList<>();
        try (Stream<Path> s = Files.list(out)) {
            for (Path p : s.filter(Files::isDirectory).sorted().toList()) {
                blocks.add(Block.open(p));
            }
        }
        try {
            assertThat(blocks).as("one block per 2 h range").hasSize(4);
            for (Block b : blocks) {
                // promtool's blocks cover their samples, [first, last + 1), inside one aligned 2 h range
                assertThat(b.meta().minTime() / H2).isEqualTo((b.meta().maxTime() - 1) / H2);
                b.verify();
            }
            List<Querier> qs = new ArrayList<>();
            for (Block b : blocks) {
                qs.add(b.querier(Long.MIN_VALUE, Long.MAX_VALUE));
            }
            try (Querier q = MergeQuerier.of(qs)) {
                assertThat(TestSamples.all(q)).isEqualTo(data);
            }
            // Our parser agrees with promtool's on the same file.
            try (Querier q = ingest(om).querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                assertThat(TestSamples.all(q)).isEqualTo(data);
            }
        } finally {
            blocks.forEach(Block::close);
        }
    }
}

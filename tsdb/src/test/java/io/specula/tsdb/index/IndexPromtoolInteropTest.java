package io.specula.tsdb.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.model.labels.MatchType;
import io.specula.model.labels.Matcher;
import io.specula.tsdb.block.BlockMeta;
import io.specula.tsdb.block.BlockMetaFormat;
import io.specula.tsdb.block.Ulid;
import io.specula.tsdb.tombstones.Tombstones;
import io.specula.tsdb.tombstones.TombstonesFormat;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Interop with the real Prometheus (Debian's promtool 2.42), both ways:
 * <ol>
 * <li>promtool builds a block from an OpenMetrics file generated here; the index reader must
 *     find every series, label value and postings list, and the writer, fed what the reader
 *     decoded, must reproduce promtool's index byte for byte; meta.json and tombstones too.
 * <li>a block whose index, meta.json and tombstones are written here (from the generated
 *     series, not from promtool's index), with promtool's chunk files: {@code promtool tsdb
 *     dump} must print exactly what it prints for promtool's own block.
 * <li>a random index (odd label names and values) with an empty chunks directory, with and
 *     without label indices: {@code promtool tsdb analyze} must count what was written.
 * </ol>
 * Skipped, with a message, when promtool is not installed.
 */
class IndexPromtoolInteropTest {
    private static Path promtool;

    @TempDir
    Path dir;

    @BeforeAll
    static void findPromtool() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String d : (path + File.pathSeparator + "/usr/bin").split(File.pathSeparator)) {
            Path p = Path.of(d.isEmpty() ? "." : d, "promtool");
            if (Files.isExecutable(p)) {
                promtool = p;
                return;
            }
        }
        Assumptions.abort("promtool not found on PATH (" + path + ") or in /usr/bin; install Debian's 'prometheus' package "
                + "to check the index format against the real Prometheus");
    }

    private static String run(Path cwd, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(promtool.toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("promtool %s finished", List.of(args)).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("promtool %s exit code; output:%n%s", List.of(args), text).isZero();
        return text;
    }

    /** Series → sample timestamps (ms), as written to the OpenMetrics file. */
    private static Map<Labels, long[]> writeOpenMetrics(Path file, long seed, int families) throws IOException {
        Random rnd = new Random(seed);
        String[] names = {"instance", "job", "le", "zone", "a_b"};
        String[] values = {"a", "b", "node-1", "node-2", "ä", "\uD83D\uDE00", "\uFF5E", "with space", "q\"uote", "new\nline", "back\\slash", "v10", "v9"};
        Map<Labels, long[]> series = new LinkedHashMap<>();
        StringBuilder sb = new StringBuilder();
        long t0 = 1_700_000_000_000L;
        for (int f = 0; f < families; f++) {
            String metric = "metric_" + f;
            sb.append("# TYPE ").append(metric).append(" gauge\n");
            int n = 1 + rnd.nextInt(60);
            for (int s = 0; s < n; s++) {
                LabelsBuilder b = new LabelsBuilder().set("__name__", metric);
                for (String name : names) {
                    if (rnd.nextInt(3) > 0) {
                        b.set(name, values[rnd.nextInt(values.length)]);
                    }
                }
                Labels l = b.build();
                if (series.containsKey(l)) {
                    continue;
                }
                long[] ts = new long[1 + rnd.nextInt(5)];
                long t = t0 + rnd.nextInt(1_000_000);
                for (int i = 0; i < ts.length; i++) {
                    ts[i] = t;
                    t += 1 + rnd.nextInt(60_000);
                }
                series.put(l, ts);
                for (long ts1 : ts) {
                    sb.append(metric).append('{');
                    boolean first = true;
                    for (int i = 0; i < l.size(); i++) {
                        if (l.name(i).equals("__name__")) {
                            continue;
                        }
                        sb.append(first ? "" : ",").append(l.name(i)).append("=\"")
                                .append(l.value(i).replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
                        first = false;
                    }
                    sb.append("} ").append(rnd.nextInt(1000)).append(".5 ").append(ts1 / 1000).append('.')
                            .append(String.format("%03d", ts1 % 1000)).append('\n');
                }
            }
        }
        sb.append("# EOF\n");
        Files.writeString(file, sb.toString());
        return series;
    }

    /** The whitespace-separated columns of the row of {@code ulid} in {@code promtool tsdb list} output. */
    private static List<String> listRow(String list, Ulid ulid) {
        return list.lines().filter(l -> l.startsWith(ulid.toString())).findFirst()
                .map(l -> List.of(l.trim().split("\\s+"))).orElseThrow(() -> new AssertionError(ulid + " not listed:\n" + list));
    }

    private static Path onlyBlock(Path db) throws IOException {
        try (Stream<Path> s = Files.list(db)) {
            List<Path> blocks = s.filter(Files::isDirectory).toList();
            assertThat(blocks).hasSize(1);
            return blocks.get(0);
        }
    }

    @Test
    void promtoolBlock_readsBackAndRewritesIdentically_andOurBlockDumpsTheSame() throws Exception {
        Path om = dir.resolve("input.om");
        Map<Labels, long[]> expected = writeOpenMetrics(om, 21, 25);
        Path promDb = Files.createDirectory(dir.resolve("prom"));
        run(dir, "tsdb", "create-blocks-from", "openmetrics", om.toString(), promDb.toString());
        Path block = onlyBlock(promDb);

        // 1. Our reader on promtool's index.
        Map<Labels, ChunkMetas> chunksByLabels = new HashMap<>();
        List<Labels> seriesOrder = new ArrayList<>();
        try (IndexFileReader r = IndexReader.open(block.resolve("index"))) {
            r.verifyChecksums();
            TreeMap<String, TreeSet<String>> values = new TreeMap<>(Utf8Order.STRINGS);
            for (Labels l : expected.keySet()) {
                l.forEach((n, v) -> values.computeIfAbsent(n, k -> new TreeSet<>(Utf8Order.STRINGS)).add(v));
            }
            assertThat(r.labelNames()).containsExactlyElementsOf(values.keySet());
            for (var e : values.entrySet()) {
                assertThat(r.labelValues(e.getKey())).containsExactlyElementsOf(e.getValue());
            }

            LabelsBuilder b = new LabelsBuilder();
            Postings all = r.allPostings();
            Map<Long, Labels> byRef = new HashMap<>();
            while (all.next()) {
                ChunkMetas c = new ChunkMetas();
                r.series(all.at(), b, c);
                Labels l = b.build();
                long[] ts = expected.get(l);
                assertThat(ts).as("series %s is one we wrote", l).isNotNull();
                assertThat(c.size()).isEqualTo(1); // at most 5 samples: one chunk
                assertThat(c.minTime(0)).isEqualTo(ts[0]);
                assertThat(c.maxTime(0)).isEqualTo(ts[ts.length - 1]);
                chunksByLabels.put(l, c);
                seriesOrder.add(l);
                byRef.put(all.at(), l);
            }
            assertThat(seriesOrder).hasSize(expected.size()).isSortedAccordingTo(Utf8Order.LABELS);

            for (var e : values.entrySet()) {
                for (String v : e.getValue()) {
                    List<Labels> got = new ArrayList<>();
                    Postings p = r.postings(e.getKey(), v);
                    while (p.next()) {
                        got.add(byRef.get(p.at()));
                    }
                    assertThat(got).containsExactlyElementsOf(seriesOrder.stream().filter(l -> l.get(e.getKey()).equals(v)).toList());
                }
            }
            for (Matcher m : List.of(Matcher.of(MatchType.REGEX, "job", "node-.*"), Matcher.of(MatchType.NOT_EQUAL, "zone", "a"),
                    Matcher.of(MatchType.REGEX, "le", "v10|v9|ä"), Matcher.of(MatchType.NOT_REGEX, "instance", ".*e.*"))) {
                List<Labels> got = new ArrayList<>();
                Postings p = PostingsForMatchers.postings(r, Matcher.of(MatchType.REGEX, "__name__", "metric_1.*"), m);
                while (p.next()) {
                    got.add(byRef.get(p.at()));
                }
                assertThat(got).as("%s", m).containsExactlyElementsOf(seriesOrder.stream()
                        .filter(l -> l.metricName().startsWith("metric_1") && m.matches(l.get(m.name()))).toList());
            }

            // The writer, fed what the reader decoded, reproduces promtool's bytes.
            Path rewritten = dir.resolve("rewritten-index");
            try (IndexWriter w = IndexWriter.create(rewritten)) {
                for (var it = r.symbols(); it.hasNext(); ) {
                    w.addSymbol(it.next());
                }
                for (Labels l : seriesOrder) {
                    w.addSeries(l, chunksByLabels.get(l));
                }
            }
            assertThat(Files.readAllBytes(rewritten)).isEqualTo(Files.readAllBytes(block.resolve("index")));
        }

        // meta.json and tombstones as promtool wrote them.
        BlockMeta meta = BlockMetaFormat.read(block);
        long samples = expected.values().stream().mapToLong(ts -> ts.length).sum();
        long minT = expected.values().stream().mapToLong(ts -> ts[0]).min().orElseThrow();
        long maxT = expected.values().stream().mapToLong(ts -> ts[ts.length - 1]).max().orElseThrow();
        assertThat(meta.ulid().toString()).isEqualTo(block.getFileName().toString());
        assertThat(meta).isEqualTo(BlockMeta.of(meta.ulid(), minT, maxT + 1, BlockMeta.Stats.of(samples, expected.size(), expected.size())));
        assertThat(BlockMetaFormat.format(meta)).isEqualTo(Files.readString(block.resolve("meta.json")));
        assertThat(TombstonesFormat.read(block)).isEqualTo(Tombstones.EMPTY);
        assertThat(TombstonesFormat.encode(Tombstones.EMPTY)).isEqualTo(Files.readAllBytes(block.resolve("tombstones")));

        // 2. Our block: index from the generated series (symbols without promtool's ""),
        // meta.json and tombstones written here, chunk files copied from promtool's block.
        Path ourDb = Files.createDirectory(dir.resolve("ours"));
        Ulid ulid = Ulid.of(meta.ulid().time() + 1, 42, 42);
        Path ourBlock = Files.createDirectory(ourDb.resolve(ulid.toString()));
        Files.createDirectory(ourBlock.resolve("chunks"));
        try (Stream<Path> s = Files.list(block.resolve("chunks"))) {
            for (Path c : s.toList()) {
                Files.copy(c, ourBlock.resolve("chunks").resolve(c.getFileName()));
            }
        }
        List<Labels> sorted = new ArrayList<>(expected.keySet());
        sorted.sort(Utf8Order.LABELS);
        TreeSet<String> symbols = new TreeSet<>(Utf8Order.STRINGS);
        sorted.forEach(l -> l.forEach((n, v) -> {
            symbols.add(n);
            symbols.add(v);
        }));
        try (IndexWriter w = IndexWriter.create(ourBlock.resolve("index"))) {
            for (String sym : symbols) {
                w.addSymbol(sym);
            }
            for (Labels l : sorted) {
                w.addSeries(l, chunksByLabels.get(l));
            }
        }
        BlockMetaFormat.write(ourBlock, BlockMeta.of(ulid, minT, maxT + 1, BlockMeta.Stats.of(samples, expected.size(), expected.size())));
        TombstonesFormat.write(ourBlock, Tombstones.EMPTY);

        Files.createDirectory(promDb.resolve("wal")); // dump opens the whole DB, head included
        Files.createDirectory(ourDb.resolve("wal"));
        String promDump = run(dir, "tsdb", "dump", promDb.toString());
        String ourDump = run(dir, "tsdb", "dump", ourDb.toString());
        assertThat(ourDump.lines().count()).isEqualTo(samples);
        assertThat(ourDump).isEqualTo(promDump);

        assertThat(listRow(run(dir, "tsdb", "list", ourDb.toString()), ulid))
                .startsWith(ulid.toString(), String.valueOf(minT), String.valueOf(maxT + 1))
                .contains(String.valueOf(samples), String.valueOf(expected.size()));
        String analyze = run(dir, "tsdb", "analyze", ourDb.toString(), ulid.toString());
        assertThat(analyze).contains("Series: " + expected.size() + "\n");
    }

    @ParameterizedTest(name = "label indices: {0}")
    @ValueSource(booleans = {true, false})
    void ourRandomIndex_promtoolAnalyzeCountsIt(boolean labelIndices) throws Exception {
        // At least one chunk per series: analyze (2.42) indexes the last chunk of every series.
        List<TestIndex.Series> series = TestIndex.randomSeries(77, 2000, 1);
        Path db = Files.createDirectory(dir.resolve("db"));
        Ulid ulid = Ulid.of(1_700_000_000_000L, 1, 2);
        Path block = Files.createDirectory(db.resolve(ulid.toString()));
        Files.createDirectory(block.resolve("chunks")); // analyze reads chunk metas from the index only
        TestIndex.write(block.resolve("index"), series, labelIndices);
        BlockMetaFormat.write(block, BlockMeta.of(ulid, 0, 7_200_000, BlockMeta.Stats.of(10, series.size(), 20)));

        long pairs = 0;
        TreeSet<String> names = new TreeSet<>(), pairSet = new TreeSet<>();
        for (TestIndex.Series s : series) {
            pairs += s.labels().size();
            s.labels().forEach((n, v) -> {
                names.add(n);
                pairSet.add(n + "\u0000" + v);
            });
        }
        String out = run(dir, "tsdb", "analyze", db.toString(), ulid.toString());
        assertThat(out).contains("Series: " + series.size() + "\n", "Label names: " + names.size() + "\n",
                "Postings (unique label pairs): " + pairSet.size() + "\n", "Postings entries (total label pairs): " + pairs + "\n");
        assertThat(listRow(run(dir, "tsdb", "list", db.toString()), ulid))
                .containsExactly(ulid.toString(), "0", "7200000", "2h0m0s", "10", "20", "2000", String.valueOf(Files.size(block.resolve("index"))
                        + Files.size(block.resolve("meta.json"))));
        assertThat(Arrays.asList(out.split("\n"))).contains("Highest cardinality metric names:");
    }
}

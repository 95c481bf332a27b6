package io.specula.app.tool;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.app.Main;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code specula tool tsdb …} against the real promtool: on the same blocks, our list, dump
 * and analyze print what promtool prints, and our create-blocks-from cuts the same blocks as
 * promtool's. The promtool comparisons are aborted with a message when promtool is missing.
 */
class TsdbCommandsTest {
    /** 2023-11-14T22:00:00Z, a multiple of 2 h. */
    private static final long T0 = 1_699_999_200_000L;
    private static final long H2 = 2 * 3600_000L;

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut, oldErr;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    /** Runs {@code specula args...}, asserts exit 0 and returns stdout. */
    private String specula(String... args) {
        out.reset();
        err.reset();
        int code = Main.run(args);
        assertThat(code).as("specula %s: %s", Arrays.toString(args), err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Path promtool() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String d : path.split(File.pathSeparator)) {
            Path p = Path.of(d.isEmpty() ? "." : d, "promtool");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        Assumptions.abort("promtool not found on PATH (" + path + "); install Debian's 'prometheus' package to compare with promtool");
        return null;
    }

    private static String promtool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(promtool().toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String o = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("promtool %s", cmd).isZero();
        return o;
    }

    /** An OpenMetrics file: counters and gauges with awkward values over {@code span} ms. */
    private Path openMetrics(long seed, int series, long span) throws Exception {
        Random rnd = new Random(seed);
        StringBuilder sb = new StringBuilder();
        for (int m = 0; m < 3; m++) {
            sb.append("# TYPE tool_metric_").append(m).append(" gauge\n");
            for (int s = m; s < series; s += 3) {
                long step = 10_000 + rnd.nextInt(50_000);
                double acc = rnd.nextInt(100);
                long start = T0 + rnd.nextLong(span / 2);
                long end = start + rnd.nextLong(span / 2) + 1;
                for (long t = start; t < end; t += step) {
                    double v = switch (rnd.nextInt(8)) {
                        case 0 -> rnd.nextGaussian() * Math.pow(10, rnd.nextInt(30) - 15);
                        case 1 -> Double.NaN;
                        case 2 -> 1234567.0 * rnd.nextInt(1000);
                        default -> acc += rnd.nextInt(1000) / 10.0;
                    };
                    String text = Double.isNaN(v) ? "NaN" : Double.toString(v);
                    sb.append("tool_metric_").append(m).append("{host=\"h").append(s).append("\",dc=\"").append(s % 2 == 0 ? "eu" : "us")
                            .append("\"} ").append(text).append(' ').append(t / 1000).append('.').append(String.format("%03d", t % 1000)).append('\n');
                }
            }
        }
        sb.append("# EOF\n");
        Path f = tmp.resolve("in-" + seed + ".om");
        Files.writeString(f, sb);
        return f;
    }

    @Test
    void createBlocksFrom_thenListDumpAnalyze_matchPromtoolOnTheSameBlocks() throws Exception {
        Path om = openMetrics(1, 40, 5 * H2);
        Path db = tmp.resolve("db");
        String created = specula("tool", "tsdb", "create-blocks-from", "openmetrics", om.toString(), db.toString());
        assertThat(created).startsWith("BLOCK ULID");
        Files.createDirectories(db.resolve("wal")); // promtool dump also reads a data dir's WAL

        String list = specula("tool", "tsdb", "list", db.toString());
        assertThat(list.lines().count()).as(list).isGreaterThan(3);
        assertThat(list).isEqualTo(promtool("tsdb", "list", db.toString()));
        assertThat(specula("tool", "tsdb", "list", "-r", db.toString())).isEqualTo(promtool("tsdb", "list", "-r", db.toString()));
        assertThat(created).as("create-blocks-from prints the blocks as list does").isEqualTo(list);

        String dump = specula("tool", "tsdb", "dump", db.toString());
        assertThat(dump).isEqualTo(promtool("tsdb", "dump", db.toString()));
        String[] filter = {"--min-time=" + (T0 + 3_000_000), "--max-time=" + (T0 + 3 * H2), "--match={dc=\"eu\",__name__=~\"tool_metric_[01]\"}"};
        String filtered = specula(concat(new String[] {"tool", "tsdb", "dump"}, filter, db.toString()));
        assertThat(filtered).isNotEmpty().isEqualTo(promtool(concat(new String[] {"tsdb", "dump"}, filter, db.toString())));

        String ours = specula("tool", "tsdb", "analyze", db.toString());
        String theirs = promtool("tsdb", "analyze", db.toString());
        // promtool sorts with an unstable sort, so ties may come in any order: compare sections as sets.
        assertThat(sections(ours)).isEqualTo(sections(theirs));
        assertThat(ours.lines().toList().subList(0, 7)).isEqualTo(theirs.lines().toList().subList(0, 7));
    }

    private static String[] concat(String[] a, String[] b, String last) {
        List<String> l = new ArrayList<>(List.of(a));
        l.addAll(List.of(b));
        l.add(last);
        return l.toArray(new String[0]);
    }

    private static List<List<String>> sections(String analyze) {
        List<List<String>> out = new ArrayList<>();
        for (String s : analyze.split("\n\n")) {
            out.add(s.lines().sorted().toList());
        }
        return out;
    }

    @Test
    void createBlocksFrom_cutsTheSameBlocksAsPromtool() throws Exception {
        Path om = openMetrics(2, 30, 4 * H2);
        Path ours = tmp.resolve("ours");
        Path theirs = tmp.resolve("theirs");
        specula("tool", "tsdb", "create-blocks-from", "openmetrics", "-q", om.toString(), ours.toString());
        promtool("tsdb", "create-blocks-from", "openmetrics", "-q", om.toString(), theirs.toString());
        Files.createDirectories(ours.resolve("wal"));
        Files.createDirectories(theirs.resolve("wal"));
        assertThat(specula("tool", "tsdb", "dump", ours.toString())).isEqualTo(promtool("tsdb", "dump", theirs.toString()));
        assertThat(withoutIds(specula("tool", "tsdb", "list", ours.toString()))).isEqualTo(withoutIds(promtool("tsdb", "list", theirs.toString())));
    }

    @Test
    void createBlocksFrom_seriesInterleavedByTime_acceptedAsPromtoolDoes() throws Exception {
        // An export written scrape by scrape: every series' samples interleave with the others'.
        StringBuilder sb = new StringBuilder("# HELP up Up.\n# TYPE up gauge\n");
        long t0 = 1_700_000_000L;
        for (int i = 0; i < 3 * 240; i++) {
            for (String inst : List.of("a:1", "b:1", "c:1")) {
                sb.append("up{instance=\"").append(inst).append("\"} ").append(i % 7 == 0 ? 0 : 1)
                        .append(' ').append(t0 + 30L * i).append('\n');
            }
        }
        Path om = tmp.resolve("interleaved.om");
        Files.writeString(om, sb.append("# EOF\n"));
        Path ours = tmp.resolve("ours-interleaved");
        Path theirs = tmp.resolve("theirs-interleaved");
        specula("tool", "tsdb", "create-blocks-from", "openmetrics", "-q", om.toString(), ours.toString());
        promtool("tsdb", "create-blocks-from", "openmetrics", "-q", om.toString(), theirs.toString());
        Files.createDirectories(ours.resolve("wal"));
        Files.createDirectories(theirs.resolve("wal"));
        String dump = specula("tool", "tsdb", "dump", ours.toString());
        assertThat(dump.lines().count()).isEqualTo(3 * 3 * 240);
        assertThat(dump).isEqualTo(promtool("tsdb", "dump", theirs.toString()));
        assertThat(withoutIds(specula("tool", "tsdb", "list", ours.toString()))).isEqualTo(withoutIds(promtool("tsdb", "list", theirs.toString())));
    }

    /**
     * list rows without ULID (random), chunk count and size: promtool's head cuts chunks at
     * predicted times (up to 240 samples), our block writer every 120 samples.
     */
    private static List<String> withoutIds(String list) {
        return list.lines().skip(1).map(l -> {
            String[] f = l.trim().split("\\s+");
            return String.join(" ", f[1], f[2], f[3], f[4], f[6]);
        }).sorted().toList();
    }

    @Test
    void createBlocksFrom_maxBlockDuration_picksLargestCompatibleRangeAndReportsProgress() throws Exception {
        assertThat(OpenMetricsBackfill.compatibleBlockDuration(0)).isEqualTo(H2);
        assertThat(OpenMetricsBackfill.compatibleBlockDuration(H2 * 3 - 1)).isEqualTo(H2);
        assertThat(OpenMetricsBackfill.compatibleBlockDuration(H2 * 3)).isEqualTo(H2 * 3);
        assertThat(OpenMetricsBackfill.compatibleBlockDuration(24 * 3600_000L)).isEqualTo(H2 * 9);
        Path om = openMetrics(3, 10, 10 * H2);
        Path db = tmp.resolve("wide");
        specula("tool", "tsdb", "create-blocks-from", "openmetrics", "--max-block-duration=1d", om.toString(), db.toString());
        String list = specula("tool", "tsdb", "list", db.toString());
        for (String row : list.lines().skip(1).toList()) {
            String[] f = row.trim().split("\\s+");
            long min = Long.parseLong(f[1]), max = Long.parseLong(f[2]);
            assertThat(Math.floorDiv(min, 9 * H2)).as(row).isEqualTo(Math.floorDiv(max - 1, 9 * H2));
        }
        Path many = tmp.resolve("many");
        specula("tool", "tsdb", "create-blocks-from", "openmetrics", "-q", om.toString(), many.toString());
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("progress: range 1/");
        try (Stream<Path> s = Files.list(many)) {
            assertThat(s.filter(Files::isDirectory).count()).isGreaterThan(3);
        }
    }

    @Test
    void createBlocksFrom_badInput_failsNamingFileAndLine() throws Exception {
        Path noTs = tmp.resolve("nots.om");
        Files.writeString(noTs, "# TYPE a gauge\na{x=\"1\"} 1 1700000000\na{x=\"2\"} 2\n# EOF\n");
        assertThat(Main.run("tool", "tsdb", "create-blocks-from", "openmetrics", noTs.toString(), tmp.resolve("o1").toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(noTs + ":3: expected timestamp for series");
        err.reset();
        Path ooo = tmp.resolve("ooo.om");
        Files.writeString(ooo, "# TYPE a gauge\na 1 1700000010\na 2 1700000000\n# EOF\n");
        assertThat(Main.run("tool", "tsdb", "create-blocks-from", "openmetrics", ooo.toString(), tmp.resolve("o2").toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(ooo + ": line 3, column 5: timestamp goes backwards"); // the strict parser refuses before the head would
        err.reset();
        Path bad = tmp.resolve("bad.om");
        Files.writeString(bad, "a{ 1 1700000000\n# EOF\n");
        assertThat(Main.run("tool", "tsdb", "create-blocks-from", "openmetrics", bad.toString(), tmp.resolve("o3").toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(bad.toString());
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).as("no block left behind").noneMatch(n -> n.equals("o2") && hasBlocks(tmp.resolve(n)));
        }
    }

    private static boolean hasBlocks(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(Files::isDirectory);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void dump_defaultDirAndBadSelector_fail() {
        out.reset();
        assertThat(Main.run("tool", "tsdb", "dump", "--match=up{", tmp.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("bad series selector");
        assertThat(Main.run("tool", "tsdb", "list", tmp.resolve("missing").toString())).isEqualTo(1);
    }
}

package io.specula.app.tool;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.app.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CheckMetricsCommandTest {
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream oldErr;
    private PrintStream oldOut;
    private InputStream oldIn;

    @BeforeEach
    void captureStreams() {
        oldErr = System.err;
        oldOut = System.out;
        oldIn = System.in;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStreams() {
        System.setErr(oldErr);
        System.setOut(oldOut);
        System.setIn(oldIn);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path write(String name, String content) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    @Test
    void run_validTextFile_exitsZeroSilently() throws Exception {
        Path f = write("ok.prom", "# HELP up Up.\n# TYPE up gauge\nup{job=\"a\"} 1\n");
        assertThat(Main.run("tool", "check", "metrics", f.toString())).isZero();
        assertThat(stderr()).isEmpty();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void run_invalidTextFile_exitsOneWithOneLineNamingFileLineAndColumn() throws Exception {
        Path f = write("bad.prom", "# TYPE a gauge\na 1\nsome_metric{abc=}\n");
        assertThat(Main.run("tool", "check", "metrics", f.toString())).isEqualTo(1);
        assertThat(stderr()).isEqualTo("error: " + f + ": line 3, column 17: expected label value, got \"}\"" + System.lineSeparator());
    }

    @Test
    void run_openMetricsFlag_usesTheOpenMetricsParser() throws Exception {
        Path f = write("m.txt", "a 1\n");
        assertThat(Main.run("tool", "check", "metrics", f.toString())).isZero();
        assertThat(Main.run("tool", "check", "metrics", "--openmetrics", f.toString())).isEqualTo(1);
        assertThat(stderr()).contains(": line 2, column 1: unexpected end of input, expected \"# EOF\"");
    }

    @Test
    void run_stdin_isReadWhenNoFileOrDash() {
        System.setIn(new ByteArrayInputStream("a 1\n# EOF\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(Main.run("tool", "check", "metrics", "--openmetrics")).isZero();
        assertThat(stderr()).isEqualTo("a no help text" + System.lineSeparator()); // a lint warning
        err.reset();
        System.setIn(new ByteArrayInputStream("a{ 1\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(Main.run("tool", "check", "metrics", "-")).isEqualTo(1);
        assertThat(stderr()).isEqualTo("error: stdin: line 1, column 4: expected label name or '}', got \"1\"" + System.lineSeparator());
    }

    @Test
    void run_lintProblems_arePrintedAsPromtoolDoesButExitZero() throws Exception {
        Path f = write("lint.prom", "# TYPE requests counter\nrequests{podName=\"a\"} 1\n");
        assertThat(Main.run("tool", "check", "metrics", f.toString())).isZero();
        assertThat(stderr().lines().toList()).containsExactly(
                "requests counter metrics should have \"_total\" suffix",
                "requests label names should be written in 'snake_case' not 'camelCase'",
                "requests no help text");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void run_lintFatal_exitsThreeOnProblemsAndZeroWithout() throws Exception {
        Path bad = write("lint.prom", "# HELP x_count Gauge named like a count.\n# TYPE x_count gauge\nx_count 1\n");
        assertThat(Main.run("tool", "check", "metrics", "--lint-fatal", bad.toString())).isEqualTo(3);
        assertThat(stderr()).isEqualTo(
                "x_count non-histogram and non-summary metrics should not have \"_count\" suffix" + System.lineSeparator());
        err.reset();
        Path good = write("good.prom", "# HELP up Up.\n# TYPE up gauge\nup 1\n");
        assertThat(Main.run("tool", "check", "metrics", "--lint-fatal", good.toString())).isZero();
        assertThat(stderr()).isEmpty();
    }

    @Test
    void run_lintFatal_parseErrorStillExitsOne() throws Exception {
        Path f = write("bad.prom", "fooBar{ 1\n");
        assertThat(Main.run("tool", "check", "metrics", "--lint-fatal", f.toString())).isEqualTo(1);
        assertThat(stderr()).startsWith("error: " + f + ": line 1, column ");
    }

    @Test
    void run_repeatedHelpOrLateType_isRefusedAsPromtoolRefusesIt() throws Exception {
        Path help = write("help.prom", "# HELP up Up.\n# HELP up Again.\nup 1\n");
        assertThat(Main.run("tool", "check", "metrics", help.toString())).isEqualTo(1);
        assertThat(stderr()).isEqualTo("error: " + help + ": line 2, column 1: second HELP line for metric name \"up\""
                + System.lineSeparator());
        err.reset();
        Path type = write("type.prom", "# HELP up Up.\nup 1\n# TYPE up gauge\n");
        assertThat(Main.run("tool", "check", "metrics", type.toString())).isEqualTo(1);
        assertThat(stderr()).contains("second TYPE line for metric name \"up\", or TYPE reported after samples");
    }

    @Test
    void run_openMetricsCounter_isLintedUnderItsSampleName() throws Exception {
        Path f = write("om.txt", "# TYPE requests counter\n# HELP requests Requests.\nrequests_total 1\nrequests_created 1.7e9\n"
                + "# TYPE lat_milliseconds histogram\n# HELP lat_milliseconds Latency.\n"
                + "lat_milliseconds_bucket{le=\"+Inf\"} 1\nlat_milliseconds_count 1\nlat_milliseconds_sum 1\n# EOF\n");
        assertThat(Main.run("tool", "check", "metrics", "--openmetrics", "--lint-fatal", f.toString())).isEqualTo(3);
        assertThat(stderr().lines().toList()).containsExactly(
                "lat_milliseconds use base unit \"seconds\" instead of \"milliseconds\"");
    }

    @Test
    void run_missingFile_exitsOneWithoutStackTrace() {
        String missing = tmp.resolve("nope.txt").toString();
        assertThat(Main.run("tool", "check", "metrics", missing)).isEqualTo(1);
        assertThat(stderr()).isEqualTo("error: " + missing + ": no such file" + System.lineSeparator());
    }

    @Test
    void run_binaryGarbage_exitsOneWithOneLine() throws Exception {
        Path f = tmp.resolve("garbage.bin");
        Files.write(f, new byte[] {(byte) 0xFF, (byte) 0xFE, 0x01, 0x7F, '\n'});
        assertThat(Main.run("tool", "check", "metrics", f.toString())).isEqualTo(1);
        assertThat(stderr().lines().toList()).hasSize(1);
        assertThat(stderr()).startsWith("error: " + f + ": line 1, column 1: ");
    }

    @Test
    void call_inputBeyondTheCap_isRefused() throws Exception {
        Path f = write("big.prom", "a 1\n".repeat(10));
        StringWriter sw = new StringWriter();
        int code = new CommandLine(new CheckMetricsCommand(16)).setErr(new PrintWriter(sw, true)).execute(f.toString());
        assertThat(code).isEqualTo(1);
        assertThat(sw.toString()).isEqualTo("error: " + f + ": input larger than 16 bytes, refusing to read it" + System.lineSeparator());
        System.setIn(new ByteArrayInputStream(new byte[17]));
        sw.getBuffer().setLength(0);
        code = new CommandLine(new CheckMetricsCommand(16)).setErr(new PrintWriter(sw, true)).execute();
        assertThat(code).isEqualTo(1);
        assertThat(sw.toString()).startsWith("error: stdin: input larger than 16 bytes");
    }

    @Test
    void run_everyOpenMetricsCorpusCase_exitsZeroExactlyForTheGoodOnes() throws Exception {
        List<Path> looked = new ArrayList<>();
        String prop = System.getProperty("specula.shared.dir");
        if (prop != null && !prop.isBlank()) {
            looked.add(Path.of(prop, "openmetrics-testdata", "parsers"));
        }
        String env = System.getenv("SPECULA_SHARED_DIR");
        if (env != null && !env.isBlank()) {
            looked.add(Path.of(env, "openmetrics-testdata", "parsers"));
        }
        Path dir = looked.stream().filter(Files::isDirectory).findFirst().orElse(null);
        Assumptions.assumeTrue(dir != null, () -> "OpenMetrics corpus not found; looked at " + looked
                + " (set -Dspecula.shared.dir or SPECULA_SHARED_DIR to the folder holding openmetrics-testdata/)");

        Pattern shouldParse = Pattern.compile("\"shouldParse\"\\s*:\\s*(true|false)");
        List<String> wrong = new ArrayList<>();
        int cases = 0;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path d : s.sorted().toList()) {
                Matcher m = shouldParse.matcher(Files.readString(d.resolve("test.json")));
                assertThat(m.find()).as("shouldParse in %s", d).isTrue();
                boolean good = Boolean.parseBoolean(m.group(1));
                err.reset();
                int code = Main.run("tool", "check", "metrics", "--openmetrics", d.resolve("metrics").toString());
                cases++;
                if ((code == 0) != good) {
                    wrong.add(d.getFileName() + " exit " + code + ": " + stderr().strip());
                }
                if (code != 0) {
                    assertThat(stderr().lines().toList()).as("stderr of %s", d).hasSize(1);
                    assertThat(stderr()).as("stderr of %s", d).startsWith("error: " + d.resolve("metrics") + ": line ");
                }
            }
        }
        assertThat(cases).isEqualTo(211);
        assertThat(wrong).isEmpty();
    }
}

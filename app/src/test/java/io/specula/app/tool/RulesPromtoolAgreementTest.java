package io.specula.app.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.specula.app.Main;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the real {@code promtool test rules} / {@code check rules} (Prometheus 2.42) and
 * {@code specula tool test rules} / {@code check rules} on the same files, from the files'
 * directory with relative names as a user would, and requires the same exit code and the same
 * output. YAML decoding errors are worded differently by design (ours name line, column and the
 * known keys), so for files promtool rejects as YAML only the exit codes are compared. File
 * names say the intended verdict ({@code *_pass}, {@code *_fail}, {@code invalid_*}), and a
 * test checks that promtool agrees with the name, so the corpus cannot rot silently.
 */
class RulesPromtoolAgreementTest {
    private static final Path PROMTOOL = Path.of(System.getProperty("specula.promtool", "/usr/bin/promtool"));

    record Run(int exit, String stdout, String stderr) {}

    @BeforeAll
    static void requirePromtool() {
        assumeTrue(Files.isExecutable(PROMTOOL),
                "SKIPPED: promtool not found at " + PROMTOOL
                        + " (install Debian's 'prometheus' package, or run .ci/run); rules agreement test not run");
    }

    static Path dir() throws URISyntaxException {
        return Path.of(Objects.requireNonNull(RulesPromtoolAgreementTest.class.getResource("rules-agreement")).toURI());
    }

    static Stream<String> testFiles() throws Exception {
        return names(".test.yml");
    }

    static Stream<String> ruleFiles() throws Exception {
        return names(".rules.yml");
    }

    private static Stream<String> names(String suffix) throws Exception {
        try (Stream<Path> s = Files.list(dir())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(suffix)).sorted().toList().stream();
        }
    }

    @Test
    void corpus_hasPassingFailingAndInvalidFiles() throws Exception {
        assertThat(testFiles().filter(n -> n.contains("_pass")).count()).isGreaterThanOrEqualTo(5);
        assertThat(testFiles().filter(n -> n.contains("_fail")).count()).isGreaterThanOrEqualTo(5);
        assertThat(ruleFiles().filter(n -> n.startsWith("invalid_")).count()).isGreaterThanOrEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("testFiles")
    void testRules_agreesWithPromtool(String file) throws Exception {
        Run reference = promtool("test", "rules", file);
        Run ours = specula("test", "rules", file);

        assertThat(reference.exit()).as("promtool's verdict matches the file's name; promtool said %s", reference)
                .isEqualTo(file.contains("_pass") ? 0 : 1);
        assertThat(ours.exit()).as("exit code; specula said %s%npromtool said %s", ours, reference)
                .isEqualTo(reference.exit());
        assertThat(ours.stdout()).as("stdout").isEqualTo(reference.stdout());
        if (!reference.stderr().contains("yaml: ")) {
            assertThat(ours.stderr()).as("stderr").isEqualTo(reference.stderr());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ruleFiles")
    void checkRules_agreesWithPromtool(String file) throws Exception {
        Run reference = promtool("check", "rules", file);
        Run ours = specula("check", "rules", file);

        assertThat(reference.exit()).as("promtool's verdict matches the file's name; promtool said %s", reference)
                .isEqualTo(file.startsWith("invalid_") ? 1 : 0);
        assertThat(ours.exit()).as("exit code; specula said %s", ours).isEqualTo(reference.exit());
        assertThat(ours.stdout()).as("stdout").isEqualTo(reference.stdout());
        if (!reference.stderr().contains("yaml: ")) {
            assertThat(ours.stderr()).as("stderr").isEqualTo(reference.stderr());
        }
    }

    @Test
    void checkRules_lintFatalAgreesWithPromtool() throws Exception {
        Run reference = promtool("check", "rules", "--lint-fatal", "duplicate.rules.yml");
        Run ours = specula("check", "rules", "--lint-fatal", "duplicate.rules.yml");
        assertThat(reference.exit()).isEqualTo(3);
        assertThat(ours.exit()).isEqualTo(3);
        assertThat(ours.stderr()).isEqualTo(reference.stderr());
    }

    /**
     * Random alerting scenarios (seeded): dense input so that no sample sits exactly on a
     * lookback boundary (where Prometheus 2.42's closed windows and the current left-open ones
     * legitimately differ), random {@code for}/{@code keep_firing_for}/thresholds, templated
     * labels, and alert checks at many times with no expectations, so every firing alert is
     * printed. All files run in one promtool and one specula invocation; outputs must match.
     */
    @Test
    void testRules_randomAlertScenarios_agreeWithPromtool(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        java.util.Random rnd = new java.util.Random(11);
        List<String> names = new java.util.ArrayList<>();
        String[] holds = {"0s", "1m", "2m", "90s"};
        String[] keeps = {null, null, "1m", "3m"};
        for (int n = 0; n < 20; n++) {
            StringBuilder rules = new StringBuilder("groups:\n  - name: g" + n + "\n    rules:\n"
                    + "      - record: r:sum\n        expr: sum by (j) (m)\n"
                    + "      - alert: A\n        expr: r:sum > " + rnd.nextInt(3) + "\n"
                    + "        for: " + holds[rnd.nextInt(holds.length)] + "\n");
            String keep = keeps[rnd.nextInt(keeps.length)];
            if (keep != null) {
                rules.append("        keep_firing_for: ").append(keep).append('\n');
            }
            rules.append("        labels: {sev: \"{{ $labels.j }}-{{ $value }}\"}\n"
                    + "        annotations: {v: \"{{ $value | humanize }}\"}\n");
            Files.writeString(tmp.resolve("r" + n + ".yml"), rules);
            StringBuilder t = new StringBuilder("rule_files: [r" + n + ".yml]\nevaluation_interval: 1m\ntests:\n"
                    + "  - interval: 1m\n    input_series:\n");
            for (String series : List.of("m{i=\"a\", j=\"x\"}", "m{i=\"b\", j=\"x\"}", "m{i=\"c\", j=\"y\"}")) {
                StringBuilder v = new StringBuilder();
                for (int k = 0; k < 40; k++) {
                    v.append(k == 0 ? "" : " ").append(rnd.nextInt(4));
                }
                t.append("      - series: '").append(series).append("'\n        values: '").append(v).append("'\n");
            }
            t.append("    alert_rule_test:\n");
            java.util.TreeSet<Integer> times = new java.util.TreeSet<>();
            for (int k = 0; k < 14; k++) {
                times.add(rnd.nextInt(80) * 30);
            }
            for (int et : times) {
                t.append("      - eval_time: ").append(et).append("s\n        alertname: A\n");
            }
            t.append("    promql_expr_test:\n      - expr: ALERTS\n        eval_time: 20m\n"
                    + "      - expr: ALERTS_FOR_STATE\n        eval_time: 17m\n");
            String name = "t" + n + ".yml";
            Files.writeString(tmp.resolve(name), t);
            names.add(name);
        }
        String[] args = Stream.concat(Stream.of("test", "rules"), names.stream()).toArray(String[]::new);
        Run reference = run(tmp, promtoolCommand(args));
        Run ours = run(tmp, speculaCommand(args));
        assertThat(reference.stderr()).as("the scenarios do fire alerts").contains("Labels:{alertname=\"A\"");
        assertThat(ours.exit()).isEqualTo(reference.exit());
        assertThat(ours.stdout()).isEqualTo(reference.stdout());
        assertThat(ours.stderr()).isEqualTo(reference.stderr());
    }

    private static List<String> promtoolCommand(String... args) {
        return Stream.concat(Stream.of(PROMTOOL.toString()), Stream.of(args)).toList();
    }

    private static List<String> speculaCommand(String... args) {
        return Stream.concat(Stream.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "tool"), Stream.of(args)).toList();
    }

    private static Run promtool(String... args) throws Exception {
        return run(dir(), promtoolCommand(args));
    }

    /**
     * Runs our command in a child JVM on this test's class path: relative file names must stay
     * relative for the messages to match promtool's, and a JVM's working directory cannot be
     * changed in-process.
     */
    private static Run specula(String... args) throws Exception {
        return run(dir(), speculaCommand(args));
    }

    private static Run run(Path workDir, List<String> cmd) throws IOException {
        File o = Files.createTempFile("rules-agreement", ".out").toFile();
        File e = Files.createTempFile("rules-agreement", ".err").toFile();
        try {
            Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectOutput(o).redirectError(e).start();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("did not finish: " + cmd);
            }
            return new Run(p.exitValue(), Files.readString(o.toPath()), Files.readString(e.toPath()));
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        } finally {
            o.delete();
            e.delete();
        }
    }
}

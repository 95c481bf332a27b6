package io.specula.app.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.specula.app.Main;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the real {@code promtool check config} (Debian's prometheus, 2.42) and
 * {@code specula tool check config} on the same prometheus.yml files: exit codes agree, the
 * whole stdout agrees, and semantic error messages agree (YAML decoding errors are worded
 * differently by design: ours name line, column and key).
 */
class CheckConfigPromtoolDifferentialTest {
    private static final Path PROMTOOL = Path.of(System.getProperty("specula.promtool", "/usr/bin/promtool"));

    /** Where Specula follows Prometheus 3 rather than promtool 2.42: file → Specula's exit code. */
    private static final Map<String, Integer> PROMETHEUS_3_VERDICT = Map.of(
            // Prometheus 3 validates label names as UTF-8: "0invalid" is a valid name there.
            "bad-external-label.yml", 0,
            // MX and NS records are Prometheus 3 additions to dns_sd_configs.
            "good-dns-mx-ns.yml", 0,
            // Debian's promtool is built without Consul discovery.
            "good-consul.yml", 0);
    /** Same error, different wording: RE2 through re2j shows the anchored pattern with (?s:, Go's with (?:. */
    private static final Map<String, String> OUR_WORDING = Map.of(
            "bad-relabel-regex.yml", "error parsing regexp: missing closing ): `^(?s:(unclosed)$`");

    record Result(int exit, String stdout, String stderr) {}

    @BeforeAll
    static void requirePromtool() {
        assumeTrue(Files.isExecutable(PROMTOOL), "SKIPPED: promtool not found at " + PROMTOOL
                + " (install Debian's 'prometheus' package, or run .ci/run); differential test not run");
    }

    static Stream<Path> files() throws IOException, URISyntaxException {
        Path dir = Path.of(Objects.requireNonNull(
                CheckConfigPromtoolDifferentialTest.class.getResource("prometheus-config")).toURI());
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".yml")).sorted().toList().stream();
        }
    }

    @Test
    void corpus_hasGoodAndBadConfigs() throws Exception {
        assertThat(files().filter(f -> promtool(f).exit() == 0).count()).isGreaterThanOrEqualTo(7);
        assertThat(files().filter(f -> promtool(f).exit() == 1).count()).isGreaterThanOrEqualTo(14);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void checkConfig_agreesWithPromtool(Path file) {
        Result reference = promtool(file);
        Result ours = specula(file);
        String name = file.getFileName().toString();
        if (PROMETHEUS_3_VERDICT.containsKey(name)) {
            assertThat(ours.exit()).as("%s%s", ours.stdout(), ours.stderr()).isEqualTo(PROMETHEUS_3_VERDICT.get(name));
            return;
        }
        assertThat(ours.exit()).as("exit code on %s; promtool said:%n%s%s%nwe said:%n%s%s", file.getFileName(),
                reference.stdout(), reference.stderr(), ours.stdout(), ours.stderr()).isEqualTo(reference.exit());
        assertThat(ours.stdout()).isEqualTo(reference.stdout());
        if (reference.exit() == 1) {
            String lead = "FAILED: parsing YAML file " + file + ": ";
            String theirs = reference.stderr().strip();
            if (!theirs.startsWith(lead)) { // a rule file failed: the same problems, word for word
                assertThat(ours.stderr()).isEqualTo(reference.stderr());
                return;
            }
            assertThat(ours.stderr().strip()).startsWith(lead);
            if (!theirs.contains("yaml:")) {
                // Ours may add line:column and the key path after the lead; the message itself must match.
                assertThat(ours.stderr().strip()).endsWith(OUR_WORDING.getOrDefault(name, theirs.substring(lead.length())));
            }
        }
    }

    private static Result promtool(Path file) {
        try {
            Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "config", file.toString())
                    .directory(file.getParent().toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            return new Result(p.exitValue(), out, err);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Runs Specula in-process on the same absolute path promtool got, so printed names agree. */
    static Result specula(Path file) {
        var out = new java.io.StringWriter();
        var err = new java.io.StringWriter();
        var cli = new picocli.CommandLine(new Main());
        cli.setOut(new java.io.PrintWriter(out));
        cli.setErr(new java.io.PrintWriter(err));
        int exit = cli.execute("tool", "check", "config", file.toString());
        return new Result(exit, out.toString(), err.toString());
    }
}

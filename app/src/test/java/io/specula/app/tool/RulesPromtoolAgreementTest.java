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

    private static Run promtool(String... args) throws Exception {
        List<String> cmd = Stream.concat(Stream.of(PROMTOOL.toString()), Stream.of(args)).toList();
        File out = Files.createTempFile("promtool", ".out").toFile();
        File err = Files.createTempFile("promtool", ".err").toFile();
        try {
            Process p = new ProcessBuilder(cmd).directory(dir().toFile())
                    .redirectOutput(out).redirectError(err).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("promtool did not finish: " + cmd);
            }
            return new Run(p.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()));
        } finally {
            out.delete();
            err.delete();
        }
    }

    /**
     * Runs our command in a child JVM on this test's class path, with the corpus directory as
     * working directory: relative file names must stay relative for the messages to match
     * promtool's, and a JVM's working directory cannot be changed in-process.
     */
    private static Run specula(String... args) throws IOException, URISyntaxException {
        List<String> cmd = Stream.concat(Stream.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "tool"), Stream.of(args)).toList();
        File o = Files.createTempFile("specula", ".out").toFile();
        File e = Files.createTempFile("specula", ".err").toFile();
        try {
            Process p = new ProcessBuilder(cmd).directory(dir().toFile()).redirectOutput(o).redirectError(e).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("specula did not finish: " + cmd);
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

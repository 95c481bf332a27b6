package io.specula.app.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.specula.app.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
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
 * Runs the real {@code promtool check metrics} (Prometheus 2.42, Debian's package) and
 * {@code specula tool check metrics} on the same exposition files and requires the same lint
 * lines and the same verdict: promtool's 3 (lint problems) is our 3 with {@code --lint-fatal}
 * and our 0 without it; its 1 (unparseable) and 0 are ours. Parse-error messages differ by
 * design (ours name line and column) and are not compared.
 */
class CheckMetricsPromtoolDifferentialTest {
    private static final Path PROMTOOL = Path.of(System.getProperty("specula.promtool", "/usr/bin/promtool"));

    record Result(int exit, List<String> stderrLines) {}

    @BeforeAll
    static void requirePromtool() {
        assumeTrue(Files.isExecutable(PROMTOOL),
                "SKIPPED: promtool not found at " + PROMTOOL
                        + " (install Debian's 'prometheus' package, or run .ci/run); differential test not run");
    }

    static Stream<Path> files() throws IOException, URISyntaxException {
        Path dir = Path.of(Objects.requireNonNull(
                CheckMetricsPromtoolDifferentialTest.class.getResource("check-metrics")).toURI());
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".prom")).sorted().toList().stream();
        }
    }

    @Test
    void corpus_coversEveryVerdict() throws Exception {
        List<Integer> exits = files().map(f -> promtool(f).exit()).distinct().sorted().toList();
        assertThat(exits).containsExactly(0, 1, 3);
        assertThat(files().count()).isGreaterThanOrEqualTo(15);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void checkMetrics_agreesWithPromtool(Path file) {
        Result reference = promtool(file);
        Result fatal = specula("--lint-fatal", file.toString());
        Result lenient = specula(file.toString());

        assertThat(reference.exit()).as("promtool exit code on %s (stderr: %s)", file.getFileName(), reference.stderrLines())
                .isIn(0, 1, 3);
        assertThat(fatal.exit()).as("specula --lint-fatal exit code, promtool said %s", reference).isEqualTo(reference.exit());
        assertThat(lenient.exit()).as("specula exit code without --lint-fatal").isEqualTo(reference.exit() == 3 ? 0 : reference.exit());
        if (reference.exit() != 1) {
            assertThat(fatal.stderrLines()).as("lint lines with --lint-fatal").isEqualTo(reference.stderrLines());
            assertThat(lenient.stderrLines()).as("lint lines without --lint-fatal").isEqualTo(reference.stderrLines());
        }
    }

    private static Result promtool(Path file) {
        try {
            Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics")
                    .redirectInput(file.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("promtool did not finish on " + file);
            }
            return new Result(p.exitValue(), lines(new String(err, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + PROMTOOL, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static synchronized Result specula(String... checkArgs) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
            String[] args = Stream.concat(Stream.of("tool", "check", "metrics"), Stream.of(checkArgs)).toArray(String[]::new);
            int exit = Main.run(args);
            return new Result(exit, lines(stderr.toString(StandardCharsets.UTF_8)));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static List<String> lines(String s) {
        return s.lines().filter(l -> !l.isBlank()).toList();
    }
}

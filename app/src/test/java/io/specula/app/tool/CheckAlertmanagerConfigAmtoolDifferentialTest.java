package io.specula.app.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.specula.alertmanager.config.AlertmanagerConfigLoader;
import io.specula.model.config.ConfigException;
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
 * Runs the real {@code amtool check-config} (Debian's prometheus-alertmanager, 0.25) and
 * Specula's validation on the same alertmanager.yml files: the verdicts must agree, and so
 * must the messages of semantic errors (YAML decoding errors are worded differently by
 * design: ours name line, column and key). For webhook-only configs, the whole output of
 * {@code specula tool check alertmanager-config} must equal amtool's.
 */
class CheckAlertmanagerConfigAmtoolDifferentialTest {
    private static final Path AMTOOL = Path.of(System.getProperty("specula.amtool", "/usr/bin/amtool"));

    /** Where amtool 0.25's wording is older than the current Alertmanager's, which we follow. */
    private static final Map<String, String> NEWER_WORDING = Map.of(
            "bad-webhook-no-url.yml", "one of url or url_file must be configured",
            "bad-group-by-wildcard-mix.yml", "cannot have wildcard group_by (`...`) and other labels at the same time",
            "bad-inhibit-equal.yml", "invalid label name \"not valid\" in equal list",
            "bad-telegram-no-token.yml", "missing bot_token or bot_token_file on telegram_config",
            "bad-discord-no-url.yml", "one of webhook_url or webhook_url_file must be configured",
            "bad-pushover-no-user-key.yml", "one of user_key or user_key_file must be configured",
            // RE2 through re2j shows the anchored pattern with (?s:, Go's regexp with (?:.
            "bad-regex.yml", "error parsing regexp: missing closing ): `^(?s:(unclosed)$`");

    record Result(int exit, String stdout) {}

    @BeforeAll
    static void requireAmtool() {
        assumeTrue(Files.isExecutable(AMTOOL), "SKIPPED: amtool not found at " + AMTOOL
                + " (install Debian's 'prometheus-alertmanager' package, or run .ci/run); differential test not run");
    }

    static Stream<Path> files() throws IOException, URISyntaxException {
        Path dir = Path.of(Objects.requireNonNull(
                CheckAlertmanagerConfigAmtoolDifferentialTest.class.getResource("alertmanager-config")).toURI());
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".yml")).sorted().toList().stream();
        }
    }

    @Test
    void corpus_hasGoodAndBadConfigs() throws Exception {
        assertThat(files().filter(f -> amtool(f).exit() == 0).count()).isGreaterThanOrEqualTo(5);
        assertThat(files().filter(f -> amtool(f).exit() == 1).count()).isGreaterThanOrEqualTo(25);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void checkConfig_agreesWithAmtool(Path file) {
        Result reference = amtool(file);
        String name = file.getFileName().toString();
        String ours;
        try {
            AlertmanagerConfigLoader.loadAndValidate(file);
            ours = null;
        } catch (ConfigException e) {
            ours = e.getMessage().substring(file.toString().length() + 1).strip();
        }
        assertThat(ours == null ? 0 : 1).as("verdict on %s; amtool said:%n%s%nwe said: %s", name, reference.stdout(), ours)
                .isEqualTo(reference.exit());
        if (reference.exit() == 1) {
            String theirs = reference.stdout().substring(reference.stdout().indexOf("FAILED: ") + 8).strip();
            if (!theirs.startsWith("yaml:")) {
                // Ours may start with line:column and the key path; the message itself must match.
                assertThat(ours).endsWith(NEWER_WORDING.getOrDefault(name, theirs));
            }
        }
        boolean webhookOnly = !name.contains("email") && !name.contains("slack");
        if (webhookOnly && reference.exit() == 0) {
            Result specula = specula(file);
            assertThat(specula.exit()).isZero();
            assertThat(specula.stdout()).isEqualTo(reference.stdout());
        }
    }

    /**
     * What we print for a config (API status, {@code amtool config show}) must be a config
     * amtool accepts, or {@code amtool config routes} breaks against us.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void printedConfig_isAcceptedByAmtool(Path file, @org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        io.specula.alertmanager.config.AlertmanagerConfig c;
        try {
            c = AlertmanagerConfigLoader.loadAndValidate(file);
        } catch (ConfigException e) {
            return; // only valid configs are printed
        }
        Path printed = tmp.resolve(file.getFileName());
        Files.writeString(printed, c.toString());
        Result r = amtool(printed);
        assertThat(r.exit()).as("amtool on our printed %s:%n%s%n%s", file.getFileName(), c, r.stdout()).isZero();
    }

    private static Result amtool(Path file) {
        try {
            Process p = new ProcessBuilder(AMTOOL.toString(), "check-config", file.getFileName().toString())
                    .directory(file.getParent().toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Result specula(Path file) {
        var out = new java.io.StringWriter();
        var cli = new picocli.CommandLine(new io.specula.app.Main());
        cli.setOut(new java.io.PrintWriter(out));
        cli.setErr(new java.io.PrintWriter(new java.io.StringWriter()));
        String rel = file.getFileName().toString();
        // amtool was run from the file's directory with a relative name; print the same name.
        int exit = cli.execute("tool", "check", "alertmanager-config", file.toString());
        return new Result(exit, out.toString().replace(file.toString(), rel));
    }
}

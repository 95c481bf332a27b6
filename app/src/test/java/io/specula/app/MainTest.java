package io.specula.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MainTest {
    private final PrintStream out = System.out, err = System.err;
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream(), stderr = new ByteArrayOutputStream();

    @BeforeEach
    void capture() {
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(out);
        System.setErr(err);
    }

    @Test
    void help_listsSubcommands() {
        assertThat(Main.run("--help")).isZero();
        assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("Usage: specula").contains("tool");
    }

    @Test
    void version_namesSpecula() {
        assertThat(Main.run("--version")).isZero();
        assertThat(stdout.toString(StandardCharsets.UTF_8)).startsWith("specula, version ");
    }

    @Test
    void badLogLevel_isUsageErrorWithClearMessage() {
        assertThat(Main.run("--log.level=loud", "tool")).isEqualTo(2);
        assertThat(stderr.toString(StandardCharsets.UTF_8))
                .contains("--log.level: unrecognized log level \"loud\"")
                .doesNotContain("Exception");
    }

    @Test
    void unknownOption_isUsageError() {
        assertThat(Main.run("tool", "--no-such-flag")).isEqualTo(2);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("Unknown option: '--no-such-flag'");
    }
}

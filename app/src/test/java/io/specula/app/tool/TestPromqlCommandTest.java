package io.specula.app.tool;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.app.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestPromqlCommandTest {
    @TempDir
    Path tmp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream oldOut;

    @BeforeEach
    void capture() {
        oldOut = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(oldOut);
    }

    private Path script(String body) throws IOException {
        Path p = tmp.resolve("t.test");
        Files.writeString(p, body);
        return p;
    }

    private static final String LOAD = """
            load 1m
              http_requests_total{job="a"} 0+10x10
              http_requests_total{job="b"} 0+20x10

            """;

    @Test
    void call_allPass_exitsZeroAndCounts() throws IOException {
        Path f = script(LOAD + """
                eval instant at 10m sum(http_requests_total)
                  {} 300

                eval range from 0 to 2m step 1m rate(http_requests_total{job="a"}[2m])
                  {job="a"} _ 0.08333333333333333 0.16666666666666666
                """);
        assertThat(Main.run("tool", "test", "promql", f.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("2 passed, 0 failed");
    }

    @Test
    void call_failure_exitsOneAndVerboseShowsExpectedAndGot() throws IOException {
        Path f = script(LOAD + """
                eval instant at 10m sum(http_requests_total)
                  {} 301
                """);
        assertThat(Main.run("tool", "test", "promql", "--verbose", f.toString())).isEqualTo(1);
        String o = out.toString(StandardCharsets.UTF_8);
        assertThat(o).contains("0 passed, 1 failed").contains(f + ":5: sum(http_requests_total)")
                .contains("expected: {} 301").contains("got:");
    }

    @Test
    void call_expectedFailure_passes() throws IOException {
        Path f = script(LOAD + """
                eval instant at 10m http_requests_total + on() http_requests_total
                  expect fail
                """);
        assertThat(Main.run("tool", "test", "promql", f.toString())).isZero();
    }
}

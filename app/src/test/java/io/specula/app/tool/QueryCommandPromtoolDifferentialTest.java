package io.specula.app.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.specula.app.Main;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code specula tool query …} and the real {@code promtool query …} (Debian's 2.42) against the
 * same real Prometheus server: the same stdout, stderr and exit code for instant, range, series
 * and labels queries, in both output formats, and for a query the server refuses.
 */
class QueryCommandPromtoolDifferentialTest {
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    private static Process server;
    private static String url;
    private static long t;
    private static Path dir;

    record Result(int exit, String stdout, String stderr) {}

    @BeforeAll
    static void startPrometheus() throws Exception {
        assumeTrue(Files.isExecutable(PROMETHEUS) && Files.isExecutable(PROMTOOL), "SKIPPED: prometheus/promtool not found in"
                + " /usr/bin (install Debian's 'prometheus' package, or run .ci/run); differential test not run");
        dir = Files.createTempDirectory("query-diff");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        url = "http://127.0.0.1:" + port;
        Files.writeString(dir.resolve("p.yml"), "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: p\n"
                + "    static_configs: [{targets: ['127.0.0.1:" + port + "'], labels: {quote: 'a\"b', code: '1E5'}}]\n");
        server = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + dir.resolve("p.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        long deadline = System.currentTimeMillis() + 30_000;
        try (HttpClient c = HttpClient.newHttpClient()) {
            while (true) {
                try {
                    String body = c.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/query?query=count_over_time(up[1m])")).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                    if (body.contains("\"4\"") || body.contains("\"5\"")) {
                        break;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                assertThat(System.currentTimeMillis()).as("Prometheus did not scrape itself in time").isLessThan(deadline);
                Thread.sleep(300);
            }
        }
        t = System.currentTimeMillis() / 1000 - 1;
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static Stream<String> commands() {
        return Stream.of(
                "instant --time=%T %U up",
                "instant --time=%T %U scalar(up)",
                "instant --time=%T %U vector(1.5e300)",
                "instant --time=%T %U vector(-0.000001)",
                "instant --time=%T %U up_offset_nothing",
                "instant --time=%T %U up{",
                "range --start=%S --end=%T --step=1s %U up",
                "range --start=%S --end=%T --step=1s %U sum(up)/3",
                "series --match=up --match=scrape_duration_seconds --start=%S --end=%T %U",
                "labels --start=%S --end=%T %U job",
                "labels --match=up --start=%S --end=%T %U __name__",
                "-o json instant --time=%T %U up",
                "-o json range --start=%S --end=%T --step=1s %U up",
                "-o json series --match=up --start=%S --end=%T %U");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void query_printsAsPromtool(String template) {
        List<String> args = new ArrayList<>();
        for (String a : template.split(" ")) {
            args.add(a.replace("%T", Long.toString(t)).replace("%S", Long.toString(t - 3)).replace("%U", url));
        }
        Result reference = promtool(args);
        Result ours = specula(args);
        assertThat(ours).isEqualTo(reference);
        if (!template.contains("nothing") && !template.contains("{")) {
            assertThat(reference.stdout().strip()).as("the comparison must compare something").isNotEmpty();
        }
    }

    private static Result promtool(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(PROMTOOL.toString(), "query"));
        cmd.addAll(args);
        try {
            Process p = new ProcessBuilder(cmd).start();
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

    private static Result specula(List<String> args) {
        var out = new java.io.StringWriter();
        var err = new java.io.StringWriter();
        var cli = new picocli.CommandLine(new Main());
        cli.setOut(new java.io.PrintWriter(out));
        cli.setErr(new java.io.PrintWriter(err));
        List<String> cmd = new ArrayList<>(List.of("tool", "query"));
        cmd.addAll(args);
        int exit = cli.execute(cmd.toArray(String[]::new));
        return new Result(exit, out.toString(), err.toString());
    }
}

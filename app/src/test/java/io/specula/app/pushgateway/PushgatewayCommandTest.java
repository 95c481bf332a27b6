package io.specula.app.pushgateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.app.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PushgatewayCommandTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final PrintStream err = System.err;
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    @BeforeEach
    void capture() {
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(err);
    }

    @Test
    void run_pushThenQuit_persistsAndExitsZero() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path file = dir.resolve("pg.data");
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Main.run("pushgateway",
                "--web.listen-address=127.0.0.1:" + port, "--web.enable-lifecycle", "--no-web.enable-admin-api", "--persistence.file=" + file,
                "--persistence.interval=1h", "--log.level=warn", "--web.route-prefix=/pg"));
        String base = "http://127.0.0.1:" + port + "/pg";
        awaitReady(base, exit);
        assertThat(send("PUT", base + "/metrics/job/batch/instance/h1", "# TYPE done gauge\ndone 1\n").statusCode()).isEqualTo(200);
        String metrics = send("GET", base + "/metrics", "").body();
        assertThat(metrics).contains("done{instance=\"h1\",job=\"batch\"} 1\n");
        String status = send("GET", base + "/api/v1/status", "").body();
        assertThat(status).contains("\"log.level\":\"warn\"").contains("\"persistence.interval\":\"1h0m0s\"")
                .contains("\"web.route-prefix\":\"/pg\"").contains("\"web.enable-admin-api\":\"false\"");
        assertThat(send("POST", base + "/-/quit", "").body()).isEqualTo("Requesting termination... Goodbye!");
        assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
        // The orderly stop persisted the push, although the interval (1h) had not passed.
        assertThat(Files.exists(file)).isTrue();
    }

    @Test
    void badInterval_isAClearError() {
        assertThat(Main.run("pushgateway", "--persistence.interval=5 minutes")).isEqualTo(1);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("--persistence.interval: ").doesNotContain("Exception");
    }

    @Test
    void badListenAddress_isAClearError() {
        assertThat(Main.run("pushgateway", "--web.listen-address=nope")).isEqualTo(1);
        assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("--web.listen-address nope: missing port");
    }

    private void awaitReady(String base, CompletableFuture<Integer> exit) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            if (exit.isDone()) {
                throw new AssertionError("specula pushgateway exited with " + exit.get() + ": " + stderr.toString(StandardCharsets.UTF_8));
            }
            try {
                if (send("GET", base + "/-/ready", "").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("specula pushgateway did not become ready at " + base);
    }

    private static HttpResponse<String> send(String method, String url, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).method(method, body.isEmpty()
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

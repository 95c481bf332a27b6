package io.specula.alertmanager;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The real Alertmanager (Debian's prometheus-alertmanager) as the differential tests run it: in
 * {@code dir} with {@code dir/am.yml}, on a free loopback port, clustering off, external URL
 * {@code http://am.example:9093}; {@link #start} returns once {@code /-/ready} answers. The
 * tests that use it are skipped loudly when the binary is missing.
 */
final class RealAlertmanager implements AutoCloseable {
    static final Path BINARY = Path.of(System.getProperty("specula.alertmanager", "/usr/bin/prometheus-alertmanager"));
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Process process;
    private final Path dir;
    final String base;

    private RealAlertmanager(Process process, Path dir, String base) {
        this.process = process;
        this.dir = dir;
        this.base = base;
    }

    /** Skips the calling test, with the reason, when the binary is not installed. */
    static void assumeInstalled() {
        assumeTrue(Files.isExecutable(BINARY), "SKIPPED: " + BINARY
                + " not found (install Debian's 'prometheus-alertmanager', or run .ci/run); differential test not run");
    }

    /** Writes {@code config} to {@code dir/am.yml} (other files there, e.g. templates, are the caller's) and starts. */
    static RealAlertmanager start(Path dir, String config) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("am.yml"), config);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder(BINARY.toString(), "--config.file=" + dir.resolve("am.yml"),
                "--storage.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=", "--web.external-url=http://am.example:9093")
                .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        RealAlertmanager am = new RealAlertmanager(p, dir, "http://127.0.0.1:" + port);
        try {
            am.waitReady();
        } catch (Exception | AssertionError e) {
            am.close();
            throw e;
        }
        return am;
    }

    private void waitReady() throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(base + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("real Alertmanager did not become ready at " + base + ":\n" + log());
    }

    /** POSTs JSON to {@code path}; returns the status. */
    int post(String path, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    String get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** What the process logged so far (for failure messages). */
    String log() throws IOException {
        return Files.readString(dir.resolve("log"));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}

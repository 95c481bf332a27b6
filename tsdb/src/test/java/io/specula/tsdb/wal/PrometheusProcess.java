package io.specula.tsdb.wal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * The machine's real Prometheus (Debian's 2.42 package) on loopback, for interop tests:
 * started with a data directory and a configuration, stopped with SIGTERM in {@link #close()}.
 */
final class PrometheusProcess implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/prometheus");
    private static final Pattern SCALAR_VALUE = Pattern.compile("\"value\":\\[[0-9.e+-]+,\"([^\"]+)\"\\]");

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private PrometheusProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Skips the calling test, with a message, when the binary is missing. */
    static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(BINARY), () -> BINARY
                + " not found: install Debian's 'prometheus' package (.ci/run does) to test WAL interop with the real Prometheus");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * Starts Prometheus with {@code config} (which may use {@code $PORT} for its own address)
     * on a free loopback port, storing into {@code dataDir}, and waits until it is ready.
     */
    static PrometheusProcess start(Path workDir, Path dataDir, String config) throws IOException, InterruptedException {
        int port = freePort();
        Path cfg = workDir.resolve("prometheus.yml");
        Files.writeString(cfg, config.replace("$PORT", Integer.toString(port)));
        Path log = workDir.resolve("prometheus.log");
        Process p = new ProcessBuilder(BINARY.toString(),
                "--config.file=" + cfg,
                "--storage.tsdb.path=" + dataDir,
                "--web.listen-address=127.0.0.1:" + port,
                "--storage.tsdb.wal-compression") // snappy; the default of 2.42, stated for clarity
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        PrometheusProcess pp = new PrometheusProcess(p, port, log);
        try {
            pp.awaitReady(Duration.ofSeconds(60));
        } catch (IOException | InterruptedException | RuntimeException e) {
            pp.close();
            throw e;
        }
        return pp;
    }

    int port() {
        return port;
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("prometheus exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/-/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IOException("prometheus not ready after " + timeout + ":\n" + log());
    }

    /** The value of an instant query returning one sample, as Prometheus formats it; null when empty. */
    String queryValue(String expr, double time) throws IOException, InterruptedException {
        String url = "http://127.0.0.1:" + port + "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8)
                + "&time=" + time;
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("query " + expr + ": HTTP " + r.statusCode() + ": " + r.body());
        }
        Matcher m = SCALAR_VALUE.matcher(r.body());
        return m.find() ? m.group(1) : null;
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** SIGTERM, then waits; kills it when it does not stop within 30 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}

package io.specula.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real Prometheus server (Debian's {@code prometheus} package, 2.42) started on a loopback
 * port with a test's configuration, optionally under a wrapper command (e.g. {@code unshare}
 * to give it its own {@code /etc/resolv.conf}); awaited until ready, stopped on close.
 */
public final class RealPrometheus implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/prometheus");

    private final Process process;
    private final int port;
    private final Path log;
    private final Path dataDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /**
     * Starts Prometheus with {@code config}, its data and log in {@code dir}.
     *
     * @param wrapper command words placed before the Prometheus command line (may be empty)
     */
    public static RealPrometheus start(Path config, Path dir, List<String> wrapper, String... flags) throws Exception {
        return new RealPrometheus(config, dir, wrapper, flags);
    }

    private RealPrometheus(Path config, Path dir, List<String> wrapper, String... flags) throws Exception {
        Files.createDirectories(dir);
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        log = dir.resolve("prometheus.log");
        dataDir = dir.resolve("data");
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.addAll(List.of(BINARY.toString(), "--config.file=" + config, "--storage.tsdb.path=" + dataDir,
                "--web.listen-address=127.0.0.1:" + port, "--web.enable-lifecycle"));
        cmd.addAll(List.of(flags));
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url("/-/ready"))).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String out = Files.readString(log);
                close();
                throw new IllegalStateException("Prometheus did not become ready; its log:\n" + out);
            }
            Thread.sleep(100);
        }
    }

    public int port() {
        return port;
    }

    public String url(String pathAndQuery) {
        return "http://127.0.0.1:" + port + pathAndQuery;
    }

    /** GETs a path of the Prometheus HTTP API and returns the body. */
    public String get(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url(pathAndQuery))).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /**
     * Snapshots the TSDB through the admin API (needs {@code --web.enable-admin-api}) and returns
     * the snapshot's directory, {@code <dir>/data/snapshots/<name>}.
     */
    public Path snapshot() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url("/api/v1/admin/tsdb/snapshot")))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"name\":\"([^\"]+)\"").matcher(r.body());
        if (r.statusCode() != 200 || !m.find()) {
            throw new IOException("snapshot failed: " + r.statusCode() + " " + r.body());
        }
        return dataDir().resolve("snapshots").resolve(m.group(1));
    }

    /** Where this Prometheus keeps its TSDB. */
    public Path dataDir() {
        return dataDir;
    }

    /** Prometheus's log so far (for assertion messages). */
    public String log() throws IOException {
        return Files.readString(log);
    }

    /** Kills the process with SIGKILL (a crash: no WAL flush, no shutdown), and waits for it to end. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(15, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        http.close();
    }
}

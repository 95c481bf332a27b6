package io.specula.app.server;

import io.specula.app.Main;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code specula server} in a child JVM on the test's classpath, for tests that must kill it
 * (SIGKILL) or watch it start on a damaged data directory. Output is appended to {@code log}.
 */
final class ServerProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final int port;
    private final Process process;

    private ServerProcess(int port, Process process) {
        this.port = port;
        this.process = process;
    }

    /** Starts {@code specula server --storage.tsdb.path=data} on {@code port} with extra JVM properties and flags. */
    static ServerProcess start(Path data, int port, Path log, List<String> jvmProps, String... flags) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m"));
        cmd.addAll(jvmProps);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "server",
                "--storage.tsdb.path=" + data, "--web.listen-address=127.0.0.1:" + port));
        cmd.addAll(List.of(flags));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new ServerProcess(port, p);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * Waits until {@code /-/ready} answers 200.
     *
     * @return how long it took
     * @throws AssertionError if the process exits first or {@code bound} passes
     */
    Duration awaitReady(Duration bound) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + bound.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("specula server exited with status " + process.exitValue() + " before it was ready");
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(url("/-/ready"))).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return Duration.ofNanos(System.nanoTime() - start);
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("specula server not ready within " + bound);
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** GET {@code path}; fails on a status other than 200. */
    String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    /** The value of an unlabelled metric on {@code /metrics}, or NaN when absent. */
    double metric(String name) throws IOException, InterruptedException {
        for (String line : get("/metrics").split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        return Double.NaN;
    }

    /** SIGKILL, as {@code kill -9}, and wait for the process to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}

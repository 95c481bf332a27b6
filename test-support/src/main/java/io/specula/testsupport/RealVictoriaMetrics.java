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
 * VictoriaMetrics single-node (Debian's {@code victoria-metrics}, 1.79) scraping with a
 * Prometheus configuration ({@code -promscrape.config}) on a loopback port; awaited until it
 * answers, stopped on close. Used as a second opinion where Debian's Prometheus lacks a mechanism.
 */
public final class RealVictoriaMetrics implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/victoria-metrics");

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    public static RealVictoriaMetrics start(Path promscrapeConfig, Path dir, String... flags) throws Exception {
        return new RealVictoriaMetrics(promscrapeConfig, dir, flags);
    }

    private RealVictoriaMetrics(Path config, Path dir, String... flags) throws Exception {
        Files.createDirectories(dir);
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        log = dir.resolve("victoria-metrics.log");
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "-promscrape.config=" + config,
                "-storageDataPath=" + dir.resolve("data"), "-httpListenAddr=127.0.0.1:" + port, "-loggerLevel=WARN"));
        cmd.addAll(List.of(flags));
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url("/health"))).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String out = Files.readString(log);
                close();
                throw new IllegalStateException("VictoriaMetrics did not start; its log:\n" + out);
            }
            Thread.sleep(100);
        }
    }

    public String url(String pathAndQuery) {
        return "http://127.0.0.1:" + port + pathAndQuery;
    }

    public String log() throws IOException {
        return Files.readString(log);
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

package io.specula.pushgateway;

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
 * The real Pushgateway (Debian's prometheus-pushgateway 1.5) as the differential tests run it:
 * on a free loopback port, admin API and lifecycle enabled, persisting to {@code dir/real.data};
 * {@link #start} returns once {@code /-/ready} answers, {@link #close} stops it with SIGTERM
 * (which makes it persist). Tests that use it are skipped loudly when the binary is missing.
 */
final class RealPushgateway implements AutoCloseable {
    static final Path BINARY = Path.of(System.getProperty("specula.pushgateway", "/usr/bin/prometheus-pushgateway"));
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Process process;
    private final Path log;
    final String base;

    private RealPushgateway(Process process, Path log, String base) {
        this.process = process;
        this.log = log;
        this.base = base;
    }

    /** Skips the calling test, with the reason, when the binary is not installed. */
    static void assumeInstalled() {
        assumeTrue(Files.isExecutable(BINARY), "SKIPPED: " + BINARY
                + " not found (install Debian's 'prometheus-pushgateway', or run .ci/run); differential test not run");
    }

    static RealPushgateway start(Path dir) throws Exception {
        return start(dir, "--persistence.file=" + dir.resolve("real.data"), "--web.enable-admin-api", "--web.enable-lifecycle");
    }

    /**
     * Starts with {@code args} besides the listen address. Debian's build persists to
     * /var/lib/prometheus/pushgateway.data unless told otherwise: pass {@code --persistence.file=}.
     */
    static RealPushgateway start(Path dir, String... args) throws Exception {
        Files.createDirectories(dir);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = dir.resolve("real.log");
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(BINARY.toString(),
                "--web.listen-address=127.0.0.1:" + port));
        cmd.addAll(java.util.List.of(args));
        String readyPath = "/-/ready";
        for (String a : args) {
            if (a.startsWith("--web.route-prefix=")) {
                readyPath = a.substring("--web.route-prefix=".length()).replaceAll("/$", "") + readyPath;
            }
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        RealPushgateway pg = new RealPushgateway(p, log, "http://127.0.0.1:" + port);
        try {
            pg.waitReady(readyPath);
        } catch (Exception | AssertionError e) {
            pg.close();
            throw e;
        }
        return pg;
    }

    private void waitReady(String readyPath) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(base + readyPath)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("real Pushgateway did not become ready at " + base + ":\n" + Files.readString(log));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}

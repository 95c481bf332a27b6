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
import java.util.concurrent.TimeUnit;

/**
 * The real Pushgateway (Debian's prometheus-pushgateway 1.5) as the differential tests run it:
 * on a free loopback port, admin API and lifecycle enabled, persisting to {@code dir/real.data};
 * {@link #start} returns once {@code /-/ready} answers, {@link #close} stops it with SIGTERM
 * (which makes it persist). Tests that use it skip loudly when the binary is missing:
 * {@code assumeTrue(RealPushgateway.installed(), RealPushgateway.SKIP_MESSAGE)}.
 */
public final class RealPushgateway implements AutoCloseable {
    public static final Path BINARY = Path.of(System.getProperty("specula.pushgateway", "/usr/bin/prometheus-pushgateway"));
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Process process;
    private final Path log;
    /** {@code http://127.0.0.1:<port>}. */
    public final String base;

    private RealPushgateway(Process process, Path log, String base) {
        this.process = process;
        this.log = log;
        this.base = base;
    }

    public static final String SKIP_MESSAGE = "SKIPPED: " + BINARY
            + " not found (install Debian's 'prometheus-pushgateway', or run .ci/run); differential test not run";

    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    public static RealPushgateway start(Path dir) throws Exception {
        return start(dir, "--persistence.file=" + dir.resolve("real.data"), "--web.enable-admin-api", "--web.enable-lifecycle");
    }

    /**
     * Starts with {@code args} besides the listen address. Debian's build persists to
     * /var/lib/prometheus/pushgateway.data unless told otherwise: pass {@code --persistence.file=}.
     */
    public static RealPushgateway start(Path dir, String... args) throws Exception {
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
        try {
            Await.until(Duration.ofSeconds(20), () -> {
                try {
                    return HTTP.send(HttpRequest.newBuilder(URI.create(base + readyPath)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (IOException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            });
        } catch (AssertionError e) {
            throw new AssertionError("real Pushgateway did not become ready at " + base + ":\n" + Files.readString(log), e);
        }
    }

    /** Stops it with SIGTERM, so that it persists. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}

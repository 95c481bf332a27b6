package io.specula.pushgateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What survives a crash: the state of the last persist, which runs at most one interval after a write. */
class PersistenceTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void crash_losesAtMostTheLastInterval_orderlyStopLosesNothing() throws Exception {
        Path file = dir.resolve("pg.data");
        PushgatewayOptions o = new PushgatewayOptions();
        o.listenAddress = "127.0.0.1:0";
        o.persistenceFile = file;
        o.persistenceInterval = Duration.ofMillis(300);
        Pushgateway pg = Pushgateway.start(o);
        try {
            assertThat(push(pg, "/metrics/job/a", "x 1\n")).isEqualTo(200);
            // Within one interval the push is on disk, without any orderly stop.
            Instant deadline = Instant.now().plusSeconds(5);
            while (!Files.exists(file) && Instant.now().isBefore(deadline)) {
                Thread.sleep(20);
            }
            assertThat(PersistenceFormat.read(file)).extracting(g -> g.key().job()).containsExactly("a");
            // What a restart after kill -9 now sees: a copy of the file as it is.
            Path crashed = dir.resolve("crashed.data");
            Files.copy(file, crashed);
            assertThat(PersistenceFormat.read(crashed).getFirst().families()).containsKey("x");
            assertThat(push(pg, "/metrics/job/b", "y 1\n")).isEqualTo(200);
        } finally {
            pg.close();
        }
        assertThat(PersistenceFormat.read(file)).extracting(g -> g.key().job()).containsExactly("a", "b");
        o.listenAddress = "127.0.0.1:0";
        Pushgateway again = Pushgateway.start(o);
        try {
            assertThat(again.groups()).extracting(g -> g.key().job()).containsExactly("a", "b");
        } finally {
            again.close();
        }
    }

    @Test
    void damagedFile_ignoredWithAnError_notFatal() throws Exception {
        Path file = dir.resolve("pg.data");
        Files.write(file, new byte[] {'S', 'P', 'G', 'W', 1, 0, 0, 0, 1, 9, 9, 9, 9});
        PushgatewayOptions o = new PushgatewayOptions();
        o.listenAddress = "127.0.0.1:0";
        o.persistenceFile = file;
        Pushgateway pg = Pushgateway.start(o);
        try {
            assertThat(pg.groups()).isEmpty();
        } finally {
            pg.close();
        }
    }

    @Test
    void oversizedBody_refusedWith413() throws Exception {
        PushgatewayOptions o = new PushgatewayOptions();
        o.listenAddress = "127.0.0.1:0";
        Pushgateway pg = Pushgateway.start(o);
        try {
            byte[] big = new byte[PushHandler.MAX_BODY_BYTES + 10];
            java.util.Arrays.fill(big, (byte) '\n');
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pg.port() + "/metrics/job/a"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(413);
            assertThat(pg.groups()).isEmpty();
        } finally {
            pg.close();
        }
    }

    private static int push(Pushgateway pg, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pg.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}

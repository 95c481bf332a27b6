package io.specula.app.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.remote.SnappyBlock;
import io.specula.remote.prompb.Prompb;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --web.enable-remote-write-receiver} and the {@code --storage.remote.read-*} flags, end to end. */
class RemoteFlagsTest {
    @TempDir
    Path dir;

    @Test
    void receiverFlag_acceptsRemoteWrite_andFlagsAreReported() throws Exception {
        ServerCommand cmd = new ServerCommand();
        new CommandLine(cmd).parseArgs("--web.listen-address=127.0.0.1:0", "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.enable-remote-write-receiver", "--storage.remote.read-sample-limit=1000");
        try (Server s = Server.start(cmd.options()); HttpClient http = HttpClient.newHttpClient()) {
            String base = "http://127.0.0.1:" + s.port();
            long now = System.currentTimeMillis();
            byte[] body = SnappyBlock.encode(Prompb.WriteRequest.newBuilder().addTimeseries(Prompb.TimeSeries.newBuilder()
                    .addLabels(Prompb.Label.newBuilder().setName("__name__").setValue("pushed_by_rw"))
                    .addSamples(Prompb.Sample.newBuilder().setTimestamp(now).setValue(42))).build().toByteArray());
            HttpResponse<String> w = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/write"))
                    .header("Content-Encoding", "snappy").header("Content-Type", "application/x-protobuf")
                    .header("X-Prometheus-Remote-Write-Version", "0.1.0")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(w.statusCode()).as(w.body()).isEqualTo(204);
            String q = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/query?query="
                    + URLEncoder.encode("pushed_by_rw", StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(q).contains("\"42\"");
            String flags = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/status/flags")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(flags).contains("\"web.enable-remote-write-receiver\":\"true\"")
                    .contains("\"storage.remote.read-sample-limit\":\"1000\"")
                    .contains("\"storage.remote.read-concurrent-limit\":\"10\"")
                    .contains("\"storage.remote.read-max-bytes-in-frame\":\"1048576\"")
                    .contains("\"web.remote-write-receiver.accepted-protobuf-messages\":\"prometheus.WriteRequest,io.prometheus.write.v2.Request\"");
        }
    }

    @Test
    void unknownAcceptedMessage_refused() {
        ServerCommand cmd = new ServerCommand();
        new CommandLine(cmd).parseArgs("--web.remote-write-receiver.accepted-protobuf-messages=prometheus.WriteRequest",
                "--web.remote-write-receiver.accepted-protobuf-messages=foo.Request");
        assertThatThrownBy(cmd::options).hasMessageContaining("unknown message foo.Request");
    }

    @Test
    void badFrameSize_refused() {
        ServerCommand cmd = new ServerCommand();
        new CommandLine(cmd).parseArgs("--storage.remote.read-max-bytes-in-frame=0");
        assertThatThrownBy(cmd::options).hasMessageContaining("--storage.remote.read-max-bytes-in-frame");
    }
}

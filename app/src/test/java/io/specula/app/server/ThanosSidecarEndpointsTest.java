package io.specula.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * What Thanos Sidecar reads from the Prometheus next to it, as it parses it: external labels
 * from {@code status/config}, the block durations (Prometheus durations, equal) and the TSDB
 * path from {@code status/flags}, the version from {@code status/buildinfo}, and {@code /-/ready}.
 * ({@code /api/v1/read} with streamed chunks is covered against Prometheus 2.42 in the web module.)
 */
class ThanosSidecarEndpointsTest {
    @TempDir
    Path dir;

    @Test
    void sidecarEndpoints_answerWhatThanosParses() throws Exception {
        Path cfg = dir.resolve("p.yml");
        Files.writeString(cfg, "global:\n  external_labels: {cluster: eu1, replica: a}\n");
        ServerCommand cmd = new ServerCommand();
        new CommandLine(cmd).parseArgs("--web.listen-address=127.0.0.1:0", "--config.file=" + cfg,
                "--storage.tsdb.path=" + dir.resolve("data"), "--storage.tsdb.min-block-duration=2h",
                "--storage.tsdb.max-block-duration=2h");
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        try (Server s = Server.start(cmd.options())) {
            String base = "http://127.0.0.1:" + s.port();
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/-/ready")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            JsonNode flags = json.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/status/flags")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).get("data");
            assertThat(flags.get("storage.tsdb.min-block-duration").asString()).isEqualTo("2h");
            assertThat(flags.get("storage.tsdb.max-block-duration").asString()).isEqualTo("2h");
            assertThat(flags.get("storage.tsdb.path").asString()).isEqualTo(dir.resolve("data").toString());
            assertThat(flags.get("web.enable-admin-api").asString()).isIn("true", "false");
            String config = json.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/status/config")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).get("data").get("yaml").asString();
            assertThat(config).contains("external_labels:").contains("cluster: \"eu1\"").contains("replica: \"a\"");
            JsonNode build = json.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/status/buildinfo")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).get("data");
            assertThat(build.get("version").asString()).isNotEmpty();
        }
    }
}

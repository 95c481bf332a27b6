package io.specula.nodeexporter;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCrypt;

/** The stand-alone HTTP side: telemetry path, landing page, 404, and basic auth from --web.config.file. */
class NodeExporterServerTest {
    @TempDir
    Path dir;

    @Test
    void telemetryPathLandingPageAndBasicAuth() throws Exception {
        Path webConfig = Files.writeString(dir.resolve("web.yml"),
                "basic_auth_users:\n  prometheus: '" + BCrypt.hashpw("secret", BCrypt.gensalt(4)) + "'\n");
        NodeExporter ne = new NodeExporter(NodeExporterOptions.defaults().withCollectors(Set.of("loadavg")));
        try (NodeExporterServer s = NodeExporterServer.start(ne, "127.0.0.1:0", "/node", webConfig);
                HttpClient http = HttpClient.newHttpClient()) {
            String base = "http://127.0.0.1:" + s.port();
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(base + "/node")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            String auth = "Basic " + Base64.getEncoder().encodeToString("prometheus:secret".getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/node")).header("Authorization", auth)
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(metrics.body()).contains("# TYPE node_load1 gauge").contains("node_scrape_collector_success{collector=\"loadavg\"} 1");
            HttpResponse<String> landing = http.send(HttpRequest.newBuilder(URI.create(base + "/")).header("Authorization", auth)
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(landing.body()).contains("<a href=\"/node\">Metrics</a>");
            HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).header("Authorization", auth)
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(other.statusCode()).isEqualTo(404);
        }
    }
}

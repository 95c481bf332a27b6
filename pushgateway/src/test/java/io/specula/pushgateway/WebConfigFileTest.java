package io.specula.pushgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCrypt;

/** {@code --web.config.file}: the exporter toolkit's basic auth in front of every route. */
class WebConfigFileTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void basicAuth_guardsPushesAndScrapes() throws Exception {
        Path web = dir.resolve("web.yml");
        Files.writeString(web, "basic_auth_users:\n  job: '" + BCrypt.hashpw("s3cret", BCrypt.gensalt(4)) + "'\n");
        PushgatewayOptions o = new PushgatewayOptions();
        o.listenAddress = "127.0.0.1:0";
        o.webConfigFile = web;
        try (Pushgateway pg = Pushgateway.start(o)) {
            String base = "http://127.0.0.1:" + pg.port();
            assertThat(send(base + "/metrics/job/a", "x 1\n", null).statusCode()).isEqualTo(401);
            assertThat(send(base + "/metrics/job/a", "x 1\n", "job:wrong").statusCode()).isEqualTo(401);
            assertThat(send(base + "/metrics/job/a", "x 1\n", "job:s3cret").statusCode()).isEqualTo(200);
            assertThat(pg.groups()).hasSize(1);
        }
    }

    @Test
    void invalidWebConfig_refusedAtStart() throws Exception {
        Path web = dir.resolve("web.yml");
        Files.writeString(web, "basic_auth_users:\n  job: nothash\n");
        PushgatewayOptions o = new PushgatewayOptions();
        o.listenAddress = "127.0.0.1:0";
        o.webConfigFile = web;
        assertThatThrownBy(() -> Pushgateway.start(o)).isInstanceOf(IOException.class).hasMessageContaining("bcrypt");
    }

    private static HttpResponse<String> send(String url, String body, String userPass) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (userPass != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8)));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}

package io.specula.discovery.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.config.PromDuration;
import io.specula.testsupport.TestServer;
import io.specula.discovery.config.HttpSdConfig;
import io.specula.discovery.TargetGroup;
import io.specula.httpclient.HttpClients;
import java.io.IOException;
import java.util.List;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpDiscovererTest {
    private TestServer server;
    private HttpClient client;
    private HttpSdConfig config;

    @BeforeEach
    void setUp() throws Exception {
        server = new TestServer();
        server.contentType = "application/json";
        config = new HttpSdConfig();
        config.url = server.url("/sd");
        config.refreshInterval = PromDuration.ofSeconds(5);
        client = HttpClients.create(config, "test");
    }

    @AfterEach
    void tearDown() throws Exception {
        HttpClients.stopQuietly(client);
        server.close();
    }

    @Test
    void refresh_readsGroupsWithMetaUrlAndSources() throws Exception {
        server.body = """
                [{"targets": ["a:1", "b:1"], "labels": {"__meta_dc": "x", "env": "prod"}},
                 {"targets": ["c:1"]}]
                """;
        HttpDiscoverer d = new HttpDiscoverer(config);
        List<TargetGroup> groups = d.refresh(client);
        assertThat(groups).hasSize(2);
        assertThat(groups.get(0).source()).isEqualTo(config.url + ":0");
        assertThat(groups.get(0).labels().get("__meta_url")).isEqualTo(config.url);
        assertThat(groups.get(0).labels().get("env")).isEqualTo("prod");
        assertThat(groups.get(0).targets()).extracting(t -> t.get("__address__")).containsExactly("a:1", "b:1");
        assertThat(server.lastAccept).isEqualTo("application/json");

        server.body = "[{\"targets\": [\"a:1\"]}]";
        List<TargetGroup> next = d.refresh(client);
        assertThat(next).hasSize(2);
        assertThat(next.get(1).source()).isEqualTo(config.url + ":1");
        assertThat(next.get(1).targets()).isEmpty(); // retracted
    }

    @Test
    void refresh_wrongContentTypeOrStatus_fails() throws Exception {
        HttpDiscoverer d = new HttpDiscoverer(config);
        server.body = "[]";
        server.contentType = "text/plain";
        assertThatThrownBy(() -> d.refresh(client)).isInstanceOf(IOException.class)
                .hasMessage("unsupported content type \"text/plain\"");
        server.contentType = "application/json; charset=utf-8";
        server.status = 503;
        assertThatThrownBy(() -> d.refresh(client)).hasMessageStartingWith("server returned HTTP status 503");
        server.status = 200;
        assertThat(d.refresh(client)).isEmpty();
    }

    @Test
    void refresh_sendsAuthorization() throws Exception {
        config.authorization = new io.specula.model.config.HttpClientConfig.Authorization();
        config.authorization.type = "Bearer";
        config.authorization.credentials = io.specula.model.config.Secret.of("t0k");
        server.requiredAuthorization = "Bearer t0k";
        server.body = "[{\"targets\": [\"a:1\"]}]";
        assertThat(new HttpDiscoverer(config).refresh(client)).hasSize(1);
    }

    @Test
    void refresh_malformedJson_fails() {
        server.body = "{\"targets\": 1}";
        assertThatThrownBy(() -> new HttpDiscoverer(config).refresh(client)).hasMessageStartingWith(config.url + ":");
    }
}

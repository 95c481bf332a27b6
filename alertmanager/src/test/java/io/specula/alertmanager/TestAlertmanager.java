package io.specula.alertmanager;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** An in-process Alertmanager on a free loopback port, with a tiny HTTP client. */
final class TestAlertmanager implements AutoCloseable {
    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final Alertmanager am;
    final String base;

    private TestAlertmanager(Alertmanager am) {
        this.am = am;
        this.base = "http://" + am.boundAddress();
    }

    static TestAlertmanager start(Path dir, String config) throws Exception {
        Files.writeString(dir.resolve("alertmanager.yml"), config);
        return start(dir);
    }

    static TestAlertmanager start(Path dir) throws Exception {
        AlertmanagerOptions o = new AlertmanagerOptions();
        o.configFile = dir.resolve("alertmanager.yml");
        o.storagePath = dir.resolve("data");
        o.listenAddress = "127.0.0.1:0";
        o.externalUrl = "http://am.example:9093";
        o.initialBackoff = Duration.ofMillis(50);
        return new TestAlertmanager(Alertmanager.start(o));
    }

    record Reply(int status, String body) {
        JsonNode json() {
            return JSON.readTree(body);
        }
    }

    Reply get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    Reply post(String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    Reply delete(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    @Override
    public void close() {
        am.close();
    }
}

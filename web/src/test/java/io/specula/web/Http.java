package io.specula.web;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A tiny HTTP client for the tests: GET, and POST of an urlencoded form. */
final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Resp(int status, String contentType, String body) {}

    private final String base;

    Http(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** {@code http://127.0.0.1:port}, for requests this client cannot make (binary bodies). */
    String base() {
        return base;
    }

    /** {@code pathAndQuery} must already be URL-encoded where needed; see {@link #q}. */
    Resp get(String pathAndQuery, String... headers) throws IOException, InterruptedException {
        return send("GET", pathAndQuery, null, headers);
    }

    Resp post(String path, String form, String... headers) throws IOException, InterruptedException {
        return send("POST", path, form, headers);
    }

    Resp send(String method, String pathAndQuery, String form, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(30));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        if (form != null) {
            b.header("Content-Type", "application/x-www-form-urlencoded");
            b.method(method, HttpRequest.BodyPublishers.ofString(form));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Resp(r.statusCode(), r.headers().firstValue("Content-Type").orElse(null), r.body());
    }

    /** Builds {@code k=v&k=v} with each value URL-encoded. */
    static String q(String... kv) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < kv.length; i += 2) {
            if (!sb.isEmpty()) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(kv[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(kv[i + 1], StandardCharsets.UTF_8));
        }
        return sb.toString();
    }
}

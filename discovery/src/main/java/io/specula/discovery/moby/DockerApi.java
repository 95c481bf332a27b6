package io.specula.discovery.moby;

import io.specula.discovery.config.DockerFilter;
import io.specula.discovery.config.SdHttpClientConfig;
import io.specula.httpclient.HttpClients;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Transport;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small client of the Docker Engine API, for what discovery reads: lists as JSON, with
 * {@code filters} encoded as the Docker CLI does. {@code host} is {@code unix:///path} (the
 * socket, through Jetty's unix-domain transport), {@code tcp://host:port} (plain HTTP) or an
 * {@code http(s)://} URL, for which alone the HTTP client settings (TLS, auth, proxy, headers)
 * apply, as in Prometheus. The API version is negotiated once with {@code /_ping}. Not thread-safe.
 */
final class DockerApi implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Answers above this are refused rather than buffered. */
    private static final int MAX_BODY = 64 << 20;

    private final HttpClient client;
    private final Transport transport;
    private final String base;
    private final SdHttpClientConfig auth;
    private final long timeoutMillis;
    private String versionPrefix;

    DockerApi(String host, SdHttpClientConfig config, long timeoutMillis, String name) throws HttpClients.ClientConfigException {
        URI u = URI.create(host);
        String scheme = u.getScheme() == null ? "" : u.getScheme();
        this.timeoutMillis = timeoutMillis;
        switch (scheme) {
            case "unix" -> {
                transport = new Transport.TCPUnix(Path.of(u.getPath()));
                base = "http://localhost";
                auth = null;
                client = HttpClients.create(new SdHttpClientConfig() { }, name);
            }
            case "tcp" -> {
                transport = null;
                base = "http://" + u.getRawAuthority() + nz(u.getRawPath());
                auth = null;
                client = HttpClients.create(new SdHttpClientConfig() { }, name);
            }
            case "http", "https" -> {
                transport = null;
                base = scheme + "://" + u.getRawAuthority() + nz(u.getRawPath());
                auth = config;
                client = HttpClients.create(config, name);
            }
            default -> throw new HttpClients.ClientConfigException("unable to parse docker host `" + host + "`: protocol not available");
        }
    }

    private static String nz(String s) {
        return s == null || s.equals("/") ? "" : s;
    }

    /** GETs {@code path} (without version prefix) with the given filters and returns the parsed JSON. */
    JsonNode get(String path, List<DockerFilter> filters) throws IOException, InterruptedException {
        if (versionPrefix == null) {
            versionPrefix = negotiate();
        }
        String query = filters == null || filters.isEmpty() ? "" : "?filters=" + URLEncoder.encode(encodeFilters(filters), StandardCharsets.UTF_8);
        ContentResponse r = send(base + versionPrefix + path + query);
        if (r.getStatus() != 200) {
            throw new IOException(errorMessage(r));
        }
        try {
            return JSON.readTree(r.getContent());
        } catch (JacksonException e) {
            throw new IOException("invalid JSON from " + path + ": " + e.getOriginalMessage());
        }
    }

    /** Like {@link #get} but null for 404 (an object that is gone, or lives on another node). */
    JsonNode getOrNull(String path) throws IOException, InterruptedException {
        if (versionPrefix == null) {
            versionPrefix = negotiate();
        }
        ContentResponse r = send(base + versionPrefix + path);
        if (r.getStatus() == 404) {
            return null;
        }
        if (r.getStatus() != 200) {
            throw new IOException(errorMessage(r));
        }
        try {
            return JSON.readTree(r.getContent());
        } catch (JacksonException e) {
            throw new IOException("invalid JSON from " + path + ": " + e.getOriginalMessage());
        }
    }

    /** The server's API version as a path prefix ({@code /v1.43}), or none when it does not say. */
    private String negotiate() throws IOException, InterruptedException {
        ContentResponse r = send(base + "/_ping");
        String v = r.getHeaders().get("API-Version");
        return r.getStatus() == 200 && v != null && v.matches("\\d+\\.\\d+") ? "/v" + v : "";
    }

    /** Docker's filter encoding: {@code {"name": {"value": true, …}, …}}. */
    static String encodeFilters(List<DockerFilter> filters) {
        Map<String, Map<String, Boolean>> m = new LinkedHashMap<>();
        for (DockerFilter f : filters) {
            if (f == null || f.values == null) {
                continue;
            }
            for (String v : f.values) {
                m.computeIfAbsent(f.name, k -> new LinkedHashMap<>()).put(v, true);
            }
        }
        return JSON.writeValueAsString(m);
    }

    private ContentResponse send(String url) throws IOException, InterruptedException {
        Request req = client.newRequest(url).timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .headers(h -> h.put(HttpHeader.USER_AGENT, "Specula"));
        if (transport != null) {
            req.transport(transport);
        }
        if (auth != null) {
            HttpClients.authorize(req, auth);
        }
        try {
            return new CompletableResponseListener(req, MAX_BODY).send().get(timeoutMillis + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("Get \"" + url + "\": context deadline exceeded");
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            throw new IOException("Get \"" + url + "\": " + (c.getMessage() == null ? c.toString() : c.getMessage()));
        }
    }

    private static String errorMessage(ContentResponse r) {
        String body = r.getContentAsString();
        try {
            JsonNode j = JSON.readTree(body);
            if (j != null && j.has("message")) {
                return "Error response from daemon: " + j.get("message").asString();
            }
        } catch (JacksonException notJson) {
            // fall through
        }
        return "Error response from daemon: HTTP " + r.getStatus();
    }

    @Override
    public void close() {
        HttpClients.stopQuietly(client);
    }
}

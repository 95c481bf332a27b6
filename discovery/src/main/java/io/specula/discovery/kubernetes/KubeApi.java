package io.specula.discovery.kubernetes;

import io.specula.httpclient.HttpClients;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpHeader;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two calls discovery makes on the Kubernetes API: a list (one page) and a watch, whose
 * answer is a stream of JSON events, one per line, read as they arrive. Thread-safe.
 */
final class KubeApi implements AutoCloseable {
    private static final ObjectReader JSON = JsonMapper.builder().build().readerFor(JsonNode.class);
    private static final long LIST_TIMEOUT_MILLIS = 60_000;
    /** An API server answers a watch's headers at once; longer means a connection gone bad. */
    private static final long WATCH_HEADERS_TIMEOUT_MILLIS = 15_000;

    /** A non-2xx answer, with the API's Status code and message. */
    static final class ApiException extends IOException {
        final int code;

        ApiException(int code, String message) {
            super(message);
            this.code = code;
        }
    }

    private final ClusterAccess access;
    private final HttpClient client;

    KubeApi(ClusterAccess access) throws HttpClients.ClientConfigException {
        this.access = access;
        this.client = HttpClients.create(access.http(), "kubernetes-sd");
        // Every informer holds a watch open on its own connection (HTTP/1.1), plus lists:
        // the factory's default of 4 per destination would leave later watches queued for minutes.
        client.setMaxConnectionsPerDestination(MAX_CONNECTIONS);
    }

    static final int MAX_CONNECTIONS = 256;

    /** GET {@code path?params}: the decoded answer. */
    JsonNode get(String path, Map<String, String> params) throws IOException, InterruptedException {
        InputStreamResponseListener l = new InputStreamResponseListener();
        request(path, params).timeout(LIST_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).send(l);
        Response r = await(l, LIST_TIMEOUT_MILLIS);
        try (InputStream in = l.getInputStream()) {
            if (r.getStatus() != 200) {
                throw status(r, in);
            }
            return JSON.readValue(in);
        } catch (JacksonException e) {
            throw new IOException("decoding " + path + ": " + e.getOriginalMessage());
        }
    }

    /** Receives watch events; returns false to stop watching. */
    interface EventHandler {
        boolean event(JsonNode event) throws InterruptedException;
    }

    /**
     * Watches {@code path} until the server ends the stream, {@code timeoutSeconds} passes or
     * the handler stops; events are handed over as each line arrives. {@code onOpen} runs once
     * the server accepted the watch.
     */
    void watch(String path, Map<String, String> params, int timeoutSeconds, Runnable onOpen, EventHandler h)
            throws IOException, InterruptedException {
        InputStreamResponseListener l = new InputStreamResponseListener();
        Request req = request(path, params)
                .timeout(timeoutSeconds + 30L, TimeUnit.SECONDS)
                .idleTimeout(timeoutSeconds + 30L, TimeUnit.SECONDS);
        req.send(l);
        Response r = await(l, WATCH_HEADERS_TIMEOUT_MILLIS);
        try (InputStream in = l.getInputStream()) {
            if (r.getStatus() != 200) {
                throw status(r, in);
            }
            onOpen.run();
            try (MappingIterator<JsonNode> it = JSON.readValues(in)) {
                while (it.hasNextValue()) {
                    if (Thread.currentThread().isInterrupted()) {
                        throw new InterruptedException();
                    }
                    if (!h.event(it.nextValue())) {
                        break;
                    }
                }
            } catch (JacksonException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException();
                }
                // A connection cut mid-event surfaces as a parse or read error: the watch is over.
                throw new IOException("watch " + path + ": " + (e.getOriginalMessage() != null ? e.getOriginalMessage()
                        : e.getCause() != null ? e.getCause().toString() : e.getClass().getSimpleName()));
            }
        } finally {
            req.abort(new IOException("watch closed"));
        }
    }

    private Request request(String path, Map<String, String> params) throws IOException {
        StringBuilder url = new StringBuilder(access.server()).append(path);
        char sep = '?';
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (e.getValue() == null || e.getValue().isEmpty()) {
                continue;
            }
            url.append(sep).append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        Request req = client.newRequest(url.toString()).headers(h -> {
            h.put(HttpHeader.ACCEPT, "application/json");
            h.put(HttpHeader.USER_AGENT, "Specula");
        });
        HttpClients.authorize(req, access.http());
        if (access.exec() != null) {
            String token = access.exec().token();
            req.headers(h -> h.put(HttpHeader.AUTHORIZATION, "Bearer " + token));
        }
        return req;
    }

    private static Response await(InputStreamResponseListener l, long millis) throws IOException, InterruptedException {
        try {
            return l.get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("no answer within " + millis / 1000 + "s");
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            throw new IOException(c.getMessage() == null ? c.toString() : c.getMessage());
        }
    }

    private ApiException status(Response r, InputStream in) throws IOException {
        byte[] body = in.readNBytes(64 << 10);
        String message = r.getStatus() + " " + r.getReason();
        try {
            JsonNode s = JSON.readValue(body);
            if (!Meta.text(s, "message").isEmpty()) {
                message = Meta.text(s, "message");
            }
        } catch (JacksonException ignored) {
            // not a Status object: keep the HTTP status line
        }
        if (r.getStatus() == 401 && access.exec() != null) {
            access.exec().invalidate();
        }
        return new ApiException(r.getStatus(), message);
    }

    @Override
    public void close() {
        closed = true;
        HttpClients.stopQuietly(client);
    }

    /** Whether {@link #close} was called: informers stop rather than retry against a stopped client. */
    boolean closed() {
        return closed;
    }

    private volatile boolean closed;
}

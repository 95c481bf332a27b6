package io.specula.web;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.specula.remote.HttpAnswer;
import io.specula.remote.RemoteReadHandler;
import io.specula.remote.RemoteWriteHandler;
import io.specula.remote.otlp.OtlpHandler;
import io.specula.remote.otlp.OtlpOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/write} (with {@code --web.enable-remote-write-receiver}) and
 * {@code POST /api/v1/read} and {@code POST /api/v1/otlp/v1/metrics} (with {@code --web.enable-otlp-receiver}): reads the body within a limit and hands it to the remote module's
 * handlers. Configured from the {@code --storage.remote.read-*} flags in {@link ServerContext#flags()}.
 */
final class RemoteEndpoints {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteEndpoints.class);
    static final String WRITE = "/api/v1/write";
    static final String READ = "/api/v1/read";

    /** Compressed request bodies (KiB) held at once across both endpoints. */
    private static final int BODY_BUDGET_KIB = 256 << 10;
    private final java.util.concurrent.Semaphore bodies = new java.util.concurrent.Semaphore(BODY_BUDGET_KIB, true);
    private final ServerContext ctx;
    private final RemoteWriteHandler write; // null when the receiver is off
    private final RemoteReadHandler read;
    private final OtlpHandler otlp; // null when the receiver is off

    private final CounterWithCallback invalidLabels; // null when the receiver is off

    /** Registers the receiver's self-metric on the context's registry when the receiver is on; see {@link #unregister}. */
    RemoteEndpoints(ServerContext ctx) {
        this.ctx = ctx;
        Map<String, String> flags = ctx.flags();
        this.write = Boolean.parseBoolean(flags.getOrDefault("web.enable-remote-write-receiver", "false"))
                ? new RemoteWriteHandler(() -> ctx.appendable().appender(), acceptedMessages(flags)) : null;
        this.invalidLabels = write == null ? null : CounterWithCallback.builder()
                .name("prometheus_api_remote_write_invalid_labels_samples_total")
                .help("The total number of received remote write samples and histogram samples which were rejected due to invalid labels.")
                .callback(cb -> cb.call(write.invalidLabelSamples())).register(ctx.registry());
        if (Boolean.parseBoolean(flags.getOrDefault("web.enable-otlp-receiver", "false"))) {
            boolean delta = java.util.Arrays.asList(flags.getOrDefault("enable-feature", "").split(","))
                    .contains("otlp-native-delta-ingestion");
            String lb = flags.get("query.lookback-delta");
            long lookback = lb == null || lb.isEmpty() ? OtlpOptions.DEFAULTS.lookbackDeltaMs()
                    : io.specula.model.config.PromDuration.parse(lb).millis();
            this.otlp = new OtlpHandler(() -> ctx.appendable().appender(),
                    () -> ctx.otlpOptions().withAllowDeltaTemporality(delta).withLookbackDeltaMs(lookback));
        } else {
            this.otlp = null;
        }
        RemoteReadHandler.Options d = RemoteReadHandler.Options.defaults();
        RemoteReadHandler.Options opts = new RemoteReadHandler.Options(
                flag(flags, "storage.remote.read-sample-limit", d.sampleLimit()),
                (int) flag(flags, "storage.remote.read-concurrent-limit", d.concurrentLimit()),
                (int) flag(flags, "storage.remote.read-max-bytes-in-frame", d.maxBytesInFrame()));
        this.read = new RemoteReadHandler(ctx::db, ctx::externalLabels, opts);
    }

    /** {@code web.remote-write-receiver.accepted-protobuf-messages}, comma-separated; both when absent. */
    private static java.util.List<String> acceptedMessages(Map<String, String> flags) {
        String v = flags.get("web.remote-write-receiver.accepted-protobuf-messages");
        if (v == null || v.isBlank()) {
            return java.util.List.of(RemoteWriteHandler.PROTO_V1, RemoteWriteHandler.PROTO_V2);
        }
        return java.util.Arrays.stream(v.split(",")).map(String::strip).filter(x -> !x.isEmpty()).distinct().toList();
    }

    void unregister() {
        if (invalidLabels != null) {
            ctx.registry().unregister(invalidLabels);
        }
    }

    private static long flag(Map<String, String> flags, String name, long dflt) {
        String v = flags.get(name);
        return v == null || v.isEmpty() ? dflt : Long.parseLong(v);
    }

    static boolean handles(String path) {
        return path.equals(WRITE) || path.equals(READ) || path.equals(OtlpHandler.PATH);
    }

    /** Serves the request completely (and completes {@code cb}); returns the status for the HTTP metrics. */
    int serve(String path, Request req, Response resp, Callback cb) {
        if (!req.getMethod().equals("POST")) {
            return answer(req, resp, cb, error(405, "Method Not Allowed"));
        }
        // Writes go to the TSDB, or to agent mode's WAL; reads need the TSDB.
        if (path.equals(READ) ? ctx.db() == null : ctx.appendable() == null) {
            return answer(req, resp, cb, error(503, "Service Unavailable"));
        }
        if (path.equals(WRITE) && write == null) {
            return answer(req, resp, cb,
                    error(404, "remote write receiver needs to be enabled with --web.enable-remote-write-receiver"));
        }
        if (path.equals(OtlpHandler.PATH) && otlp == null) {
            return answer(req, resp, cb, error(404, "otlp write receiver needs to be enabled with --web.enable-otlp-receiver"));
        }
        int limit = path.equals(WRITE) ? RemoteWriteHandler.DEFAULT_MAX_BODY_BYTES
                : path.equals(OtlpHandler.PATH) ? OtlpHandler.DEFAULT_MAX_BODY_BYTES : RemoteReadHandler.MAX_REQUEST_BYTES;
        long declared = req.getLength();
        if (declared > limit) {
            return answer(req, resp, cb, error(413, "request body exceeds the limit of " + limit + " bytes"));
        }
        // Bodies held at once are bounded: a request waits until its (declared or largest) size fits.
        int permits = (int) Math.min(BODY_BUDGET_KIB, ((declared >= 0 ? declared : limit) >> 10) + 1);
        bodies.acquireUninterruptibly(permits);
        try {
            return serve(path, req, resp, cb, limit);
        } finally {
            bodies.release(permits);
        }
    }

    private int serve(String path, Request req, Response resp, Callback cb, int limit) {
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(req)) {
            body = in.readNBytes(limit + 1);
        } catch (IOException e) {
            return answer(req, resp, cb, error(400, "reading request body: " + e.getMessage()));
        }
        if (body.length > limit) {
            return answer(req, resp, cb, error(413, "request body exceeds the limit of " + limit + " bytes"));
        }
        if (path.equals(OtlpHandler.PATH)) {
            return answer(req, resp, cb, otlp.handle(req.getHeaders().get(HttpHeader.CONTENT_TYPE),
                    req.getHeaders().get(HttpHeader.CONTENT_ENCODING), body));
        }
        if (path.equals(WRITE)) {
            return answer(req, resp, cb, write.handle(req.getHeaders().get(HttpHeader.CONTENT_TYPE),
                    req.getHeaders().get(HttpHeader.CONTENT_ENCODING), body));
        }
        OutputStream[] opened = new OutputStream[1];
        HttpAnswer a = read.handle(body, contentType -> {
            resp.setStatus(200);
            resp.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
            opened[0] = Content.Sink.asOutputStream(resp);
            return opened[0];
        });
        if (opened[0] == null) {
            return answer(req, resp, cb, a);
        }
        try {
            opened[0].close();
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("remote read response not fully written: {}", e.toString());
            cb.failed(e);
            return 200;
        }
        if (a != null) { // failed after the first frame: the client sees a truncated stream
            LOG.error("remote read failed while streaming: {}", new String(a.body(), java.nio.charset.StandardCharsets.UTF_8).strip());
            cb.failed(new IOException("remote read failed while streaming"));
            return a.status();
        }
        cb.succeeded();
        return 200;
    }

    private static HttpAnswer error(int status, String msg) {
        return new HttpAnswer(status, Map.of(), HttpAnswer.TEXT, (msg + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static int answer(Request req, Response resp, Callback cb, HttpAnswer a) {
        resp.setStatus(a.status());
        a.headers().forEach((k, v) -> resp.getHeaders().put(k, v));
        if (a.contentType() != null) {
            resp.getHeaders().put(HttpHeader.CONTENT_TYPE, a.contentType());
        }
        resp.getHeaders().put(HttpHeader.CONTENT_LENGTH, a.body().length);
        resp.write(true, ByteBuffer.wrap(a.body()), cb);
        return a.status();
    }
}

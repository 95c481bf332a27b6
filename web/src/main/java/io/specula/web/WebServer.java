package io.specula.web;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.specula.httpserver.HttpServer;
import io.specula.model.config.ConfigException;
import io.specula.tsdb.DB;
import io.specula.ui.UiAssets;
import io.specula.web.api.ApiException;
import io.specula.web.api.ApiV1;
import io.specula.web.api.Params;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's HTTP side (Jetty core handlers on virtual threads), everything under
 * {@code --web.route-prefix}: {@code /api/v1/*} ({@link ApiV1}; {@code write} and {@code read} in
 * {@link RemoteEndpoints}), {@code /federate},
 * {@code /metrics} (the registry of {@link ServerContext#registry()}, text 0.0.4 or OpenMetrics
 * by {@code Accept}), {@code /-/healthy}, {@code /-/ready} (503 until the storage is open),
 * {@code /-/reload} and {@code /-/quit} (POST or PUT, with {@code --web.enable-lifecycle}).
 * Texts, status codes and error JSON are Prometheus's.
 *
 * <p>Registers {@code prometheus_http_requests_total}, {@code prometheus_http_request_duration_seconds}
 * and {@code prometheus_engine_query_duration_seconds} on the context's registry while it runs
 * (the app must not register these names itself).
 */
public final class WebServer {
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    /** Largest form body read, as Go's {@code ParseForm} limit. */
    private static final int MAX_FORM_BYTES = 10 << 20;
    /** The {@code --web.cors.origin} regex, read from the server's flags ({@code .*} when absent). */
    public static final String CORS_FLAG = "web.cors.origin";
    /** Request attribute: the connection must close after the response (see {@link DisconnectWatch}). */
    private static final String CLOSE_AFTER = "io.specula.web.closeAfter";
    private static final int MAX_FORM_FIELDS = 100_000;
    private static final String TEXT = "text/plain; charset=utf-8";

    private final HttpServer http;
    private final ApiV1 api;
    private final HttpMetrics metrics;
    private final ServerContext ctx;

    private final RemoteEndpoints remote;

    private WebServer(HttpServer http, ApiV1 api, HttpMetrics metrics, ServerContext ctx, RemoteEndpoints remote) {
        this.remote = remote;
        this.http = http;
        this.api = api;
        this.metrics = metrics;
        this.ctx = ctx;
    }

    /**
     * Binds {@code opts.listenAddress()} and starts serving.
     *
     * @throws IOException when the address is malformed or cannot be bound (message says which)
     */
    public static WebServer start(ServerContext ctx, WebOptions opts) throws IOException {
        HttpMetrics metrics = new HttpMetrics(ctx.registry(), ctx);
        ApiV1 api = new ApiV1(ctx, opts, metrics::query);
        String prefix = normalizePrefix(opts.routePrefix());
        String basePath = externalPath(opts.externalUrl(), prefix);
        UiAssets ui = UiAssets.load("index.html", basePath, opts.pageTitle());
        RemoteEndpoints remote = new RemoteEndpoints(ctx);
        try {
            // A query may compute for its whole timeout (2m by default) before the first byte is
            // written: Jetty's 30s idle default would cut it. Prometheus's --web.read-timeout is 5m.
            HttpServer http = HttpServer.start(new HttpServer.Options("web", opts.listenAddress(), opts.webConfigFile(),
                    300_000, opts.maxConnections()), new Router(ctx, opts, api, metrics, prefix, ui, basePath, remote));
            return new WebServer(http, api, metrics, ctx, remote);
        } catch (IOException e) {
            api.close();
            remote.unregister();
            metrics.unregister(ctx.registry());
            throw e;
        }
    }

    private static String normalizePrefix(String p) {
        if (p == null || p.isEmpty() || p.equals("/")) {
            return "";
        }
        String s = p.startsWith("/") ? p : "/" + p;
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /**
     * The path under which browsers reach the server: the external URL's (a proxy may strip it
     * before the route prefix applies), else the route prefix.
     */
    static String externalPath(String externalUrl, String prefix) {
        if (externalUrl == null || externalUrl.isEmpty()) {
            return prefix;
        }
        try {
            String p = java.net.URI.create(externalUrl).getPath();
            return p == null ? "" : p.replaceAll("/+$", "");
        } catch (IllegalArgumentException e) {
            return prefix;
        }
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return http.port();
    }

    /** Stops serving (in-flight requests get up to two seconds) and removes its self-metrics. */
    public void stop() {
        http.stop();
        api.close();
        metrics.unregister(ctx.registry());
        remote.unregister();
    }

    /** Routes one request; answers are fully built before they are written. */
    private static final class Router extends Handler.Abstract {
        private final ServerContext ctx;
        private final WebOptions opts;
        private final ApiV1 api;
        private final HttpMetrics metrics;
        private final String prefix;
        private final UiAssets ui;
        private final String basePath;
        private final ExpositionFormats formats = ExpositionFormats.init();
        private final RemoteEndpoints remote;

        Router(ServerContext ctx, WebOptions opts, ApiV1 api, HttpMetrics metrics, String prefix, UiAssets ui,
                String basePath, RemoteEndpoints remote) {
            String origin = ctx.flags() == null ? null : ctx.flags().get(CORS_FLAG);
            this.corsOrigin = origin == null ? ".*" : origin;
            // Anchored as Prometheus anchors --web.cors.origin; the flag was checked when parsed.
            this.cors = com.google.re2j.Pattern.compile("^(?:" + corsOrigin + ")$");
            this.ctx = ctx;
            this.remote = remote;
            this.opts = opts;
            this.api = api;
            this.metrics = metrics;
            this.prefix = prefix;
            this.ui = ui;
            this.basePath = basePath;
        }

        /** An answer: a body, or (API successes) a reply streamed as it is rendered. */
        private record Out(int status, String contentType, byte[] body, ApiV1.Response streamed) {
            Out(int status, String contentType, String body) {
                this(status, contentType, body.getBytes(StandardCharsets.UTF_8), null);
            }
        }

        @Override
        public boolean handle(Request req, Response resp, Callback cb) {
            long t0 = System.nanoTime();
            String path = Request.getPathInContext(req);
            if (!prefix.isEmpty()) {
                if (!path.equals(prefix) && !path.startsWith(prefix + "/")) {
                    write(req, resp, cb, notFound());
                    return true;
                }
                path = path.substring(prefix.length());
            }
            if (RemoteEndpoints.handles(path)) {
                int status = remote.serve(path, req, resp, cb);
                metrics.request(path, status, System.nanoTime() - t0);
                return true;
            }
            if (uiRoute(path, req, resp, cb)) {
                return true;
            }
            String[] handler = new String[1];
            Out out;
            try {
                out = route(path, req, handler);
            } catch (RuntimeException e) {
                LOG.error("HTTP request failed: path={} err={}", path, e.toString());
                out = new Out(500, TEXT, "internal error: " + e.getMessage() + "\n");
            }
            if (handler[0] != null) {
                metrics.request(handler[0], out.status, System.nanoTime() - t0);
            }
            write(req, resp, cb, out);
            return true;
        }

        /**
         * The web UI: "/" redirects to the query page (as Prometheus 3), any other GET that is
         * not an API or server endpoint gets an asset or the UI's page (client-side routes).
         */
        private boolean uiRoute(String path, Request req, Response resp, Callback cb) {
            String method = req.getMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                return false;
            }
            if (path.isEmpty() || path.equals("/")) {
                if (ui == null) {
                    return false;
                }
                UiAssets.redirect(basePath + "/query", resp, cb);
                return true;
            }
            if (path.startsWith("/api/") || path.startsWith("/-/") || path.equals("/metrics") || path.equals("/federate")
                    || ctx.metricsEndpoints().containsKey(path)) {
                return false; // the server's own endpoints, including the extra ones (e.g. /node/metrics)
            }
            if (ui == null) {
                write(req, resp, cb, new Out(404, TEXT, "404 page not found: the web UI was not built (-Dskip.ui)\n"));
                return true;
            }
            ui.serve(path, req, resp, cb);
            return true;
        }

        private static Out notFound() {
            return new Out(404, TEXT, "404 page not found\n");
        }

        private boolean ready() {
            return ctx.ready();
        }

        private Out route(String path, Request req, String[] handler) {
            String method = req.getMethod();
            boolean get = method.equals("GET") || method.equals("HEAD");
            boolean postOrPut = method.equals("POST") || method.equals("PUT");
            switch (path) {
                case "/-/healthy" -> {
                    handler[0] = "/-/healthy";
                    return get ? new Out(200, TEXT, "Prometheus Server is Healthy.\n") : methodNotAllowed();
                }
                case "/-/ready" -> {
                    handler[0] = "/-/ready";
                    if (!get) {
                        return methodNotAllowed();
                    }
                    return ready() ? new Out(200, TEXT, "Prometheus Server is Ready.\n")
                            : new Out(503, TEXT, "Service Unavailable");
                }
                case "/-/reload" -> {
                    handler[0] = "/-/reload";
                    if (!postOrPut) {
                        return new Out(405, TEXT, "Only POST or PUT requests allowed");
                    }
                    if (!opts.enableLifecycle()) {
                        return new Out(403, TEXT, "Lifecycle API is not enabled.");
                    }
                    try {
                        ctx.reload();
                        return new Out(200, TEXT, "");
                    } catch (ConfigException e) {
                        return new Out(500, TEXT, "failed to reload config: " + e.getMessage() + "\n");
                    }
                }
                case "/-/quit" -> {
                    handler[0] = "/-/quit";
                    if (!postOrPut) {
                        return new Out(405, TEXT, "Only POST or PUT requests allowed");
                    }
                    if (!opts.enableLifecycle()) {
                        return new Out(403, TEXT, "Lifecycle API is not enabled.");
                    }
                    ctx.quit();
                    return new Out(200, TEXT, "Requesting termination... Goodbye!");
                }
                case "/metrics" -> {
                    handler[0] = "/metrics";
                    return get ? metricsPage(req) : methodNotAllowed();
                }
                case "/federate" -> {
                    handler[0] = "/federate";
                    if (!get) {
                        return methodNotAllowed();
                    }
                    return ready() ? federate(req) : new Out(503, TEXT, "Service Unavailable");
                }
                case "", "/" -> {
                    return get ? new Out(200, TEXT, "Specula: the HTTP API is under " + prefix + "/api/v1/\n")
                            : methodNotAllowed();
                }
                default -> {
                    if (!path.startsWith("/api/v1/")) {
                        ServerContext.MetricsSource extra = ctx.metricsEndpoints().get(path);
                        if (extra != null) {
                            handler[0] = path;
                            return get ? extraMetrics(extra) : methodNotAllowed();
                        }
                        return notFound();
                    }
                    return api(path.substring("/api/v1".length()), req, handler);
                }
            }
        }

        private static Out methodNotAllowed() {
            return new Out(405, TEXT, "Method Not Allowed\n");
        }

        private Out api(String sub, Request req, String[] handler) {
            String method = req.getMethod();
            switch (ApiV1.route(sub, method)) {
                case NOT_FOUND -> {
                    return notFound();
                }
                case METHOD_NOT_ALLOWED -> {
                    return methodNotAllowed();
                }
                default -> {
                }
            }
            handler[0] = ApiV1.handlerName(sub);
            // Prometheus gates the whole API on readiness, except the WAL replay progress.
            if (!ready() && !sub.equals("/status/walreplay")) {
                return new Out(503, TEXT, "Service Unavailable");
            }
            Params p;
            try {
                p = params(req);
            } catch (IllegalArgumentException e) {
                ApiV1.Response r = ApiV1.error(new ApiException(ApiException.Type.BAD_DATA,
                        "error parsing form values: " + e.getMessage()));
                return new Out(r.status(), r.contentType(), r.body());
            }
            DisconnectWatch watch = new DisconnectWatch(req);
            p.withDisconnectWatch(watch::arm);
            ApiV1.Response r;
            try {
                r = api.handle(sub, method, p);
            } finally {
                watch.stop();
            }
            if (watch.consumedInput()) {
                req.setAttribute(CLOSE_AFTER, Boolean.TRUE);
            }
            if (r.reply() != null) {
                return new Out(r.status(), r.contentType(), null, r);
            }
            return new Out(r.status(), r.contentType(), r.body());
        }

        /** Query parameters and, for a form POST/PUT, the body's fields (body first, as Go's r.Form). */
        private static Params params(Request req) {
            Map<String, List<String>> m = new LinkedHashMap<>();
            String ct = req.getHeaders().get(HttpHeader.CONTENT_TYPE);
            String method = req.getMethod();
            if ((method.equals("POST") || method.equals("PUT")) && ct != null
                    && ct.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
                Fields body;
                try {
                    body = FormFields.getFields(req, MAX_FORM_FIELDS, MAX_FORM_BYTES);
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(e.getMessage() == null ? e.toString() : e.getMessage());
                }
                add(m, body);
            }
            Fields query;
            try {
                query = Request.extractQueryParameters(req);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(e.getMessage() == null ? e.toString() : e.getMessage());
            }
            add(m, query);
            return new Params(m);
        }

        private static void add(Map<String, List<String>> m, Fields f) {
            for (Fields.Field field : f) {
                m.computeIfAbsent(field.getName(), k -> new ArrayList<>()).addAll(field.getValues());
            }
        }

        private Out metricsPage(Request req) {
            ExpositionFormatWriter w = formats.findWriter(req.getHeaders().get(HttpHeader.ACCEPT));
            ByteArrayOutputStream buf = new ByteArrayOutputStream(16 << 10);
            try {
                w.write(buf, ctx.registry().scrape());
            } catch (IOException e) {
                return new Out(500, TEXT, "error writing metrics: " + e.getMessage() + "\n");
            }
            return new Out(200, w.getContentType(), buf.toByteArray(), null);
        }

        private static Out extraMetrics(ServerContext.MetricsSource source) {
            try {
                return new Out(200, io.specula.model.exposition.ExpositionFormat.TEXT_CONTENT_TYPE, source.scrape(), null);
            } catch (IOException e) {
                return new Out(500, TEXT, "error gathering metrics: " + e.getMessage() + "\n");
            }
        }

        private Out federate(Request req) {
            Params p;
            try {
                p = params(req);
            } catch (IllegalArgumentException e) {
                return new Out(400, TEXT, "error parsing form values: " + e.getMessage() + "\n");
            }
            List<String> selectors = p.all("match[]");
            DB db = ctx.db();
            try {
                long lookback = opts.lookbackDelta() == null || opts.lookbackDelta().isZero() ? 300_000
                        : opts.lookbackDelta().toMillis();
                if (Federation.negotiateProtobuf(req.getHeaders().get(HttpHeader.ACCEPT))) {
                    byte[] body = Federation.renderProtobuf(db, selectors, ctx.externalLabels(), System.currentTimeMillis(),
                            lookback);
                    return new Out(200, io.specula.model.exposition.proto.DelimitedMetricFamilies.MEDIA_TYPE, body, null);
                }
                String body = Federation.render(db, selectors, ctx.externalLabels(), System.currentTimeMillis(), lookback);
                return new Out(200, Federation.CONTENT_TYPE, body);
            } catch (Federation.BadSelector e) {
                return new Out(400, TEXT, e.getMessage() + "\n");
            } catch (IOException e) {
                return new Out(500, TEXT, "federation failed: " + e.getMessage() + "\n");
            }
        }

        private final String corsOrigin;
        private final com.google.re2j.Pattern cors;

        private void write(Request req, Response resp, Callback cb, Out out) {
            resp.setStatus(out.status);
            if (req.getAttribute(CLOSE_AFTER) != null) {
                resp.getHeaders().put(HttpHeader.CONNECTION, "close");
            }
            String origin = req.getHeaders().get(HttpHeader.ORIGIN);
            if (origin != null) {
                // Prometheus's CORS headers; the default --web.cors.origin '.*' lets every origin read ("*").
                resp.getHeaders().put("Access-Control-Allow-Headers", "Accept, Authorization, Content-Type, Origin");
                resp.getHeaders().put("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
                resp.getHeaders().put("Access-Control-Expose-Headers", "Date");
                resp.getHeaders().put("Vary", "Origin");
                if (corsOrigin.equals(".*")) {
                    resp.getHeaders().put("Access-Control-Allow-Origin", "*");
                } else if (cors.matches(origin)) {
                    resp.getHeaders().put("Access-Control-Allow-Origin", origin);
                }
            }
            if (out.contentType != null) {
                resp.getHeaders().put(HttpHeader.CONTENT_TYPE, out.contentType);
            }
            String ae = req.getHeaders().get(HttpHeader.ACCEPT_ENCODING);
            boolean gzip = ae != null && ae.contains("gzip");
            if (out.streamed != null) {
                stream(resp, cb, out.streamed, gzip);
                return;
            }
            byte[] body = out.body;
            if (body.length > 1024 && gzip) {
                ByteArrayOutputStream z = new ByteArrayOutputStream(body.length / 4 + 64);
                try (GZIPOutputStream gz = new GZIPOutputStream(z)) {
                    gz.write(body);
                } catch (IOException e) {
                    throw new IllegalStateException(e); // in-memory streams do not fail
                }
                body = z.toByteArray();
                resp.getHeaders().put(HttpHeader.CONTENT_ENCODING, "gzip");
                resp.getHeaders().add(HttpHeader.VARY, "Accept-Encoding");
            }
            resp.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            resp.write(true, ByteBuffer.wrap(body), cb);
        }

        /**
         * Renders an API success straight into the response (chunked), gzip'd when accepted:
         * a large matrix is never held as one string. Blocking writes are fine on virtual threads.
         */
        private static void stream(Response resp, Callback cb, ApiV1.Response r, boolean gzip) {
            if (gzip) {
                resp.getHeaders().put(HttpHeader.CONTENT_ENCODING, "gzip");
                resp.getHeaders().add(HttpHeader.VARY, "Accept-Encoding");
            }
            try (OutputStream raw = Content.Sink.asOutputStream(resp);
                 OutputStream os = gzip ? new GZIPOutputStream(raw, 64 << 10) : raw;
                 Writer w = new OutputStreamWriter(os, StandardCharsets.UTF_8)) {
                ApiV1.stream(r.reply(), w);
            } catch (IOException | UncheckedIOException e) {
                LOG.debug("API response not fully written: {}", e.toString());
                cb.failed(e);
                return;
            }
            cb.succeeded();
        }
    }
}

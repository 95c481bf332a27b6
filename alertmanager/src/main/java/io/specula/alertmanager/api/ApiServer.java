package io.specula.alertmanager.api;

import io.specula.alertmanager.Alertmanager;
import io.specula.httpserver.HttpServer;
import io.specula.model.config.ConfigException;
import io.specula.model.config.ListenAddress;
import io.specula.ui.UiAssets;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Alertmanager's HTTP server (Jetty core handlers on virtual threads): API v2 under
 * {@code <prefix>/api/v2/}, {@code /-/healthy}, {@code /-/ready}, {@code POST /-/reload}
 * and {@code /metrics}. Request bodies are capped; errors are JSON strings as go-swagger
 * writes them.
 */
public final class ApiServer {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    /** Bodies beyond this are refused: alerts and silences are small. */
    static final int MAX_BODY_BYTES = 32 << 20;

    private final HttpServer http;
    private final String host;

    private ApiServer(HttpServer http, String listenAddress) throws IOException {
        this.http = http;
        try {
            this.host = ListenAddress.parse("--web.listen-address", listenAddress).host();
        } catch (ConfigException e) {
            throw new IOException(e.getMessage());
        }
    }

    /**
     * Binds {@code host:port} (empty host: all interfaces) and starts serving, behind the web
     * configuration file's TLS and basic auth when one is given.
     */
    public static ApiServer start(Alertmanager am, String listenAddress, Path webConfigFile, String prefix) throws IOException {
        ApiV2 v2 = new ApiV2(am);
        UiAssets ui = UiAssets.load("alertmanager.html", externalPath(am.externalUrl(), prefix), "Alertmanager");
        Handler app = new Handler.Abstract() {
            @Override
            public boolean handle(Request req, Response resp, Callback cb) {
                String path = Request.getPathInContext(req);
                if (!prefix.isEmpty()) {
                    if (!path.startsWith(prefix)) {
                        return false;
                    }
                    path = path.substring(prefix.length());
                }
                try {
                    if (ui != null && isUiPath(path, req.getMethod())) {
                        ui.serve(path.isEmpty() ? "/" : path, req, resp, cb);
                        return true;
                    }
                    route(am, v2, path, req, resp, cb);
                } catch (ApiException e) {
                    writeJson(resp, cb, e.status, ApiV2.jsonString(e.getMessage()));
                } catch (RuntimeException e) {
                    LOG.error("API request failed: path={} err={}", path, e.toString());
                    writeJson(resp, cb, 500, ApiV2.jsonString(e.toString()));
                }
                return true;
            }
        };
        return new ApiServer(HttpServer.start(new HttpServer.Options("alertmanager", listenAddress, webConfigFile, 30_000, 0), app),
                listenAddress);
    }

    /** The web UI answers every GET that is not an API or server endpoint (its routes are in the URL's #fragment). */
    private static boolean isUiPath(String path, String method) {
        return (method.equals("GET") || method.equals("HEAD")) && !path.startsWith("/api/") && !path.startsWith("/-/")
                && !path.equals("/metrics");
    }

    /** Where browsers reach the Alertmanager: the external URL's path (a proxy may strip it), else the prefix. */
    static String externalPath(String externalUrl, String prefix) {
        try {
            String p = externalUrl == null ? null : java.net.URI.create(externalUrl).getPath();
            return p == null ? prefix : p.replaceAll("/+$", "");
        } catch (IllegalArgumentException e) {
            return prefix;
        }
    }

    private static void route(Alertmanager am, ApiV2 v2, String path, Request req, Response resp, Callback cb)
            throws ApiException {
        String method = req.getMethod();
        switch (path) {
            case "/-/healthy", "/-/ready" -> writeText(resp, cb, 200, "OK");
            case "/-/reload" -> {
                if (!method.equals("POST") && !method.equals("PUT")) {
                    throw new ApiException(405, "Only POST or PUT requests allowed");
                }
                try {
                    am.reload();
                    writeText(resp, cb, 200, "");
                } catch (io.specula.model.config.ConfigException e) {
                    writeText(resp, cb, 500, "failed to reload config: " + e.getMessage());
                }
            }
            case "/metrics" -> writeText(resp, cb, 200, Metrics.render(am));
            case "/api/ui/routes" -> writeJson(resp, cb, 200, RoutesApi.tree(am));
            case "/api/ui/routes/test" -> {
                if (!method.equals("POST")) {
                    throw new ApiException(405, "Only POST requests allowed");
                }
                writeJson(resp, cb, 200, RoutesApi.test(am, ApiV2.readJson(req)));
            }
            case "/" -> writeText(resp, cb, 200, "Specula Alertmanager: see /api/v2/status\n");
            default -> {
                if (!path.startsWith("/api/v2/")) {
                    throw new ApiException(404, "not found: " + path);
                }
                v2.handle(path.substring("/api/v2".length()), method, req, resp, cb);
            }
        }
    }

    static void writeJson(Response resp, Callback cb, int status, String json) {
        resp.setStatus(status);
        resp.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        resp.write(true, StandardCharsets.UTF_8.encode(json), cb);
    }

    static void writeText(Response resp, Callback cb, int status, String text) {
        resp.setStatus(status);
        resp.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        resp.write(true, StandardCharsets.UTF_8.encode(text), cb);
    }

    /** {@code host:port} actually bound. */
    public String boundAddress() {
        String h = host.isEmpty() ? "0.0.0.0" : host;
        return new InetSocketAddress(h, http.port()).getHostString() + ":" + http.port();
    }

    public int port() {
        return http.port();
    }

    public void stop() {
        http.stop();
    }
}

package io.specula.nodeexporter;

import io.specula.httpserver.HttpServer;
import java.io.IOException;
import java.nio.ByteBuffer;
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
 * {@code specula node-exporter}'s HTTP side: the metrics under {@code --web.telemetry-path}
 * and a landing page linking to them at {@code /}, as node_exporter serves them, through the
 * daemons' one HTTP server (so {@code --web.config.file} gives TLS and basic auth as node_exporter's).
 */
public final class NodeExporterServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeExporterServer.class);
    private final HttpServer server;
    private final NodeExporter exporter;

    private NodeExporterServer(HttpServer server, NodeExporter exporter) {
        this.server = server;
        this.exporter = exporter;
    }

    /**
     * Binds {@code listenAddress} (behind {@code webConfigFile}'s TLS and basic auth when not null)
     * and serves {@code exporter}; the server owns and closes it.
     */
    public static NodeExporterServer start(NodeExporter exporter, String listenAddress, String telemetryPath,
            Path webConfigFile) throws IOException {
        String path = telemetryPath.startsWith("/") ? telemetryPath : "/" + telemetryPath;
        byte[] landing = ("<html>\n<head><title>Node Exporter</title></head>\n<body>\n<h1>Node Exporter</h1>\n"
                + "<p><a href=\"" + path + "\">Metrics</a></p>\n</body>\n</html>\n").getBytes(StandardCharsets.UTF_8);
        Handler handler = new Handler.Abstract() {
            @Override
            public boolean handle(Request req, Response resp, Callback cb) {
                String p = Request.getPathInContext(req);
                if (p.equals(path)) {
                    byte[] body;
                    try {
                        body = exporter.scrape();
                    } catch (IOException | RuntimeException e) {
                        LOG.error("scrape failed err=\"{}\"", e.toString());
                        resp.setStatus(500);
                        resp.write(true, ByteBuffer.wrap(("error gathering metrics: " + e.getMessage() + "\n")
                                .getBytes(StandardCharsets.UTF_8)), cb);
                        return true;
                    }
                    resp.getHeaders().put(HttpHeader.CONTENT_TYPE, NodeExporter.CONTENT_TYPE);
                    resp.write(true, ByteBuffer.wrap(body), cb);
                } else if (p.equals("/")) {
                    resp.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=UTF-8");
                    resp.write(true, ByteBuffer.wrap(landing), cb);
                } else {
                    resp.setStatus(404);
                    resp.write(true, ByteBuffer.wrap("404 page not found\n".getBytes(StandardCharsets.UTF_8)), cb);
                }
                return true;
            }
        };
        HttpServer server = HttpServer.start(new HttpServer.Options("node-exporter", listenAddress, webConfigFile, 30_000, 0),
                handler);
        return new NodeExporterServer(server, exporter);
    }

    /** As {@link #start(NodeExporter, String, String, Path)} without a web configuration file. */
    public static NodeExporterServer start(NodeExporter exporter, String listenAddress, String telemetryPath) throws IOException {
        return start(exporter, listenAddress, telemetryPath, null);
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
        exporter.close();
    }
}

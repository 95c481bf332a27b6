package io.specula.nodeexporter;

import io.specula.model.config.ConfigException;
import io.specula.model.config.ListenAddress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code specula node-exporter}'s HTTP side: the metrics under {@code --web.telemetry-path}
 * and a landing page linking to them at {@code /}, as node_exporter serves them.
 */
public final class NodeExporterServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeExporterServer.class);
    private final Server server;
    private final ServerConnector connector;
    private final NodeExporter exporter;

    private NodeExporterServer(Server server, ServerConnector connector, NodeExporter exporter) {
        this.server = server;
        this.connector = connector;
        this.exporter = exporter;
    }

    /** Binds {@code listenAddress} and serves {@code exporter}; the server owns and closes it. */
    public static NodeExporterServer start(NodeExporter exporter, String listenAddress, String telemetryPath)
            throws IOException {
        ListenAddress listen;
        try {
            listen = ListenAddress.parse("--web.listen-address", listenAddress);
        } catch (ConfigException e) {
            throw new IOException(e.getMessage());
        }
        String path = telemetryPath.startsWith("/") ? telemetryPath : "/" + telemetryPath;
        VirtualThreadPool pool = new VirtualThreadPool();
        pool.setName("node-exporter-http");
        Server server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector c = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        if (!listen.host().isEmpty()) {
            c.setHost(listen.host());
        }
        c.setPort(listen.port());
        server.addConnector(c);
        byte[] landing = ("<html>\n<head><title>Node Exporter</title></head>\n<body>\n<h1>Node Exporter</h1>\n"
                + "<p><a href=\"" + path + "\">Metrics</a></p>\n</body>\n</html>\n").getBytes(StandardCharsets.UTF_8);
        server.setHandler(new Handler.Abstract() {
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
        });
        server.setStopTimeout(2000);
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception ignored) {
                // already failing
            }
            throw new IOException("cannot listen on " + listenAddress + ": " + e.getMessage(), e);
        }
        LOG.info("Listening on address={}", listen.host() + ":" + c.getLocalPort());
        return new NodeExporterServer(server, c, exporter);
    }

    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.debug("stop", e);
        }
        exporter.close();
    }
}

package io.specula.httpserver;

import io.specula.model.config.ConfigException;
import io.specula.model.config.ListenAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way Specula's daemons listen for HTTP: Jetty on virtual threads, bound to the
 * {@code --web.listen-address}, behind what {@code --web.config.file} asks for (TLS, HTTP/2,
 * basic auth, headers, rate limit). The web configuration file is watched: changed users,
 * headers, certificates and keys apply to new requests and connections within a second, as the
 * toolkit re-reads its file; whether TLS is on and HTTP/2 are fixed at start. Thread-safe.
 */
public final class HttpServer {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    private static final long WATCH_MILLIS = 1000;

    /**
     * @param name names the threads and log lines ("web", "alertmanager", …)
     * @param listenAddress {@code host:port}, Prometheus's syntax
     * @param webConfigFile the toolkit's web configuration, or null for plain HTTP without auth
     * @param idleTimeoutMillis how long a connection may be silent (a slow query is silence)
     * @param maxConnections at most this many connections at once, 0 for no limit
     */
    public record Options(String name, String listenAddress, Path webConfigFile, long idleTimeoutMillis, int maxConnections) {}

    private final Server server;
    private final ServerConnector connector;
    private final boolean tls;
    private final Thread watcher;

    private HttpServer(Server server, ServerConnector connector, boolean tls, Thread watcher) {
        this.server = server;
        this.connector = connector;
        this.tls = tls;
        this.watcher = watcher;
    }

    /**
     * Binds and starts serving {@code app}.
     *
     * @throws IOException when the address or web configuration is invalid, or the address
     *     cannot be bound; the message says which, in one line
     */
    public static HttpServer start(Options o, Handler app) throws IOException {
        ListenAddress listen;
        WebConfig wc;
        try {
            listen = ListenAddress.parse("--web.listen-address", o.listenAddress());
            wc = o.webConfigFile() == null ? null : WebConfig.load(o.webConfigFile());
        } catch (ConfigException e) {
            throw new IOException(e.getMessage());
        }
        VirtualThreadPool pool = new VirtualThreadPool();
        pool.setName("specula-" + o.name() + "-http");
        Server server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        // Long PromQL in GET URLs: Go's server allows 1 MiB of headers, Jetty's default is 8 KiB.
        http.setRequestHeaderSize(1 << 20);
        http.setSendServerVersion(false);
        boolean tls = wc != null && wc.tlsServerConfig.enabled();
        TlsServer.Factory ssl = null;
        SanCheck sans = null;
        ServerConnector c;
        if (tls) {
            ssl = new TlsServer.Factory();
            TlsServer.Material m;
            try {
                m = TlsServer.load(wc.tlsServerConfig);
            } catch (ConfigException e) {
                throw new IOException(e.getMessage());
            }
            ssl.configure(m);
            sans = new SanCheck(m.allowedSans());
            http.addCustomizer(new SecureRequestCustomizer(false));
            HttpConnectionFactory h1 = new HttpConnectionFactory(http);
            if (wc.httpServerConfig.http2) {
                HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(http);
                ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
                alpn.setDefaultProtocol(h1.getProtocol());
                c = new ServerConnector(server, 1, 1, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, h2, h1);
            } else {
                c = new ServerConnector(server, 1, 1, new SslConnectionFactory(ssl, h1.getProtocol()), h1);
            }
            c.addBean(sans);
        } else {
            c = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        }
        if (!listen.host().isEmpty()) {
            c.setHost(listen.host());
        }
        c.setPort(listen.port());
        c.setIdleTimeout(o.idleTimeoutMillis());
        server.addConnector(c);
        if (o.maxConnections() > 0) {
            server.addBean(new NetworkConnectionLimit(o.maxConnections(), c));
        }
        WebConfigHandler guard = new WebConfigHandler(app, wc);
        server.setHandler(guard);
        server.setStopTimeout(2000);
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception ignored) {
                // already failing
            }
            throw new IOException("cannot listen on " + o.listenAddress() + ": " + e.getMessage(), e);
        }
        LOG.info("msg=\"Listening on\" name={} address={}:{} tls={} http2={}", o.name(), listen.host(), c.getLocalPort(),
                tls, tls && wc.httpServerConfig.http2);
        Thread watcher = null;
        if (o.webConfigFile() != null) {
            Watch w = new Watch(o.webConfigFile(), wc, guard, ssl, sans);
            watcher = Thread.ofVirtual().name("specula-" + o.name() + "-web-config").start(w::run);
        }
        return new HttpServer(server, c, tls, watcher);
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** Whether connections are TLS: {@code https} is the scheme of this server's URLs. */
    public boolean tls() {
        return tls;
    }

    /** Stops serving; in-flight requests get up to two seconds. */
    public void stop() {
        if (watcher != null) {
            watcher.interrupt();
        }
        try {
            server.stop();
        } catch (Exception e) {
            LOG.debug("http server stop", e);
        }
    }

    /** {@code client_allowed_sans}: a handshake whose client certificate has none of them fails. */
    private static final class SanCheck implements SslHandshakeListener {
        private volatile List<String> allowed;

        SanCheck(List<String> allowed) {
            this.allowed = allowed;
        }

        @Override
        public void handshakeSucceeded(Event event) throws SSLException {
            List<String> a = allowed;
            if (a == null) {
                return;
            }
            Certificate[] chain;
            try {
                chain = event.getSSLEngine().getSession().getPeerCertificates();
            } catch (SSLPeerUnverifiedException e) {
                throw new SSLException("client did not present a certificate to match against client_allowed_sans");
            }
            if (chain.length > 0 && chain[0] instanceof X509Certificate x
                    && TlsServer.sans(x).stream().anyMatch(a::contains)) {
                return;
            }
            throw new SSLException("could not find allowed SANs in client cert, found: " + a);
        }
    }

    /** Polls the web configuration and the files it names; applies a valid change, logs an invalid one. */
    private record Watch(Path file, WebConfig initial, WebConfigHandler guard, TlsServer.Factory ssl, SanCheck sans) {
        void run() {
            String seen = stamp(initial);
            try {
                while (true) {
                    Thread.sleep(WATCH_MILLIS);
                    WebConfig current;
                    try {
                        current = WebConfig.load(file);
                    } catch (ConfigException e) {
                        if (!Objects.equals(seen, "invalid")) {
                            LOG.error("msg=\"Unable to parse web configuration; the previous one stays in force\" file={} err=\"{}\"", file, e.getMessage());
                            seen = "invalid";
                        }
                        continue;
                    }
                    String now = stamp(current);
                    if (now.equals(seen)) {
                        continue;
                    }
                    seen = now;
                    try {
                        if (ssl != null && current.tlsServerConfig.enabled()) {
                            TlsServer.Material m = TlsServer.load(current.tlsServerConfig);
                            ssl.reload(f -> ((TlsServer.Factory) f).configure(m));
                            sans.allowed = m.allowedSans();
                        } else if ((ssl != null) != current.tlsServerConfig.enabled()) {
                            LOG.warn("msg=\"Turning TLS on or off needs a restart\" file={}", file);
                        }
                        guard.update(current);
                        LOG.info("msg=\"Web configuration reloaded\" file={}", file);
                    } catch (Exception e) {
                        LOG.error("msg=\"Unable to apply web configuration\" file={} err=\"{}\"", file, e.getMessage());
                    }
                }
            } catch (InterruptedException e) {
                // stopped
            }
        }

        /** Modification times and sizes of the file and every file it names: what a change changes. */
        private String stamp(WebConfig c) {
            List<String> parts = new ArrayList<>();
            List<String> files = new ArrayList<>(List.of(file.toString()));
            WebConfig.TlsServerConfig t = c.tlsServerConfig;
            for (String f : new String[] {t.certFile, t.keyFile, t.clientCaFile}) {
                if (f != null && !f.isEmpty()) {
                    files.add(f);
                }
            }
            for (String f : files) {
                try {
                    Path p = Path.of(f);
                    parts.add(f + "@" + Files.getLastModifiedTime(p).toMillis() + "/" + Files.size(p));
                } catch (IOException e) {
                    parts.add(f + "@missing");
                }
            }
            return String.join(",", parts);
        }
    }
}

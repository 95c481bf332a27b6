package io.specula.alertmanager.notify;

import io.specula.httpclient.HttpClients;
import io.specula.model.config.ConfigException;
import io.specula.model.config.HttpClientConfig;
import io.specula.model.config.HttpClientConfig.TlsConfig;
import java.util.IdentityHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * The HTTP clients of one loaded config's integrations. Integrations without TLS or proxy
 * settings share the daemon's client; each {@code http_config} with {@code tls_config} or a
 * proxy gets a client of its own, built once here and stopped by {@link #close} when the
 * config is replaced. Also builds the {@link SSLContext} for SMTP's {@code tls_config}.
 * Thread-safe.
 */
public final class HttpTransport implements AutoCloseable {
    private final HttpClient shared;
    private final String userAgent;
    private final Map<HttpClientConfig, HttpClient> dedicated = new IdentityHashMap<>();

    public HttpTransport(HttpClient shared, String userAgent) {
        this.shared = shared;
        this.userAgent = userAgent;
    }

    /**
     * The client for {@code c}.
     *
     * @throws ConfigException when the TLS material cannot be read or used
     */
    public synchronized HttpClient clientFor(HttpClientConfig c) throws ConfigException {
        if (c == null || (c.tlsConfig == null && !HttpClients.hasProxy(c))) {
            return shared;
        }
        HttpClient existing = dedicated.get(c);
        if (existing != null) {
            return existing;
        }
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(sslContextFactory(c.tlsConfig));
        HttpClient client = new HttpClient(new HttpClientTransportOverHTTP(connector));
        VirtualThreadPool pool = new VirtualThreadPool();
        pool.setName("am-notify-http");
        client.setExecutor(pool);
        client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, userAgent));
        HttpClients.configureProxy(client, c);
        try {
            client.start();
        } catch (Exception e) {
            throw new ConfigException("cannot start HTTP client: " + e.getMessage());
        }
        dedicated.put(c, client);
        return client;
    }

    @Override
    public synchronized void close() {
        for (HttpClient c : dedicated.values()) {
            try {
                c.stop();
            } catch (Exception ignored) {
                // shutting down; nothing useful to do
            }
        }
        dedicated.clear();
    }

    /** An SSL context for SMTP from a {@code tls_config} (null: the JDK's defaults). */
    public static SSLContext sslContext(TlsConfig tls) throws ConfigException {
        try {
            if (tls == null) {
                return SSLContext.getDefault();
            }
            SslContextFactory.Client f = sslContextFactory(tls);
            f.start();
            SSLContext ctx = f.getSslContext();
            f.stop();
            return ctx;
        } catch (ConfigException e) {
            throw e;
        } catch (Exception e) {
            throw new ConfigException("unable to load TLS configuration: " + e.getMessage());
        }
    }

    private static SslContextFactory.Client sslContextFactory(TlsConfig tls) throws ConfigException {
        try {
            return HttpClients.sslContextFactory(tls);
        } catch (HttpClients.ClientConfigException e) {
            throw new ConfigException(e.getMessage());
        }
    }
}

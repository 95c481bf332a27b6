package io.specula.httpclient;

import io.specula.model.config.ConfigException;
import io.specula.model.config.HttpClientConfig;
import io.specula.model.config.HttpClientConfig.TlsConfig;
import io.specula.model.config.TlsMaterial;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpProxy;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * Builds Jetty clients from Prometheus's HTTP client configuration and applies its per-request
 * parts (authentication, extra headers). Credentials given as files are read at every request,
 * as Prometheus does, so rotating a token needs no reload.
 */
public final class HttpClients {
    private HttpClients() {}

    /** Raised for a configuration that cannot be turned into a client (unreadable CA, bad key). */
    public static final class ClientConfigException extends Exception {
        public ClientConfigException(String message) {
            super(message);
        }
    }

    /**
     * A started client. Content decoding is off: callers ask for gzip themselves and decode it
     * while counting bytes against their body size limit.
     */
    public static HttpClient create(HttpClientConfig c, String name) throws ClientConfigException {
        return create(c, name, client -> { });
    }

    /** As {@link #create(HttpClientConfig, String)}, with {@code beforeStart} adjusting the client before it starts (e.g. its resolver). */
    public static HttpClient create(HttpClientConfig c, String name, java.util.function.Consumer<HttpClient> beforeStart)
            throws ClientConfigException {
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(sslContextFactory(c.tlsConfig));
        HttpClient client = new HttpClient(new org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP(connector));
        VirtualThreadPool pool = new VirtualThreadPool();
        pool.setName("http-" + name);
        client.setExecutor(pool);
        client.setFollowRedirects(c.followRedirects);
        client.setUserAgentField(null); // set per request
        client.getContentDecoderFactories().clear();
        client.setMaxConnectionsPerDestination(4);
        configureProxy(client, c);
        beforeStart.accept(client);
        try {
            client.start();
        } catch (Exception e) {
            throw new ClientConfigException("cannot start HTTP client: " + e.getMessage());
        }
        return client;
    }

    /** Whether {@code c} sends requests through a proxy ({@code proxy_url}). */
    public static boolean hasProxy(HttpClientConfig c) {
        return c.proxyUrl != null && !c.proxyUrl.isEmpty();
    }

    /** Routes {@code client} through {@code proxy_url}, except for the {@code no_proxy} hosts. */
    public static void configureProxy(HttpClient client, HttpClientConfig c) {
        if (!hasProxy(c)) {
            return;
        }
        URI u = URI.create(c.proxyUrl);
        int port = u.getPort() > 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
        HttpProxy proxy = new HttpProxy(u.getHost(), port);
        if (c.noProxy != null) {
            for (String ex : c.noProxy.split(",")) {
                String e = ex.strip();
                if (!e.isEmpty()) {
                    proxy.getExcludedAddresses().add(e.contains(":") ? e : e + ":*");
                }
            }
        }
        client.getProxyConfiguration().addProxy(proxy);
    }

    /** Stops a client, ignoring failures (used on shutdown and reload). */
    public static void stopQuietly(HttpClient client) {
        if (client == null) {
            return;
        }
        try {
            client.stop();
        } catch (Exception ignored) {
            // shutting down; nothing useful to do
        }
    }

    /** Adds authentication and configured headers to a request (credential files read now). */
    public static void authorize(Request req, HttpClientConfig c) throws IOException {
        String auth = c.authorizationHeader();
        if (auth != null) {
            req.headers(h -> h.put(HttpHeader.AUTHORIZATION, auth));
        }
        for (Map.Entry<String, List<String>> e : c.headerValues().entrySet()) {
            req.headers(h -> {
                h.remove(e.getKey());
                e.getValue().forEach(v -> h.add(e.getKey(), v));
            });
        }
    }

    /**
     * Connects TLS as if to {@code server_name}: SNI and certificate verification both use it
     * instead of the target's host, as Go's {@code tls.Config.ServerName} does.
     */
    private static final class ServerNameClient extends SslContextFactory.Client {
        private final String serverName;

        ServerNameClient(String serverName) {
            this.serverName = serverName;
        }

        @Override
        public javax.net.ssl.SSLEngine newSSLEngine(String host, int port) {
            return super.newSSLEngine(serverName == null ? host : serverName, port);
        }
    }

    /** The TLS side of a client from {@code tls_config} (null: the JDK's defaults). */
    public static SslContextFactory.Client sslContextFactory(TlsConfig tls) throws ClientConfigException {
        TlsMaterial m;
        try {
            m = TlsMaterial.load(tls);
        } catch (ConfigException e) {
            throw new ClientConfigException(e.getMessage());
        }
        SslContextFactory.Client f = new ServerNameClient(m.serverName());
        if (m.insecureSkipVerify()) {
            f.setTrustAll(true);
            f.setEndpointIdentificationAlgorithm(null);
        }
        if (m.trustStore() != null) {
            f.setTrustStore(m.trustStore());
        }
        if (m.keyStore() != null) {
            f.setKeyStore(m.keyStore());
            f.setKeyStorePassword(TlsMaterial.KEY_STORE_PASSWORD);
        }
        if (m.protocols() != null) {
            f.setIncludeProtocols(m.protocols().toArray(new String[0]));
        }
        return f;
    }
}

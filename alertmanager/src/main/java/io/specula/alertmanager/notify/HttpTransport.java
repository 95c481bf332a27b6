package io.specula.alertmanager.notify;

import io.specula.model.config.ConfigException;
import io.specula.model.config.HttpClientConfig;
import io.specula.model.config.HttpClientConfig.TlsConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpProxy;
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
        if (c == null || (c.tlsConfig == null && !hasProxy(c))) {
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
        if (hasProxy(c)) {
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
        try {
            client.start();
        } catch (Exception e) {
            throw new ConfigException("cannot start HTTP client: " + e.getMessage());
        }
        dedicated.put(c, client);
        return client;
    }

    private static boolean hasProxy(HttpClientConfig c) {
        return c.proxyUrl != null && !c.proxyUrl.isEmpty();
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

    /** SNI and certificate checks against {@code server_name} instead of the target's host. */
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

    static SslContextFactory.Client sslContextFactory(TlsConfig tls) throws ConfigException {
        if (tls == null) {
            return new SslContextFactory.Client();
        }
        SslContextFactory.Client f = new ServerNameClient(empty(tls.serverName) ? null : tls.serverName);
        try {
            if (tls.insecureSkipVerify) {
                f.setTrustAll(true);
                f.setEndpointIdentificationAlgorithm(null);
            }
            String caPem = pem(tls.ca, tls.caFile, "ca");
            if (caPem != null) {
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                int i = 0;
                for (Certificate cert : certificates(caPem)) {
                    trust.setCertificateEntry("ca" + i++, cert);
                }
                if (i == 0) {
                    throw new ConfigException("unable to use specified CA cert: no certificate found");
                }
                f.setTrustStore(trust);
            }
            String certPem = pem(tls.cert, tls.certFile, "cert");
            if (certPem != null) {
                String keyPem = pem(tls.key == null ? null : tls.key.reveal(), tls.keyFile, "key");
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("client", privateKey(keyPem), "specula".toCharArray(),
                        certificates(certPem).toArray(new Certificate[0]));
                f.setKeyStore(ks);
                f.setKeyStorePassword("specula");
            }
            if (!empty(tls.minVersion) || !empty(tls.maxVersion)) {
                List<String> names = List.of("TLS10", "TLS11", "TLS12", "TLS13");
                String[] java = {"TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"};
                int min = empty(tls.minVersion) ? 2 : names.indexOf(tls.minVersion);
                int max = empty(tls.maxVersion) ? 3 : names.indexOf(tls.maxVersion);
                List<String> protocols = new ArrayList<>();
                for (int i = Math.max(0, min); i <= max; i++) {
                    protocols.add(java[i]);
                }
                f.setIncludeProtocols(protocols.toArray(new String[0]));
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("unable to load TLS configuration: " + e.getMessage());
        }
        return f;
    }

    private static boolean empty(String s) {
        return s == null || s.isEmpty();
    }

    private static String pem(String inline, String file, String what) throws IOException {
        if (!empty(inline)) {
            return inline;
        }
        if (!empty(file)) {
            try {
                return Files.readString(Path.of(file), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new IOException("unable to read " + what + " file " + file + ": " + e.getMessage(), e);
            }
        }
        return null;
    }

    private static Collection<? extends Certificate> certificates(String pem) throws GeneralSecurityException {
        return CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    /** An unencrypted PKCS#8 key; RSA, EC and Ed25519 are tried. */
    private static PrivateKey privateKey(String pem) throws GeneralSecurityException, ConfigException {
        if (pem == null) {
            throw new ConfigException("a client certificate needs a key");
        }
        int b = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int e = pem.indexOf("-----END PRIVATE KEY-----");
        if (b < 0 || e < 0) {
            throw new ConfigException("only unencrypted PKCS#8 client keys (BEGIN PRIVATE KEY) are supported");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(b + 27, e));
        for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException ignored) {
                // try the next algorithm
            }
        }
        throw new ConfigException("unsupported client key algorithm");
    }
}

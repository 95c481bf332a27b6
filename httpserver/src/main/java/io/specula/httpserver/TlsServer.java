package io.specula.httpserver;

import static io.specula.httpserver.WebConfig.empty;

import io.specula.model.config.ConfigException;
import io.specula.model.config.Pem;
import io.specula.model.config.TlsMaterial;
import io.specula.httpserver.WebConfig.TlsServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * {@code tls_server_config} as Jetty's server-side TLS: Go's client-auth policies, version and
 * cipher names, curves, and the {@code client_allowed_sans} check, with the toolkit's error texts.
 */
final class TlsServer {
    private TlsServer() {}

    private static final List<String> GO_VERSIONS = List.of("TLS10", "TLS11", "TLS12", "TLS13");
    private static final List<String> JDK_VERSIONS = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
    private static final Map<String, String> CURVES = Map.of(
            "CurveP256", "secp256r1", "CurveP384", "secp384r1", "CurveP521", "secp521r1", "X25519", "x25519");
    /** Go's {@code tls.CipherSuites()}: the suites a configuration may name (TLS 1.3's are not configurable). */
    private static final List<String> GO_CIPHERS = List.of(
            "TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_256_CBC_SHA", "TLS_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_RSA_WITH_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
    private static final List<String> TLS13_CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");

    enum ClientAuth { NONE, REQUEST, REQUIRE_ANY, VERIFY_IF_GIVEN, REQUIRE_AND_VERIFY }

    /** What a configuration resolves to: everything {@link Factory#configure} applies. */
    record Material(KeyStore keyStore, KeyStore trustStore, ClientAuth clientAuth, List<String> protocols,
                    List<String> ciphers, List<String> curves, boolean serverCipherOrder, List<String> allowedSans) {}

    /** Checks a configuration (reading its files) as the toolkit does, without keeping anything. */
    static void check(TlsServerConfig c) throws ConfigException {
        load(c);
    }

    static Material load(TlsServerConfig c) throws ConfigException {
        if (empty(c.certFile) && empty(c.cert)) {
            throw new ConfigException("missing one of cert or cert_file");
        }
        if (empty(c.keyFile) && (c.key == null || c.key.isEmpty())) {
            throw new ConfigException("missing one of key or key_file");
        }
        List<String> protocols = protocols(c.minVersion, c.maxVersion);
        List<String> ciphers = null;
        if (c.cipherSuites != null && !c.cipherSuites.isEmpty()) {
            ciphers = new ArrayList<>();
            for (String s : c.cipherSuites) {
                if (!GO_CIPHERS.contains(s)) {
                    throw new ConfigException("unknown cipher: " + s);
                }
                ciphers.add(s);
            }
            for (String s : TLS13_CIPHERS) {
                if (!ciphers.contains(s)) {
                    ciphers.add(s); // Go's cipher_suites applies up to TLS 1.2 only
                }
            }
        }
        List<String> curves = null;
        if (c.curvePreferences != null && !c.curvePreferences.isEmpty()) {
            curves = new ArrayList<>();
            for (String s : c.curvePreferences) {
                String jdk = CURVES.get(s);
                if (jdk == null) {
                    throw new ConfigException("unknown curve: " + s);
                }
                curves.add(jdk);
            }
        }
        KeyStore keys;
        try {
            String certPem = !empty(c.certFile) ? read(c.certFile, "cert_file") : c.cert;
            String keyPem = !empty(c.keyFile) ? read(c.keyFile, "key_file") : c.key.reveal();
            Collection<? extends Certificate> chain = Pem.certificates(certPem);
            if (chain.isEmpty()) {
                throw new ConfigException("failed to load X509KeyPair: tls: failed to find any PEM data in certificate input");
            }
            keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            try {
                keys.setKeyEntry("server", Pem.privateKey(keyPem), TlsMaterial.KEY_STORE_PASSWORD.toCharArray(),
                        chain.toArray(new Certificate[0]));
            } catch (ConfigException e) {
                throw new ConfigException("failed to load X509KeyPair: tls: " + e.getMessage());
            }
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException("failed to load X509KeyPair: " + e.getMessage());
        }
        KeyStore trust = null;
        String caPem = null;
        if (!empty(c.clientCaFile)) {
            caPem = read(c.clientCaFile, null);
        } else if (!empty(c.clientCa)) {
            caPem = c.clientCa;
        }
        if (caPem != null) {
            try {
                trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                int i = 0;
                for (Certificate cert : Pem.certificates(caPem)) {
                    trust.setCertificateEntry("ca" + i++, cert);
                }
            } catch (GeneralSecurityException | IOException e) {
                throw new ConfigException("client CA: " + e.getMessage());
            }
        }
        ClientAuth auth = switch (c.clientAuthType == null ? "" : c.clientAuthType) {
            case "RequestClientCert" -> ClientAuth.REQUEST;
            case "RequireAnyClientCert", "RequireClientCert" -> ClientAuth.REQUIRE_ANY;
            case "VerifyClientCertIfGiven" -> ClientAuth.VERIFY_IF_GIVEN;
            case "RequireAndVerifyClientCert" -> ClientAuth.REQUIRE_AND_VERIFY;
            case "", "NoClientCert" -> ClientAuth.NONE;
            default -> throw new ConfigException("invalid ClientAuth: " + c.clientAuthType);
        };
        if (caPem != null && auth == ClientAuth.NONE) {
            throw new ConfigException("client CA's have been configured without a Client Auth Policy");
        }
        if (c.clientAllowedSans != null && auth != ClientAuth.REQUIRE_ANY && auth != ClientAuth.REQUIRE_AND_VERIFY) {
            throw new ConfigException("client_allowed_sans requires client_auth_type to be one of RequireAnyClientCert or RequireAndVerifyClientCert");
        }
        boolean serverOrder = c.preferServerCipherSuites == null || c.preferServerCipherSuites;
        return new Material(keys, trust, auth, protocols, ciphers, curves, serverOrder, c.clientAllowedSans);
    }

    private static List<String> protocols(String min, String max) throws ConfigException {
        int lo = version(min, 2);
        int hi = version(max, 3);
        return List.copyOf(JDK_VERSIONS.subList(lo, Math.max(lo, hi + 1)));
    }

    private static int version(String v, int dflt) throws ConfigException {
        if (empty(v)) {
            return dflt;
        }
        int i = GO_VERSIONS.indexOf(v);
        if (i < 0) {
            throw new ConfigException("unknown TLS version: " + v);
        }
        return i;
    }

    private static String read(String file, String key) throws ConfigException {
        try {
            return Files.readString(Path.of(file), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            String err = "open " + file + ": " + (e instanceof NoSuchFileException ? "no such file or directory" : e.getMessage());
            throw new ConfigException(key == null ? err : "failed to read " + key + " (" + file + "): " + err);
        }
    }

    /**
     * Jetty's server-side factory plus the curve preference, which Jetty has no setting for: it
     * is applied to every engine, so a reload may change it.
     */
    static final class Factory extends SslContextFactory.Server {
        private volatile List<String> curves;

        @Override
        public void customize(SSLEngine engine) {
            super.customize(engine);
            List<String> c = curves;
            if (c != null) {
                SSLParameters p = engine.getSSLParameters();
                p.setNamedGroups(c.toArray(new String[0]));
                engine.setSSLParameters(p);
            }
        }

        /** Applies {@code m} (before start, or inside {@link SslContextFactory#reload}). */
        void configure(Material m) {
            setKeyStore(m.keyStore());
            setKeyStorePassword(TlsMaterial.KEY_STORE_PASSWORD);
            setKeyManagerPassword(TlsMaterial.KEY_STORE_PASSWORD);
            setIncludeProtocols(m.protocols().toArray(new String[0]));
            setExcludeProtocols(); // Jetty excludes old versions by default; the configuration decides
            if (m.ciphers() != null) {
                setIncludeCipherSuites(m.ciphers().toArray(new String[0]));
            }
            setUseCipherSuitesOrder(m.serverCipherOrder());
            setNeedClientAuth(m.clientAuth() == ClientAuth.REQUIRE_ANY || m.clientAuth() == ClientAuth.REQUIRE_AND_VERIFY);
            setWantClientAuth(m.clientAuth() == ClientAuth.REQUEST || m.clientAuth() == ClientAuth.VERIFY_IF_GIVEN);
            boolean verify = m.clientAuth() == ClientAuth.VERIFY_IF_GIVEN || m.clientAuth() == ClientAuth.REQUIRE_AND_VERIFY;
            setTrustAll(!verify);
            setTrustStore(verify ? m.trustStore() : null);
            setSniRequired(false);
            curves = m.curves();
        }
    }

    /** Every SAN of a certificate as Go lists them: DNS names, e-mail addresses, IPs, URIs. */
    static List<String> sans(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> names = cert.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> n : names) {
                    int type = (Integer) n.get(0);
                    if (type == 1 || type == 2 || type == 6 || type == 7) { // rfc822, dNS, URI, iPAddress
                        out.add(String.valueOf(n.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // no usable SANs
        }
        return out;
    }
}

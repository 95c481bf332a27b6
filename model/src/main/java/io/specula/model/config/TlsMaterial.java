package io.specula.model.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@code tls_config} block means for a TLS client, loaded once: the CA certificates to
 * trust, the client certificate and key, the allowed protocol versions, and the name to verify
 * the server as. HTTP clients (scrape, notifier, Alertmanager receivers) and SMTP build their
 * TLS setup from it, so PEM parsing and its error texts exist once. Immutable.
 *
 * @param trustStore the CA certificates of {@code ca}/{@code ca_file}, or null for the JDK's
 * @param keyStore the client certificate and key, or null for none
 * @param protocols JDK protocol names between {@code min_version} and {@code max_version}, or null for the defaults
 * @param serverName {@code server_name} (SNI and verification), or null for the target's host
 */
public record TlsMaterial(KeyStore trustStore, KeyStore keyStore, List<String> protocols, boolean insecureSkipVerify,
        String serverName) {
    /** Password of the in-memory key store (it never leaves the process). */
    public static final String KEY_STORE_PASSWORD = "specula";

    private static final List<String> GO_VERSIONS = List.of("TLS10", "TLS11", "TLS12", "TLS13");
    private static final List<String> JDK_VERSIONS = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

    /** Reads the files and inline PEM of {@code tls}; null gives the JDK's defaults. */
    public static TlsMaterial load(HttpClientConfig.TlsConfig tls) throws ConfigException {
        if (tls == null) {
            return new TlsMaterial(null, null, null, false, null);
        }
        try {
            KeyStore trust = null;
            String caPem = pem(tls.ca, tls.caFile, "ca");
            if (caPem != null) {
                trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                int i = 0;
                for (Certificate cert : Pem.certificates(caPem)) {
                    trust.setCertificateEntry("ca" + i++, cert);
                }
                if (i == 0) {
                    throw new ConfigException("unable to use specified CA cert: no certificate found");
                }
            }
            KeyStore keys = null;
            String certPem = pem(tls.cert, tls.certFile, "cert");
            if (certPem != null) {
                String keyPem = pem(tls.key == null ? null : tls.key.reveal(), tls.keyFile, "key");
                keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                if (keyPem == null) {
                    throw new ConfigException("a client certificate needs a key");
                }
                keys.setKeyEntry("client", Pem.privateKey(keyPem), KEY_STORE_PASSWORD.toCharArray(),
                        Pem.certificates(certPem).toArray(new Certificate[0]));
            }
            List<String> protocols = null;
            if (!empty(tls.minVersion) || !empty(tls.maxVersion)) {
                int min = empty(tls.minVersion) ? 2 : GO_VERSIONS.indexOf(tls.minVersion);
                int max = empty(tls.maxVersion) ? 3 : GO_VERSIONS.indexOf(tls.maxVersion);
                protocols = new ArrayList<>(JDK_VERSIONS.subList(Math.max(0, min), Math.max(Math.max(0, min), max + 1)));
            }
            return new TlsMaterial(trust, keys, protocols, tls.insecureSkipVerify,
                    empty(tls.serverName) ? null : tls.serverName);
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException("unable to load TLS configuration: " + e.getMessage());
        }
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
}

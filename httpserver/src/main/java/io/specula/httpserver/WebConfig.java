package io.specula.httpserver;

import io.specula.model.config.ConfigException;
import io.specula.model.config.PromDuration;
import io.specula.model.config.Secret;
import io.specula.model.config.YamlConfigLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The web configuration file of Prometheus's exporter toolkit ({@code --web.config.file}): TLS
 * for the server side, HTTP/2 and extra response headers, basic-auth users with bcrypt hashes,
 * and a request rate limit. Every Specula daemon reads the same file format.
 *
 * <pre>
 * tls_server_config:   cert_file/cert, key_file/key, client_auth_type, client_ca_file/client_ca,
 *                      client_allowed_sans, min_version (TLS12), max_version (TLS13),
 *                      cipher_suites, prefer_server_cipher_suites, curve_preferences
 * http_server_config:  http2 (true), headers (five allowed names)
 * rate_limit:          interval, burst
 * basic_auth_users:    name: bcrypt hash
 * </pre>
 *
 * <p>Relative file names are resolved against the file's directory, as the toolkit does.
 * Mutable fields for the YAML binder; treat a loaded instance as immutable.
 */
public final class WebConfig {
    public TlsServerConfig tlsServerConfig = new TlsServerConfig();
    public HttpServerConfig httpServerConfig = new HttpServerConfig();
    public RateLimit rateLimit = new RateLimit();
    public Map<String, Secret> basicAuthUsers = new LinkedHashMap<>();

    public static final class TlsServerConfig {
        public String cert;
        public Secret key;
        public String clientCa;
        public String certFile;
        public String keyFile;
        public String clientAuthType;
        public String clientCaFile;
        public List<String> cipherSuites;
        public List<String> curvePreferences;
        public String minVersion;
        public String maxVersion;
        public Boolean preferServerCipherSuites;
        public List<String> clientAllowedSans;

        /** Whether any TLS key is set: the toolkit serves plain HTTP otherwise. */
        public boolean enabled() {
            return !empty(certFile) || !empty(cert) || !empty(keyFile) || (key != null && !key.isEmpty())
                    || !empty(clientCaFile) || !empty(clientCa) || !empty(clientAuthType);
        }
    }

    public static final class HttpServerConfig {
        public boolean http2 = true;
        public Map<String, String> headers;
    }

    public static final class RateLimit {
        public int burst;
        public PromDuration interval;
    }

    /** The response headers the toolkit lets a configuration set, with their allowed values (none: free text). */
    static final Map<String, List<String>> ALLOWED_HEADERS = Map.of(
            "Strict-Transport-Security", List.of(),
            "X-Content-Type-Options", List.of("nosniff"),
            "X-Frame-Options", List.of("deny", "sameorigin"),
            "X-XSS-Protection", List.of(),
            "Content-Security-Policy", List.of());

    /**
     * Reads and checks a web configuration file as {@code promtool check web-config} does:
     * YAML keys, bcrypt hashes, headers, and the TLS section with its files (read, not kept).
     */
    public static WebConfig load(Path file) throws ConfigException {
        WebConfig c = YamlConfigLoader.load(file, WebConfig.class);
        if (c == null) {
            c = new WebConfig();
        }
        if (c.tlsServerConfig == null) {
            c.tlsServerConfig = new TlsServerConfig();
        }
        if (c.httpServerConfig == null) {
            c.httpServerConfig = new HttpServerConfig();
        }
        if (c.rateLimit == null) {
            c.rateLimit = new RateLimit();
        }
        if (c.basicAuthUsers == null) {
            c.basicAuthUsers = new LinkedHashMap<>();
        }
        c.resolve(file.toAbsolutePath().getParent());
        c.validate();
        return c;
    }

    private void resolve(Path dir) {
        TlsServerConfig t = tlsServerConfig;
        t.certFile = join(dir, t.certFile);
        t.keyFile = join(dir, t.keyFile);
        t.clientCaFile = join(dir, t.clientCaFile);
    }

    private static String join(Path dir, String f) {
        return empty(f) || dir == null ? f : dir.resolve(f).toString();
    }

    private void validate() throws ConfigException {
        for (Secret hash : basicAuthUsers.values()) {
            Bcrypt.checkHash(hash == null ? "" : hash.reveal());
        }
        if (httpServerConfig.headers != null) {
            for (Map.Entry<String, String> h : httpServerConfig.headers.entrySet()) {
                List<String> allowed = ALLOWED_HEADERS.get(h.getKey());
                if (allowed == null) {
                    throw new ConfigException("HTTP header \"" + h.getKey() + "\" can not be configured");
                }
                if (!allowed.isEmpty() && !allowed.contains(h.getValue())) {
                    throw new ConfigException("invalid value for " + h.getKey() + ". Expected one of: "
                            + goQuotedList(allowed) + ", but got: \"" + h.getValue() + "\"");
                }
            }
        }
        if (tlsServerConfig.enabled()) {
            TlsServer.check(tlsServerConfig);
        }
    }

    private static String goQuotedList(List<String> values) {
        StringBuilder sb = new StringBuilder("[");
        for (String v : values) {
            sb.append(sb.length() > 1 ? " " : "").append('"').append(v).append('"');
        }
        return sb.append(']').toString();
    }

    static boolean empty(String s) {
        return s == null || s.isEmpty();
    }
}

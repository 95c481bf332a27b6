package io.specula.model.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Prometheus's common HTTP client block ({@code http_config}, or the same keys inline in a
 * {@code scrape_config}). Holds every key either user knows; each module adds its own policy on
 * top (what it refuses as not supported yet, how it words URL errors). Mutable, bound by the
 * YAML loader; see {@link #validate(UrlCheck)}.
 */
public class HttpClientConfig {
    public BasicAuth basicAuth;
    public Authorization authorization;
    public OAuth2 oauth2;
    /** Deprecated form of {@code authorization: {credentials: …}}; see {@link #foldBearerToken()}. */
    public Secret bearerToken;
    /** Deprecated form of {@code authorization: {credentials_file: …}}. */
    public String bearerTokenFile;
    public TlsConfig tlsConfig;
    public String proxyUrl;
    public String noProxy;
    public Boolean proxyFromEnvironment;
    public Map<String, List<Secret>> proxyConnectHeader;
    public boolean followRedirects = true;
    public boolean enableHttp2 = true;
    public Map<String, HttpHeader> httpHeaders;

    /** Headers the client sets itself; configuring them is refused. */
    private static final Set<String> RESERVED_HEADERS = Set.of("authorization", "host", "content-length",
            "user-agent", "accept", "accept-encoding", "x-prometheus-scrape-timeout-seconds");

    private static final List<String> TLS_VERSIONS = List.of("TLS10", "TLS11", "TLS12", "TLS13");

    /** {@code basic_auth}. */
    public static final class BasicAuth {
        public String username;
        public String usernameFile;
        public Secret password;
        public String passwordFile;
    }

    /** {@code authorization}: sends {@code Authorization: <type> <credentials>}. */
    public static final class Authorization {
        public String type;
        public Secret credentials;
        public String credentialsFile;
    }

    /** {@code oauth2} client credentials. */
    public static final class OAuth2 {
        public String clientId;
        public Secret clientSecret;
        public String clientSecretFile;
        public List<String> scopes;
        public String tokenUrl;
        public Map<String, String> endpointParams;
        public TlsConfig tlsConfig;
        public String proxyUrl;
        public String noProxy;
        public Boolean proxyFromEnvironment;
        public Map<String, List<Secret>> proxyConnectHeader;
    }

    /** {@code tls_config}. PEM files or inline PEM text. */
    public static final class TlsConfig {
        public String ca;
        public String caFile;
        public String cert;
        public String certFile;
        public Secret key;
        public String keyFile;
        public String serverName;
        public boolean insecureSkipVerify;
        public String minVersion;
        public String maxVersion;
    }

    /** One entry of {@code http_headers}: values sent as they are, secrets or read from files. */
    public static final class HttpHeader {
        public List<String> values;
        public List<Secret> secrets;
        public List<String> files;
    }

    /**
     * The {@code Authorization} header value this block asks for ({@code basic_auth},
     * {@code authorization}, or the deprecated {@code bearer_token[_file]}), or null for none.
     * Credential files are read at each call, so rotated secrets take effect without a reload.
     *
     * @throws IOException naming the key and file that could not be read
     */
    public String authorizationHeader() throws IOException {
        if (basicAuth != null) {
            String user = present(basicAuth.usernameFile) ? readSecretFile(basicAuth.usernameFile, "username_file")
                    : basicAuth.username == null ? "" : basicAuth.username;
            String pass = present(basicAuth.passwordFile) ? readSecretFile(basicAuth.passwordFile, "password_file")
                    : basicAuth.password == null ? "" : basicAuth.password.reveal();
            return "Basic " + Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8));
        }
        if (authorization != null) {
            String cred = present(authorization.credentialsFile)
                    ? readSecretFile(authorization.credentialsFile, "credentials_file")
                    : authorization.credentials == null ? "" : authorization.credentials.reveal();
            String type = authorization.type == null || authorization.type.isBlank() ? "Bearer" : authorization.type.strip();
            return type + " " + cred;
        }
        if (bearerToken != null || present(bearerTokenFile)) {
            return "Bearer " + (present(bearerTokenFile) ? readSecretFile(bearerTokenFile, "bearer_token_file")
                    : bearerToken.reveal());
        }
        return null;
    }

    /**
     * {@code http_headers} with every value resolved (plain values, secrets, files read now), by
     * header name; a name's values replace whatever the client would send.
     */
    public Map<String, List<String>> headerValues() throws IOException {
        if (httpHeaders == null || httpHeaders.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, HttpHeader> e : httpHeaders.entrySet()) {
            List<String> values = new ArrayList<>();
            HttpHeader hv = e.getValue();
            if (hv != null) {
                if (hv.values != null) {
                    values.addAll(hv.values);
                }
                if (hv.secrets != null) {
                    hv.secrets.forEach(sv -> values.add(sv.reveal()));
                }
                if (hv.files != null) {
                    for (String f : hv.files) {
                        values.add(readSecretFile(f, "http_headers file"));
                    }
                }
            }
            out.put(e.getKey(), values);
        }
        return out;
    }

    /** A secret file's content without surrounding blanks, as Prometheus reads it. */
    public static String readSecretFile(String file, String key) throws IOException {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IOException("unable to read " + key + " " + file + ": " + e.getMessage(), e);
        }
    }

    private static boolean present(String s) {
        return s != null && !s.isEmpty();
    }

    /** How a module checks {@code proxy_url}; the modules word a bad URL differently. */
    @FunctionalInterface
    public interface UrlCheck {
        /** Throws with the module's wording if {@code url} is not acceptable. */
        void check(String url) throws ConfigException;
    }

    /** The {@code proxy_url} check used unless a module brings its own: a scheme and a host. */
    public static void checkProxyUrl(String url) throws ConfigException {
        try {
            URI u = new URI(url);
            if (u.getScheme() == null || u.getHost() == null) {
                throw new ConfigException("invalid proxy_url \"" + url + "\"");
            }
        } catch (URISyntaxException e) {
            throw new ConfigException("parse \"" + url + "\": " + e.getReason());
        }
    }

    /**
     * Checks the combinations Prometheus's common HTTP client config refuses, with its wording.
     * The exception's message is bare (no file name); callers add where it came from. Defaults
     * an empty {@code authorization.type} to {@code Bearer}.
     */
    public void validate(UrlCheck proxyUrlCheck) throws ConfigException {
        boolean token = bearerToken != null && !bearerToken.isEmpty();
        boolean tokenFile = notEmpty(bearerTokenFile);
        if (token && tokenFile) {
            throw new ConfigException("at most one of bearer_token & bearer_token_file must be configured");
        }
        int auths = (basicAuth != null ? 1 : 0) + (oauth2 != null ? 1 : 0) + (authorization != null ? 1 : 0);
        if (auths > 1) {
            throw new ConfigException("at most one of basic_auth, oauth2 & authorization must be configured");
        }
        if ((token || tokenFile) && auths > 0) {
            throw new ConfigException(
                    "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured");
        }
        if (basicAuth != null) {
            if (notEmpty(basicAuth.username) && notEmpty(basicAuth.usernameFile)) {
                throw new ConfigException("at most one of basic_auth username & username_file must be configured");
            }
            if (basicAuth.password != null && !basicAuth.password.isEmpty() && notEmpty(basicAuth.passwordFile)) {
                throw new ConfigException("at most one of basic_auth password & password_file must be configured");
            }
        }
        if (authorization != null) {
            if (authorization.credentials != null && !authorization.credentials.isEmpty()
                    && notEmpty(authorization.credentialsFile)) {
                throw new ConfigException(
                        "at most one of authorization credentials & credentials_file must be configured");
            }
            if (authorization.type == null || authorization.type.isBlank()) {
                authorization.type = "Bearer";
            }
            if (authorization.type.strip().equalsIgnoreCase("basic")) {
                throw new ConfigException("authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
            }
        }
        if (oauth2 != null) {
            if (oauth2.clientId == null || oauth2.clientId.isEmpty()) {
                throw new ConfigException("oauth2 client_id must be configured");
            }
            if (oauth2.tokenUrl == null || oauth2.tokenUrl.isEmpty()) {
                throw new ConfigException("oauth2 token_url must be configured");
            }
        }
        if (tlsConfig != null) {
            validateTls(tlsConfig);
        }
        if (notEmpty(proxyUrl)) {
            proxyUrlCheck.check(proxyUrl);
        }
        if (notEmpty(noProxy) && !notEmpty(proxyUrl)) {
            throw new ConfigException("if no_proxy is configured, proxy_url must also be configured");
        }
        if (httpHeaders != null) {
            for (String name : httpHeaders.keySet()) {
                if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    throw new ConfigException("setting header \"" + name + "\" is not allowed");
                }
            }
        }
    }

    /**
     * Turns the deprecated {@code bearer_token(_file)} into an {@code authorization} block, as
     * Prometheus does; call after {@link #validate(UrlCheck)}, which refuses the ambiguous cases.
     */
    public void foldBearerToken() {
        boolean token = bearerToken != null && !bearerToken.isEmpty();
        boolean tokenFile = notEmpty(bearerTokenFile);
        if (token || tokenFile) {
            authorization = new Authorization();
            authorization.type = "Bearer";
            authorization.credentials = token ? bearerToken : null;
            authorization.credentialsFile = tokenFile ? bearerTokenFile : null;
            bearerToken = null;
            bearerTokenFile = null;
        }
    }

    private static void validateTls(TlsConfig t) throws ConfigException {
        if (notEmpty(t.ca) && notEmpty(t.caFile)) {
            throw new ConfigException("at most one of ca and ca_file must be configured");
        }
        if (notEmpty(t.cert) && notEmpty(t.certFile)) {
            throw new ConfigException("at most one of cert and cert_file must be configured");
        }
        boolean key = t.key != null && !t.key.isEmpty();
        if (key && notEmpty(t.keyFile)) {
            throw new ConfigException("at most one of key and key_file must be configured");
        }
        boolean cert = notEmpty(t.cert) || notEmpty(t.certFile);
        if (cert && !(key || notEmpty(t.keyFile))) {
            throw new ConfigException(
                    "exactly one of key or key_file must be configured when a client certificate is configured");
        }
        if ((key || notEmpty(t.keyFile)) && !cert) {
            throw new ConfigException(
                    "exactly one of cert or cert_file must be configured when a client key is configured");
        }
        checkTlsVersion(t.minVersion, "min_version");
        checkTlsVersion(t.maxVersion, "max_version");
    }

    private static void checkTlsVersion(String v, String key) throws ConfigException {
        if (v != null && !v.isEmpty() && !TLS_VERSIONS.contains(v)) {
            throw new ConfigException("unknown TLS version: " + v + " (" + key + ")");
        }
    }

    /** True if {@code s} is set and not empty. */
    public static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }
}

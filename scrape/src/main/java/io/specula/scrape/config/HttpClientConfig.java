package io.specula.scrape.config;

import com.fasterxml.jackson.annotation.JsonSetter;
import tools.jackson.databind.annotation.JsonDeserialize;
import io.specula.model.config.Secret;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;

/**
 * Prometheus's common HTTP client block. {@code scrape_config} and {@code http_sd_config} carry
 * these keys inline, so both extend this class. Mutable, bound by the YAML loader; see
 * {@link #validateHttp()}.
 *
 * <p>{@code oauth2}, {@code proxy_from_environment} and {@code proxy_connect_header} are refused
 * as not supported yet rather than ignored; {@code enable_http2} is accepted (scrapes use
 * HTTP/1.1, as they do in Prometheus unless a target insists).
 */
public class HttpClientConfig {
    public BasicAuth basicAuth;
    public Authorization authorization;
    /** Deprecated form of {@code authorization: {credentials: …}}; folded into it by validation. */
    public Secret bearerToken;
    /** Deprecated form of {@code authorization: {credentials_file: …}}. */
    public String bearerTokenFile;
    public TlsConfig tlsConfig;
    public String proxyUrl;
    public String noProxy;
    public boolean followRedirects = true;
    public boolean enableHttp2 = true;
    public Map<String, HttpHeader> httpHeaders;

    @JsonSetter("oauth2")
    @JsonDeserialize(using = Unsupported.Refuse.class)
    void refuseOauth2(Object v) {
        throw Unsupported.key("oauth2");
    }

    @JsonSetter("proxy_from_environment")
    void proxyFromEnvironment(boolean v) {
        if (v) {
            throw Unsupported.key("proxy_from_environment");
        }
    }

    @JsonSetter("proxy_connect_header")
    void proxyConnectHeader(Map<String, Object> v) {
        if (v != null && !v.isEmpty()) {
            throw Unsupported.key("proxy_connect_header");
        }
    }

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

    /** Checks the combinations Prometheus's HTTP client config refuses, with its wording. */
    public void validateHttp() throws ConfigValidationException {
        boolean token = bearerToken != null && !bearerToken.isEmpty();
        boolean tokenFile = notEmpty(bearerTokenFile);
        if (token && tokenFile) {
            throw new ConfigValidationException("at most one of bearer_token & bearer_token_file must be configured");
        }
        if (basicAuth != null && authorization != null) {
            throw new ConfigValidationException("at most one of basic_auth, oauth2 & authorization must be configured");
        }
        if ((token || tokenFile) && (basicAuth != null || authorization != null)) {
            throw new ConfigValidationException(
                    "at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured");
        }
        if (basicAuth != null) {
            if (notEmpty(basicAuth.username) && notEmpty(basicAuth.usernameFile)) {
                throw new ConfigValidationException("at most one of basic_auth username & username_file must be configured");
            }
            if (basicAuth.password != null && !basicAuth.password.isEmpty() && notEmpty(basicAuth.passwordFile)) {
                throw new ConfigValidationException("at most one of basic_auth password & password_file must be configured");
            }
        }
        if (authorization != null) {
            if (authorization.credentials != null && !authorization.credentials.isEmpty()
                    && notEmpty(authorization.credentialsFile)) {
                throw new ConfigValidationException(
                        "at most one of authorization credentials & credentials_file must be configured");
            }
            if (authorization.type == null || authorization.type.isBlank()) {
                authorization.type = "Bearer";
            }
            if (authorization.type.strip().equalsIgnoreCase("basic")) {
                throw new ConfigValidationException(
                        "authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
            }
        }
        // The deprecated bearer_token forms become an authorization block, as in Prometheus.
        if (token || tokenFile) {
            authorization = new Authorization();
            authorization.type = "Bearer";
            authorization.credentials = token ? bearerToken : null;
            authorization.credentialsFile = tokenFile ? bearerTokenFile : null;
            bearerToken = null;
            bearerTokenFile = null;
        }
        if (tlsConfig != null) {
            if (notEmpty(tlsConfig.ca) && notEmpty(tlsConfig.caFile)) {
                throw new ConfigValidationException("at most one of ca and ca_file must be configured");
            }
            if (notEmpty(tlsConfig.cert) && notEmpty(tlsConfig.certFile)) {
                throw new ConfigValidationException("at most one of cert and cert_file must be configured");
            }
            boolean key = tlsConfig.key != null && !tlsConfig.key.isEmpty();
            if (key && notEmpty(tlsConfig.keyFile)) {
                throw new ConfigValidationException("at most one of key and key_file must be configured");
            }
            boolean cert = notEmpty(tlsConfig.cert) || notEmpty(tlsConfig.certFile);
            if (cert && !(key || notEmpty(tlsConfig.keyFile))) {
                throw new ConfigValidationException("exactly one of key or key_file must be configured when a client certificate is configured");
            }
            if ((key || notEmpty(tlsConfig.keyFile)) && !cert) {
                throw new ConfigValidationException("exactly one of cert or cert_file must be configured when a client key is configured");
            }
            checkTlsVersion(tlsConfig.minVersion, "min_version");
            checkTlsVersion(tlsConfig.maxVersion, "max_version");
        }
        if (notEmpty(proxyUrl)) {
            try {
                URI u = new URI(proxyUrl);
                if (u.getScheme() == null || u.getHost() == null) {
                    throw new ConfigValidationException("invalid proxy_url \"" + proxyUrl + "\"");
                }
            } catch (URISyntaxException e) {
                throw new ConfigValidationException("parse \"" + proxyUrl + "\": " + e.getReason());
            }
        }
        if (notEmpty(noProxy) && !notEmpty(proxyUrl)) {
            throw new ConfigValidationException("if no_proxy is configured, proxy_url must also be configured");
        }
        if (httpHeaders != null) {
            for (String name : httpHeaders.keySet()) {
                String lower = name.toLowerCase(java.util.Locale.ROOT);
                if (lower.equals("authorization") || lower.equals("host") || lower.equals("content-length")
                        || lower.equals("user-agent") || lower.equals("accept") || lower.equals("accept-encoding")
                        || lower.equals("x-prometheus-scrape-timeout-seconds")) {
                    throw new ConfigValidationException("setting header \"" + name + "\" is not allowed");
                }
            }
        }
    }

    private static void checkTlsVersion(String v, String key) throws ConfigValidationException {
        if (v == null || v.isEmpty()) {
            return;
        }
        if (!List.of("TLS10", "TLS11", "TLS12", "TLS13").contains(v)) {
            throw new ConfigValidationException("unknown TLS version: " + v + " (" + key + ")");
        }
    }

    static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }
}

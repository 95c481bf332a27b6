package io.specula.alertmanager.config;

import io.specula.model.config.Secret;
import java.util.List;
import java.util.Map;

/**
 * Prometheus's common {@code http_config} block, shared by every HTTP receiver and the
 * global section. Mutable, bound by the YAML loader; see {@link #validate()}.
 */
public final class HttpClientConfig {
    public BasicAuth basicAuth;
    public Authorization authorization;
    public OAuth2 oauth2;
    public Secret bearerToken;
    public String bearerTokenFile;
    public TlsConfig tlsConfig;
    public String proxyUrl;
    public String noProxy;
    public Boolean proxyFromEnvironment;
    public Map<String, List<Secret>> proxyConnectHeader;
    public boolean followRedirects = true;
    public boolean enableHttp2 = true;
    public Map<String, Object> httpHeaders;

    /** {@code basic_auth}. */
    public static final class BasicAuth {
        public String username;
        public String usernameFile;
        public Secret password;
        public String passwordFile;
    }

    /** {@code authorization}: a header {@code Authorization: <type> <credentials>}. */
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

    /** {@code tls_config}. */
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

    /** Checks the combinations Prometheus's common config refuses, with its wording. */
    public void validate() throws ConfigValidationException {
        boolean bearer = (bearerToken != null && !bearerToken.isEmpty()) || notEmpty(bearerTokenFile);
        if (bearerToken != null && !bearerToken.isEmpty() && notEmpty(bearerTokenFile)) {
            throw new ConfigValidationException("at most one of bearer_token & bearer_token_file must be configured");
        }
        int auths = (basicAuth != null ? 1 : 0) + (oauth2 != null ? 1 : 0) + (authorization != null ? 1 : 0);
        if (auths > 1) {
            throw new ConfigValidationException("at most one of basic_auth, oauth2 & authorization must be configured");
        }
        if (bearer && (basicAuth != null || authorization != null || oauth2 != null)) {
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
        if (oauth2 != null) {
            if (oauth2.clientId == null || oauth2.clientId.isEmpty()) {
                throw new ConfigValidationException("oauth2 client_id must be configured");
            }
            if (oauth2.tokenUrl == null || oauth2.tokenUrl.isEmpty()) {
                throw new ConfigValidationException("oauth2 token_url must be configured");
            }
        }
        if (notEmpty(proxyUrl)) {
            ConfigUrls.check(proxyUrl);
        }
    }

    private static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }
}

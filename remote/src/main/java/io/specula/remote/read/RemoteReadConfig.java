package io.specula.remote.read;

import io.specula.model.config.ConfigException;
import io.specula.model.config.HttpClientConfig;
import io.specula.model.config.PromDuration;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One {@code remote_read} entry of prometheus.yml, with Prometheus's keys and defaults; the HTTP
 * client keys (auth, TLS, proxy) are inherited. Bound by the YAML loader, then {@link #validate()}d.
 */
public class RemoteReadConfig extends HttpClientConfig {
    public String url;
    public String name;
    public PromDuration remoteTimeout;
    public Map<String, String> headers;
    public boolean readRecent;
    public Map<String, String> requiredMatchers;
    public Boolean filterExternalLabels;

    /** Headers a remote_read entry may not set (Prometheus's list). */
    private static final Set<String> RESERVED = Set.of("content-encoding", "content-length", "content-type", "user-agent",
            "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "www-authenticate", "accept-encoding",
            "x-prometheus-remote-write-version", "x-prometheus-remote-read-version");

    /** {@code remote_timeout}, default 1m. */
    public long timeoutMillis() {
        return remoteTimeout == null ? 60_000 : remoteTimeout.millis();
    }

    /** {@code filter_external_labels}, default true. */
    public boolean filtersExternalLabels() {
        return filterExternalLabels == null || filterExternalLabels;
    }

    /** Checks the entry with Prometheus's messages and folds {@code bearer_token} into {@code authorization}. */
    public void validate() throws ConfigException {
        if (url == null || url.isEmpty()) {
            throw new ConfigException("url for remote_read is empty");
        }
        URI u;
        try {
            u = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("parse \"" + url + "\": " + e.getMessage());
        }
        if (u.getScheme() == null || !(u.getScheme().equals("http") || u.getScheme().equals("https")) || u.getHost() == null) {
            throw new ConfigException("unsupported scheme or host in remote_read url \"" + url + "\"");
        }
        if (headers != null) {
            for (String h : headers.keySet()) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.equals("authorization")) {
                    throw new ConfigException("authorization header must be changed via the basic_auth, authorization, oauth2, sigv4, azuread or google_iam parameter");
                }
                if (RESERVED.contains(lower)) {
                    throw new ConfigException(h + " is a reserved header. It must not be changed");
                }
            }
        }
        if (remoteTimeout != null && remoteTimeout.millis() <= 0) {
            throw new ConfigException("remote_timeout must be positive");
        }
        validate(HttpClientConfig::checkProxyUrl);
        foldBearerToken();
    }
}

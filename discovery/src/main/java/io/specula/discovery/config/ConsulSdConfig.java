package io.specula.discovery.config;

import io.specula.model.config.PromDuration;
import io.specula.model.config.Secret;
import java.util.List;
import java.util.Map;

/**
 * A {@code consul_sd_config}: services of a Consul catalog, watched with blocking queries.
 * Prometheus's keys and defaults; {@code username}/{@code password} become {@code basic_auth}.
 */
public final class ConsulSdConfig extends SdHttpClientConfig {
    public static final PromDuration DEFAULT_REFRESH_INTERVAL = PromDuration.ofSeconds(30);

    public String server = "localhost:8500";
    public String pathPrefix;
    public Secret token;
    public String datacenter;
    public String namespace;
    public String partition;
    public String tagSeparator = ",";
    public String scheme = "http";
    public String username;
    public Secret password;
    public boolean allowStale = true;
    public PromDuration refreshInterval;
    public List<String> services;
    public List<String> tags;
    public Map<String, String> nodeMeta;
    public String filter;
    public String healthFilter;
    /** Set once username/password moved into basic_auth, so validating again is harmless. */
    private boolean folded;

    void validate() throws ConfigValidationException {
        if (server == null || server.strip().isEmpty()) {
            throw new ConfigValidationException("consul SD configuration requires a server address");
        }
        if (token != null && !token.isEmpty() && (authorization != null || oauth2 != null)) {
            throw new ConfigValidationException("at most one of consul SD token, authorization, or oauth2 can be configured");
        }
        boolean userPass = (username != null && !username.isEmpty()) || (password != null && !password.isEmpty());
        if (userPass && !folded) {
            if (basicAuth != null) {
                throw new ConfigValidationException("at most one of consul SD configuration username and password and basic auth can be configured");
            }
            basicAuth = new BasicAuth();
            basicAuth.username = username;
            basicAuth.password = password;
            folded = true;
        }
        if (refreshInterval == null || refreshInterval.isZero()) {
            refreshInterval = DEFAULT_REFRESH_INTERVAL;
        }
        validateHttp();
    }

    public List<String> services() {
        return services == null ? List.of() : services;
    }

    public List<String> tags() {
        return tags == null ? List.of() : tags;
    }
}

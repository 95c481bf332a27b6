package io.specula.discovery.config;

import io.specula.model.config.PromDuration;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

/**
 * A {@code docker_sd_config}: containers of one Docker engine ({@code host}: {@code unix://},
 * {@code tcp://}, {@code http://} or {@code https://}), with the HTTP client keys inline (used
 * for http(s) hosts only, as in Prometheus).
 */
public final class DockerSdConfig extends SdHttpClientConfig {
    public static final PromDuration DEFAULT_REFRESH_INTERVAL = PromDuration.ofMinutes(1);

    public String host;
    public int port = 80;
    public List<DockerFilter> filters;
    public String hostNetworkingHost = "localhost";
    public boolean matchFirstNetwork = true;
    public PromDuration refreshInterval;

    void validate() throws ConfigValidationException {
        checkHost(host);
        if (refreshInterval == null || refreshInterval.isZero()) {
            refreshInterval = DEFAULT_REFRESH_INTERVAL;
        }
        validateHttp();
    }

    /** Prometheus's checks on {@code host}: present and a parsable URL. */
    static void checkHost(String host) throws ConfigValidationException {
        if (host == null || host.isEmpty()) {
            throw new ConfigValidationException("host missing");
        }
        try {
            new URI(host);
        } catch (URISyntaxException e) {
            throw new ConfigValidationException("parse \"" + host + "\": " + e.getReason());
        }
    }

    public List<DockerFilter> filters() {
        return filters == null ? List.of() : filters;
    }
}

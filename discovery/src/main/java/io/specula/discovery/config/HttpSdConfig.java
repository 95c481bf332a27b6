package io.specula.discovery.config;

import io.specula.model.config.PromDuration;
import java.net.URI;
import java.net.URISyntaxException;

/** An {@code http_sd_config}: target groups fetched as JSON from {@code url} every {@code refresh_interval}. */
public final class HttpSdConfig extends SdHttpClientConfig {
    public static final PromDuration DEFAULT_REFRESH_INTERVAL = PromDuration.ofMinutes(1);

    public String url;
    public PromDuration refreshInterval;

    void validate() throws ConfigValidationException {
        if (url == null || url.isEmpty()) {
            throw new ConfigValidationException("URL is missing");
        }
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw new ConfigValidationException("parse \"" + url + "\": " + e.getReason());
        }
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
            throw new ConfigValidationException("URL scheme must be 'http' or 'https'");
        }
        if (u.getHost() == null || u.getHost().isEmpty()) {
            throw new ConfigValidationException("host is missing in URL");
        }
        if (refreshInterval == null || refreshInterval.isZero()) {
            refreshInterval = DEFAULT_REFRESH_INTERVAL;
        }
        validateHttp();
    }
}

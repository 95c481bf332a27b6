package io.specula.discovery.config;

import com.fasterxml.jackson.annotation.JsonSetter;
import io.specula.model.config.ConfigException;
import io.specula.model.config.HttpClientConfig;
import java.util.Map;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The scrape module's policy on top of the shared {@link HttpClientConfig}: {@code scrape_config}
 * and {@code http_sd_config} carry the HTTP client keys inline, so both extend this class.
 *
 * <p>{@code oauth2}, {@code proxy_from_environment} and {@code proxy_connect_header} are refused
 * as not supported yet rather than ignored; {@code enable_http2} is accepted (scrapes use
 * HTTP/1.1, as they do in Prometheus unless a target insists).
 */
public abstract class SdHttpClientConfig extends HttpClientConfig {

    @JsonSetter("oauth2")
    @JsonDeserialize(using = Unsupported.Refuse.class)
    void refuseOauth2(Object v) {
        throw Unsupported.key("oauth2");
    }

    @JsonSetter("proxy_from_environment")
    void refuseProxyFromEnvironment(boolean v) {
        if (v) {
            throw Unsupported.key("proxy_from_environment");
        }
    }

    @JsonSetter("proxy_connect_header")
    void refuseProxyConnectHeader(Map<String, Object> v) {
        if (v != null && !v.isEmpty()) {
            throw Unsupported.key("proxy_connect_header");
        }
    }

    /**
     * Checks the HTTP client keys as Prometheus does, then folds the deprecated
     * {@code bearer_token(_file)} into {@code authorization}.
     */
    public void validateHttp() throws ConfigValidationException {
        try {
            validate(HttpClientConfig::checkProxyUrl);
        } catch (ConfigException e) {
            throw new ConfigValidationException(e.getMessage());
        }
        foldBearerToken();
    }
}

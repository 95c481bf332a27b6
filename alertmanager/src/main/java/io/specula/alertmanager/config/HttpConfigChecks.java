package io.specula.alertmanager.config;

import io.specula.model.config.ConfigException;
import io.specula.model.config.HttpClientConfig;

/**
 * Alertmanager's use of the shared {@link HttpClientConfig} checks: its own URL wording for
 * {@code proxy_url}, errors as {@link ConfigValidationException}. What the webhook client does
 * not support yet is refused separately, by {@link AlertmanagerConfigLoader#refuseUnsupported}.
 */
final class HttpConfigChecks {
    private HttpConfigChecks() {}

    static void validate(HttpClientConfig h) throws ConfigValidationException {
        try {
            h.validate(HttpConfigChecks::checkProxyUrl);
        } catch (ConfigException e) {
            throw new ConfigValidationException(e.getMessage());
        }
    }

    private static void checkProxyUrl(String url) throws ConfigException {
        try {
            ConfigUrls.check(url);
        } catch (ConfigValidationException e) {
            throw new ConfigException(e.getMessage());
        }
    }
}

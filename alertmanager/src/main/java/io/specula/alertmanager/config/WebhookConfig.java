package io.specula.alertmanager.config;

import io.specula.model.config.PromDuration;
import io.specula.model.config.Secret;

/** {@code webhook_configs} entry: POST the v4 JSON payload to a URL. */
public final class WebhookConfig {
    public boolean sendResolved = true;
    public HttpClientConfig httpConfig;
    public Secret url;
    public String urlFile;
    /** 0 means all alerts; more are cut and counted in {@code truncatedAlerts}. */
    public long maxAlerts;
    /** 0 means no timeout beyond the notification's own context. */
    public PromDuration timeout;

    void validate() throws ConfigValidationException {
        boolean hasUrl = url != null && !url.isEmpty();
        boolean hasFile = urlFile != null && !urlFile.isEmpty();
        if (!hasUrl && !hasFile) {
            throw new ConfigValidationException("one of url or url_file must be configured");
        }
        if (hasUrl && hasFile) {
            throw new ConfigValidationException("at most one of url & url_file must be configured");
        }
        // A config printed by the API (secrets redacted) must load again, as in Alertmanager.
        if (hasUrl && !url.reveal().equals(io.specula.model.config.Secret.REDACTED)) {
            ConfigUrls.check(url.reveal());
        }
        if (maxAlerts < 0) {
            throw new ConfigValidationException("max_alerts must not be negative");
        }
        if (httpConfig != null) {
            httpConfig.validate();
        }
    }
}

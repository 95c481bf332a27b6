package io.specula.alertmanager.config;

import com.fasterxml.jackson.annotation.JsonGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSetter;
import io.specula.model.config.HttpClientConfig;
import io.specula.model.config.PromDuration;
import io.specula.model.config.Secret;

/** {@code webhook_configs} entry: POST the v4 JSON payload to a URL. */
public final class WebhookConfig {
    public boolean sendResolved = true;
    public HttpClientConfig httpConfig;
    @JsonIgnore
    public Secret url;
    public String urlFile;
    /** 0 means all alerts; more are cut and counted in {@code truncatedAlerts}. */
    public long maxAlerts;
    /** 0 means no timeout beyond the notification's own context. */
    public PromDuration timeout;

    @JsonSetter("url")
    void setUrl(Secret url) {
        this.url = url;
    }

    /**
     * The URL as printed (API status, amtool config show): scheme and host kept, the rest
     * (credentials, path, query, any of which may be the secret) replaced by
     * {@code <secret>}. Not Alertmanager's bare {@code <secret>}, because amtool 0.25 (still
     * the one Debian ships) parses the printed config and needs a URL with a scheme here.
     */
    @JsonGetter("url")
    String printedUrl() {
        if (url == null || url.isEmpty()) {
            return null;
        }
        String u = url.reveal();
        if (u.equals(Secret.REDACTED) || u.endsWith("/" + Secret.REDACTED)) {
            return u;
        }
        try {
            java.net.URI p = new java.net.URI(u);
            return p.getScheme() + "://" + p.getHost() + (p.getPort() >= 0 ? ":" + p.getPort() : "") + "/"
                    + Secret.REDACTED;
        } catch (java.net.URISyntaxException e) {
            return Secret.REDACTED;
        }
    }

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
        if (hasUrl && !url.reveal().equals(Secret.REDACTED) && !url.reveal().endsWith("/" + Secret.REDACTED)) {
            ConfigUrls.check(url.reveal());
        }
        if (maxAlerts < 0) {
            throw new ConfigValidationException("max_alerts must not be negative");
        }
        if (httpConfig != null) {
            HttpConfigChecks.validate(httpConfig);
        }
    }
}

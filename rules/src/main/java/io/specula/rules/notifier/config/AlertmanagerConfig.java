package io.specula.rules.notifier.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSetter;
import io.specula.model.config.PromDuration;
import io.specula.model.labels.LabelNames.NameValidation;
import io.specula.model.relabel.RelabelConfig;
import io.specula.discovery.config.ConfigValidationException;
import io.specula.discovery.config.DiscoveryConfigs;
import io.specula.discovery.config.Unsupported;
import java.util.List;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * One {@code alerting.alertmanagers} entry: how to find a set of Alertmanagers (static, file or
 * HTTP discovery, then {@code relabel_configs} over {@code __address__}, {@code __scheme__} and
 * {@code __alerts_path__}) and how to talk to them. The HTTP client keys ({@code basic_auth},
 * {@code authorization}, {@code tls_config}, …) are inline, as in Prometheus, with scrape's policy
 * ({@code oauth2} refused as not supported yet).
 *
 * <p>Prometheus 3 speaks only API v2 to Alertmanagers; {@code api_version: v1} is refused with its
 * wording when the YAML is bound. Discovery mechanisms other than static, file and HTTP, and
 * {@code sigv4}, are refused as not supported yet.
 */
public final class AlertmanagerConfig extends DiscoveryConfigs {
    public static final PromDuration DEFAULT_TIMEOUT = PromDuration.ofSeconds(10);
    public static final String API_V2 = "v2";

    public String scheme;
    public String pathPrefix;
    public PromDuration timeout;
    /** Only {@code v2}; set through {@link #apiVersion(String)}. */
    @JsonIgnore
    public String apiVersion = API_V2;

    /** Applied to discovered Alertmanagers. */
    public List<RelabelConfig> relabelConfigs;
    /** Applied to alerts sent to this set of Alertmanagers only, after the global ones. */
    public List<RelabelConfig> alertRelabelConfigs;

    @JsonSetter("api_version")
    void apiVersion(String v) {
        if (!API_V2.equals(v)) {
            throw new IllegalArgumentException("expected Alertmanager api version to be one of [v2] but got " + v);
        }
        apiVersion = v;
    }

    @JsonSetter("sigv4") @JsonDeserialize(using = Unsupported.Refuse.class) void sigv4(Object v) { throw Unsupported.key("sigv4"); }

    public List<RelabelConfig> relabelConfigs() {
        return relabelConfigs == null ? List.of() : relabelConfigs;
    }

    public List<RelabelConfig> alertRelabelConfigs() {
        return alertRelabelConfigs == null ? List.of() : alertRelabelConfigs;
    }

    /** Checks the entry with Prometheus's wording and fills its defaults; see {@link AlertingConfig#applyDefaults}. */
    void applyDefaults(NameValidation scheme) throws ConfigValidationException {
        validateHttp();
        for (RelabelConfig r : relabelConfigs()) {
            if (r == null) {
                throw new ConfigValidationException("empty or null Alertmanager target relabeling rule");
            }
            AlertingConfig.validateRule(r, scheme);
        }
        for (RelabelConfig r : alertRelabelConfigs()) {
            if (r == null) {
                throw new ConfigValidationException("empty or null Alertmanager alert relabeling rule");
            }
            AlertingConfig.validateRule(r, scheme);
        }
        // Refresh intervals, URL checks, "not a valid hostname" for URLs in static targets
        // unless relabeling may fix them: the same checks as a scrape job's.
        validateDiscovery(!relabelConfigs().isEmpty());
        if (this.scheme == null || this.scheme.isEmpty()) {
            this.scheme = "http";
        }
        if (pathPrefix == null) {
            pathPrefix = "";
        }
        // Prometheus keeps an explicit 0s, which makes every send time out at once; Specula
        // reads it as "unset" rather than reproduce a configuration that can never deliver.
        if (timeout == null || timeout.isZero()) {
            timeout = DEFAULT_TIMEOUT;
        }
    }
}

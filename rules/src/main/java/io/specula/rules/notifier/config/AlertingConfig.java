package io.specula.rules.notifier.config;

import io.specula.model.labels.LabelNames.NameValidation;
import io.specula.model.relabel.InvalidRelabelConfigException;
import io.specula.model.relabel.RelabelConfig;
import io.specula.discovery.config.ConfigValidationException;
import java.util.List;

/**
 * The {@code alerting} block of prometheus.yml: relabeling applied to every outgoing alert and
 * the Alertmanagers to send alerts to. Meant to be embedded by the top-level configuration as
 * {@code public AlertingConfig alerting;}; bound by {@link io.specula.model.config.YamlConfigLoader},
 * then checked and completed by {@link #applyDefaults(NameValidation)}. Mutable while it is bound
 * and validated; read-only afterwards.
 */
public final class AlertingConfig {
    public List<RelabelConfig> alertRelabelConfigs;
    public List<AlertmanagerConfig> alertmanagers;

    public List<RelabelConfig> alertRelabelConfigs() {
        return alertRelabelConfigs == null ? List.of() : alertRelabelConfigs;
    }

    public List<AlertmanagerConfig> alertmanagers() {
        return alertmanagers == null ? List.of() : alertmanagers;
    }

    /**
     * Checks the block with Prometheus's wording and fills defaults (timeout 10s, api_version v2,
     * scheme http, SD refresh intervals). Relabel rules are compiled under {@code scheme}, the
     * global {@code metric_name_validation_scheme}.
     *
     * @throws ConfigValidationException with a bare message; the caller names the file
     */
    public void applyDefaults(NameValidation scheme) throws ConfigValidationException {
        for (RelabelConfig r : alertRelabelConfigs()) {
            if (r == null) {
                throw new ConfigValidationException("empty or null alert relabeling rule");
            }
            validateRule(r, scheme);
        }
        for (AlertmanagerConfig am : alertmanagers()) {
            if (am == null) {
                throw new ConfigValidationException("empty or null Alertmanager config");
            }
            am.applyDefaults(scheme);
        }
    }

    /** {@link #applyDefaults(NameValidation)} with Prometheus 3's default, UTF-8 label names. */
    public void applyDefaults() throws ConfigValidationException {
        applyDefaults(NameValidation.UTF8);
    }

    static void validateRule(RelabelConfig r, NameValidation scheme) throws ConfigValidationException {
        try {
            r.validate(scheme);
        } catch (InvalidRelabelConfigException e) {
            throw new ConfigValidationException(e.getMessage());
        }
    }
}

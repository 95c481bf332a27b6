package io.specula.rules.notifier.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.config.ConfigException;
import io.specula.model.config.PromDuration;
import io.specula.model.config.YamlConfigLoader;
import io.specula.model.labels.LabelNames.NameValidation;
import io.specula.discovery.config.ConfigValidationException;
import io.specula.discovery.config.FileSdConfig;
import io.specula.scrape.config.GlobalConfig;
import io.specula.discovery.config.HttpSdConfig;
import org.junit.jupiter.api.Test;

class AlertingConfigTest {
    /** The shape the top-level configuration will have: {@code alerting} beside {@code global}. */
    public static final class PrometheusYml {
        public GlobalConfig global;
        public AlertingConfig alerting;
    }

    private static AlertingConfig load(String yaml) throws Exception {
        PrometheusYml y = YamlConfigLoader.parse(yaml, "prometheus.yml", PrometheusYml.class);
        y.alerting.applyDefaults();
        return y.alerting;
    }

    private static String validationError(String yaml) throws Exception {
        PrometheusYml y = YamlConfigLoader.parse(yaml, "prometheus.yml", PrometheusYml.class);
        try {
            y.alerting.applyDefaults();
        } catch (ConfigValidationException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + yaml);
    }

    @Test
    void parse_prometheusYmlWithAlertingBlock() throws Exception {
        AlertingConfig a = load("""
                global:
                  scrape_interval: 15s
                  external_labels: {cluster: eu}
                alerting:
                  alert_relabel_configs:
                    - regex: replica
                      action: labeldrop
                  alertmanagers:
                    - scheme: https
                      path_prefix: /am
                      timeout: 3s
                      api_version: v2
                      authorization:
                        credentials: token
                      tls_config:
                        insecure_skip_verify: true
                      follow_redirects: false
                      static_configs:
                        - targets: ['am-1:9093', 'am-2:9093']
                          labels: {dc: west}
                      file_sd_configs:
                        - files: [ams/*.yml]
                      http_sd_configs:
                        - url: http://sd.example/ams
                      relabel_configs:
                        - source_labels: [dc]
                          regex: east
                          action: drop
                      alert_relabel_configs:
                        - target_label: via
                          replacement: west
                """);
        assertThat(a.alertRelabelConfigs()).hasSize(1);
        AlertmanagerConfig am = a.alertmanagers().getFirst();
        assertThat(am.scheme).isEqualTo("https");
        assertThat(am.pathPrefix).isEqualTo("/am");
        assertThat(am.timeout).isEqualTo(PromDuration.ofSeconds(3));
        assertThat(am.apiVersion).isEqualTo("v2");
        assertThat(am.authorization.type).isEqualTo("Bearer");
        assertThat(am.authorization.credentials.reveal()).isEqualTo("token");
        assertThat(am.tlsConfig.insecureSkipVerify).isTrue();
        assertThat(am.followRedirects).isFalse();
        assertThat(am.staticConfigs.getFirst().targets).containsExactly("am-1:9093", "am-2:9093");
        assertThat(am.fileSdConfigs.getFirst().refreshInterval).isEqualTo(FileSdConfig.DEFAULT_REFRESH_INTERVAL);
        assertThat(am.httpSdConfigs.getFirst().refreshInterval).isEqualTo(HttpSdConfig.DEFAULT_REFRESH_INTERVAL);
        assertThat(am.relabelConfigs()).hasSize(1);
        assertThat(am.alertRelabelConfigs()).hasSize(1);
    }

    @Test
    void applyDefaults_fillsPrometheusDefaults() throws Exception {
        AlertmanagerConfig am = load("""
                alerting:
                  alertmanagers:
                    - static_configs: [{targets: ['localhost:9093']}]
                """).alertmanagers().getFirst();
        assertThat(am.scheme).isEqualTo("http");
        assertThat(am.pathPrefix).isEmpty();
        assertThat(am.timeout).isEqualTo(PromDuration.ofSeconds(10));
        assertThat(am.apiVersion).isEqualTo("v2");
        assertThat(am.followRedirects).isTrue();
        assertThat(am.enableHttp2).isTrue();
    }

    @Test
    void parse_emptyAlertingBlockHasNoAlertmanagers() throws Exception {
        PrometheusYml y = YamlConfigLoader.parse("alerting: {}\n", "prometheus.yml", PrometheusYml.class);
        y.alerting.applyDefaults();
        assertThat(y.alerting.alertmanagers()).isEmpty();
        assertThat(y.alerting.alertRelabelConfigs()).isEmpty();
    }

    @Test
    void parse_refusesApiVersionV1AsPrometheus3Does() {
        assertThatThrownBy(() -> load("""
                alerting:
                  alertmanagers:
                    - api_version: v1
                      static_configs: [{targets: ['localhost:9093']}]
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("prometheus.yml:3:")
                .hasMessageContaining("expected Alertmanager api version to be one of [v2] but got v1");
    }

    @Test
    void parse_refusesDiscoveryMechanismsNotSupportedYet() {
        assertThatThrownBy(() -> load("""
                alerting:
                  alertmanagers:
                    - azure_sd_configs:
                        - subscription_id: x
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("prometheus.yml:")
                .hasMessageContaining("azure_sd_configs is not supported yet by Specula");
        assertThatThrownBy(() -> load("""
                alerting:
                  alertmanagers:
                    - sigv4: {region: eu-west-1}
                """)).hasMessageContaining("sigv4 is not supported yet by Specula");
        assertThatThrownBy(() -> load("""
                alerting:
                  alertmanagers:
                    - oauth2: {client_id: x, token_url: http://t}
                """)).hasMessageContaining("oauth2 is not supported yet by Specula");
    }

    @Test
    void parse_refusesUnknownKeysWithTheirPosition() {
        assertThatThrownBy(() -> load("""
                alerting:
                  alertmanagers:
                    - static_configs: [{targets: ['localhost:9093']}]
                      timout: 5s
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("prometheus.yml:4:")
                .hasMessageContaining("unknown key \"timout\"");
    }

    @Test
    void applyDefaults_refusesUrlsWhereAnAddressBelongs() throws Exception {
        assertThat(validationError("""
                alerting:
                  alertmanagers:
                    - static_configs: [{targets: ['http://localhost:9093']}]
                """)).isEqualTo("\"http://localhost:9093\" is not a valid hostname");
    }

    @Test
    void applyDefaults_allowsUrlsInTargetsWhenRelabelingMayFixThem() throws Exception {
        AlertingConfig a = load("""
                alerting:
                  alertmanagers:
                    - static_configs: [{targets: ['http://localhost:9093']}]
                      relabel_configs:
                        - source_labels: [__address__]
                          regex: 'http://(.*)'
                          target_label: __address__
                """);
        assertThat(a.alertmanagers()).hasSize(1);
    }

    @Test
    void applyDefaults_refusesNullRelabelRulesWithPrometheusWording() throws Exception {
        assertThat(validationError("""
                alerting:
                  alert_relabel_configs: [null]
                """)).isEqualTo("empty or null alert relabeling rule");
        assertThat(validationError("""
                alerting:
                  alertmanagers:
                    - relabel_configs: [null]
                """)).isEqualTo("empty or null Alertmanager target relabeling rule");
        assertThat(validationError("""
                alerting:
                  alertmanagers:
                    - alert_relabel_configs: [null]
                """)).isEqualTo("empty or null Alertmanager alert relabeling rule");
    }

    @Test
    void applyDefaults_refusesConflictingAuthentication() throws Exception {
        assertThat(validationError("""
                alerting:
                  alertmanagers:
                    - basic_auth: {username: u, password: p}
                      authorization: {credentials: t}
                """)).isEqualTo("at most one of basic_auth, oauth2 & authorization must be configured");
    }

    @Test
    void applyDefaults_refusesBadRelabelRules() throws Exception {
        assertThat(validationError("""
                alerting:
                  alert_relabel_configs:
                    - action: explode
                """)).isEqualTo("unknown relabel action \"explode\"");
        assertThat(validationError("""
                alerting:
                  alertmanagers:
                    - relabel_configs:
                        - action: hashmod
                          source_labels: [__address__]
                          target_label: shard
                """)).contains("modulus");
    }

    @Test
    void applyDefaults_legacyNameValidationAppliesToAlertmanagerRules() throws Exception {
        PrometheusYml y = YamlConfigLoader.parse("""
                alerting:
                  alertmanagers:
                    - alert_relabel_configs:
                        - target_label: 'dotted.name'
                          replacement: x
                """, "prometheus.yml", PrometheusYml.class);
        y.alerting.applyDefaults(NameValidation.UTF8);
        PrometheusYml legacy = YamlConfigLoader.parse("""
                alerting:
                  alertmanagers:
                    - alert_relabel_configs:
                        - target_label: 'dotted.name'
                          replacement: x
                """, "prometheus.yml", PrometheusYml.class);
        assertThatThrownBy(() -> legacy.alerting.applyDefaults(NameValidation.LEGACY))
                .isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining("dotted.name");
    }

    @Test
    void applyDefaults_refusesBadFileSdPaths() throws Exception {
        assertThat(validationError("""
                alerting:
                  alertmanagers:
                    - file_sd_configs: [{files: ['ams.txt']}]
                """)).isEqualTo("path name \"ams.txt\" is not valid for file discovery");
    }
}

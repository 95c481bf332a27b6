package io.specula.scrape.config;

import io.specula.discovery.config.HttpSdConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.config.ConfigException;
import io.specula.model.config.PromDuration;
import io.specula.model.textparse.ScrapeProtocol;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScrapeConfigTest {
    private static List<ScrapeConfig> parse(String yaml) throws ConfigException {
        return ScrapeConfigs.parse(yaml, "test.yml", GlobalConfig.defaults());
    }

    @Test
    void parse_appliesPrometheusDefaults() throws Exception {
        ScrapeConfig c = parse("""
                scrape_configs:
                  - job_name: node
                    static_configs:
                      - targets: [localhost:9100]
                        labels: {env: prod}
                """).getFirst();
        assertThat(c.scrapeInterval).isEqualTo(PromDuration.ofMinutes(1));
        assertThat(c.scrapeTimeout).isEqualTo(PromDuration.ofSeconds(10));
        assertThat(c.metricsPath).isEqualTo("/metrics");
        assertThat(c.scheme).isEqualTo("http");
        assertThat(c.honorTimestamps).isTrue();
        assertThat(c.honorLabels).isFalse();
        assertThat(c.enableCompression).isTrue();
        assertThat(c.followRedirects).isTrue();
        assertThat(c.protocols).containsExactly(ScrapeProtocol.OPENMETRICS_TEXT_1_0_0, ScrapeProtocol.OPENMETRICS_TEXT_0_0_1,
                ScrapeProtocol.PROMETHEUS_TEXT_1_0_0, ScrapeProtocol.PROMETHEUS_TEXT_0_0_4);
        assertThat(c.metricNameEscapingScheme).isEqualTo("allow-utf-8");
        assertThat(c.staticConfigs().getFirst().targets).containsExactly("localhost:9100");
        assertThat(c.staticConfigs().getFirst().labels).containsEntry("env", "prod");
    }

    @Test
    void parse_timeoutDefaultsToIntervalWhenIntervalIsShorter() throws Exception {
        ScrapeConfig c = parse("""
                scrape_configs:
                  - job_name: fast
                    scrape_interval: 5s
                """).getFirst();
        assertThat(c.scrapeTimeout).isEqualTo(PromDuration.ofSeconds(5));
    }

    @Test
    void parse_globalLimitsApplyWhenJobHasNone() throws Exception {
        GlobalConfig g = new GlobalConfig();
        g.sampleLimit = 100;
        g.bodySizeLimit = ByteSize.parse("1MB");
        g.scrapeInterval = PromDuration.ofSeconds(15);
        g.applyDefaults();
        ScrapeConfig c = ScrapeConfigs.parse("scrape_configs: [{job_name: a}, {job_name: b, sample_limit: 5}]", "t", g).getFirst();
        assertThat(c.sampleLimit).isEqualTo(100);
        assertThat(c.bodySizeLimit.bytes()).isEqualTo(1 << 20);
        assertThat(c.scrapeInterval).isEqualTo(PromDuration.ofSeconds(15));
        assertThat(ScrapeConfigs.parse("scrape_configs: [{job_name: b, sample_limit: 5}]", "t", g).getFirst().sampleLimit)
                .isEqualTo(5);
    }

    @Test
    void parse_timeoutGreaterThanInterval_failsWithPrometheusMessage() {
        assertThatThrownBy(() -> parse("""
                scrape_configs:
                  - job_name: slow
                    scrape_interval: 5s
                    scrape_timeout: 10s
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessage("test.yml: scrape timeout greater than scrape interval for scrape config with job name \"slow\"");
    }

    @Test
    void parse_globalTimeoutGreaterThanInterval_fails() {
        GlobalConfig g = new GlobalConfig();
        g.scrapeInterval = PromDuration.ofSeconds(5);
        g.scrapeTimeout = PromDuration.ofSeconds(6);
        assertThatThrownBy(g::applyDefaults).hasMessage("global scrape timeout greater than scrape interval");
    }

    @Test
    void parse_duplicateJob_fails() {
        assertThatThrownBy(() -> parse("scrape_configs: [{job_name: a}, {job_name: a}]"))
                .hasMessage("test.yml: found multiple scrape configs with job name \"a\"");
    }

    @Test
    void parse_missingJobName_fails() {
        assertThatThrownBy(() -> parse("scrape_configs: [{metrics_path: /x}]")).hasMessage("test.yml: job_name is empty");
    }

    @Test
    void parse_unknownKey_namesFileLineAndKey() {
        assertThatThrownBy(() -> parse("""
                scrape_configs:
                  - job_name: a
                    scrape_intervall: 5s
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("test.yml:3:")
                .hasMessageContaining("unknown key \"scrape_intervall\"");
    }

    @Test
    void parse_unsupportedDiscovery_saysNotSupportedYetWithLine() {
        assertThatThrownBy(() -> parse("""
                scrape_configs:
                  - job_name: azure
                    azure_sd_configs:
                      - subscription_id: x
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("test.yml:")
                .hasMessageContaining(":4:")
                .hasMessageContaining("azure_sd_configs is not supported yet");
    }

    @Test
    void parse_oauth2_isNotSupportedYet() {
        assertThatThrownBy(() -> parse("scrape_configs: [{job_name: a, oauth2: {client_id: x}}]"))
                .hasMessageContaining("oauth2 is not supported yet");
    }

    @Test
    void parse_bearerToken_becomesAuthorization() throws Exception {
        ScrapeConfig c = parse("scrape_configs: [{job_name: a, bearer_token: s3cret}]").getFirst();
        assertThat(c.authorization.type).isEqualTo("Bearer");
        assertThat(c.authorization.credentials.reveal()).isEqualTo("s3cret");
        assertThat(c.bearerToken).isNull();
    }

    @Test
    void parse_twoAuthMethods_fail() {
        assertThatThrownBy(() -> parse("""
                scrape_configs:
                  - job_name: a
                    bearer_token: x
                    basic_auth: {username: u, password: p}
                """)).hasMessage("test.yml: at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured");
    }

    @Test
    void parse_duplicateProtocol_fails() {
        assertThatThrownBy(() -> parse("scrape_configs: [{job_name: a, scrape_protocols: [PrometheusText0.0.4, PrometheusText0.0.4]}]"))
                .hasMessage("test.yml: duplicated protocol in scrape_protocols, got "
                        + "[PrometheusText0.0.4 PrometheusText0.0.4] for scrape config with job name \"a\"");
    }

    @Test
    void parse_unknownProtocol_failsWithPrometheus3Words() {
        assertThatThrownBy(() -> parse("scrape_configs: [{job_name: a, scrape_protocols: [PrometheusProto, Foo]}]"))
                .hasMessage("test.yml: scrape_protocols: unknown scrape protocol Foo, supported: [OpenMetricsText0.0.1 "
                        + "OpenMetricsText1.0.0 PrometheusProto PrometheusText0.0.4 PrometheusText1.0.0] for scrape config with job name \"a\"");
        GlobalConfig empty = new GlobalConfig();
        empty.scrapeProtocols = List.of();
        assertThatThrownBy(empty::applyDefaults).hasMessage("scrape_protocols cannot be empty for global config");
    }

    @Test
    void parse_nativeHistograms_protobufFirstUnlessProtocolsGiven() throws Exception {
        assertThat(parse("scrape_configs: [{job_name: a, scrape_native_histograms: true}]").getFirst().scrapeProtocols)
                .containsExactly("PrometheusProto", "OpenMetricsText1.0.0", "OpenMetricsText0.0.1", "PrometheusText1.0.0", "PrometheusText0.0.4");
        GlobalConfig g = new GlobalConfig();
        g.scrapeNativeHistograms = true; // each job's protocols follow its own switch
        g.applyDefaults();
        assertThat(ScrapeConfigs.parse("scrape_configs: [{job_name: a}, {job_name: b, scrape_native_histograms: false}]", "t", g))
                .extracting(c -> c.scrapeNative() + " " + c.scrapeProtocols.getFirst())
                .containsExactly("true PrometheusProto", "false OpenMetricsText1.0.0");
        g = new GlobalConfig();
        g.scrapeProtocols = List.of("PrometheusText0.0.4");
        g.applyDefaults();
        assertThat(ScrapeConfigs.parse("scrape_configs: [{job_name: a, scrape_native_histograms: true}]", "t", g)
                .getFirst().scrapeProtocols).containsExactly("PrometheusText0.0.4");
        g = new GlobalConfig();
        g.alwaysScrapeClassicHistograms = true;
        g.convertClassicHistogramsToNhcb = true;
        g.applyDefaults();
        List<ScrapeConfig> cs = ScrapeConfigs.parse("scrape_configs: [{job_name: a}, {job_name: b, always_scrape_classic_histograms: false}]", "t", g);
        assertThat(cs.get(0).alwaysScrapeClassic()).isTrue();
        assertThat(cs.get(0).convertClassicToNhcb()).isTrue();
        assertThat(cs.get(0).scrapeNative()).isFalse();
        assertThat(cs.get(1).alwaysScrapeClassic()).isFalse();
    }

    @Test
    void parse_unknownFallbackProtocol_fails() {
        assertThatThrownBy(() -> parse("scrape_configs: [{job_name: a, fallback_scrape_protocol: foo}]"))
                .hasMessageStartingWith("test.yml: invalid fallback_scrape_protocol for scrape config with job name \"a\": "
                        + "unknown scrape protocol foo, supported: [");
    }

    @Test
    void parse_urlAsStaticTarget_fails() {
        assertThatThrownBy(() -> parse("scrape_configs: [{job_name: a, static_configs: [{targets: ['http://x:1/metrics']}]}]"))
                .hasMessage("test.yml: \"http://x:1/metrics\" is not a valid hostname");
    }

    @Test
    void parse_badRelabelRule_failsWithRelabelMessage() {
        assertThatThrownBy(() -> parse("scrape_configs: [{job_name: a, relabel_configs: [{action: nope}]}]"))
                .hasMessageContaining("unknown relabel action \"nope\"");
    }

    @Test
    void parse_fileSdPatternWithBadExtension_fails() {
        assertThatThrownBy(() -> parse("scrape_configs: [{job_name: a, file_sd_configs: [{files: [targets.txt]}]}]"))
                .hasMessage("test.yml: path name \"targets.txt\" is not valid for file discovery");
    }

    @Test
    void parse_httpSdDefaults() throws Exception {
        HttpSdConfig h = parse("scrape_configs: [{job_name: a, http_sd_configs: [{url: 'http://sd:8080/targets'}]}]")
                .getFirst().httpSdConfigs().getFirst();
        assertThat(h.refreshInterval).isEqualTo(PromDuration.ofMinutes(1));
        assertThatThrownBy(() -> parse("scrape_configs: [{job_name: a, http_sd_configs: [{url: 'ftp://sd/x'}]}]"))
                .hasMessage("test.yml: URL scheme must be 'http' or 'https'");
    }

    @Test
    void byteSize_parsesBase2Units() {
        assertThat(ByteSize.parse("100").bytes()).isEqualTo(100);
        assertThat(ByteSize.parse("10KB").bytes()).isEqualTo(10240);
        assertThat(ByteSize.parse("1MiB").bytes()).isEqualTo(1 << 20);
        assertThat(ByteSize.parse("2GB").bytes()).isEqualTo(2L << 30);
        assertThatThrownBy(() -> ByteSize.parse("10 apples")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fingerprint_changesWithSecretsButNeverPrintsThemElsewhere() throws Exception {
        ScrapeConfig a = parse("scrape_configs: [{job_name: a, basic_auth: {username: u, password: one}}]").getFirst();
        ScrapeConfig b = parse("scrape_configs: [{job_name: a, basic_auth: {username: u, password: two}}]").getFirst();
        ScrapeConfig a2 = parse("scrape_configs: [{job_name: a, basic_auth: {username: u, password: one}}]").getFirst();
        assertThat(ScrapeConfigs.fingerprint(a)).isNotEqualTo(ScrapeConfigs.fingerprint(b));
        assertThat(ScrapeConfigs.fingerprint(a)).isEqualTo(ScrapeConfigs.fingerprint(a2));
        assertThat(io.specula.model.config.YamlConfigLoader.toYaml(a)).doesNotContain("one").contains("<secret>");
    }

    @Test
    void parse_externalLabels_available() throws Exception {
        GlobalConfig g = io.specula.model.config.YamlConfigLoader.parse("external_labels: {region: eu}", "g", GlobalConfig.class);
        g.applyDefaults();
        assertThat(g.externalLabels().get("region")).isEqualTo("eu");
        assertThat(g.scrapeInterval).isEqualTo(PromDuration.ofMinutes(1));
        assertThat(g.evaluationInterval).isEqualTo(PromDuration.ofMinutes(1));
    }
}

package io.specula.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.config.ConfigException;
import io.specula.remote.otlp.OtlpOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The {@code otlp} and {@code remote_read} blocks: Prometheus's keys, defaults and errors. */
class RemoteConfigTest {
    static ConfigLoader.Loaded parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, Path.of("prometheus.yml"), Path.of("."));
    }

    @Test
    void otlp_keysAndDefaults() throws Exception {
        assertThat(parse("").otlp()).isEqualTo(OtlpOptions.DEFAULTS);
        OtlpOptions o = parse("""
                otlp:
                  promote_resource_attributes: [" k8s.pod.name ", service.version]
                  translation_strategy: NoUTF8EscapingWithSuffixes
                  keep_identifying_resource_attributes: true
                  promote_scope_metadata: true
                  convert_histograms_to_nhcb: true
                """).otlp();
        assertThat(o.promoteResourceAttributes()).containsExactly("k8s.pod.name", "service.version");
        assertThat(o.strategy()).isEqualTo(OtlpOptions.TranslationStrategy.NoUTF8EscapingWithSuffixes);
        assertThat(o.keepIdentifyingResourceAttributes()).isTrue();
        assertThat(o.promoteScopeMetadata()).isTrue();
        assertThat(o.convertHistogramsToNhcb()).isTrue();
    }

    @Test
    void otlp_errorsAsPrometheus() {
        assertThatThrownBy(() -> parse("otlp: {translation_strategy: Foo}"))
                .hasMessageContaining("unsupported OTLP translation strategy \"Foo\"");
        assertThatThrownBy(() -> parse("otlp: {promote_resource_attributes: [a, ' a']}"))
                .hasMessageContaining("duplicated promoted OTel resource attribute \"a\"");
        assertThatThrownBy(() -> parse("otlp: {promote_resource_attributes: [a], promote_all_resource_attributes: true}"))
                .hasMessageContaining("'promote_all_resource_attributes' and 'promote_resource_attributes' cannot be configured simultaneously");
        assertThatThrownBy(() -> parse("otlp: {ignore_resource_attributes: [a]}"))
                .hasMessageContaining("'ignore_resource_attributes' cannot be configured unless 'promote_all_resource_attributes' is true");
        assertThatThrownBy(() -> parse("otlp: {no_such_key: 1}")).isInstanceOf(ConfigException.class);
    }

    @Test
    void remoteRead_keys() throws Exception {
        ConfigLoader.Loaded c = parse("""
                remote_read:
                  - url: http://thanos:10901/api/v1/read
                    name: thanos
                    remote_timeout: 30s
                    read_recent: true
                    required_matchers: {env: prod}
                    filter_external_labels: false
                    headers: {X-Scope-OrgID: team-a}
                    basic_auth: {username: u, password: p}
                    tls_config: {insecure_skip_verify: true}
                """);
        assertThat(c.remoteRead()).hasSize(1);
        var r = c.remoteRead().getFirst();
        assertThat(r.timeoutMillis()).isEqualTo(30_000);
        assertThat(r.readRecent).isTrue();
        assertThat(r.requiredMatchers).containsEntry("env", "prod");
        assertThat(r.filtersExternalLabels()).isFalse();
        assertThat(r.basicAuth.username).isEqualTo("u");
        assertThat(c.yaml()).contains("remote_read").doesNotContain("password: p");
    }

    @Test
    void remoteRead_errors() {
        assertThatThrownBy(() -> parse("remote_read: [{name: a}]")).hasMessageContaining("url for remote_read is empty");
        assertThatThrownBy(() -> parse("remote_read: [{url: 'http://a/r', name: x}, {url: 'http://b/r', name: x}]"))
                .hasMessageContaining("found multiple remote read configs with job name \"x\"");
        assertThatThrownBy(() -> parse("remote_read: [{url: 'http://a/r', headers: {Authorization: x}}]"))
                .hasMessageContaining("authorization header must be changed via the basic_auth");
    }
}

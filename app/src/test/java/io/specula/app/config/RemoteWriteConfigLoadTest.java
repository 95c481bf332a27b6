package io.specula.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.config.ConfigException;
import io.specula.remote.write.RemoteWriteConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code remote_write} in prometheus.yml: Prometheus's keys, defaults and error texts. */
class RemoteWriteConfigLoadTest {
    static ConfigLoader.Loaded parse(String yaml) throws ConfigException {
        return ConfigLoader.parse(yaml, Path.of("prometheus.yml"), Path.of("."));
    }

    static void fails(String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class).hasMessageContaining(message);
    }

    @Test
    void parse_everyKey_andPrometheusDefaults() throws Exception {
        ConfigLoader.Loaded l = parse("""
                remote_write:
                  - url: http://a:9090/api/v1/write
                  - url: https://b/api/v1/push
                    name: mimir
                    remote_timeout: 10s
                    headers: {X-Scope-OrgID: t1}
                    send_exemplars: true
                    send_native_histograms: true
                    round_robin_dns: true
                    protobuf_message: io.prometheus.write.v2.Request
                    basic_auth: {username: u, password: p}
                    tls_config: {insecure_skip_verify: true}
                    follow_redirects: false
                    write_relabel_configs:
                      - source_labels: [__name__]
                        regex: go_.*
                        action: drop
                    queue_config:
                      capacity: 2500
                      max_shards: 10
                      min_shards: 2
                      max_samples_per_send: 500
                      batch_send_deadline: 1s
                      min_backoff: 50ms
                      max_backoff: 10s
                      retry_on_http_429: true
                      sample_age_limit: 1h
                    metadata_config:
                      send: false
                      send_interval: 2m
                      max_samples_per_send: 100
                """);
        RemoteWriteConfig a = l.remoteWrite().get(0);
        assertThat(a.remoteTimeout.toString()).isEqualTo("30s");
        assertThat(a.protobufMessage).isEqualTo("prometheus.WriteRequest");
        assertThat(a.queueConfig.capacity).isEqualTo(10000);
        assertThat(a.queueConfig.maxShards).isEqualTo(50);
        assertThat(a.queueConfig.minShards).isEqualTo(1);
        assertThat(a.queueConfig.maxSamplesPerSend).isEqualTo(2000);
        assertThat(a.queueConfig.batchSendDeadline.toString()).isEqualTo("5s");
        assertThat(a.queueConfig.minBackoff.toString()).isEqualTo("30ms");
        assertThat(a.queueConfig.maxBackoff.toString()).isEqualTo("5s");
        assertThat(a.metadataConfig.send).isTrue();
        assertThat(a.metadataConfig.sendInterval.toString()).isEqualTo("1m");
        assertThat(a.remoteName()).hasSize(6);
        RemoteWriteConfig b = l.remoteWrite().get(1);
        assertThat(b.remoteName()).isEqualTo("mimir");
        assertThat(b.v2()).isTrue();
        assertThat(b.queueConfig.retryOnHttp429).isTrue();
        assertThat(b.queueConfig.sampleAgeLimit.toString()).isEqualTo("1h");
        assertThat(b.queueConfig.capacity).isEqualTo(2500);
        assertThat(b.writeRelabelConfigs()).hasSize(1);
        assertThat(b.metadataConfig.send).isFalse();
        assertThat(b.headers()).containsEntry("X-Scope-OrgID", "t1");
        assertThat(l.yaml()).contains("remote_write").doesNotContain("password: p");
    }

    @Test
    void parse_errors_asPrometheusWordsThem() {
        fails("remote_write:\n  - name: x\n", "url for remote_write is empty");
        fails("remote_write:\n  - url: http://a/w\n    headers: {X-Prometheus-Remote-Write-Version: '2'}\n",
                "X-Prometheus-Remote-Write-Version is a reserved header. It must not be changed");
        fails("remote_write:\n  - url: http://a/w\n    headers: {Authorization: x}\n",
                "authorization header must be changed via the basic_auth, authorization, oauth2, sigv4, azuread or google_iam parameter");
        fails("remote_write:\n  - url: http://a/w\n    protobuf_message: io.prometheus.writet.v2.Request\n",
                "invalid protobuf_message value: unknown type for remote write protobuf message io.prometheus.writet.v2.Request, "
                        + "supported: prometheus.WriteRequest, io.prometheus.write.v2.Request");
        fails("remote_write:\n  - url: http://a/w\n    name: q\n  - url: http://b/w\n    name: q\n",
                "found multiple remote write configs with job name \"q\"");
        fails("remote_write:\n  - url: http://a/w\n  - url: http://a/w\n",
                "duplicate remote write configs are not allowed, found duplicate for URL: http://a/w");
        fails("remote_write:\n  - url: http://a/w\n    basic_auth: {username: u}\n    authorization: {credentials: c}\n",
                "at most one of basic_auth, oauth2 & authorization must be configured"); // the HTTP client's check comes first, as in Prometheus
        fails("remote_write:\n  - url: http://a/w\n    write_relabel_configs:\n      - action: replace\n",
                "relabel configuration for replace action requires 'target_label' value");
        fails("remote_write:\n  - url: http://a/w\n    sigv4: {region: us-east-1}\n", "sigv4 is not supported by Specula");
        fails("remote_write:\n  - url: http://a/w\n    azuread: {cloud: AzurePublic}\n", "azuread is not supported by Specula");
        fails("remote_write:\n  - url: http://a/w\n    google_iam: {credentials_file: f}\n", "google_iam is not supported by Specula");
        fails("remote_write:\n  - url: http://a/w\n    queue_config: {nonsense: 1}\n", "nonsense");
    }
}

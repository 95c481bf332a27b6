package io.specula.remote.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.specula.model.config.PromDuration;
import io.specula.model.labels.LabelNames.NameValidation;
import io.specula.model.labels.Labels;
import io.specula.testsupport.RealPrometheus;
import io.specula.testsupport.RealVictoriaMetrics;
import io.specula.tsdb.agent.AgentStorage;
import io.specula.tsdb.storage.Appender;
import io.specula.tsdb.wal.WalWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agent mode's storage feeding the remote-write sender: samples appended to the WAL-only
 * {@link AgentStorage} reach the real Prometheus 2.42 and VictoriaMetrics 1.79 receivers, every
 * one of them (read back through each receiver's own PromQL API), with no blocks on the agent's
 * disk; truncation does not remove a segment the queue still needs.
 */
class AgentRemoteWriteTest {
    @TempDir
    Path tmp;

    /** A receiver's GET of a path of its query API. */
    interface Api {
        String get(String pathAndQuery) throws Exception;
    }

    @Test
    void agentWal_isRemoteWrittenToPrometheus() throws Exception {
        assumeTrue(RealPrometheus.available(),
                "SKIPPED LOUDLY: /usr/bin/prometheus not installed (Debian package prometheus); the agent remote-write test needs it");
        Path cfg = Files.writeString(tmp.resolve("rx.yml"), "global: {scrape_interval: 1m}\n");
        try (RealPrometheus rx = RealPrometheus.start(cfg, tmp.resolve("rx"), List.of(), "--web.enable-remote-write-receiver")) {
            sendAndCheck(rx.url("/api/v1/write"), rx::get);
        }
    }

    @Test
    void agentWal_isRemoteWrittenToVictoriaMetrics() throws Exception {
        assumeTrue(RealVictoriaMetrics.available(),
                "SKIPPED LOUDLY: /usr/bin/victoria-metrics not installed (Debian package victoria-metrics); the agent remote-write test needs it");
        Path cfg = Files.writeString(tmp.resolve("vm.yml"), "scrape_configs: []\n");
        try (RealVictoriaMetrics vm = RealVictoriaMetrics.start(cfg, tmp.resolve("vm"), "-search.disableCache", "-search.latencyOffset=0s")) {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            sendAndCheck(vm.url("/api/v1/write"), p -> http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(vm.url(p))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body());
        }
    }

    void sendAndCheck(String writeUrl, Api rx) throws Exception {
        try (AgentStorage agent = AgentStorage.open(tmp.resolve("data-agent"), WalWriter.Options.defaults())) {
            RemoteWriteConfig c = new RemoteWriteConfig();
            c.url = writeUrl;
            c.queueConfig = new RemoteWriteConfig.QueueConfig();
            c.queueConfig.batchSendDeadline = PromDuration.ofMillis(100);
            c.validate(NameValidation.UTF8);
            try (RemoteWriteStorage rw = new RemoteWriteStorage(agent.walDir(), tmp.resolve("data-agent/remote_write"),
                    new PrometheusRegistry(), 1L << 30)) {
                rw.applyConfig(List.of(c), Labels.of("agent", "a1"));
                agent.setWalHold(rw::keepWalFrom);
                // The watcher sends what was written after the queue started, as Prometheus's does.
                long t0 = System.currentTimeMillis() + 1;
                for (int i = 0; i < 30; i++) {
                    Appender app = agent.appender();
                    for (int s = 0; s < 10; s++) {
                        app.append(0, Labels.of("__name__", "agent_test", "s", Integer.toString(s)), t0 + i * 10L, i);
                    }
                    app.commit();
                }
                String q = "/api/v1/query?query=" + URLEncoder.encode("sum(count_over_time(agent_test{agent=\"a1\"}[10m]))",
                        StandardCharsets.UTF_8);
                long deadline = System.currentTimeMillis() + 20_000;
                String body = rx.get(q);
                while (!body.contains("\"300\"") && System.currentTimeMillis() < deadline) {
                    Thread.sleep(200);
                    body = rx.get(q);
                }
                assertThat(body).contains("\"300\"");
                String sum = rx.get("/api/v1/query?query=" + URLEncoder.encode("sum(sum_over_time(agent_test[10m]))", StandardCharsets.UTF_8));
                assertThat(sum).contains("\"4350\""); // 10 series × (0 + … + 29)
                agent.truncate(System.currentTimeMillis() - 4 * 3_600_000L);
            }
        }
        try (Stream<Path> files = Files.list(tmp.resolve("data-agent"))) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly("remote_write", "wal");
        }
    }
}

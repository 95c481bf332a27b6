package io.specula.rules.notifier;

import io.specula.rules.Alert;
import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.config.YamlConfigLoader;
import io.specula.model.labels.Labels;
import io.specula.rules.notifier.config.AlertingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class NotifierTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private FakeAlertmanager am() throws Exception {
        FakeAlertmanager am = new FakeAlertmanager();
        closeables.add(am);
        return am;
    }

    private Notifier notifier(NotifierOptions options) {
        Notifier n = new Notifier(options.withDiscoveryUpdateMillis(20));
        closeables.add(n);
        return n;
    }

    private static AlertingConfig config(String yaml) throws Exception {
        AlertingConfig c = YamlConfigLoader.parse(yaml, "test.yml", AlertingConfig.class);
        c.applyDefaults();
        return c;
    }

    /** Applies the config and waits until {@code expected} Alertmanagers are discovered. */
    private static void apply(Notifier n, String yaml, Labels external, int expected) throws Exception {
        n.applyConfig(config(yaml), external);
        Await.until(WAIT, () -> n.alertmanagers().size() == expected);
    }

    private static Alert alert(String name, String... extraLabels) {
        String[] nv = new String[extraLabels.length + 2];
        nv[0] = "alertname";
        nv[1] = name;
        System.arraycopy(extraLabels, 0, nv, 2, extraLabels.length);
        return new Alert(Labels.of(nv), Map.of(), 1_700_000_000_000L, 1_700_000_300_000L, "");
    }

    private static List<String> alertnames(String body) {
        List<String> out = new ArrayList<>();
        for (JsonNode a : YamlConfigLoader.mapper().readTree(body)) {
            out.add(a.get("labels").get("alertname").asString());
        }
        return out;
    }

    private static int alertCount(FakeAlertmanager am) {
        return am.requests.stream().mapToInt(r -> alertnames(r.body()).size()).sum();
    }

    @Test
    void send_postsAlertmanagerV2PayloadWithExternalLabels() throws Exception {
        FakeAlertmanager am = am();
        Notifier n = notifier(NotifierOptions.defaults());
        apply(n, """
                alertmanagers:
                  - path_prefix: /prefix/
                    static_configs:
                      - targets: ['%s']
                """.formatted(am.address()), Labels.of("cluster", "eu-1", "severity", "from-external"), 1);
        assertThat(n.alertmanagers()).containsExactly("http://" + am.address() + "/prefix/api/v2/alerts");

        n.send(List.of(new Alert(Labels.of("alertname", "HighLatency", "severity", "page", "job", "api"),
                Map.of("summary", "p99 \"high\"\nsee runbook"), 1_700_000_000_123L, 1_700_000_240_000L,
                "http://prom:9090/graph?g0.expr=up+%3D%3D+0")));
        Await.until(WAIT, () -> am.requests.size() == 1);

        FakeAlertmanager.Received r = am.requests.getFirst();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/prefix/api/v2/alerts");
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.userAgent()).startsWith("Specula/");
        assertThat(r.body()).isEqualTo("[{\"labels\":{\"alertname\":\"HighLatency\",\"cluster\":\"eu-1\",\"job\":\"api\","
                + "\"severity\":\"page\"},\"annotations\":{\"summary\":\"p99 \\\"high\\\"\\nsee runbook\"},"
                + "\"startsAt\":\"2023-11-14T22:13:20.123Z\",\"endsAt\":\"2023-11-14T22:17:20.000Z\","
                + "\"generatorURL\":\"http://prom:9090/graph?g0.expr=up+%3D%3D+0\"}]");
        Await.until(WAIT, () -> n.metrics().alertmanagers().get(n.alertmanagers().getFirst()).latencyCount() == 1);
        NotifierMetrics.Snapshot m = n.metrics();
        NotifierMetrics.AlertmanagerCounters c = m.alertmanagers().get(n.alertmanagers().getFirst());
        assertThat(c.sent()).isEqualTo(1);
        assertThat(c.errors()).isZero();
        assertThat(m.dropped()).isZero();
        assertThat(m.queueCapacity()).isEqualTo(10_000);
        assertThat(m.alertmanagersDiscovered()).isEqualTo(1);
    }

    @Test
    void send_splitsQueueIntoBatchesOfAtMostMaxBatchSize() throws Exception {
        FakeAlertmanager am = am();
        Notifier n = notifier(NotifierOptions.defaults());
        apply(n, "alertmanagers: [{static_configs: [{targets: ['%s']}]}]".formatted(am.address()), Labels.EMPTY, 1);
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            alerts.add(alert("A" + i));
        }
        n.send(alerts);
        Await.until(WAIT, () -> alertCount(am) == 600);
        assertThat(am.requests).extracting(r -> alertnames(r.body()).size()).containsExactly(256, 256, 88);
        List<String> all = new ArrayList<>();
        am.requests.forEach(r -> all.addAll(alertnames(r.body())));
        assertThat(all).first().isEqualTo("A0");
        assertThat(all).last().isEqualTo("A599");
    }

    @Test
    void send_dropsOldestAlertsBeyondQueueCapacity() throws Exception {
        FakeAlertmanager am = am();
        am.delayMillis = 1500; // keeps the sender busy with the first batch
        Notifier n = notifier(NotifierOptions.defaults().withQueueCapacity(5));
        apply(n, "alertmanagers: [{static_configs: [{targets: ['%s']}]}]".formatted(am.address()), Labels.EMPTY, 1);
        n.send(List.of(alert("first")));
        Await.until(WAIT, () -> am.requests.size() == 1);

        List<Alert> eight = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            eight.add(alert("B" + i));
        }
        n.send(eight.subList(0, 4));
        n.send(eight.subList(4, 8)); // 8 queued against a capacity of 5: B0..B2 give way
        assertThat(n.metrics().queueLength()).isEqualTo(5);
        assertThat(n.metrics().dropped()).isEqualTo(3);

        List<Alert> tooMany = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            tooMany.add(alert("C" + i));
        }
        n.send(tooMany); // one call above capacity keeps its newest 5 and replaces the whole queue
        assertThat(n.metrics().dropped()).isEqualTo(3 + 2 + 5);

        am.delayMillis = 0;
        Await.until(WAIT, () -> am.requests.size() == 2);
        assertThat(alertnames(am.requests.get(1).body())).containsExactly("C2", "C3", "C4", "C5", "C6");
        assertThat(n.metrics().queueLength()).isZero();
    }

    @Test
    void send_hangingAlertmanagerDoesNotDelayTheOthers() throws Exception {
        FakeAlertmanager fast = am();
        FakeAlertmanager hanging = am();
        hanging.delayMillis = 5000;
        Notifier n = notifier(NotifierOptions.defaults());
        apply(n, """
                alertmanagers:
                  - timeout: 2s
                    static_configs: [{targets: ['%s', '%s']}]
                """.formatted(hanging.address(), fast.address()), Labels.EMPTY, 2);
        String hangingUrl = "http://" + hanging.address() + "/api/v2/alerts";
        String fastUrl = "http://" + fast.address() + "/api/v2/alerts";

        n.send(List.of(alert("one"), alert("two")));
        Await.until(WAIT, () -> fast.requests.size() == 1);
        assertThat(n.metrics().alertmanagers().get(hangingUrl).errors())
                .as("the fast Alertmanager got the batch while the hanging one was still pending").isZero();

        Await.until(WAIT, () -> n.metrics().alertmanagers().get(hangingUrl).errors() == 2);
        NotifierMetrics.Snapshot m = n.metrics();
        assertThat(m.alertmanagers().get(hangingUrl).sent()).isEqualTo(2);
        assertThat(m.alertmanagers().get(fastUrl).sent()).isEqualTo(2);
        assertThat(m.alertmanagers().get(fastUrl).errors()).isZero();
        assertThat(m.dropped()).as("one Alertmanager of the set got the batch").isZero();
        // The timeout bounds the wait: the next batch goes out well before the hanging answer.
        n.send(List.of(alert("three")));
        Await.until(Duration.ofSeconds(4), () -> fast.requests.size() == 2);
    }

    @Test
    void send_unreachableAlertmanagerNeitherBlocksCallersNorLosesCount() throws Exception {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Notifier n = notifier(NotifierOptions.defaults());
        apply(n, "alertmanagers: [{static_configs: [{targets: ['127.0.0.1:%d']}]}]".formatted(closedPort), Labels.EMPTY, 1);
        String url = n.alertmanagers().getFirst();
        for (int i = 0; i < 50; i++) {
            long start = System.nanoTime();
            n.send(List.of(alert("A" + i)));
            assertThat((System.nanoTime() - start) / 1_000_000).as("send() only queues").isLessThan(1000);
        }
        Await.until(WAIT, () -> n.metrics().dropped() == 50);
        assertThat(n.metrics().alertmanagers().get(url).errors()).isEqualTo(50);
        assertThat(n.metrics().alertmanagers().get(url).sent()).isEqualTo(50);
    }

    @Test
    void send_serverErrorsAreRetriedWithBackoff_clientErrorsAreNot() throws Exception {
        FakeAlertmanager flaky = am();
        flaky.failFirst = Notifier.MAX_ATTEMPTS - 1;
        FakeAlertmanager refusing = am();
        refusing.status = 400;
        Notifier n = notifier(NotifierOptions.defaults());
        apply(n, """
                alertmanagers:
                  - static_configs: [{targets: ['%s']}]
                  - static_configs: [{targets: ['%s']}]
                """.formatted(flaky.address(), refusing.address()), Labels.EMPTY, 2);
        n.send(List.of(alert("x")));
        String flakyUrl = "http://" + flaky.address() + "/api/v2/alerts";
        String refusingUrl = "http://" + refusing.address() + "/api/v2/alerts";
        Await.until(WAIT, () -> n.metrics().alertmanagers().get(flakyUrl).latencyCount() == 1
                && n.metrics().alertmanagers().get(refusingUrl).latencyCount() == 1);
        assertThat(flaky.requests).hasSize(Notifier.MAX_ATTEMPTS);
        assertThat(flaky.requests.get(1).atNanos() - flaky.requests.get(0).atNanos()).isGreaterThan(50_000_000L);
        assertThat(n.metrics().alertmanagers().get(flakyUrl).errors()).isZero();
        assertThat(refusing.requests).hasSize(1);
        assertThat(n.metrics().alertmanagers().get(refusingUrl).errors()).isEqualTo(1);
    }

    @Test
    void send_batchThatReachesNoAlertmanagerOfASetIsCountedAsDropped() throws Exception {
        FakeAlertmanager ok = am();
        FakeAlertmanager failing = am();
        failing.status = 500;
        Notifier n = notifier(NotifierOptions.defaults());
        apply(n, """
                alertmanagers:
                  - static_configs: [{targets: ['%s']}]
                  - static_configs: [{targets: ['%s']}]
                """.formatted(ok.address(), failing.address()), Labels.EMPTY, 2);
        n.send(List.of(alert("x"), alert("y"), alert("z")));
        String failingUrl = "http://" + failing.address() + "/api/v2/alerts";
        Await.until(WAIT, () -> n.metrics().dropped() == 3);
        assertThat(n.metrics().alertmanagers().get(failingUrl).errors()).isEqualTo(3);
        assertThat(ok.requests).hasSize(1);
    }

    @Test
    void send_appliesGlobalThenPerAlertmanagerAlertRelabeling() throws Exception {
        FakeAlertmanager plain = am();
        FakeAlertmanager tagged = am();
        Notifier n = notifier(NotifierOptions.defaults());
        apply(n, """
                alert_relabel_configs:
                  - source_labels: [severity]
                    regex: info
                    action: drop
                  - target_label: replica
                    replacement: ''
                alertmanagers:
                  - static_configs: [{targets: ['%s']}]
                  - static_configs: [{targets: ['%s']}]
                    alert_relabel_configs:
                      - target_label: team
                        replacement: ops
                      - source_labels: [alertname]
                        regex: OnlyForPlain
                        action: drop
                """.formatted(plain.address(), tagged.address()), Labels.of("replica", "a"), 2);
        n.send(List.of(alert("Info", "severity", "info"), alert("Page", "severity", "page"), alert("OnlyForPlain"),
                new Alert(Labels.of("replica", "b"), Map.of(), 1, 2, ""))); // nothing left after the rules
        Await.until(WAIT, () -> plain.requests.size() == 1 && tagged.requests.size() == 1);

        JsonNode p = YamlConfigLoader.mapper().readTree(plain.requests.getFirst().body());
        assertThat(alertnames(plain.requests.getFirst().body())).containsExactly("Page", "OnlyForPlain");
        assertThat(p.get(0).get("labels").has("replica")).as("external label removed by the global rules").isFalse();
        assertThat(p.get(0).get("labels").has("team")).isFalse();

        JsonNode t = YamlConfigLoader.mapper().readTree(tagged.requests.getFirst().body());
        assertThat(alertnames(tagged.requests.getFirst().body())).containsExactly("Page");
        assertThat(t.get(0).get("labels").get("team").asString()).isEqualTo("ops");
    }

    @Test
    void applyConfig_relabelsDiscoveredAlertmanagers() throws Exception {
        FakeAlertmanager am = am();
        Notifier n = notifier(NotifierOptions.defaults());
        apply(n, """
                alertmanagers:
                  - scheme: https
                    static_configs:
                      - targets: ['%s', '127.0.0.1:1']
                        labels: {dc: west}
                    relabel_configs:
                      - source_labels: [__address__]
                        regex: '.*:1'
                        action: drop
                      - target_label: __scheme__
                        replacement: http
                      - source_labels: [dc]
                        target_label: __alerts_path__
                        replacement: /$1/api/v2/alerts
                """.formatted(am.address()), Labels.EMPTY, 1);
        assertThat(n.alertmanagers()).containsExactly("http://" + am.address() + "/west/api/v2/alerts");
        assertThat(n.droppedAlertmanagers()).containsExactly("https://127.0.0.1:1/api/v2/alerts");
        n.send(List.of(alert("x")));
        Await.until(WAIT, () -> am.requests.size() == 1);
        assertThat(am.requests.getFirst().path()).isEqualTo("/west/api/v2/alerts");
    }

    @Test
    void applyConfig_findsAlertmanagersThroughFileDiscovery(@TempDir Path dir) throws Exception {
        FakeAlertmanager am = am();
        Files.writeString(dir.resolve("ams.yml"), "- targets: ['%s']\n".formatted(am.address()));
        Notifier n = notifier(NotifierOptions.defaults().withBaseDir(dir));
        apply(n, """
                alertmanagers:
                  - basic_auth: {username: prom, password: s3cret}
                    file_sd_configs: [{files: [ams.yml]}]
                """, Labels.EMPTY, 1);
        n.send(List.of(alert("x")));
        Await.until(WAIT, () -> am.requests.size() == 1);
        assertThat(am.requests.getFirst().authorization()).isEqualTo("Basic cHJvbTpzM2NyZXQ=");
    }

    @Test
    void applyConfig_findsAlertmanagersThroughHttpDiscovery() throws Exception {
        FakeAlertmanager am = am();
        FakeAlertmanager sd = am();
        sd.jsonBody = "[{\"targets\": [\"%s\"], \"labels\": {\"env\": \"prod\"}}]".formatted(am.address());
        Notifier n = notifier(NotifierOptions.defaults());
        apply(n, """
                alertmanagers:
                  - http_sd_configs: [{url: 'http://%s/sd'}]
                    relabel_configs:
                      - source_labels: [env]
                        regex: prod
                        action: keep
                """.formatted(sd.address()), Labels.EMPTY, 1);
        assertThat(n.alertmanagers()).containsExactly("http://" + am.address() + "/api/v2/alerts");
        n.send(List.of(alert("x")));
        Await.until(WAIT, () -> am.requests.size() == 1);
    }

    @Test
    void applyConfig_reloadKeepsUnchangedAndForgetsRemovedAlertmanagers() throws Exception {
        FakeAlertmanager a = am();
        FakeAlertmanager b = am();
        Notifier n = notifier(NotifierOptions.defaults());
        String one = "alertmanagers: [{static_configs: [{targets: ['%s']}]}]".formatted(a.address());
        apply(n, one, Labels.EMPTY, 1);
        n.applyConfig(config(one), Labels.EMPTY);
        assertThat(n.alertmanagers()).as("kept across a reload without waiting for discovery").hasSize(1);

        apply(n, "alertmanagers: [{static_configs: [{targets: ['%s']}]}]".formatted(b.address()), Labels.EMPTY, 1);
        Await.until(WAIT, () -> n.alertmanagers().equals(List.of("http://" + b.address() + "/api/v2/alerts")));
        n.applyConfig(null, Labels.EMPTY);
        Await.until(WAIT, () -> n.alertmanagers().isEmpty());
    }

    @Test
    void applyConfig_reloadDoesNotAbortRequestsInFlight() throws Exception {
        FakeAlertmanager am = am();
        am.delayMillis = 700;
        Notifier n = notifier(NotifierOptions.defaults());
        String target = am.address();
        apply(n, "alertmanagers: [{static_configs: [{targets: ['%s']}]}]".formatted(target), Labels.EMPTY, 1);
        String url = n.alertmanagers().getFirst();
        n.send(List.of(alert("a")));
        Await.until(WAIT, () -> am.requests.size() == 1);
        // Same entry: same client. Then a changed entry: a new client, the old one retired later.
        n.applyConfig(config("alertmanagers: [{static_configs: [{targets: ['%s']}]}]".formatted(target)), Labels.EMPTY);
        n.applyConfig(config("alertmanagers: [{timeout: 9s, static_configs: [{targets: ['%s']}]}]".formatted(target)),
                Labels.EMPTY);
        Await.until(WAIT, () -> n.metrics().alertmanagers().get(url).sent() == 1);
        assertThat(n.metrics().alertmanagers().get(url).errors()).isZero();
        Await.until(WAIT, () -> n.alertmanagers().size() == 1);
        n.send(List.of(alert("b")));
        Await.until(WAIT, () -> n.metrics().alertmanagers().get(url).sent() == 2);
        assertThat(n.metrics().alertmanagers().get(url).errors()).isZero();
    }

    @Test
    void close_drainsTheQueue() throws Exception {
        FakeAlertmanager am = am();
        am.delayMillis = 300;
        Notifier n = new Notifier(NotifierOptions.defaults().withMaxBatchSize(2).withDiscoveryUpdateMillis(20));
        apply(n, "alertmanagers: [{static_configs: [{targets: ['%s']}]}]".formatted(am.address()), Labels.EMPTY, 1);
        n.send(List.of(alert("a"), alert("b"), alert("c"), alert("d"), alert("e")));
        n.close();
        assertThat(alertCount(am)).isEqualTo(5);
        assertThat(n.metrics().dropped()).isZero();
    }

    @Test
    void close_withoutDrainCountsQueuedAlertsAsDropped() throws Exception {
        FakeAlertmanager am = am();
        am.delayMillis = 500;
        Notifier n = new Notifier(NotifierOptions.defaults().withMaxBatchSize(1).withDrainOnShutdown(false)
                .withDiscoveryUpdateMillis(20));
        apply(n, "alertmanagers: [{static_configs: [{targets: ['%s']}]}]".formatted(am.address()), Labels.EMPTY, 1);
        n.send(List.of(alert("a"), alert("b"), alert("c")));
        Await.until(WAIT, () -> am.requests.size() == 1);
        n.close();
        assertThat(n.metrics().dropped()).isEqualTo(2);
        assertThat(am.requests).hasSize(1);
    }
}

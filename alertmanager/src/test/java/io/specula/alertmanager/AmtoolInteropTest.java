package io.specula.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The real {@code amtool} (Debian's prometheus-alertmanager) against Specula's Alertmanager:
 * alerts, silences and config commands must work unchanged.
 */
class AmtoolInteropTest {
    private static final Path AMTOOL = Path.of(System.getProperty("specula.amtool", "/usr/bin/amtool"));

    @TempDir
    Path dir;

    private WebhookReceiver hook;
    private TestAlertmanager t;

    record Result(int exit, String out, String err) {}

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Files.isExecutable(AMTOOL), "SKIPPED: amtool not found at " + AMTOOL
                + " (install Debian's 'prometheus-alertmanager' package, or run .ci/run); amtool interop not tested");
        hook = new WebhookReceiver();
        t = TestAlertmanager.start(dir, """
                route:
                  receiver: default
                  group_by: [alertname]
                  group_wait: 200ms
                  group_interval: 1s
                  routes:
                    - matchers: ['severity="page"']
                      receiver: pager
                receivers:
                  - name: default
                  - name: pager
                    webhook_configs:
                      - url: %s
                        http_config:
                          basic_auth: {username: u, password: hunter2}
                """.formatted(hook.url()));
    }

    @AfterEach
    void stop() {
        if (t != null) {
            t.close();
        }
        if (hook != null) {
            hook.close();
        }
    }

    private Result amtool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(AMTOOL.toString(), "--alertmanager.url=" + t.base));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out, err);
    }

    @Test
    void alertAddAndQuery_roundTripThroughAmtool() throws Exception {
        Result add = amtool("alert", "add", "alertname=DiskFull", "severity=page", "instance=db1",
                "--annotation=summary=disk is full");
        assertThat(add.exit()).as(add.err()).isZero();
        Result q = amtool("alert", "query", "-o", "json");
        assertThat(q.exit()).as(q.err()).isZero();
        JsonNode alerts = TestAlertmanager.JSON.readTree(q.out());
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).get("labels").get("alertname").asString()).isEqualTo("DiskFull");
        assertThat(alerts.get(0).get("annotations").get("summary").asString()).isEqualTo("disk is full");
        assertThat(alerts.get(0).get("receivers").get(0).get("name").asString()).isEqualTo("pager");
        Result simple = amtool("alert", "query", "alertname=DiskFull");
        assertThat(simple.out()).contains("DiskFull").contains("Alertname");
        // And the webhook got it, with the configured basic auth.
        WebhookReceiver.Received got = hook.poll(Duration.ofSeconds(5));
        assertThat(got).isNotNull();
        assertThat(got.authorization()).isEqualTo("Basic dTpodW50ZXIy");
        assertThat(got.body().get("groupKey").asString()).isEqualTo("{}/{severity=\"page\"}:{alertname=\"DiskFull\"}");
    }

    @Test
    void silenceAddQueryExpire_roundTripThroughAmtool() throws Exception {
        Result add = amtool("silence", "add", "alertname=DiskFull", "instance=~\"db.*\"", "--comment=maintenance",
                "--author=ops", "--duration=2h");
        assertThat(add.exit()).as(add.err()).isZero();
        String id = add.out().strip();
        assertThat(id).matches("[0-9a-f-]{36}");
        Result q = amtool("silence", "query", "-o", "json");
        assertThat(q.exit()).as(q.err()).isZero();
        JsonNode silences = TestAlertmanager.JSON.readTree(q.out());
        assertThat(silences).hasSize(1);
        assertThat(silences.get(0).get("createdBy").asString()).isEqualTo("ops");
        assertThat(silences.get(0).get("status").get("state").asString()).isEqualTo("active");
        assertThat(amtool("silence", "query", "-q", "alertname=DiskFull").out().strip()).isEqualTo(id);
        assertThat(amtool("silence", "query", "-q", "alertname=Other").out().strip()).isEmpty();
        // The silence mutes a matching alert, which amtool then reports as silenced.
        amtool("alert", "add", "alertname=DiskFull", "instance=db7");
        JsonNode silenced = TestAlertmanager.JSON.readTree(amtool("alert", "query", "-s", "-o", "json").out());
        assertThat(silenced.get(0).get("status").get("silencedBy").get(0).asString()).isEqualTo(id);
        Result expire = amtool("silence", "expire", id);
        assertThat(expire.exit()).as(expire.err()).isZero();
        assertThat(amtool("silence", "query", "-q").out().strip()).isEmpty();
        assertThat(amtool("silence", "query", "-q", "--expired").out().strip()).isEqualTo(id);
    }

    @Test
    void configShowAndRoutes_readOurStatus() throws Exception {
        Result show = amtool("config", "show");
        assertThat(show.exit()).as(show.err()).isZero();
        assertThat(show.out()).contains("receiver: \"default\"").contains("password: \"<secret>\"").doesNotContain("hunter2");
        Result routes = amtool("config", "routes");
        assertThat(routes.exit()).as(routes.err()).isZero();
        assertThat(routes.out()).contains("default").contains("pager").contains("severity=\"page\"");
        Result test = amtool("config", "routes", "test", "severity=page");
        assertThat(test.exit()).as(test.err()).isZero();
        assertThat(test.out().strip()).isEqualTo("pager");
        assertThat(amtool("config", "routes", "test", "severity=info").out().strip()).isEqualTo("default");
    }
}

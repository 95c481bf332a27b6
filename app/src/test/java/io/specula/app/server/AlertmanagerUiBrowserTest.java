package io.specula.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.specula.alertmanager.Alertmanager;
import io.specula.alertmanager.AlertmanagerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code specula alertmanager}'s web UI in a real browser: alerts grouped and filtered, a
 * silence pre-filled from an alert with its preview, saved (checked with amtool) and expired,
 * the status page, and the routing tree's label-set test against {@code amtool config routes test}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertmanagerUiBrowserTest {
    private static final Path AMTOOL = Path.of("/usr/bin/amtool");

    @TempDir
    static Path dir;

    private Chromium chromium;
    private Alertmanager am;
    private String base;
    private Path config;

    @BeforeAll
    void start() throws Exception {
        chromium = Chromium.launch();
        PlaywrightAssertions.setDefaultAssertionTimeout(15_000);
        config = dir.resolve("alertmanager.yml");
        Files.writeString(config, """
                route:
                  receiver: default
                  group_by: [alertname]
                  routes:
                    - matchers: ['severity="page"']
                      receiver: pager
                      continue: true
                    - matchers: ['team=~"db|storage"']
                      receiver: db
                receivers:
                  - name: default
                  - name: pager
                  - name: db
                """);
        AlertmanagerOptions o = new AlertmanagerOptions();
        o.configFile = config;
        o.storagePath = dir.resolve("am");
        o.listenAddress = "127.0.0.1:0";
        am = Alertmanager.start(o);
        base = "http://" + am.boundAddress();
        String now = Instant.now().toString();
        String alerts = """
                [{"labels":{"alertname":"TargetDown","severity":"page","instance":"node-1:9100","team":"db"},
                  "annotations":{"summary":"node-1 is down"},"startsAt":"%s","generatorURL":"http://specula.example:9090/graph?g0.expr=up+%%3D%%3D+0&g0.tab=1"},
                 {"labels":{"alertname":"HighLatency","severity":"warn","instance":"api-1:8080"},
                  "annotations":{"summary":"slow"},"startsAt":"%s"}]""".formatted(now, now);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/v2/alerts"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(alerts)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
    }

    @AfterAll
    void stop() {
        if (am != null) {
            am.close();
        }
        if (chromium != null) {
            chromium.close();
        }
    }

    private static void expectText(Locator l, String s) {
        PlaywrightAssertions.assertThat(l).containsText(s);
    }

    private static String amtool(String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = AMTOOL.toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void alertsGroupedFiltered_silencePrefilledPreviewedSavedAndExpired() throws Exception {
        try (Chromium.Tab t = chromium.open()) {
            Page p = t.page;
            p.navigate(base + "/");
            expectText(p.locator("[data-testid=am-group]").filter(new Locator.FilterOptions().setHasText("receiver: pager")), "TargetDown");
            expectText(p.locator("[data-testid=am-group]").filter(new Locator.FilterOptions().setHasText("receiver: default")), "HighLatency");
            assertThat(p.locator("[data-testid=am-alert]").count()).isEqualTo(3); // TargetDown reaches pager and db
            p.getByLabel("Group by").fill("severity");
            expectText(p.locator("[data-testid=am-group]").first(), "severity: page");
            p.getByLabel("Group by").fill("receiver");

            p.locator("[data-testid=am-filter] input, input[data-testid=am-filter]").first().fill("{alertname=\"HighLatency\"}");
            p.keyboard().press("Enter");
            p.waitForCondition(() -> p.locator("[data-testid=am-alert]").count() == 1);
            expectText(p.locator("[data-testid=am-alert]"), "api-1:8080");
            t.assertClean("am-alerts-filtered");

            p.locator("[data-testid=am-alert]").getByText("Silence").click();
            p.waitForURL("**#/silences/new**");
            assertThat(p.locator("[data-testid=matcher-row]").count()).isEqualTo(3);
            expectText(p.locator("[data-testid=silence-preview]"), "Affected alerts: 1");
            expectText(p.locator("[data-testid=silence-preview]"), "api-1:8080");
            p.getByLabel("Creator").fill("ui-test");
            p.getByLabel("Comment").fill("deploying api-1");
            t.assertClean("am-silence-form");
            p.getByText("Create", new Page.GetByTextOptions().setExact(true)).click();
            p.waitForURL("**#/silences");
            expectText(p.locator("[data-testid=am-silence]"), "deploying api-1");
            if (Files.isExecutable(AMTOOL)) {
                String q = amtool("silence", "query", "--alertmanager.url=" + base, "-o", "json");
                assertThat(q).contains("\"comment\":\"deploying api-1\"").contains("\"state\":\"active\"");
            }
            t.assertClean("am-silences");

            p.getByText("Expire", new Page.GetByTextOptions().setExact(true)).first().click();
            p.getByRole(com.microsoft.playwright.options.AriaRole.DIALOG).getByText("Expire", new Locator.GetByTextOptions().setExact(true)).click();
            p.getByRole(com.microsoft.playwright.options.AriaRole.TAB, new Page.GetByRoleOptions().setName("expired")).click();
            expectText(p.locator("[data-testid=am-silence]").first(), "deploying api-1");
            if (Files.isExecutable(AMTOOL)) {
                assertThat(amtool("silence", "query", "--alertmanager.url=" + base, "--expired", "-o", "json"))
                        .contains("\"comment\":\"deploying api-1\"").contains("\"state\":\"expired\"");
            }
            t.assertClean("am-silences-expired");
        }
    }

    @Test
    void routingTree_answersAsAmtoolRoutesTest_andStatusShowsConfig() throws Exception {
        try (Chromium.Tab t = chromium.open()) {
            Page p = t.page;
            p.navigate(base + "/#/routes");
            expectText(p.locator("body"), "severity=\"page\"");
            String[][] cases = {{"{alertname=\"X\", severity=\"page\", team=\"db\"}", "severity=page", "team=db"},
                {"{alertname=\"X\", team=\"storage\"}", "team=storage"}, {"{alertname=\"X\"}", "alertname=X"}};
            for (String[] c : cases) {
                p.getByTestId("route-test-input").fill(c[0]);
                p.keyboard().press("Enter");
                // The answer for this label set (the result box names the input it answers).
                Locator result = p.locator("[data-testid=route-test-result][data-for='" + c[0].replace("'", "\\'") + "']");
                result.waitFor();
                String ours = result.textContent();
                String receivers = ours.substring(ours.indexOf(':') + 1).trim();
                if (Files.isExecutable(AMTOOL)) {
                    String[] all = new String[c.length + 3];
                    all[0] = "config";
                    all[1] = "routes";
                    all[2] = "test";
                    all[3] = "--config.file=" + config;
                    System.arraycopy(c, 1, all, 4, c.length - 1);
                    // amtool prints the receivers comma-separated, in routing order.
                    assertThat(receivers.replace(", ", ",")).as(c[0]).isEqualTo(amtool(all).trim());
                }
                p.waitForCondition(() -> p.locator("[data-testid=route-node][data-hit]").count() > 0);
            }
            t.assertClean("am-routing");
            p.navigate(base + "/#/status");
            expectText(p.locator("[data-testid=am-status]"), "Uptime");
            expectText(p.locator("body"), "pager");
            expectText(p.locator("body"), "severity");
            t.assertClean("am-status");
        }
    }
}

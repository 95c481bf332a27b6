package io.specula.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Incidents page in a real browser against a real {@code specula server} with a real
 * incident: the targets of services {@code auth} and {@code db} are down (their TargetDown alerts
 * and the {@code target_down} health signal), {@code app} reports failed logins, and the
 * configuration declares app → auth → db. The page must list the incident with the root cause
 * the API names and draw the path app → auth → db with evidence and a graph per hop.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IncidentsUiBrowserTest {
    @TempDir
    static Path dir;

    private Chromium chromium;
    private Server server;
    private String base;
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeAll
    void start() throws Exception {
        chromium = Chromium.launch();
        PlaywrightAssertions.setDefaultAssertionTimeout(15_000);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.writeString(dir.resolve("rules.yml"), """
                groups:
                  - name: services
                    rules:
                      - alert: TargetDown
                        expr: up == 0 and count_over_time(up[10s]) >= 4
                      - alert: LoginFailures
                        expr: vector(1)
                        for: 2s
                        labels: {service: app}
                """);
        // Ports 1 and 9 on loopback refuse connections: both targets are down from the first scrape.
        // TargetDown waits for four scrapes so that the target_down health signals mark auth and db
        // before their alerts arrive: two new alerts of one evaluation (db's before auth's) can
        // otherwise open two incidents, as nothing yet links db to app's incident.
        Files.writeString(dir.resolve("prometheus.yml"), """
                global: {scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s}
                rule_files: [%s]
                scrape_configs:
                  - job_name: auth
                    static_configs: [{targets: ["127.0.0.1:1"]}]
                  - job_name: db
                    static_configs: [{targets: ["127.0.0.1:9"]}]
                incidents:
                  dependencies:
                    - entity: app
                      depends_on: [auth]
                    - entity: auth
                      depends_on: [db]
                      description: auth reads its users from db
                """.formatted(dir.resolve("rules.yml")));
        ServerCommand cmd = new ServerCommand();
        new CommandLine(cmd).parseArgs("--web.listen-address=127.0.0.1:" + port, "--storage.tsdb.path=" + dir.resolve("data"),
                "--config.file=" + dir.resolve("prometheus.yml"));
        server = Server.start(cmd.options());
        base = "http://127.0.0.1:" + port;
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        if (chromium != null) {
            chromium.close();
        }
    }

    private JsonNode api(String pathAndQuery) throws Exception {
        return json.readTree(http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    /** The incident once all three alerts fire and its path reaches db (a few evaluations). */
    private JsonNode awaitIncident() throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            for (JsonNode i : api("/api/v1/incidents").get("data").get("incidents")) {
                JsonNode path = i.get("path");
                int firing = 0;
                for (JsonNode a : i.get("alerts")) {
                    firing += a.get("state").asString().equals("firing") ? 1 : 0;
                }
                if (firing == 3 && path.size() == 3 && path.get(2).get("entity").get("name").asString().equals("db")) {
                    return api("/api/v1/incidents/" + i.get("id").asString()).get("data");
                }
            }
            assertThat(System.currentTimeMillis()).as("incident app → auth → db within 20s: %s", api("/api/v1/incidents"))
                    .isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    private static void expectText(Locator l, String s) {
        PlaywrightAssertions.assertThat(l).containsText(s);
    }

    @Test
    void incidentPage_listsTheIncident_andDrawsItsPathWithEvidence() throws Exception {
        JsonNode inc = awaitIncident();
        String id = inc.get("id").asString();
        String rootCause = inc.get("rootCause").get("text").asString();
        assertThat(rootCause).endsWith("on service db");
        try (Chromium.Tab t = chromium.open()) {
            Page p = t.page;
            p.navigate(base + "/alerts");
            p.getByText("Incidents", new Page.GetByTextOptions().setExact(true)).click();
            Locator row = p.locator("[data-testid=incident-row]").filter(new Locator.FilterOptions().setHasText(id));
            expectText(row, rootCause);
            expectText(row, "3 active / 3");
            expectText(row, "open");
            t.assertClean("incidents-list");

            row.click();
            p.waitForURL(Pattern.compile(".*/incidents\\?id=" + id));
            checkDetail(p, rootCause);
            t.assertClean("incident");

            // The selection is in the URL: a reload (or a shared link) shows the same incident.
            p.reload();
            checkDetail(p, rootCause);
            p.locator("[data-testid=path-hop]").nth(1).scrollIntoViewIfNeeded();
            t.assertClean("incident-reloaded");
        }
    }

    private static void checkDetail(Page p, String rootCause) {
        expectText(p.locator("[data-testid=incident-root-cause]"), rootCause);
        expectText(p.locator("[data-testid=incident-explanation]"), "service app fails");
        // The timeline: three alerts, LoginFailures pending for its `for:` then firing.
        Locator alerts = p.locator("[data-testid=incident-alert]");
        PlaywrightAssertions.assertThat(alerts).hasCount(3);
        Locator login = alerts.filter(new Locator.FilterOptions().setHasText("LoginFailures"));
        PlaywrightAssertions.assertThat(login.locator("[data-state=pending]")).hasCount(1);
        PlaywrightAssertions.assertThat(login.locator("[data-state=firing]")).hasCount(1);
        // The path, symptom first, root cause last, each hop with its evidence.
        Locator hops = p.locator("[data-testid=path-hop]");
        PlaywrightAssertions.assertThat(hops).hasCount(3);
        expectText(hops.nth(0), "service app");
        expectText(hops.nth(0), "symptom");
        expectText(hops.nth(0).locator("[data-testid=hop-evidence]"), "LoginFailures");
        expectText(hops.nth(1), "service auth");
        expectText(hops.nth(1).locator("[data-testid=hop-evidence]"), "127.0.0.1:1");
        expectText(hops.nth(2), "service db");
        expectText(hops.nth(2), "root cause");
        PlaywrightAssertions.assertThat(hops.nth(2)).hasAttribute("data-root", "true");
        expectText(hops.nth(2).locator("[data-testid=hop-evidence]"), "127.0.0.1:9");
        expectText(p.locator("[data-testid=hop-via]").nth(1), "auth reads its users from db");
        // A graph per hop, drawn from the evidence's expression with data in it.
        for (int i = 0; i < 3; i++) {
            Locator drawn = hops.nth(i).locator("[data-testid=evidence-graph][data-series]").first();
            PlaywrightAssertions.assertThat(drawn).isVisible();
            assertThat(Integer.parseInt(drawn.getAttribute("data-series"))).as("series in hop %d's graph", i).isGreaterThan(0);
        }
    }
}

package io.specula.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The server's web UI in a real browser against a real {@code specula server} on loopback with
 * data: it scrapes itself (classic histograms included), a down target (its error text and a
 * firing alert), a recording rule. Pages are driven as a person would: typing, Enter, clicks.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerUiBrowserTest {
    @TempDir
    static Path dir;

    private Chromium chromium;
    private Server server;
    private String base;
    private final HttpClient http = HttpClient.newHttpClient();

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
                  - name: demo
                    rules:
                      - record: job:up:sum
                        expr: sum by (job) (up)
                      - alert: TargetDown
                        expr: up == 0
                        labels: {severity: page}
                        annotations: {summary: "{{ $labels.instance }} is down"}
                """);
        Files.writeString(dir.resolve("prometheus.yml"), """
                global: {scrape_interval: 2s, scrape_timeout: 2s, evaluation_interval: 1s}
                rule_files: [%s]
                scrape_configs:
                  - job_name: self
                    static_configs: [{targets: ["127.0.0.1:%d"]}]
                  - job_name: down
                    static_configs: [{targets: ["127.0.0.1:1"]}]
                """.formatted(dir.resolve("rules.yml"), port));
        ServerCommand cmd = new ServerCommand();
        new CommandLine(cmd).parseArgs("--web.listen-address=127.0.0.1:" + port, "--storage.tsdb.path=" + dir.resolve("data"),
                "--config.file=" + dir.resolve("prometheus.yml"), "--web.page-title=Specula UI test");
        server = Server.start(cmd.options());
        base = "http://127.0.0.1:" + port;
        // Data for every page: two scrapes for rates, the alert firing, the recording rule written.
        long deadline = System.currentTimeMillis() + 20_000;
        while (!(api("/api/v1/query?query=" + enc("count(rate(prometheus_http_request_duration_seconds_bucket[1m]))")).contains("\"result\":[{")
                && api("/api/v1/query?query=" + enc("ALERTS{alertstate=\"firing\"}")).contains("TargetDown")
                && api("/api/v1/query?query=job:up:sum").contains("self"))) {
            assertThat(System.currentTimeMillis()).as("server data within 20s").isLessThan(deadline);
            Thread.sleep(250);
        }
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

    private String api(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static Locator editor(Page p, int i) {
        return p.locator(".cm-content").nth(i);
    }

    /** Replaces the editor's text by typing it, closing any completion, as a person would. */
    private static void type(Page p, int panel, String text) {
        editor(p, panel).click();
        p.keyboard().press("Control+A");
        p.keyboard().press("Backspace");
        p.keyboard().type(text);
        p.keyboard().press("Escape");
    }

    private static PlaywrightAssertionsShim expect(Locator l) {
        return new PlaywrightAssertionsShim(l);
    }

    /** Playwright's assertions, named so AssertJ's assertThat stays unambiguous. */
    private record PlaywrightAssertionsShim(Locator l) {
        void hasText(String s) {
            PlaywrightAssertions.assertThat(l).containsText(s);
        }

        void visible() {
            PlaywrightAssertions.assertThat(l).isVisible();
        }
    }

    @Test
    void root_leadsToQuery_andPrometheusGraphLinkOpensTheQuery() throws Exception {
        try (Chromium.Tab t = chromium.open()) {
            t.page.navigate(base + "/");
            t.page.waitForURL(Pattern.compile(".*/query.*"));
            assertThat(t.page.title()).isEqualTo("Specula UI test");
            t.page.navigate(base + "/graph?g0.expr=up&g0.tab=1");
            t.page.waitForURL(Pattern.compile(".*/query\\?.*g0.expr=up.*"));
            expect(t.page.locator("[data-testid=result-table] tr").filter(new Locator.FilterOptions().setHasText("job=\"self\""))).hasText("1");
            t.assertClean("query-from-graph-link");
        }
    }

    @Test
    void editor_completesLints_enterRuns_invalidQueryShowsApiError() throws Exception {
        try (Chromium.Tab t = chromium.open()) {
            Page p = t.page;
            p.navigate(base + "/query");
            editor(p, 0).click();
            p.keyboard().type("up{");
            expect(p.locator(".cm-tooltip-autocomplete")).hasText("job");
            expect(p.locator(".cm-tooltip-autocomplete")).hasText("instance");
            type(p, 0, "");
            p.keyboard().type("rat");
            expect(p.locator(".cm-tooltip-autocomplete")).hasText("rate");
            type(p, 0, "sum(");
            expect(p.locator(".cm-lintRange-error").first()).visible();

            type(p, 0, "up");
            p.keyboard().press("Enter");
            Locator self = p.locator("[data-testid=result-table] tr").filter(new Locator.FilterOptions().setHasText("job=\"self\""));
            expect(self).hasText("1");
            expect(p.locator("[data-testid=query-stats]")).hasText("Result series: 2");

            // The editor closes brackets as one types, so the invalid query is a type error.
            String message = tools.jackson.databind.json.JsonMapper.builder().build()
                    .readTree(api("/api/v1/query?query=" + enc("rate(up)"))).get("error").asString();
            assertThat(message).contains("range vector");
            t.expected = s -> s.contains("/api/v1/query") || s.contains("400");
            type(p, 0, "rate(up");
            p.keyboard().press("Enter");
            expect(p.locator("[data-testid=query-error]")).hasText(message);
            t.assertClean("query-error");
        }
    }

    private static double attr(Page p, String name) {
        return Double.parseDouble(p.locator("[data-testid=graph]").getAttribute(name));
    }

    @Test
    void graph_axesZoomLegendRefreshAndReload() throws Exception {
        try (Chromium.Tab t = chromium.open()) {
            Page p = t.page;
            AtomicInteger rangeQueries = new AtomicInteger();
            p.onRequest(r -> {
                if (r.url().contains("/api/v1/query_range")) {
                    rangeQueries.incrementAndGet();
                }
            });
            p.navigate(base + "/query?g0.expr=" + enc("up + 1") + "&g0.tab=graph&g0.range_input=5m");
            Locator graph = p.locator("[data-testid=graph][data-ymin]");
            expect(graph).visible();
            assertThat(p.locator("[data-testid=legend-item]").count()).isEqualTo(2);
            double lineMin = attr(p, "data-ymin");
            double lineMax = attr(p, "data-ymax");
            assertThat(lineMin).isGreaterThan(0);

            p.getByLabel("Y from zero").check();
            p.waitForCondition(() -> attr(p, "data-ymin") == 0);
            p.getByLabel("Y from zero").uncheck();
            p.getByText("Stacked", new Page.GetByTextOptions().setExact(true)).click();
            p.waitForCondition(() -> attr(p, "data-ymax") > lineMax + 0.5);
            p.getByText("Lines", new Page.GetByTextOptions().setExact(true)).click();
            p.getByLabel("Log scale").check();
            p.waitForCondition(() -> attr(p, "data-ydistr") == 3);
            p.getByLabel("Log scale").uncheck();
            t.assertClean("query");

            // Clicking a legend entry isolates it; clicking it again shows all.
            p.locator("[data-testid=legend-item]").nth(0).click();
            p.waitForCondition(() -> "0.35".equals(p.locator("[data-testid=legend-item]").nth(1).evaluate("e => getComputedStyle(e).opacity")));
            p.locator("[data-testid=legend-item]").nth(0).click();
            p.waitForCondition(() -> "1".equals(p.locator("[data-testid=legend-item]").nth(1).evaluate("e => getComputedStyle(e).opacity")));

            // Drag to zoom: the range shrinks from 5m.
            var box = p.locator(".u-over").boundingBox();
            p.mouse().move(box.x + box.width * 0.5, box.y + box.height / 2);
            p.mouse().down();
            p.mouse().move(box.x + box.width * 0.9, box.y + box.height / 2, new com.microsoft.playwright.Mouse.MoveOptions().setSteps(5));
            p.mouse().up();
            p.waitForURL(Pattern.compile(".*g0.end_input=.*"));
            assertThat(p.url()).doesNotContain("g0.range_input=5m");

            // Auto-refresh sends new requests.
            p.getByRole(com.microsoft.playwright.options.AriaRole.COMBOBOX, new Page.GetByRoleOptions().setName("Auto-refresh")).click();
            p.getByRole(com.microsoft.playwright.options.AriaRole.OPTION, new Page.GetByRoleOptions().setName("5s")).click();
            int before = rangeQueries.get();
            p.waitForCondition(() -> rangeQueries.get() > before, new Page.WaitForConditionOptions().setTimeout(12_000));

            // A second panel; reload restores both from the URL.
            p.getByText("Add panel").click();
            editor(p, 1).click();
            p.keyboard().type("job:up:sum");
            p.keyboard().press("Escape");
            p.keyboard().press("Enter");
            p.waitForURL(Pattern.compile(".*g1.expr=job%3Aup%3Asum.*"));
            p.reload();
            expect(editor(p, 0)).hasText("up + 1");
            expect(editor(p, 1)).hasText("job:up:sum");
            expect(p.locator("[data-testid=result-table]").last()).hasText("job=\"down\"");
            t.assertClean("query-two-panels");
        }
    }

    @Test
    void explainTree_seriesCounts_andMetricsExplorerInserts() throws Exception {
        try (Chromium.Tab t = chromium.open()) {
            Page p = t.page;
            p.navigate(base + "/query?g0.expr=" + enc("sum by (job) (up)") + "&g0.tab=explain");
            expect(p.locator("[data-testid=node-series]").nth(0)).hasText("2 series");
            expect(p.locator("[data-testid=node-series]").nth(1)).hasText("2 series");
            expect(p.locator("[data-testid=explain-tree]")).hasText("one output series per job");
            t.assertClean("explain");
            p.locator("[data-testid=tree-node]").nth(1).click();
            expect(p.locator("[data-testid=result-table]")).hasText("job=\"self\"");

            // Prometheus's g0.show_tree=1: the tree above a table result.
            p.navigate(base + "/query?g0.expr=" + enc("sum by (job) (up)") + "&g0.tab=1&g0.show_tree=1");
            expect(p.locator("[data-testid=node-series]").nth(1)).hasText("2 series");
            expect(p.locator("[data-testid=result-table]")).hasText("job=\"down\"");

            type(p, 0, "");
            p.getByText("Metrics", new Page.GetByTextOptions().setExact(true)).click();
            p.getByPlaceholder("Filter metric names").fill("job:up");
            p.locator("[data-testid=explorer-metric]").filter(new Locator.FilterOptions().setHasText("job:up:sum")).click();
            p.getByText("Insert selector").click();
            expect(editor(p, 0)).hasText("job:up:sum");
            t.assertClean("metrics-explorer");
        }
    }

    @Test
    void heatmap_alertTimeline_cardinalityEqualsTsdbStatus() throws Exception {
        try (Chromium.Tab t = chromium.open()) {
            Page p = t.page;
            p.navigate(base + "/query?g0.expr=" + enc("sum by (le) (rate(prometheus_http_request_duration_seconds_bucket[1m]))")
                    + "&g0.tab=graph&g0.display_mode=heatmap&g0.range_input=5m");
            Locator heat = p.locator("[data-testid=heatmap]");
            expect(heat).visible();
            assertThat(Integer.parseInt(heat.getAttribute("data-buckets"))).isGreaterThan(5);
            t.assertClean("heatmap");

            // The README's picture of the query page.
            p.navigate(base + "/query?g0.expr=" + enc("sum by (handler) (rate(prometheus_http_requests_total[1m]))")
                    + "&g0.tab=graph&g0.range_input=5m");
            expect(p.locator("[data-testid=graph][data-series]")).visible();
            t.assertClean("readme-query");

            p.navigate(base + "/alerts");
            Locator row = p.locator("[data-testid=timeline-row]").filter(new Locator.FilterOptions().setHasText("job=\"down\""));
            expect(row).visible();
            expect(row.locator("[data-state=firing]").first()).visible();
            expect(p.getByText("TargetDown").first()).visible();
            expect(p.locator("body")).hasText("firing");
            t.assertClean("alerts");

            p.navigate(base + "/tsdb-status");
            expect(p.locator("[data-testid=head-stats]")).hasText("Number of series");
            Locator firstTable = p.locator("[data-testid=tsdb-table]").first();
            expect(firstTable.locator("tr").first()).visible();
            // The page's numbers are the API's (for metrics whose counts do not move while the test runs).
            List<String> rendered = new ArrayList<>(firstTable.locator("tr").allInnerTexts());
            String json = api("/api/v1/status/tsdb?limit=1000");
            for (String metric : new String[] {"up", "job:up:sum"}) {
                String line = rendered.stream().map(r -> r.replace('\t', ' ').trim()).filter(r -> r.startsWith(metric + " "))
                        .findFirst().orElseThrow(() -> new AssertionError(metric + " not in " + rendered));
                assertThat(json).contains("{\"name\":\"" + metric + "\",\"value\":" + line.substring(metric.length() + 1).trim() + "}");
            }
            assertThat(rendered).hasSizeGreaterThan(10);
            t.assertClean("tsdb-status");
            p.locator("[data-testid=tsdb-table] button").filter(new Locator.FilterOptions().setHasText(Pattern.compile("^up$"))).click();
            expect(p.locator("body")).hasText("values per label");
            t.assertClean("cardinality-up");
        }
    }

    @Test
    void statusPages_showWhatTheApiReturns() throws Exception {
        try (Chromium.Tab t = chromium.open()) {
            Page p = t.page;
            String[][] pages = {
                {"/rules", "job:up:sum"}, {"/targets", "127.0.0.1:1/metrics"}, {"/service-discovery", "__address__"},
                {"/flags", "--web.page-title"}, {"/config", "job_name: \"down\""}, {"/status", "version"},
                {"/alertmanager-discovery", "Active Alertmanagers"},
            };
            for (String[] pg : pages) {
                p.navigate(base + pg[0]);
                expect(p.locator("body")).hasText(pg[1]);
                t.assertClean(pg[0].substring(1));
            }
            p.navigate(base + "/targets");
            PlaywrightAssertions.assertThat(p.locator("[data-testid=target-error]").first())
                    .containsText(Pattern.compile("connection refused", Pattern.CASE_INSENSITIVE));
        }
    }

    @Test
    void theme_survivesReload() throws Exception {
        try (Chromium.Tab t = chromium.open()) {
            Page p = t.page;
            p.navigate(base + "/flags");
            p.getByText("Dark", new Page.GetByTextOptions().setExact(true)).click();
            p.waitForCondition(() -> "dark".equals(p.locator("html").getAttribute("data-mantine-color-scheme")));
            p.reload();
            expect(p.locator("body")).hasText("--web.page-title");
            assertThat(p.locator("html").getAttribute("data-mantine-color-scheme")).isEqualTo("dark");
            t.assertClean("flags-dark");
        }
    }

    /** 1,000 series × 240 points (a synthetic API answer), timed from Enter to the drawn chart. */
    @Test
    void bigGraph_drawTimeIsMeasured() throws Exception {
        long end = System.currentTimeMillis() / 1000;
        StringBuilder json = new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
        for (int s = 0; s < 1000; s++) {
            json.append(s == 0 ? "" : ",").append("{\"metric\":{\"__name__\":\"big\",\"i\":\"").append(s).append("\"},\"values\":[");
            for (int i = 0; i < 240; i++) {
                json.append(i == 0 ? "" : ",").append('[').append(end - 3600 + i * 15).append(",\"").append((s * 7 + i) % 100).append("\"]");
            }
            json.append("]}");
        }
        json.append("]}}");
        try (Chromium.Tab t = chromium.open()) {
            Page p = t.page;
            p.route("**/api/v1/query_range", (Route r) -> r.fulfill(new Route.FulfillOptions().setStatus(200)
                    .setContentType("application/json").setBody(json.toString())));
            // Specula stores no exemplars yet: the API's answer is made up here, to see them drawn and listed.
            p.route("**/api/v1/query_exemplars**", (Route r) -> r.fulfill(new Route.FulfillOptions().setStatus(200)
                    .setContentType("application/json").setBody("{\"status\":\"success\",\"data\":[{\"seriesLabels\":{\"__name__\":\"big\",\"i\":\"3\"},"
                            + "\"exemplars\":[{\"labels\":{\"trace_id\":\"abc123\"},\"value\":\"42\",\"timestamp\":" + (end - 600) + "}]}]}")));
            p.navigate(base + "/query?g0.expr=big&g0.tab=graph&g0.range_input=1h&g0.step_input=15");
            // Generous: the 5 MB answer crosses the Playwright driver, slow on a loaded machine.
            Locator.WaitForOptions slow = new Locator.WaitForOptions().setTimeout(90_000);
            p.locator("[data-testid=graph][data-series=\"1000\"]").waitFor(slow);
            expect(p.locator("[data-testid=exemplars]")).hasText("trace_id=\"abc123\"");
            // Timed again on a re-run, now that the page is loaded.
            p.locator("[data-testid=graph]").evaluate("e => delete e.dataset.series");
            long t0 = System.nanoTime();
            editor(p, 0).click();
            p.keyboard().press("End");
            p.keyboard().type(" ");
            p.keyboard().press("Enter");
            p.locator("[data-testid=graph][data-series=\"1000\"]").waitFor(slow);
            double totalMs = (System.nanoTime() - t0) / 1e6;
            String drawMs = p.locator("[data-testid=graph]").getAttribute("data-draw-ms");
            String line = "1000 series x 240 points: uPlot draw " + drawMs + " ms; Enter to drawn chart " + Math.round(totalMs) + " ms";
            System.out.println("UI PERF: " + line);
            Files.createDirectories(Chromium.SCREENSHOTS);
            Files.writeString(Chromium.SCREENSHOTS.resolve("big-graph.txt"), line + "\n");
            t.assertClean("big-graph", 90_000);
        }
    }
}

package io.specula.web;

import static io.specula.web.Http.q;
import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.config.ConfigException;
import io.specula.model.labels.Labels;
import io.specula.model.value.StaleNaN;
import io.specula.scrape.ScrapeOptions;
import io.specula.scrape.ScrapeService;
import io.specula.scrape.config.GlobalConfig;
import io.specula.scrape.config.ScrapeConfigs;
import io.specula.tsdb.DB;
import io.specula.tsdb.head.Head;
import io.specula.tsdb.storage.Appender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every endpoint of {@link WebServer} over HTTP against a DB with known data. Expected JSON
 * strings are what Prometheus answers for the same data (checked against Prometheus 2.42).
 */
class WebServerTest {
    static final long T = 1_700_000_000_000L;
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path tmp;
    static TestContext ctx;
    static WebServer server;
    static Http http;
    static DB scrapeDb;
    static long now;

    @BeforeAll
    static void start() throws Exception {
        ctx = new TestContext();
        ctx.db = DB.open(tmp.resolve("data"), new DB.Options(Head.DEFAULT_CHUNK_RANGE, 10 * Head.DEFAULT_CHUNK_RANGE, 0, 0));
        ctx.flags.put("storage.tsdb.path", tmp.resolve("data").toString());
        ctx.flags.put("web.enable-admin-api", "false");
        ctx.externalLabels = Labels.of("site", "a");
        Appender a = ctx.db.appender();
        Labels ok = Labels.of("__name__", "http_requests_total", "code", "200", "job", "api");
        Labels err = Labels.of("__name__", "http_requests_total", "code", "500", "job", "api");
        a.append(0, ok, T, 1);
        a.append(0, ok, T + 60_000, 11);
        a.append(0, ok, T + 120_000, 21);
        a.append(0, err, T, 2);
        a.append(0, err, T + 60_000, 4);
        a.append(0, Labels.of("__name__", "temp", "room", "a"), T, 1.5);
        a.append(0, Labels.of("__name__", "temp", "room", "a"), T + 60_000, 0.000001);
        a.append(0, Labels.of("__name__", "temp", "room", "b"), T + 60_000, 1e21);
        a.commit();
        // Recent samples for federation (which looks back from now).
        now = System.currentTimeMillis();
        a = ctx.db.appender();
        a.append(0, Labels.of("__name__", "up", "job", "y"), now - 20_000, 0);
        a.append(0, Labels.of("__name__", "up", "job", "x", "instance", "h:1"), now - 30_000, 1);
        a.append(0, Labels.of("__name__", "z_metric_total", "a", "<&>", "site", "mine"), now - 10_000, 3.25);
        a.append(0, Labels.of("__name__", "gone"), now - 20_000, 7);
        a.append(0, Labels.of("__name__", "gone"), now - 10_000, StaleNaN.VALUE);
        a.commit();
        server = WebServer.start(ctx, new WebOptions("127.0.0.1:0", "http://prom.example:9090", "", false, false,
                Duration.ofMinutes(2), Duration.ofMinutes(5)));
        http = new Http(server.port());
        // Scrape the server's own /metrics into a separate DB, so /api/v1/targets and metadata have content.
        scrapeDb = DB.open(tmp.resolve("scrape"), DB.Options.defaults());
        ctx.scrape = new ScrapeService(scrapeDb, ScrapeOptions.DEFAULT, tmp);
        ctx.scrape.applyConfig(ScrapeConfigs.parse("""
                scrape_configs:
                  - job_name: self
                    scrape_interval: 1s
                    scrape_timeout: 1s
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                  - job_name: other
                    static_configs:
                      - targets: ['127.0.0.1:1']
                    relabel_configs:
                      - action: drop
                        source_labels: [__address__]
                        regex: '127.0.0.1:1'
                """.formatted(server.port()), "test.yml", GlobalConfig.defaults()));
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            String body = http.get("/api/v1/targets").body();
            // The request histogram appears from the second scrape on (the first /metrics had no requests yet).
            if (body.contains("\"health\":\"up\"") && body.contains("\"droppedTargets\":[{")
                    && http.get("/api/v1/metadata").body().contains("prometheus_http_request_duration_seconds")) {
                break;
            }
            Thread.sleep(100);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (ctx.scrape != null) {
            ctx.scrape.close();
        }
        server.stop();
        ctx.db.close();
        scrapeDb.close();
    }

    static JsonNode json(Http.Resp r) {
        return JSON.readTree(r.body());
    }

    @Test
    void healthy_answersPrometheusText() throws Exception {
        Http.Resp r = http.get("/-/healthy");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("Prometheus Server is Healthy.\n");
    }

    @Test
    void ready_readyOnceDbIsOpen() throws Exception {
        Http.Resp r = http.get("/-/ready");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("Prometheus Server is Ready.\n");
    }

    @Test
    void lifecycle_disabled_forbiddenAndGetNotAllowed() throws Exception {
        assertThat(http.post("/-/reload", "")).isEqualTo(new Http.Resp(403, "text/plain; charset=utf-8",
                "Lifecycle API is not enabled."));
        assertThat(http.send("PUT", "/-/quit", "").status()).isEqualTo(403);
        Http.Resp r = http.get("/-/reload");
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.body()).isEqualTo("Only POST or PUT requests allowed");
        assertThat(ctx.reloads.get()).isZero();
        assertThat(ctx.quits.get()).isZero();
    }

    @Test
    void query_instantVector_prometheusJson() throws Exception {
        Http.Resp r = http.get("/api/v1/query?" + q("query", "temp", "time", "1700000060"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("application/json");
        assertThat(r.body()).isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                + "{\"metric\":{\"__name__\":\"temp\",\"room\":\"a\"},\"value\":[1700000060,\"0.000001\"]},"
                + "{\"metric\":{\"__name__\":\"temp\",\"room\":\"b\"},\"value\":[1700000060,\"1e+21\"]}]}}");
    }

    @Test
    void query_scalarStringAndRangeVector_prometheusShapes() throws Exception {
        assertThat(http.get("/api/v1/query?" + q("query", "1.5", "time", "1700000060.123")).body())
                .isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000060.123,\"1.5\"]}}");
        assertThat(http.get("/api/v1/query?" + q("query", "\"x\"", "time", "1700000060")).body())
                .isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"string\",\"result\":[1700000060,\"x\"]}}");
        assertThat(http.get("/api/v1/query?" + q("query", "temp[2m]", "time", "1700000060")).body())
                .isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                        + "{\"metric\":{\"__name__\":\"temp\",\"room\":\"a\"},\"values\":[[1700000000,\"1.5\"],[1700000060,\"0.000001\"]]},"
                        + "{\"metric\":{\"__name__\":\"temp\",\"room\":\"b\"},\"values\":[[1700000060,\"1e+21\"]]}]}}");
        assertThat(http.get("/api/v1/query?" + q("query", "vector(NaN) + 0 * scalar(vector(-Inf))", "time", "1")).body())
                .contains("\"value\":[1,\"NaN\"]");
        assertThat(http.get("/api/v1/query?" + q("query", "-1/0", "time", "1")).body())
                .contains("[1,\"-Inf\"]");
    }

    @Test
    void queryRange_getAndPost_sameMatrix() throws Exception {
        String params = q("query", "temp", "start", "1700000000", "end", "2023-11-14T22:15:20Z", "step", "1m");
        String expected = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                + "{\"metric\":{\"__name__\":\"temp\",\"room\":\"a\"},\"values\":[[1700000000,\"1.5\"],[1700000060,\"0.000001\"],[1700000120,\"0.000001\"]]},"
                + "{\"metric\":{\"__name__\":\"temp\",\"room\":\"b\"},\"values\":[[1700000060,\"1e+21\"],[1700000120,\"1e+21\"]]}]}}";
        assertThat(http.get("/api/v1/query_range?" + params).body()).isEqualTo(expected);
        assertThat(http.post("/api/v1/query_range", params).body()).isEqualTo(expected);
        assertThat(http.post("/api/v1/query_range", params.replace("step=1m", "step=60.0")).body()).isEqualTo(expected);
    }

    @Test
    void query_limit_truncatesWithWarning() throws Exception {
        JsonNode n = json(http.get("/api/v1/query?" + q("query", "temp", "time", "1700000060", "limit", "1")));
        assertThat(n.get("data").get("result")).hasSize(1);
        assertThat(n.get("warnings").get(0).asString()).isEqualTo("results truncated due to limit");
    }

    @Test
    void query_statsAll_prometheusShape() throws Exception {
        JsonNode n = json(http.get("/api/v1/query?" + q("query", "temp", "time", "1700000060", "stats", "all")));
        JsonNode stats = n.get("data").get("stats");
        assertThat(stats.get("timings").propertyNames()).containsExactly("evalTotalTime", "resultSortTime",
                "queryPreparationTime", "innerEvalTime", "execQueueTime", "execTotalTime");
        assertThat(stats.get("samples").get("totalQueryableSamples").asLong()).isGreaterThan(0);
        assertThat(stats.get("samples").get("peakSamples").asLong()).isGreaterThan(0);
    }

    @Test
    void query_annotations_becomeWarningsAndInfos() throws Exception {
        JsonNode n = json(http.get("/api/v1/query?" + q("query", "rate(temp[5m])", "time", "1700000120")));
        assertThat(n.get("status").asString()).isEqualTo("success");
        assertThat(n.get("infos").get(0).asString()).contains("does not end in _total");
    }

    @Test
    void query_timeout_answersTimeoutError() throws Exception {
        Http.Resp r = http.get("/api/v1/query?" + q("query", "count_over_time(topk(1, http_requests_total)[30d:1s])", "time",
                "1700000060", "timeout", "0.001"));
        assertThat(r.status()).isEqualTo(503);
        assertThat(json(r).get("errorType").asString()).isEqualTo("timeout");
        assertThat(json(r).get("error").asString()).startsWith("query timed out in ");
    }

    @Test
    void query_executionError_422() throws Exception {
        Http.Resp r = http.get("/api/v1/query?" + q("query", "http_requests_total + on() http_requests_total", "time",
                "1700000060"));
        assertThat(r.status()).isEqualTo(422);
        assertThat(json(r).get("errorType").asString()).isEqualTo("execution");
    }

    @Test
    void formatQuery_prettyPrints() throws Exception {
        assertThat(http.get("/api/v1/format_query?" + q("query", "sum(temp)by(x)")).body())
                .isEqualTo("{\"status\":\"success\",\"data\":\"sum by (x) (temp)\"}");
    }

    @Test
    void parseQuery_astLikePrometheus3() throws Exception {
        JsonNode n = json(http.get("/api/v1/parse_query?" + q("query", "sum by (job) (rate(x{a=\"b\"}[5m] offset 1m))")));
        JsonNode d = n.get("data");
        assertThat(d.get("type").asString()).isEqualTo("aggregation");
        assertThat(d.get("op").asString()).isEqualTo("sum");
        assertThat(d.get("grouping").get(0).asString()).isEqualTo("job");
        assertThat(d.get("param").isNull()).isTrue();
        JsonNode call = d.get("expr");
        assertThat(call.get("type").asString()).isEqualTo("call");
        assertThat(call.get("func").get("name").asString()).isEqualTo("rate");
        assertThat(call.get("func").get("argTypes").get(0).asString()).isEqualTo("matrix");
        assertThat(call.get("func").get("returnType").asString()).isEqualTo("vector");
        JsonNode ms = call.get("args").get(0);
        assertThat(ms.get("type").asString()).isEqualTo("matrixSelector");
        assertThat(ms.get("range").asLong()).isEqualTo(300_000);
        assertThat(ms.get("offset").asLong()).isEqualTo(60_000);
        assertThat(ms.get("name").asString()).isEqualTo("x");
        assertThat(ms.get("matchers").toString()).contains("{\"name\":\"a\",\"type\":\"=\",\"value\":\"b\"}");
        assertThat(json(http.get("/api/v1/parse_query?" + q("query", "1 + 2e-7"))).get("data").get("rhs").get("val").asString())
                .isEqualTo("0.0000002");
    }

    @Test
    void series_matchStartEnd_sortedLabelSets() throws Exception {
        Http.Resp r = http.get("/api/v1/series?" + q("match[]", "http_requests_total", "match[]", "temp{room=\"b\"}",
                "start", "1700000000", "end", "1700000120"));
        assertThat(r.body()).isEqualTo("{\"status\":\"success\",\"data\":["
                + "{\"__name__\":\"http_requests_total\",\"code\":\"200\",\"job\":\"api\"},"
                + "{\"__name__\":\"http_requests_total\",\"code\":\"500\",\"job\":\"api\"},"
                + "{\"__name__\":\"temp\",\"room\":\"b\"}]}");
        JsonNode limited = json(http.get("/api/v1/series?" + q("match[]", "http_requests_total", "limit", "1")));
        assertThat(limited.get("data")).hasSize(1);
        assertThat(limited.get("warnings").get(0).asString()).isEqualTo("results truncated due to limit");
    }

    @Test
    void labels_andLabelValues_withMatchAndRange() throws Exception {
        assertThat(http.get("/api/v1/labels?" + q("match[]", "{__name__=~\"http.*|temp\"}", "start", "1700000000",
                "end", "1700000120")).body())
                .isEqualTo("{\"status\":\"success\",\"data\":[\"__name__\",\"code\",\"job\",\"room\"]}");
        assertThat(http.get("/api/v1/labels?" + q("match[]", "temp")).body())
                .isEqualTo("{\"status\":\"success\",\"data\":[\"__name__\",\"room\"]}");
        assertThat(http.get("/api/v1/label/job/values").body())
                .isEqualTo("{\"status\":\"success\",\"data\":[\"api\",\"x\",\"y\"]}");
        // The head answers names and values for its whole range, as Prometheus's head does.
        assertThat(http.get("/api/v1/label/__name__/values?" + q("start", "1700000000", "end", "1700000120")).body())
                .isEqualTo("{\"status\":\"success\",\"data\":[\"gone\",\"http_requests_total\",\"temp\",\"up\",\"z_metric_total\"]}");
        assertThat(http.get("/api/v1/label/__name__/values?" + q("match[]", "{room=~\".+\"}")).body())
                .isEqualTo("{\"status\":\"success\",\"data\":[\"temp\"]}");
        assertThat(http.get("/api/v1/label/room/values?" + q("match[]", "temp{room!=\"a\"}")).body())
                .isEqualTo("{\"status\":\"success\",\"data\":[\"b\"]}");
        assertThat(http.get("/api/v1/label/code/values?" + q("limit", "1")).body())
                .isEqualTo("{\"status\":\"success\",\"data\":[\"200\"],\"warnings\":[\"results truncated due to limit\"]}");
        // A name in Prometheus's U__ escaping: U__a_2e_b is "a.b".
        assertThat(http.get("/api/v1/label/U__a_2e_b/values").body()).isEqualTo("{\"status\":\"success\",\"data\":[]}");
    }

    @Test
    void targets_activeAndDropped_prometheusFields() throws Exception {
        JsonNode d = json(http.get("/api/v1/targets")).get("data");
        JsonNode t = d.get("activeTargets").get(0);
        assertThat(t.propertyNames()).containsExactly("discoveredLabels", "labels", "scrapePool", "scrapeUrl", "globalUrl",
                "lastError", "lastScrape", "lastScrapeDuration", "health", "scrapeInterval", "scrapeTimeout");
        assertThat(t.get("scrapePool").asString()).isEqualTo("self");
        assertThat(t.get("scrapeUrl").asString()).isEqualTo("http://127.0.0.1:" + server.port() + "/metrics");
        assertThat(t.get("globalUrl").asString()).isEqualTo("http://prom.example:" + server.port() + "/metrics");
        assertThat(t.get("labels").toString()).isEqualTo("{\"instance\":\"127.0.0.1:" + server.port() + "\",\"job\":\"self\"}");
        assertThat(t.get("discoveredLabels").get("__address__").asString()).isEqualTo("127.0.0.1:" + server.port());
        assertThat(t.get("health").asString()).isEqualTo("up");
        assertThat(t.get("scrapeInterval").asString()).isEqualTo("1s");
        assertThat(t.get("lastScrape").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        JsonNode dropped = d.get("droppedTargets").get(0);
        assertThat(dropped.get("scrapePool").asString()).isEqualTo("other");
        assertThat(d.get("droppedTargetCounts").get("other").asInt()).isEqualTo(1);

        JsonNode onlyDropped = json(http.get("/api/v1/targets?state=dropped")).get("data");
        assertThat(onlyDropped.get("activeTargets")).isEmpty();
        JsonNode otherPool = json(http.get("/api/v1/targets?scrapePool=other")).get("data");
        assertThat(otherPool.get("activeTargets")).isEmpty();
        assertThat(otherPool.get("droppedTargets")).hasSize(1);
        assertThat(http.get("/api/v1/scrape_pools").body())
                .isEqualTo("{\"status\":\"success\",\"data\":{\"scrapePools\":[\"other\",\"self\"]}}");
    }

    @Test
    void metadata_fromScrapedTargets() throws Exception {
        JsonNode d = json(http.get("/api/v1/metadata")).get("data");
        // Scraped as OpenMetrics, so the counter family is named without _total (as Prometheus records it).
        assertThat(d.get("prometheus_http_requests").get(0).toString())
                .isEqualTo("{\"type\":\"counter\",\"help\":\"Counter of HTTP requests.\",\"unit\":\"\"}");
        JsonNode one = json(http.get("/api/v1/metadata?" + q("metric", "prometheus_http_request_duration_seconds"))).get("data");
        assertThat(one.propertyNames()).containsExactly("prometheus_http_request_duration_seconds");
        assertThat(json(http.get("/api/v1/metadata?limit=1")).get("data").size()).isEqualTo(1);
        assertThat(json(http.get("/api/v1/metadata?limit=abc")).get("error").asString()).isEqualTo("limit must be a number");

        JsonNode tm = json(http.get("/api/v1/targets/metadata?" + q("match_target", "{job=\"self\"}", "metric",
                "prometheus_http_requests"))).get("data");
        assertThat(tm.get(0).toString()).isEqualTo("{\"target\":{\"instance\":\"127.0.0.1:" + server.port()
                + "\",\"job\":\"self\"},\"type\":\"counter\",\"help\":\"Counter of HTTP requests.\",\"unit\":\"\"}");
        JsonNode all = json(http.get("/api/v1/targets/metadata?limit=2")).get("data");
        assertThat(all.get(0).has("metric")).isTrue();
    }

    @Test
    void status_configFlagsBuildRuntime() throws Exception {
        assertThat(http.get("/api/v1/status/config").body())
                .isEqualTo("{\"status\":\"success\",\"data\":{\"yaml\":\"global:\\n  scrape_interval: 15s\\n\"}}");
        assertThat(json(http.get("/api/v1/status/flags")).get("data").get("web.enable-admin-api").asString()).isEqualTo("false");
        JsonNode b = json(http.get("/api/v1/status/buildinfo")).get("data");
        assertThat(b.propertyNames()).containsExactly("version", "revision", "branch", "buildUser", "buildDate", "goVersion");
        assertThat(b.get("version").asString()).startsWith("3.0.0+specula.");
        JsonNode rt = json(http.get("/api/v1/status/runtimeinfo")).get("data");
        assertThat(rt.propertyNames()).contains("startTime", "CWD", "reloadConfigSuccess", "lastConfigTime",
                "corruptionCount", "goroutineCount", "GOMAXPROCS", "GOMEMLIMIT", "GOGC", "GODEBUG", "storageRetention");
        assertThat(rt.get("lastConfigTime").asString()).isEqualTo("2023-11-14T22:13:20Z");
        assertThat(json(http.get("/api/v1/status/walreplay")).get("data").toString())
                .matches("\\{\"min\":\\d+,\"max\":\\d+,\"current\":\\d+}");
    }

    @Test
    void statusTsdb_headCardinality() throws Exception {
        JsonNode d = json(http.get("/api/v1/status/tsdb?limit=2")).get("data");
        assertThat(d.propertyNames()).containsExactly("headStats", "seriesCountByMetricName", "labelValueCountByLabelName",
                "memoryInBytesByLabelName", "seriesCountByLabelValuePair");
        assertThat(d.get("headStats").get("numSeries").asLong()).isEqualTo(8);
        assertThat(d.get("headStats").get("minTime").asLong()).isEqualTo(T);
        assertThat(d.get("seriesCountByMetricName")).hasSize(2);
        assertThat(d.get("seriesCountByMetricName").get(0).toString()).isEqualTo("{\"name\":\"http_requests_total\",\"value\":2}");
        assertThat(http.get("/api/v1/status/tsdb?limit=0").body())
                .isEqualTo("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"limit must be a positive number\"}");
    }

    @Test
    void admin_disabled_prometheusError() throws Exception {
        for (String p : new String[] {"snapshot", "delete_series", "clean_tombstones"}) {
            Http.Resp r = http.post("/api/v1/admin/tsdb/" + p, "");
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.body()).isEqualTo("{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"admin APIs disabled\"}");
            assertThat(http.get("/api/v1/admin/tsdb/" + p).status()).isEqualTo(405);
        }
    }

    @Test
    void metrics_selfMetricsInTextAndOpenMetrics() throws Exception {
        http.get("/api/v1/query?" + q("query", "1"));
        Http.Resp r = http.get("/metrics");
        assertThat(r.contentType()).startsWith("text/plain; version=0.0.4");
        assertThat(r.body()).contains("prometheus_http_requests_total{code=\"200\",handler=\"/api/v1/query\"}")
                .contains("prometheus_http_request_duration_seconds_bucket{handler=\"/api/v1/query\",le=\"0.1\"}")
                .contains("prometheus_engine_query_duration_seconds{slice=\"inner_eval\",quantile=\"0.5\"}")
                .contains("prometheus_engine_query_duration_seconds_count{slice=\"result_sort\"} 0");
        Http.Resp om = http.get("/metrics", "Accept", "application/openmetrics-text; version=1.0.0");
        assertThat(om.contentType()).startsWith("application/openmetrics-text");
        assertThat(om.body()).endsWith("# EOF\n");
    }

    @Test
    void federate_latestSamplesWithExternalLabels() throws Exception {
        Http.Resp r = http.get("/federate?" + q("match[]", "{__name__=~\"up|z_.*|gone\"}"));
        assertThat(r.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        assertThat(r.body()).isEqualTo("# TYPE up untyped\n"
                + "up{instance=\"h:1\",job=\"x\",site=\"a\"} 1 " + (now - 30_000) + "\n"
                + "up{job=\"y\",instance=\"\",site=\"a\"} 0 " + (now - 20_000) + "\n"
                + "# TYPE z_metric_total untyped\n"
                + "z_metric_total{a=\"<&>\",site=\"mine\",instance=\"\"} 3.25 " + (now - 10_000) + "\n");
        assertThat(http.get("/federate").body()).isEmpty();
        Http.Resp bad = http.get("/federate?" + q("match[]", "sum(x)"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).isEqualTo("1:4: parse error: unexpected \"(\"\n");
    }

    @Test
    void queryRange_largeAnswerStreamedWhole() throws Exception {
        Http.Resp r = http.get("/api/v1/query_range?" + q("query", "vector(1) * 1.5", "start", "0", "end", "11000", "step", "1"));
        assertThat(r.body().length()).isGreaterThan(100_000); // more than one 64K flush
        JsonNode values = json(r).get("data").get("result").get(0).get("values");
        assertThat(values).hasSize(11_001);
        assertThat(values.get(11_000).toString()).isEqualTo("[11000,\"1.5\"]");
    }

    @Test
    void longGetQuery_acceptedLikeGo() throws Exception {
        String big = "temp{room=~\"a|" + "x".repeat(20_000) + "\"}";
        Http.Resp r = http.get("/api/v1/query?" + q("query", big, "time", "1700000060"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(http.send("HEAD", "/api/v1/query?" + q("query", "1"), null).status()).isEqualTo(200);
    }

    @Test
    void start_portInUseOrBadAddress_clearError() {
        WebOptions taken = new WebOptions("127.0.0.1:" + server.port(), "", "", false, false, Duration.ofMinutes(2),
                Duration.ofMinutes(5));
        TestContext c = new TestContext();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WebServer.start(c, taken))
                .isInstanceOf(java.io.IOException.class).hasMessageStartingWith("cannot listen on 127.0.0.1:" + server.port());
        // The failed start left the registry clean: a retry on another port works.
        try {
            WebServer.start(c, new WebOptions("127.0.0.1:0", "", "", false, false, Duration.ofMinutes(2),
                    Duration.ofMinutes(5))).stop();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        WebOptions bad = new WebOptions("localhost", "", "", false, false, Duration.ofMinutes(2), Duration.ofMinutes(5));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WebServer.start(new TestContext(), bad))
                .isInstanceOf(java.io.IOException.class).hasMessage("--web.listen-address localhost: missing port");
    }

    @Test
    void unknownPaths_404AndWrongMethod405() throws Exception {
        assertThat(http.get("/api/v1/nope")).isEqualTo(new Http.Resp(404, "text/plain; charset=utf-8", "404 page not found\n"));
        assertThat(http.send("DELETE", "/api/v1/query", null).status()).isEqualTo(405);
        assertThat(http.post("/api/v1/label/job/values", "").status()).isEqualTo(405);
    }

    @Test
    void routePrefixAndLifecycle_enabled_reloadAndQuit() throws Exception {
        TestContext c2 = new TestContext();
        WebServer s2 = WebServer.start(c2, new WebOptions("127.0.0.1:0", "", "/prom/", true, true,
                Duration.ofMinutes(2), Duration.ofMinutes(5)));
        try {
            Http h = new Http(s2.port());
            // No DB yet: not ready, the API answers 503 as Prometheus does during WAL replay.
            assertThat(h.get("/prom/-/ready")).isEqualTo(new Http.Resp(503, "text/plain; charset=utf-8", "Service Unavailable"));
            assertThat(h.get("/prom/api/v1/query?query=1").status()).isEqualTo(503);
            assertThat(h.get("/prom/-/healthy").status()).isEqualTo(200);
            assertThat(h.get("/prom/api/v1/status/walreplay").body())
                    .isEqualTo("{\"status\":\"success\",\"data\":{\"min\":0,\"max\":0,\"current\":0}}");
            assertThat(h.get("/-/healthy").status()).isEqualTo(404);
            assertThat(h.post("/prom/-/reload", "").status()).isEqualTo(200);
            assertThat(c2.reloads.get()).isEqualTo(1);
            c2.reloadError = new ConfigException("prometheus.yml:3: field x not found");
            Http.Resp failed = h.post("/prom/-/reload", "");
            assertThat(failed.status()).isEqualTo(500);
            assertThat(failed.body()).isEqualTo("failed to reload config: prometheus.yml:3: field x not found\n");
            assertThat(h.send("PUT", "/prom/-/quit", "").body()).isEqualTo("Requesting termination... Goodbye!");
            assertThat(c2.quits.get()).isEqualTo(1);

            c2.db = ctx.db;
            assertThat(h.get("/prom/-/ready").status()).isEqualTo(200);
            assertThat(h.post("/prom/api/v1/admin/tsdb/delete_series", q("match[]", "nothing_here")).status()).isEqualTo(204);
            assertThat(h.post("/prom/api/v1/admin/tsdb/clean_tombstones", "").status()).isEqualTo(204);
            c2.flags.put("storage.tsdb.path", tmp.resolve("snapshots-root").toString());
            JsonNode snap = json(h.post("/prom/api/v1/admin/tsdb/snapshot", q("skip_head", "true")));
            String name = snap.get("data").get("name").asString();
            assertThat(name).matches("\\d{8}T\\d{6}Z-[0-9a-f]{16}");
            assertThat(Files.isDirectory(tmp.resolve("snapshots-root").resolve("snapshots").resolve(name))).isTrue();
        } finally {
            s2.stop();
        }
    }
}

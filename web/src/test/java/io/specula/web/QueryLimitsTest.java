package io.specula.web;

import static io.specula.web.Http.q;
import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import io.specula.promql.engine.Engine;
import io.specula.promql.engine.EngineOptions;
import io.specula.tsdb.DB;
import io.specula.tsdb.head.Head;
import io.specula.tsdb.storage.Appender;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Query limits over HTTP: {@code --query.max-samples}, {@code --query.timeout} and client
 * disconnects stop every query shape, which is answered with Prometheus's status, errorType and
 * text — never a 5xx other than the 503 of a timeout.
 */
class QueryLimitsTest {
    static final long T0 = 1_700_000_000_000L;
    static final int SERIES = 2_000;
    static final long TIMEOUT_MS = 3_000;
    static Path tmp;
    static TestContext ctx;
    static WebServer server;
    static Http http;
    static TestContext slowCtx;
    static WebServer slowServer;
    static final JsonMapper JSON = JsonMapper.builder().build();

    @BeforeAll
    static void start(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        tmp = dir;
        ctx = new TestContext();
        ctx.engine = new Engine(EngineOptions.defaults().withMaxSamples(100_000).withTimeout(TIMEOUT_MS));
        ctx.db = DB.open(tmp, new DB.Options(Head.DEFAULT_CHUNK_RANGE, 10 * Head.DEFAULT_CHUNK_RANGE, 0, 0));
        // 2,000 series over an hour at 15 s: 480,000 samples, distinct values per series.
        Appender a = ctx.db.appender();
        for (int i = 0; i < SERIES; i++) {
            Labels l = Labels.of("__name__", "m", "job", "j" + (i % 10), "instance", "i" + i);
            for (long t = 0; t <= 3_600_000; t += 15_000) {
                a.append(0, l, T0 + t, i * 1000.0 + t / 15_000.0);
            }
            if (i % 200 == 199) {
                a.commit();
                a = ctx.db.appender();
            }
        }
        a.commit();
        server = WebServer.start(ctx, new WebOptions("127.0.0.1:0", "", "", false, false,
                Duration.ofMillis(TIMEOUT_MS), Duration.ofMinutes(5)));
        http = new Http(server.port());
        // Prometheus's default limits (50M samples, 2m timeout) over the same data, for a query that
        // runs long without breaking a limit.
        slowCtx = new TestContext();
        slowCtx.db = ctx.db;
        slowServer = WebServer.start(slowCtx, new WebOptions("127.0.0.1:0", "", "", false, false,
                Duration.ofMinutes(2), Duration.ofMinutes(5)));
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        slowServer.stop();
        ctx.db.close();
    }

    /** Cheap in memory, long in CPU: a window of 600,000 points summed at each of 600,000 steps. */
    static final String SLOW_QUERY = "sum_over_time(sum_over_time(vector(1)[10m:1ms])[10m:1ms])";

    static String manyLabels(int n) {
        StringJoiner j = new StringJoiner(",");
        for (int i = 0; i < n; i++) {
            j.add("l" + i);
        }
        return j.toString();
    }

    static String nested(int depth) {
        return "(".repeat(depth) + "m" + ")".repeat(depth);
    }

    /** Each row: endpoint, query, expected status, errorType ("" for success), start of the error text. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = ';', quoteCharacter = '`', value = {
        "query; {__name__=~\".+\"}[1h]; 422; execution; query processing would load too many samples into memory in query execution",
        "query; sum_over_time(m[1h:1s]); 422; execution; query processing would load too many samples into memory in ",
        "query; count_values(\"v\", m); 200; ;",
        "query; count_over_time(m[100y]); 200; ;",
        "query; m{instance=~\"(i1|i2|i3|.*.*.*.*.*.*.*.*.*.*.*x)\"}; 200; ;",
        "query; sum_over_time(sum_over_time(m[30d:1ms])[1m:1ms]); 422; execution; query processing would load too many samples into memory in ",
        "query_range; m; 400; bad_data; exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)",
        "query; sum(; 400; bad_data; invalid parameter \"query\": 1:5: parse error: unclosed left parenthesis",
    })
    void pathologicalQuery_answeredAsPrometheus(String endpoint, String query, int status, String errorType, String error)
            throws Exception {
        String params = endpoint.equals("query_range")
                ? q("query", query, "start", String.valueOf(T0 / 1000), "end", String.valueOf(T0 / 1000 + 3600), "step", "0.001")
                : q("query", query, "time", String.valueOf(T0 / 1000 + 3600));
        long t = System.nanoTime();
        Http.Resp r = http.post("/api/v1/" + endpoint, params);
        long ms = (System.nanoTime() - t) / 1_000_000;
        JsonNode n = JSON.readTree(r.body());
        assertThat(r.status()).as(r.body().substring(0, Math.min(300, r.body().length()))).isEqualTo(status);
        if (errorType != null) {
            assertThat(n.get("errorType").asString()).isEqualTo(errorType);
            assertThat(n.get("error").asString()).startsWith(error);
        }
        assertThat(ms).as("answered within the timeout").isLessThan(TIMEOUT_MS + 2_000);
    }

    @Test
    void labelExplosionAndDeepNesting_neverA5xx() throws Exception {
        String by5000 = "sum by (" + manyLabels(5000) + ") (m)";
        Http.Resp r = http.post("/api/v1/query", q("query", by5000, "time", String.valueOf(T0 / 1000 + 3600)));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        // None of the 5,000 labels exists: one group.
        assertThat(JSON.readTree(r.body()).get("data").get("result").size()).isEqualTo(1);
        for (int depth : new int[] {1_000, 100_000}) {
            r = http.post("/api/v1/query", q("query", nested(depth), "time", String.valueOf(T0 / 1000 + 3600)));
            assertThat(r.status()).as("depth %d: %s", depth, r.body()).isIn(200, 400, 422);
        }
    }

    @Test
    void slowQuery_timesOutWith503() throws Exception {
        // Stopped by the request's timeout (capped by --query.timeout), not by max-samples.
        long t = System.nanoTime();
        Http.Resp r = new Http(slowServer.port()).post("/api/v1/query", q("query", SLOW_QUERY,
                "time", String.valueOf(T0 / 1000), "timeout", "1s"));
        long ms = (System.nanoTime() - t) / 1_000_000;
        JsonNode n = JSON.readTree(r.body());
        assertThat(r.status()).as(r.body()).isEqualTo(503);
        assertThat(n.get("errorType").asString()).isEqualTo("timeout");
        assertThat(n.get("error").asString()).startsWith("query timed out in ");
        assertThat(ms).isLessThan(3_000);
    }

    /** A client that closes its socket while its query runs: the query stops (engine's active count drops to 0). */
    @Test
    void clientDisconnect_cancelsTheQuery() throws Exception {
        // Runs for many seconds under Prometheus's default limits unless something stops it.
        String query = SLOW_QUERY;
        try (Socket s = new Socket("127.0.0.1", slowServer.port())) {
            String body = q("query", query, "time", String.valueOf(T0 / 1000));
            s.getOutputStream().write(("POST /api/v1/query HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            waitUntil(() -> slowCtx.engine.activeQueries() == 1, 2_000);
            Thread.sleep(300);
            assertThat(slowCtx.engine.activeQueries()).as("still running").isEqualTo(1);
        }
        long closed = System.nanoTime();
        waitUntil(() -> slowCtx.engine.activeQueries() == 0, 5_000);
        assertThat((System.nanoTime() - closed) / 1_000_000).as("canceled soon after the hang-up").isLessThan(2_000);
        assertThat(new Http(slowServer.port()).get("/metrics").body()).contains("prometheus_engine_queries 0.0");
    }

    /** The watch withdraws after the answer: keep-alive requests on one connection still work. */
    @Test
    void keepAlive_requestsAfterAWatchedQuery() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            for (int i = 0; i < 3; i++) {
                String body = q("query", "count(m)", "time", String.valueOf(T0 / 1000));
                s.getOutputStream().write(("POST /api/v1/query HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                        + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.ISO_8859_1));
                String resp = readResponse(in);
                assertThat(resp).startsWith("HTTP/1.1 200").contains("\"2000\"");
            }
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier c, long ms) throws InterruptedException {
        long deadline = System.nanoTime() + ms * 1_000_000;
        while (!c.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within %d ms", ms).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static String readResponse(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            head.append((char) c);
        }
        String h = head.toString();
        int len = 0;
        boolean chunked = false;
        for (String line : h.split("\r\n")) {
            String lower = line.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                len = Integer.parseInt(line.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        StringBuilder body = new StringBuilder();
        if (chunked) {
            while (true) {
                String size = readLine(in);
                int n = Integer.parseInt(size.trim(), 16);
                if (n == 0) {
                    readLine(in);
                    break;
                }
                body.append(new String(in.readNBytes(n), StandardCharsets.UTF_8));
                readLine(in);
            }
        } else {
            body.append(new String(in.readNBytes(len), StandardCharsets.UTF_8));
        }
        return h + body;
    }

    private static String readLine(InputStream in) throws Exception {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    // --- random PromQL for a bounded time: every answer is a 2xx/4xx/503 JSON, never a 500 ---

    static final String[] FUNCS_RANGE = {"rate", "irate", "increase", "delta", "idelta", "deriv", "changes", "resets",
        "avg_over_time", "min_over_time", "max_over_time", "sum_over_time", "count_over_time", "stddev_over_time",
        "stdvar_over_time", "last_over_time", "present_over_time", "absent_over_time"};
    static final String[] FUNCS_VEC = {"abs", "ceil", "floor", "exp", "ln", "log2", "log10", "sqrt", "sgn", "timestamp",
        "absent", "sort", "sort_desc", "day_of_week", "hour", "minute", "month", "year", "scalar", "-"};
    static final String[] AGGS = {"sum", "avg", "min", "max", "count", "stddev", "stdvar", "group"};
    static final String[] OPS = {"+", "-", "*", "/", "%", "^", "==", "!=", ">", "<", ">=", "<=", "and", "or", "unless", "atan2"};
    static final String[] DURS = {"0s", "1ms", "1s", "15s", "1m", "5m", "1h", "1d", "30d", "100y", "1y1ms"};
    static final String[] NUMS = {"0", "1", "-1", "NaN", "Inf", "-Inf", "1e308", "0.5", "3", "-0", "1e-300", "11000", "2147483648"};

    static String expr(SplittableRandom r, int depth) {
        if (depth <= 0) {
            return switch (r.nextInt(4)) {
                case 0 -> NUMS[r.nextInt(NUMS.length)];
                case 1 -> "m{job=\"j" + r.nextInt(12) + "\"}";
                case 2 -> "m{instance=~\"i" + r.nextInt(30) + ".*\"}";
                default -> "m";
            };
        }
        return switch (r.nextInt(12)) {
            case 0 -> FUNCS_RANGE[r.nextInt(FUNCS_RANGE.length)] + "(m[" + DURS[r.nextInt(DURS.length) ] + "])";
            case 1 -> FUNCS_RANGE[r.nextInt(FUNCS_RANGE.length)] + "((" + expr(r, depth - 1) + ")[" + DURS[r.nextInt(DURS.length)]
                    + ":" + (r.nextBoolean() ? "" : DURS[r.nextInt(DURS.length)]) + "])";
            case 2 -> FUNCS_VEC[r.nextInt(FUNCS_VEC.length)] + "(" + expr(r, depth - 1) + ")";
            case 3 -> AGGS[r.nextInt(AGGS.length)] + (r.nextBoolean() ? " by (job)" : " without (instance)") + " ("
                    + expr(r, depth - 1) + ")";
            case 4 -> "(" + expr(r, depth - 1) + ") " + OPS[r.nextInt(OPS.length)] + (r.nextInt(3) == 0 ? " on(job) group_left " : " ")
                    + "(" + expr(r, depth - 1) + ")";
            case 5 -> (r.nextBoolean() ? "topk" : "bottomk") + "(" + NUMS[r.nextInt(NUMS.length)] + ", " + expr(r, depth - 1) + ")";
            case 6 -> "quantile(" + NUMS[r.nextInt(NUMS.length)] + ", " + expr(r, depth - 1) + ")";
            case 7 -> "count_values(\"v\", " + expr(r, depth - 1) + ")";
            case 8 -> "label_replace(" + expr(r, depth - 1) + ", \"dst\", \"$1$1$1\", \"instance\", \"(.*)\")";
            case 9 -> "histogram_quantile(" + NUMS[r.nextInt(NUMS.length)] + ", " + expr(r, depth - 1) + ")";
            case 10 -> "(" + expr(r, depth - 1) + ") offset " + DURS[r.nextInt(DURS.length)];
            default -> "clamp(" + expr(r, depth - 1) + ", " + NUMS[r.nextInt(NUMS.length)] + ", " + NUMS[r.nextInt(NUMS.length)] + ")";
        };
    }

    @Test
    void randomQueries_neverAnswer500() throws Exception {
        SplittableRandom r = new SplittableRandom(Long.getLong("querylimits.seed", System.nanoTime()));
        long deadline = System.nanoTime() + Duration.ofSeconds(Long.getLong("querylimits.seconds", 8)).toNanos();
        List<String> failures = new ArrayList<>();
        int n = 0;
        while (System.nanoTime() < deadline && failures.size() < 5) {
            String e = expr(r, 1 + r.nextInt(4));
            boolean range = r.nextBoolean();
            String params = range
                    ? q("query", e, "start", String.valueOf(T0 / 1000), "end", String.valueOf(T0 / 1000 + 3600),
                            "step", new String[] {"1", "15", "60", "0.3", "3600"}[r.nextInt(5)])
                    : q("query", e, "time", String.valueOf(T0 / 1000 + r.nextInt(7200)));
            Http.Resp resp = http.post(range ? "/api/v1/query_range" : "/api/v1/query", params);
            n++;
            JsonNode j = JSON.readTree(resp.body());
            boolean ok = switch (resp.status()) {
                case 200 -> j.get("status").asString().equals("success");
                case 400 -> j.get("errorType").asString().equals("bad_data");
                case 422 -> j.get("errorType").asString().equals("execution");
                case 503 -> j.get("errorType").asString().equals("timeout");
                default -> false;
            };
            if (!ok) {
                failures.add((range ? "range " : "instant ") + e + " -> " + resp.status() + " " + resp.body());
            }
        }
        assertThat(failures).as("%d queries", n).isEmpty();
    }
}

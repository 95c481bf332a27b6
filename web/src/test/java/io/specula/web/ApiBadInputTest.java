package io.specula.web;

import static io.specula.web.Http.q;
import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import io.specula.tsdb.DB;
import io.specula.tsdb.head.Head;
import io.specula.tsdb.storage.Appender;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad parameters get Prometheus's 400 {@code bad_data} with Prometheus's message (3.x wording). */
class ApiBadInputTest {
    @TempDir
    static Path tmp;
    static TestContext ctx;
    static WebServer server;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        ctx = new TestContext();
        ctx.db = DB.open(tmp, new DB.Options(Head.DEFAULT_CHUNK_RANGE, 10 * Head.DEFAULT_CHUNK_RANGE, 0, 0));
        Appender a = ctx.db.appender();
        a.append(0, Labels.of("__name__", "temp", "room", "a"), 1_700_000_000_000L, 1);
        a.commit();
        server = WebServer.start(ctx, new WebOptions("127.0.0.1:0", "", "", false, false, Duration.ofMinutes(2),
                Duration.ofMinutes(5)));
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        ctx.db.close();
    }

    /** Sends a raw HTTP/1.1 request (bypassing the client's URI checks) and returns the status line and body. */
    static String raw(String requestLineAndHeaders, String body) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            String req = requestLineAndHeaders + "\r\nHost: x\r\nConnection: close\r\n"
                    + (body == null ? "" : "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length() + "\r\n")
                    + "\r\n" + (body == null ? "" : body);
            s.getOutputStream().write(req.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            String resp = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return resp.substring(0, resp.indexOf("\r\n")) + " " + resp.substring(resp.indexOf("\r\n\r\n") + 4);
        }
    }

    @org.junit.jupiter.api.Test
    void malformedEncoding_400WithJsonError() throws Exception {
        assertThat(raw("GET /api/v1/query?query=%zz HTTP/1.1", null)).startsWith("HTTP/1.1 400 ")
                .contains("\"errorType\":\"bad_data\"");
        assertThat(raw("POST /api/v1/query HTTP/1.1", "query=%zz")).startsWith("HTTP/1.1 400 ")
                .contains("\"errorType\":\"bad_data\"");
    }

    /** Each row: endpoint, query string (|-separated k=v pairs, values URL-encoded here), expected error. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = ';', quoteCharacter = '`', value = {
        "query; query=temp|time=abc; invalid parameter \"time\": invalid time value for 'time': cannot parse \"abc\" to a valid timestamp",
        "query; query=temp|timeout=abc; invalid parameter \"timeout\": cannot parse \"abc\" to a valid duration",
        "query; query=sum(; invalid parameter \"query\": 1:5: parse error: unclosed left parenthesis",
        "query; query=temp|limit=-1; invalid parameter \"limit\": limit must be non-negative",
        "query; query=temp|limit=x; invalid parameter \"limit\": strconv.Atoi: parsing \"x\": invalid syntax",
        "query; query=; invalid parameter \"query\": 1:1: parse error: no expression found in input",
        "query_range; query=temp|end=10|step=1; invalid parameter \"start\": cannot parse \"\" to a valid timestamp",
        "query_range; query=temp|start=x|end=10|step=1; invalid parameter \"start\": cannot parse \"x\" to a valid timestamp",
        "query_range; query=temp|start=10|end=5|step=1; invalid parameter \"end\": end timestamp must not be before start time",
        "query_range; query=temp|start=0|end=10|step=0; invalid parameter \"step\": zero or negative query resolution step widths are not accepted. Try a positive integer",
        "query_range; query=temp|start=0|end=10|step=-5s; invalid parameter \"step\": cannot parse \"-5s\" to a valid duration",
        "query_range; query=temp|start=0|end=10|step=abc; invalid parameter \"step\": cannot parse \"abc\" to a valid duration",
        "query_range; query=temp|start=0|end=10|step=1e300; invalid parameter \"step\": cannot parse \"1e300\" to a valid duration. It overflows int64",
        "query_range; query=temp|start=0|end=100000|step=9; exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)",
        "query_range; query=temp[5m]|start=0|end=10|step=1; invalid parameter \"query\": invalid expression type \"range vector\" for range query, must be Scalar or instant Vector",
        "series; start=1; no match[] parameter provided",
        "series; match[]={a=~\".*\"}; invalid parameter \"match[]\": match[] must contain at least one non-empty matcher",
        "series; match[]=temp|start=yesterday; invalid parameter \"start\": invalid time value for 'start': cannot parse \"yesterday\" to a valid timestamp",
        "series; match[]=temp|end=2023-13-01T00:00:00Z; invalid parameter \"end\": invalid time value for 'end': cannot parse \"2023-13-01T00:00:00Z\" to a valid timestamp",
        "labels; match[]={a=\"\"}; match[] must contain at least one non-empty matcher",
        "labels; limit=-3; invalid parameter \"limit\": limit must be non-negative",
        "label/job/values; match[]=temp{; 1:6: parse error: unexpected end of input inside braces",
        "metadata; limit=abc; limit must be a number",
        "metadata; limit_per_metric=abc; limit_per_metric must be a number",
        "targets/metadata; limit=x; limit must be a number",
        "status/tsdb; limit=0; limit must be a positive number",
        "status/tsdb; limit=ten; limit must be a positive number",
        "format_query; query=1 +; invalid parameter \"query\": 1:4: parse error: unexpected end of input",
        "parse_query; query=foo{; invalid parameter \"query\": 1:5: parse error: unexpected end of input inside braces",
        "query_exemplars; query=temp|start=2|end=1; end timestamp must not be before start timestamp",
    })
    void badParameter_400BadDataWithPrometheusMessage(String endpoint, String params, String message) throws Exception {
        String[] pairs = params.split("\\|");
        String[] kv = new String[pairs.length * 2];
        for (int i = 0; i < pairs.length; i++) {
            int eq = pairs[i].indexOf('=');
            kv[2 * i] = pairs[i].substring(0, eq);
            kv[2 * i + 1] = pairs[i].substring(eq + 1);
        }
        String expected = "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":"
                + WebServerTest.JSON.writeValueAsString(message).replace("<", "\\u003c").replace(">", "\\u003e") + "}";
        Http.Resp get = http.get("/api/v1/" + endpoint + "?" + q(kv));
        assertThat(get.status()).isEqualTo(400);
        assertThat(get.body()).isEqualTo(expected);
        if (endpoint.startsWith("query") || endpoint.equals("series") || endpoint.equals("labels")) {
            Http.Resp post = http.post("/api/v1/" + endpoint, q(kv));
            assertThat(post.status()).isEqualTo(400);
            assertThat(post.body()).isEqualTo(expected);
        }
    }
}

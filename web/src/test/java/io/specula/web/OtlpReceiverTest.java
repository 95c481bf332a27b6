package io.specula.web;

import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.specula.tsdb.DB;
import io.specula.tsdb.head.Head;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * End to end: the OpenTelemetry Java SDK exports over OTLP/HTTP to a running Specula web server
 * ({@code --web.enable-otlp-receiver}) backed by a real TSDB, and PromQL answers with the
 * translated series; OTLP JSON and the refusals answer as Prometheus 3.
 */
class OtlpReceiverTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir
    static Path tmp;
    static TestContext ctx;
    static WebServer server;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        ctx = new TestContext();
        ctx.flags.put("web.enable-otlp-receiver", "true");
        ctx.db = DB.open(tmp.resolve("data"), new DB.Options(Head.DEFAULT_CHUNK_RANGE, 10 * Head.DEFAULT_CHUNK_RANGE, 0, 0));
        server = WebServer.start(ctx, new WebOptions("127.0.0.1:0", "", "", false, false, Duration.ofMinutes(2), Duration.ofMinutes(5)));
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
        if (ctx != null && ctx.db != null) {
            ctx.db.close();
        }
    }

    static JsonNode query(String q) throws Exception {
        Http.Resp r = http.get("/api/v1/query?" + Http.q("query", q));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("data").get("result");
    }

    static String value(String q) throws Exception {
        JsonNode res = query(q);
        assertThat(res.size()).as(q + " → " + res).isEqualTo(1);
        return res.get(0).get("value").get(1).asString();
    }

    static HttpResponse<String> post(String contentType, String encoding, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/otlp/v1/metrics"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (encoding != null) {
            b.header("Content-Encoding", encoding);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void sdkExport_isQueryable() throws Exception {
        OtlpHttpMetricExporter exporter = OtlpHttpMetricExporter.builder()
                .setEndpoint("http://127.0.0.1:" + server.port() + "/api/v1/otlp/v1/metrics").setCompression("gzip").build();
        try (SdkMeterProvider provider = SdkMeterProvider.builder()
                .setResource(Resource.create(Attributes.of(stringKey("service.name"), "cart", stringKey("service.instance.id"), "i-1",
                        stringKey("host.name"), "node-a")))
                .registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build()).build()) {
            Meter meter = provider.get("e2e");
            meter.counterBuilder("orders.placed").build().add(7, Attributes.of(stringKey("payment.method"), "card"));
            meter.gaugeBuilder("queue.depth").setUnit("{item}").buildWithCallback(m -> m.record(12.5));
            var h = meter.histogramBuilder("checkout.duration").setUnit("ms")
                    .setExplicitBucketBoundariesAdvice(List.of(10.0, 100.0)).build();
            h.record(5);
            h.record(50);
            assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        }
        assertThat(value("orders_placed_total{job=\"cart\",instance=\"i-1\",payment_method=\"card\"}")).isEqualTo("7");
        assertThat(value("queue_depth{job=\"cart\",instance=\"i-1\"}")).isEqualTo("12.5");
        assertThat(value("checkout_duration_milliseconds_bucket{job=\"cart\",le=\"10\"}")).isEqualTo("1");
        assertThat(value("checkout_duration_milliseconds_bucket{job=\"cart\",le=\"100\"}")).isEqualTo("2");
        assertThat(value("checkout_duration_milliseconds_bucket{job=\"cart\",le=\"+Inf\"}")).isEqualTo("2");
        assertThat(value("checkout_duration_milliseconds_sum{job=\"cart\"}")).isEqualTo("55");
        assertThat(value("checkout_duration_milliseconds_count{job=\"cart\"}")).isEqualTo("2");
        assertThat(value("target_info{job=\"cart\",instance=\"i-1\",host_name=\"node-a\"}")).isEqualTo("1");
        assertThat(value("histogram_quantile(0.5, checkout_duration_milliseconds_bucket{job=\"cart\"})")).isEqualTo("10");
    }

    @Test
    void json_isAccepted() throws Exception {
        long now = System.currentTimeMillis() * 1_000_000L;
        String body = """
                {"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"json-svc"}}]},
                 "scopeMetrics":[{"metrics":[{"name":"jobs.done","unit":"1","sum":{"isMonotonic":true,"aggregationTemporality":2,
                  "dataPoints":[{"asInt":"42","timeUnixNano":"%d"}]}}]}]}]}
                """.formatted(now);
        HttpResponse<String> r = post("application/json", null, body.getBytes());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{}");
        assertThat(value("jobs_done_total{job=\"json-svc\"}")).isEqualTo("42");
    }

    @Test
    void badRequests_areRefusedAsPrometheus() throws Exception {
        HttpResponse<String> r = post("text/plain", null, new byte[0]);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("unsupported content type: text/plain, supported: [application/json, application/x-protobuf]\n");
        r = post("application/x-protobuf", "br", new byte[0]);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("unsupported compression: br. Only \"gzip\" or no compression supported\n");
        r = post("application/x-protobuf", "gzip", new byte[] {1, 2, 3});
        assertThat(r.statusCode()).isEqualTo(400);
        r = post("application/x-protobuf", null, new byte[] {(byte) 0xff, (byte) 0xff, 0x01});
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).startsWith("decoding OTLP request: ");
    }

    @Test
    void disabled_answers404() throws Exception {
        TestContext off = new TestContext();
        off.db = ctx.db;
        WebServer s = WebServer.start(off, new WebOptions("127.0.0.1:0", "", "", false, false, Duration.ofMinutes(2),
                Duration.ofMinutes(5)));
        try {
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port()
                    + "/api/v1/otlp/v1/metrics")).header("Content-Type", "application/x-protobuf")
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.body()).isEqualTo("otlp write receiver needs to be enabled with --web.enable-otlp-receiver\n");
        } finally {
            s.stop();
        }
    }
}

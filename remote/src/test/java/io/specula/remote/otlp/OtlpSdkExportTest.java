package io.specula.remote.otlp;

import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.specula.model.histogram.Histogram;
import io.specula.remote.HttpAnswer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real OpenTelemetry Java SDK exports counters, up-down counters, gauges, explicit and
 * exponential histograms over OTLP/HTTP (protobuf, gzip) to {@link OtlpHandler}; the series
 * recorded follow Prometheus 3's default translation exactly.
 */
class OtlpSdkExportTest {
    HttpServer http;
    RecordingAppendable rec;
    OtlpOptions options = OtlpOptions.DEFAULTS;

    @BeforeEach
    void start() throws IOException {
        rec = new RecordingAppendable();
        OtlpHandler handler = new OtlpHandler(rec, () -> options);
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext(OtlpHandler.PATH, ex -> {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            HttpAnswer a = handler.handle(ex.getRequestHeaders().getFirst("Content-Type"),
                    ex.getRequestHeaders().getFirst("Content-Encoding"), body);
            if (a.contentType() != null) {
                ex.getResponseHeaders().set("Content-Type", a.contentType());
            }
            ex.sendResponseHeaders(a.status(), a.body().length == 0 ? -1 : a.body().length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(a.body());
            }
        });
        http.start();
    }

    @AfterEach
    void stop() {
        http.stop(0);
    }

    SdkMeterProvider provider(String compression) {
        OtlpHttpMetricExporter exporter = OtlpHttpMetricExporter.builder()
                .setEndpoint("http://127.0.0.1:" + http.getAddress().getPort() + OtlpHandler.PATH)
                .setCompression(compression)
                .build();
        return SdkMeterProvider.builder()
                .setResource(Resource.create(Attributes.of(stringKey("service.name"), "checkout",
                        stringKey("service.namespace"), "shop", stringKey("service.instance.id"), "pod-1",
                        stringKey("deployment.environment"), "prod")))
                .registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build())
                .registerView(InstrumentSelector.builder().setName("request.latency").build(),
                        View.builder().setAggregation(Aggregation.base2ExponentialBucketHistogram(160, 20)).build())
                .build();
    }

    @Test
    void sdkExport_followsTranslationRules() {
        try (SdkMeterProvider provider = provider("gzip")) {
            Meter meter = provider.get("io.specula.test");
            meter.counterBuilder("http.server.requests").setUnit("{request}").build()
                    .add(5, Attributes.of(stringKey("http.method"), "GET"));
            meter.upDownCounterBuilder("queue.size").build().add(3);
            meter.gaugeBuilder("process.memory.usage").setUnit("By").ofLongs().buildWithCallback(m -> m.record(1024));
            meter.gaugeBuilder("cpu.utilization").setUnit("1").buildWithCallback(m -> m.record(0.5));
            var duration = meter.histogramBuilder("http.server.duration").setUnit("s")
                    .setExplicitBucketBoundariesAdvice(List.of(0.1, 0.5, 1.0)).build();
            duration.record(0.2);
            duration.record(0.7);
            duration.record(3);
            var latency = meter.histogramBuilder("request.latency").setUnit("ms").build();
            latency.record(1);
            latency.record(2);
            latency.record(4);
            assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        }
        String id = "instance=\"pod-1\", job=\"shop/checkout\"";
        assertThat(rec.value("{__name__=\"http_server_requests_total\", http_method=\"GET\", " + id + "}")).isEqualTo("5");
        assertThat(rec.value("{__name__=\"queue_size\", " + id + "}")).isEqualTo("3");
        assertThat(rec.value("{__name__=\"process_memory_usage_bytes\", " + id + "}")).isEqualTo("1024");
        assertThat(rec.value("{__name__=\"cpu_utilization_ratio\", " + id + "}")).isEqualTo("0.5");
        assertThat(rec.value("{__name__=\"http_server_duration_seconds_bucket\", " + id + ", le=\"0.1\"}")).isEqualTo("0");
        assertThat(rec.value("{__name__=\"http_server_duration_seconds_bucket\", " + id + ", le=\"0.5\"}")).isEqualTo("1");
        assertThat(rec.value("{__name__=\"http_server_duration_seconds_bucket\", " + id + ", le=\"1\"}")).isEqualTo("2");
        assertThat(rec.value("{__name__=\"http_server_duration_seconds_bucket\", " + id + ", le=\"+Inf\"}")).isEqualTo("3");
        assertThat(rec.value("{__name__=\"http_server_duration_seconds_count\", " + id + "}")).isEqualTo("3");
        assertThat(rec.value("{__name__=\"http_server_duration_seconds_sum\", " + id + "}")).isEqualTo("3.9");
        assertThat(rec.value("{__name__=\"target_info\", deployment_environment=\"prod\", " + id + "}")).isEqualTo("1");
        // 4 single series, 6 of the histogram, target_info (the SDK's own otel_sdk_* metrics aside).
        assertThat(rec.floats.keySet().stream().filter(k -> !k.startsWith("{__name__=\"otel_sdk_"))).hasSize(11);

        List<Histogram> hs = rec.histograms.get("{__name__=\"request_latency_milliseconds\", " + id + "}");
        assertThat(hs).isNotEmpty(); // a second export when the provider closes
        Histogram h = hs.getLast();
        // 1, 2 and 4 fit 160 buckets at scale 6; OTLP's buckets -1, 63, 127 are Prometheus's 0, 64, 128.
        assertThat(h.schema).isEqualTo(6);
        assertThat(h.count).isEqualTo(3);
        assertThat(h.sum).isEqualTo(7.0);
        assertThat(h.zeroCount).isZero();
        assertThat(h.positiveSpans).containsExactly(0, 1, 63, 1, 63, 1);
        assertThat(h.positiveBuckets).containsExactly(1, 0, 0);
        assertThat(h.negativeSpans).isEmpty();
        assertThat(rec.rollbacks).isZero();
    }

    @Test
    void sdkExport_uncompressedWithNoTranslation_keepsNames() {
        options = new OtlpOptions(OtlpOptions.TranslationStrategy.NoTranslation, List.of("deployment.environment"),
                false, List.of(), false, true, false, false, 300_000);
        try (SdkMeterProvider provider = provider("none")) {
            Meter meter = provider.meterBuilder("io.specula.test").setInstrumentationVersion("1.2").build();
            meter.counterBuilder("http.server.requests").setUnit("{request}").build()
                    .add(2, Attributes.of(stringKey("http.method"), "GET"));
            assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
        }
        assertThat(rec.value("{__name__=\"http.server.requests\", \"deployment.environment\"=\"prod\", \"http.method\"=\"GET\", "
                + "instance=\"pod-1\", job=\"shop/checkout\", otel_scope_name=\"io.specula.test\", otel_scope_version=\"1.2\"}"))
                .isEqualTo("2");
    }
}

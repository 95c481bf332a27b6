package io.specula.remote.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.specula.model.histogram.Histogram;
import io.specula.remote.HttpAnswer;
import io.specula.remote.otlp.OtlpOptions.TranslationStrategy;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class OtlpTranslatorTest {
    static final long T = 1_700_000_000_000L;
    static final long NOW = T + 1000;

    RecordingAppendable rec = new RecordingAppendable();
    OtlpOptions options = OtlpOptions.DEFAULTS;
    OtlpHandler handler = new OtlpHandler(rec, () -> options, () -> NOW, 1 << 20);

    static KeyValue kv(String k, String v) {
        return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
    }

    static NumberDataPoint point(long tMs, double v, KeyValue... attrs) {
        return NumberDataPoint.newBuilder().setTimeUnixNano(tMs * 1_000_000L).setAsDouble(v).addAllAttributes(List.of(attrs)).build();
    }

    static Metric gauge(String name, String unit, NumberDataPoint... ps) {
        return Metric.newBuilder().setName(name).setUnit(unit).setGauge(Gauge.newBuilder().addAllDataPoints(List.of(ps))).build();
    }

    static Metric sum(String name, String unit, boolean monotonic, AggregationTemporality temp, NumberDataPoint... ps) {
        return Metric.newBuilder().setName(name).setUnit(unit).setSum(Sum.newBuilder().setIsMonotonic(monotonic)
                .setAggregationTemporality(temp).addAllDataPoints(List.of(ps))).build();
    }

    static ExportMetricsServiceRequest request(List<KeyValue> resource, Metric... ms) {
        return request(resource, InstrumentationScope.getDefaultInstance(), ms);
    }

    static ExportMetricsServiceRequest request(List<KeyValue> resource, InstrumentationScope scope, Metric... ms) {
        return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
                .setResource(Resource.newBuilder().addAllAttributes(resource))
                .addScopeMetrics(ScopeMetrics.newBuilder().setScope(scope).addAllMetrics(List.of(ms)))).build();
    }

    HttpAnswer send(ExportMetricsServiceRequest req) {
        return handler.handle("application/x-protobuf", null, req.toByteArray());
    }

    static final List<KeyValue> SVC = List.of(kv("service.name", "api"));

    @Test
    void names_followUnitsAndSuffixes() {
        assertThat(MetricNamer.metricName("http.server.duration", "s", MetricNamer.Kind.HISTOGRAM,
                TranslationStrategy.UnderscoreEscapingWithSuffixes)).isEqualTo("http_server_duration_seconds");
        assertThat(MetricNamer.metricName("net.io", "By/s", MetricNamer.Kind.GAUGE,
                TranslationStrategy.UnderscoreEscapingWithSuffixes)).isEqualTo("net_io_bytes_per_second");
        assertThat(MetricNamer.metricName("requests_total", "{request}", MetricNamer.Kind.COUNTER,
                TranslationStrategy.UnderscoreEscapingWithSuffixes)).isEqualTo("requests_total");
        assertThat(MetricNamer.metricName("total.requests", "", MetricNamer.Kind.COUNTER,
                TranslationStrategy.UnderscoreEscapingWithSuffixes)).isEqualTo("requests_total");
        assertThat(MetricNamer.metricName("latency_seconds", "s", MetricNamer.Kind.GAUGE,
                TranslationStrategy.UnderscoreEscapingWithSuffixes)).isEqualTo("latency_seconds");
        assertThat(MetricNamer.metricName("cpu.ratio", "1", MetricNamer.Kind.GAUGE,
                TranslationStrategy.UnderscoreEscapingWithSuffixes)).isEqualTo("cpu_ratio");
        assertThat(MetricNamer.metricName("2xx.count", "", MetricNamer.Kind.GAUGE,
                TranslationStrategy.UnderscoreEscapingWithSuffixes)).isEqualTo("_2xx_count");
        assertThat(MetricNamer.metricName("temp", "Cel", MetricNamer.Kind.GAUGE,
                TranslationStrategy.UnderscoreEscapingWithSuffixes)).isEqualTo("temp_celsius");
        assertThat(MetricNamer.metricName("http.server.duration", "s", MetricNamer.Kind.HISTOGRAM,
                TranslationStrategy.UnderscoreEscapingWithoutSuffixes)).isEqualTo("http_server_duration");
        assertThat(MetricNamer.metricName("http.requests", "s", MetricNamer.Kind.COUNTER,
                TranslationStrategy.NoUTF8EscapingWithSuffixes)).isEqualTo("http.requests_seconds_total");
        assertThat(MetricNamer.metricName("http.requests", "s", MetricNamer.Kind.COUNTER,
                TranslationStrategy.NoTranslation)).isEqualTo("http.requests");
        assertThat(MetricNamer.labelName("http.method", TranslationStrategy.UnderscoreEscapingWithSuffixes)).isEqualTo("http_method");
        assertThat(MetricNamer.labelName("_private", TranslationStrategy.UnderscoreEscapingWithSuffixes)).isEqualTo("key_private");
        assertThat(MetricNamer.labelName("__reserved", TranslationStrategy.UnderscoreEscapingWithSuffixes)).isEqualTo("__reserved");
        assertThat(MetricNamer.labelName("9lives", TranslationStrategy.UnderscoreEscapingWithSuffixes)).isEqualTo("key_9lives");
        assertThat(MetricNamer.labelName("http.method", TranslationStrategy.NoUTF8EscapingWithSuffixes)).isEqualTo("http.method");
    }

    @Test
    void collidingAttributes_joinValuesInNameOrder_andServiceWins() {
        HttpAnswer a = send(request(List.of(kv("service.name", "api"), kv("service.namespace", "prod"), kv("service.instance.id", "x:1")),
                gauge("g", "", point(T, 1, kv("a.b", "dot"), kv("a_b", "under"), kv("job", "mine")))));
        assertThat(a.status()).isEqualTo(200);
        assertThat(rec.floats.keySet()).containsExactly("{__name__=\"g\", a_b=\"dot;under\", instance=\"x:1\", job=\"prod/api\"}");
    }

    @Test
    void targetInfo_coversTheSpanEveryHalfLookback_andPromotion() {
        options = new OtlpOptions(TranslationStrategy.UnderscoreEscapingWithSuffixes, List.of("k8s.pod.name"), false, List.of(),
                true, false, false, false, 300_000);
        long t2 = T + 400_000;
        HttpAnswer a = handler.handle("application/x-protobuf", null, request(
                List.of(kv("service.name", "api"), kv("service.instance.id", "i"), kv("k8s.pod.name", "p-1")),
                gauge("g", "", point(T, 1), point(t2, 2, kv("k8s.pod.name", "own")))).toByteArray());
        assertThat(a.status()).isEqualTo(200);
        assertThat(rec.floats.get("{__name__=\"g\", instance=\"i\", job=\"api\", k8s_pod_name=\"p-1\"}")).containsExactly(T + " 1");
        assertThat(rec.floats.get("{__name__=\"g\", instance=\"i\", job=\"api\", k8s_pod_name=\"own\"}")).containsExactly(t2 + " 2");
        // keep_identifying_resource_attributes: service.* stay on target_info as labels.
        assertThat(rec.floats.get("{__name__=\"target_info\", instance=\"i\", job=\"api\", k8s_pod_name=\"p-1\", "
                + "service_instance_id=\"i\", service_name=\"api\"}"))
                .containsExactly(T + " 1", (T + 150_000) + " 1", (T + 300_000) + " 1", t2 + " 1");
    }

    @Test
    void targetInfo_absentWithOnlyIdentifyingAttributes_orWithoutJob() {
        // Resource attributes go to target_info only (unless promoted), so h has no host_name.
        send(request(SVC, gauge("g", "", point(T, 1))));
        send(request(List.of(kv("host.name", "h")), gauge("h", "", point(T, 1))));
        assertThat(rec.floats.keySet()).containsExactly("{__name__=\"g\", job=\"api\"}", "{__name__=\"h\"}");
    }

    @Test
    void promoteAll_exceptIgnored_andScopeMetadata() {
        options = new OtlpOptions(TranslationStrategy.UnderscoreEscapingWithSuffixes, List.of(), true, List.of("host.name"),
                false, true, false, false, 300_000);
        InstrumentationScope scope = InstrumentationScope.newBuilder().setName("lib").setVersion("2.0")
                .addAttributes(kv("team", "core")).build();
        send(request(List.of(kv("service.name", "api"), kv("host.name", "h"), kv("cloud.region", "eu")), scope,
                gauge("g", "", point(T, 1))));
        assertThat(rec.floats).containsKey("{__name__=\"g\", cloud_region=\"eu\", job=\"api\", otel_scope_name=\"lib\", "
                + "otel_scope_team=\"core\", otel_scope_version=\"2.0\", service_name=\"api\"}");
    }

    @Test
    void delta_isDroppedUnlessAllowed_restStored() {
        HttpAnswer a = send(request(SVC, sum("d", "", true, AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, point(T, 3)),
                sum("c", "", true, AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, point(T, 4))));
        assertThat(a.status()).isEqualTo(200);
        assertThat(rec.floats.keySet()).containsExactly("{__name__=\"c_total\", job=\"api\"}");
        options = options.withAllowDeltaTemporality(true);
        send(request(SVC, sum("d", "", true, AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, point(T, 3))));
        assertThat(rec.value("{__name__=\"d_total\", job=\"api\"}")).isEqualTo("3");
    }

    @Test
    void summary_andStaleMarker() {
        Metric s = Metric.newBuilder().setName("rpc.latency").setUnit("ms").setSummary(Summary.newBuilder().addDataPoints(
                SummaryDataPoint.newBuilder().setTimeUnixNano(T * 1_000_000L).setCount(10).setSum(123.5)
                        .addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.99).setValue(40)))).build();
        NumberDataPoint stale = point(T, 0).toBuilder().setFlags(1).build();
        send(request(SVC, s, gauge("up.ish", "", stale)));
        assertThat(rec.value("{__name__=\"rpc_latency_milliseconds\", job=\"api\", quantile=\"0.99\"}")).isEqualTo("40");
        assertThat(rec.value("{__name__=\"rpc_latency_milliseconds_sum\", job=\"api\"}")).isEqualTo("123.5");
        assertThat(rec.value("{__name__=\"rpc_latency_milliseconds_count\", job=\"api\"}")).isEqualTo("10");
        assertThat(rec.value("{__name__=\"up_ish\", job=\"api\"}")).isEqualTo("stale");
    }

    @Test
    void exponentialHistogram_downscaledToSchema8_withNegativeAndZeroBuckets() {
        ExponentialHistogramDataPoint p = ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(T * 1_000_000L)
                .setScale(10).setCount(9).setSum(1.5).setZeroCount(1).setZeroThreshold(1e-9)
                .setPositive(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(3).addAllBucketCounts(List.of(1L, 1L, 1L, 1L, 0L, 0L)))
                .setNegative(ExponentialHistogramDataPoint.Buckets.newBuilder().setOffset(-1).addAllBucketCounts(List.of(2L, 0L, 0L, 0L, 2L)))
                .build();
        Metric m = Metric.newBuilder().setName("lat").setExponentialHistogram(ExponentialHistogram.newBuilder()
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE).addDataPoints(p)).build();
        assertThat(send(request(SVC, m)).status()).isEqualTo(200);
        Histogram h = rec.histograms.get("{__name__=\"lat\", job=\"api\"}").getFirst();
        // OTLP 3..6 are Prometheus's 4..7 at schema 10; at schema 8 index i goes to ((i - 1) >> 2) + 1: 4 → 1, 5..7 → 2.
        assertThat(h.schema).isEqualTo(8);
        assertThat(h.positiveSpans).containsExactly(1, 2);
        assertThat(h.positiveBuckets).containsExactly(1, 2);
        // Negative: indexes 0 and 4 at schema 10 → 0 and 1 at schema 8.
        assertThat(h.negativeSpans).containsExactly(0, 2);
        assertThat(h.negativeBuckets).containsExactly(2, 0);
        assertThat(h.zeroCount).isEqualTo(1);
        assertThat(h.count).isEqualTo(9);
    }

    @Test
    void explicitHistogram_asNhcb_whenConfigured() {
        options = new OtlpOptions(TranslationStrategy.UnderscoreEscapingWithSuffixes, List.of(), false, List.of(),
                false, false, true, false, 300_000);
        Metric m = Metric.newBuilder().setName("d").setUnit("s").setHistogram(io.opentelemetry.proto.metrics.v1.Histogram.newBuilder()
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(T * 1_000_000L).setCount(5).setSum(2)
                        .addAllExplicitBounds(List.of(0.1, 1.0)).addAllBucketCounts(List.of(2L, 0L, 3L)))).build();
        send(request(SVC, m));
        Histogram h = rec.histograms.get("{__name__=\"d_seconds\", job=\"api\"}").getFirst();
        assertThat(h.schema).isEqualTo(-53);
        assertThat(h.customValues).containsExactly(0.1, 1.0);
        assertThat(h.positiveSpans).containsExactly(0, 1, 1, 1);
        assertThat(h.positiveBuckets).containsExactly(2, 1);
        assertThat(rec.floats).doesNotContainKey("{__name__=\"d_seconds_count\", job=\"api\"}");
    }

    @Test
    void exemplars_goToTheirSeriesAndBucket_orAreSkippedWithoutStorage() {
        io.opentelemetry.proto.metrics.v1.Exemplar ex = io.opentelemetry.proto.metrics.v1.Exemplar.newBuilder()
                .setTimeUnixNano(T * 1_000_000L).setAsDouble(0.5)
                .setTraceId(com.google.protobuf.ByteString.copyFrom(new byte[] {0x0a, (byte) 0xbc}))
                .setSpanId(com.google.protobuf.ByteString.copyFrom(new byte[] {0x01}))
                .addFilteredAttributes(kv("user.id", "u1")).build();
        Metric h = Metric.newBuilder().setName("d").setHistogram(io.opentelemetry.proto.metrics.v1.Histogram.newBuilder()
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                .addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(T * 1_000_000L).setCount(1).setSum(0.5)
                        .addAllExplicitBounds(List.of(0.1, 1.0)).addAllBucketCounts(List.of(0L, 1L, 0L)).addExemplars(ex))).build();
        NumberDataPoint c = point(T, 3).toBuilder().addExemplars(ex.toBuilder().setAsDouble(3)).build();
        send(request(SVC, h, sum("c", "", true, AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, c)));
        assertThat(rec.exemplars).containsExactly(
                "{__name__=\"d_bucket\", job=\"api\", le=\"1\"} → {span_id=\"01\", trace_id=\"0abc\", user_id=\"u1\"} " + T + " 0.5",
                "{__name__=\"c_total\", job=\"api\"} → {span_id=\"01\", trace_id=\"0abc\", user_id=\"u1\"} " + T + " 3");
        rec.keepsExemplars = false;
        assertThat(send(request(SVC, sum("c", "", true, AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
                c.toBuilder().setTimeUnixNano((T + 1000) * 1_000_000L).build()))).status()).isEqualTo(200);
        assertThat(rec.value("{__name__=\"c_total\", job=\"api\"}")).isEqualTo("3");
    }

    @Test
    void futureSample_is400_andRolledBack() {
        HttpAnswer a = send(request(SVC, gauge("a", "", point(T, 1)), gauge("b", "", point(NOW + 11 * 60_000L, 1))));
        assertThat(a.status()).isEqualTo(400);
        assertThat(new String(a.body())).isEqualTo("out of bounds\n");
        assertThat(rec.floats).isEmpty();
        assertThat(rec.rollbacks).isEqualTo(1);
    }

    @Test
    void gzipBomb_isRefused() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(new byte[(1 << 20) + 10]);
        }
        HttpAnswer a = handler.handle("application/x-protobuf", "gzip", bytes.toByteArray());
        assertThat(a.status()).isEqualTo(400);
        assertThat(new String(a.body())).contains("exceeds the limit");
    }
}

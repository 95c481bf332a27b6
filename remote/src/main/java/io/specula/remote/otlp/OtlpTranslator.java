package io.specula.remote.otlp;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.specula.model.exposition.GoFloat;
import io.specula.model.histogram.CounterResetHint;
import io.specula.model.histogram.Histogram;
import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.model.value.GoJson;
import io.specula.model.value.StaleNaN;
import io.specula.tsdb.storage.AppendException;
import io.specula.tsdb.storage.Appender;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One OTLP metrics export request to samples, as Prometheus 3 translates it: every data point
 * becomes one or more series named by {@link MetricNamer}; attributes become labels; the
 * resource's {@code service.namespace}/{@code service.name} become {@code job} and
 * {@code service.instance.id} {@code instance}; the other resource attributes go to a
 * {@code target_info} series (or onto every series when promoted). Sums are counters
 * (monotonic) or gauges, histograms classic {@code _bucket}/{@code _sum}/{@code _count}
 * series, summaries {@code quantile} series plus {@code _sum}/{@code _count}, exponential
 * histograms native histograms. A data point flagged "no recorded value" is a stale marker.
 *
 * <p>Metrics that cannot be translated (delta temporality unless allowed, an exponential
 * histogram's scale below -4, no data type) are skipped with a warning, the rest of the
 * request stored, as Prometheus does. Not thread-safe: one instance per request.
 */
final class OtlpTranslator {
    static final String TARGET_INFO = "target_info";
    private static final int FLAG_NO_RECORDED_VALUE = 1;
    private static final String SERVICE_NAME = "service.name";
    private static final String SERVICE_NAMESPACE = "service.namespace";
    private static final String SERVICE_INSTANCE_ID = "service.instance.id";
    private static final List<String> IDENTIFYING = List.of(SERVICE_NAMESPACE, SERVICE_NAME, SERVICE_INSTANCE_ID);

    private final OtlpOptions opts;
    private final Appender app;
    private final long maxT;
    private final LabelsBuilder lb = new LabelsBuilder();
    final List<String> warnings = new ArrayList<>();
    int samples;
    int histograms;
    int exemplars;
    private boolean exemplarsUnsupported;

    /** @param maxT samples after this time (ms) are out of bounds */
    OtlpTranslator(OtlpOptions opts, Appender app, long maxT) {
        this.opts = opts;
        this.app = app;
        this.maxT = maxT;
    }

    void translate(ExportMetricsServiceRequest req) throws AppendException {
        for (ResourceMetrics rm : req.getResourceMetricsList()) {
            List<KeyValue> resource = rm.getResource().getAttributesList();
            Map<String, String> resourceLabels = resourceLabels(resource);
            identity(resource, resourceLabels);
            long[] range = {Long.MAX_VALUE, Long.MIN_VALUE};
            for (ScopeMetrics sm : rm.getScopeMetricsList()) {
                Map<String, String> scope = opts.promoteScopeMetadata() ? scopeLabels(sm) : Map.of();
                for (Metric m : sm.getMetricsList()) {
                    metric(m, resourceLabels, scope, range);
                }
            }
            if (range[0] <= range[1]) {
                targetInfo(resource, range[0], range[1]);
            }
        }
    }

    /** Promoted resource attributes by label name (job and instance are added by {@link #identity}). */
    private Map<String, String> resourceLabels(List<KeyValue> attrs) {
        Map<String, String> out = new TreeMap<>();
        List<KeyValue> promoted = new ArrayList<>();
        for (KeyValue kv : attrs) {
            boolean listed = opts.promoteAllResourceAttributes()
                    ? !opts.ignoreResourceAttributes().contains(kv.getKey())
                    : opts.promoteResourceAttributes().contains(kv.getKey());
            if (listed) {
                promoted.add(kv);
            }
        }
        promoted.sort(Comparator.comparing(KeyValue::getKey));
        for (KeyValue kv : promoted) {
            out.putIfAbsent(MetricNamer.labelName(kv.getKey(), opts.strategy()), asString(kv.getValue()));
        }
        return out;
    }

    /** {@code job} from {@code service.namespace/service.name}, {@code instance} from {@code service.instance.id}. */
    private static void identity(List<KeyValue> resource, Map<String, String> into) {
        String name = attr(resource, SERVICE_NAME);
        if (name != null) {
            String ns = attr(resource, SERVICE_NAMESPACE);
            into.put("job", ns != null ? ns + "/" + name : name);
        }
        String id = attr(resource, SERVICE_INSTANCE_ID);
        if (id != null) {
            into.put("instance", id);
        }
    }

    private static String attr(List<KeyValue> attrs, String key) {
        for (KeyValue kv : attrs) {
            if (kv.getKey().equals(key)) {
                return asString(kv.getValue());
            }
        }
        return null;
    }

    private Map<String, String> scopeLabels(ScopeMetrics sm) {
        InstrumentationScope s = sm.getScope();
        Map<String, String> out = new TreeMap<>();
        put(out, "otel_scope_name", s.getName());
        put(out, "otel_scope_version", s.getVersion());
        put(out, "otel_scope_schema_url", sm.getSchemaUrl());
        for (KeyValue kv : s.getAttributesList()) {
            out.put(MetricNamer.labelName("otel_scope_" + kv.getKey(), opts.strategy()), asString(kv.getValue()));
        }
        return out;
    }

    private static void put(Map<String, String> m, String k, String v) {
        if (!v.isEmpty()) {
            m.put(k, v);
        }
    }

    private void metric(Metric m, Map<String, String> resource, Map<String, String> scope, long[] range) throws AppendException {
        String name = m.getName();
        String unit = m.getUnit();
        switch (m.getDataCase()) {
            case GAUGE -> {
                String n = MetricNamer.metricName(name, unit, MetricNamer.Kind.GAUGE, opts.strategy());
                for (NumberDataPoint p : m.getGauge().getDataPointsList()) {
                    number(n, p, resource, scope, range);
                }
            }
            case SUM -> {
                if (!temporalityOk(m, m.getSum().getAggregationTemporality())) {
                    return;
                }
                MetricNamer.Kind kind = m.getSum().getIsMonotonic() ? MetricNamer.Kind.COUNTER : MetricNamer.Kind.GAUGE;
                String n = MetricNamer.metricName(name, unit, kind, opts.strategy());
                for (NumberDataPoint p : m.getSum().getDataPointsList()) {
                    number(n, p, resource, scope, range);
                }
            }
            case HISTOGRAM -> {
                if (!temporalityOk(m, m.getHistogram().getAggregationTemporality())) {
                    return;
                }
                String n = MetricNamer.metricName(name, unit, MetricNamer.Kind.HISTOGRAM, opts.strategy());
                for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
                    if (opts.convertHistogramsToNhcb()) {
                        customBuckets(n, p, resource, scope, range);
                    } else {
                        histogram(n, p, resource, scope, range);
                    }
                }
            }
            case EXPONENTIAL_HISTOGRAM -> {
                if (!temporalityOk(m, m.getExponentialHistogram().getAggregationTemporality())) {
                    return;
                }
                String n = MetricNamer.metricName(name, unit, MetricNamer.Kind.HISTOGRAM, opts.strategy());
                for (ExponentialHistogramDataPoint p : m.getExponentialHistogram().getDataPointsList()) {
                    exponential(n, p, resource, scope, range);
                }
            }
            case SUMMARY -> {
                String n = MetricNamer.metricName(name, unit, MetricNamer.Kind.SUMMARY, opts.strategy());
                for (SummaryDataPoint p : m.getSummary().getDataPointsList()) {
                    summary(n, p, resource, scope, range);
                }
            }
            default -> warnings.add("unsupported metric type for metric \"" + name + "\"");
        }
    }

    private boolean temporalityOk(Metric m, AggregationTemporality t) {
        if (t == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE
                || t == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA && opts.allowDeltaTemporality()) {
            return true;
        }
        warnings.add("invalid temporality and type combination for metric \"" + m.getName() + "\"");
        return false;
    }

    private void number(String name, NumberDataPoint p, Map<String, String> resource, Map<String, String> scope, long[] range)
            throws AppendException {
        long t = millis(p.getTimeUnixNano(), range);
        double v = (p.getFlags() & FLAG_NO_RECORDED_VALUE) != 0 ? StaleNaN.VALUE
                : p.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? (double) p.getAsInt() : p.getAsDouble();
        Map<String, String> base = base(p.getAttributesList(), resource, scope);
        Labels ls = labels(base, name, null, null);
        long ref = append(ls, t, v);
        for (Exemplar e : p.getExemplarsList()) {
            exemplar(ref, ls, e);
        }
    }

    private void histogram(String name, HistogramDataPoint p, Map<String, String> resource, Map<String, String> scope,
            long[] range) throws AppendException {
        long t = millis(p.getTimeUnixNano(), range);
        boolean stale = (p.getFlags() & FLAG_NO_RECORDED_VALUE) != 0;
        Map<String, String> base = base(p.getAttributesList(), resource, scope);
        if (p.hasSum()) {
            append(labels(base, name + "_sum", null, null), t, stale ? StaleNaN.VALUE : p.getSum());
        }
        append(labels(base, name + "_count", null, null), t, stale ? StaleNaN.VALUE : unsigned(p.getCount()));
        long cumulative = 0;
        int bounds = p.getExplicitBoundsCount();
        boolean[] placed = new boolean[p.getExemplarsCount()];
        for (int i = 0; i <= bounds; i++) {
            Labels ls;
            double bound = i < bounds ? p.getExplicitBounds(i) : Double.POSITIVE_INFINITY;
            if (i < bounds) {
                if (i < p.getBucketCountsCount()) {
                    cumulative += p.getBucketCounts(i);
                }
                ls = labels(base, name + "_bucket", "le", GoFloat.formatF(bound));
            } else {
                cumulative = p.getCount();
                ls = labels(base, name + "_bucket", "le", "+Inf");
            }
            long ref = append(ls, t, stale ? StaleNaN.VALUE : unsigned(cumulative));
            // Each exemplar goes to the first bucket whose bound holds its value.
            for (int k = 0; k < placed.length; k++) {
                Exemplar e = p.getExemplars(k);
                if (!placed[k] && value(e) <= bound) {
                    placed[k] = true;
                    exemplar(ref, ls, e);
                }
            }
        }
    }

    private static double value(Exemplar e) {
        return e.getValueCase() == Exemplar.ValueCase.AS_INT ? (double) e.getAsInt() : e.getAsDouble();
    }

    /**
     * Stores an exemplar of the series {@code ref}: {@code trace_id} and {@code span_id} (hex)
     * and its filtered attributes as labels. A storage that keeps no exemplars makes the rest of
     * the request skip them; an exemplar the storage refuses is a warning, as in Prometheus.
     */
    private void exemplar(long ref, Labels series, Exemplar e) {
        if (exemplarsUnsupported) {
            return;
        }
        LabelsBuilder b = new LabelsBuilder();
        if (!e.getTraceId().isEmpty()) {
            b.set("trace_id", java.util.HexFormat.of().formatHex(e.getTraceId().toByteArray()));
        }
        if (!e.getSpanId().isEmpty()) {
            b.set("span_id", java.util.HexFormat.of().formatHex(e.getSpanId().toByteArray()));
        }
        for (KeyValue kv : e.getFilteredAttributesList()) {
            b.set(MetricNamer.labelName(kv.getKey(), opts.strategy()), asString(kv.getValue()));
        }
        try {
            app.appendExemplar(ref, series, b.build(), Math.floorDiv(e.getTimeUnixNano(), 1_000_000L), value(e));
            exemplars++;
        } catch (UnsupportedOperationException unsupported) {
            exemplarsUnsupported = true;
        } catch (AppendException refused) {
            warnings.add("exemplar of " + series + ": " + refused.getMessage());
        }
    }

    /** An explicit-bucket point as a native histogram with custom buckets (schema -53), for {@code convert_histograms_to_nhcb}. */
    private void customBuckets(String name, HistogramDataPoint p, Map<String, String> resource, Map<String, String> scope,
            long[] range) throws AppendException {
        long t = millis(p.getTimeUnixNano(), range);
        Histogram h;
        if ((p.getFlags() & FLAG_NO_RECORDED_VALUE) != 0) {
            h = Histogram.staleMarker();
        } else {
            h = new Histogram();
            h.schema = io.specula.model.histogram.Schemas.CUSTOM_BUCKETS;
            h.count = p.getCount();
            h.sum = p.hasSum() ? p.getSum() : 0;
            h.customValues = p.getExplicitBoundsList().stream().mapToDouble(Double::doubleValue).toArray();
            int n = p.getBucketCountsCount();
            long[] deltas = new long[n];
            long prev = 0;
            for (int i = 0; i < n; i++) {
                deltas[i] = p.getBucketCounts(i) - prev;
                prev = p.getBucketCounts(i);
            }
            h.positiveSpans = n == 0 ? new int[0] : new int[] {0, n};
            h.positiveBuckets = deltas;
            h.compact(0);
        }
        appendHistogram(labels(base(p.getAttributesList(), resource, scope), name, null, null), t, h);
    }

    private void summary(String name, SummaryDataPoint p, Map<String, String> resource, Map<String, String> scope,
            long[] range) throws AppendException {
        long t = millis(p.getTimeUnixNano(), range);
        boolean stale = (p.getFlags() & FLAG_NO_RECORDED_VALUE) != 0;
        Map<String, String> base = base(p.getAttributesList(), resource, scope);
        append(labels(base, name + "_sum", null, null), t, stale ? StaleNaN.VALUE : p.getSum());
        append(labels(base, name + "_count", null, null), t, stale ? StaleNaN.VALUE : unsigned(p.getCount()));
        for (SummaryDataPoint.ValueAtQuantile q : p.getQuantileValuesList()) {
            append(labels(base, name, "quantile", GoFloat.formatF(q.getQuantile())), t, stale ? StaleNaN.VALUE : q.getValue());
        }
    }

    private void exponential(String name, ExponentialHistogramDataPoint p, Map<String, String> resource,
            Map<String, String> scope, long[] range) throws AppendException {
        int scale = p.getScale();
        if (scale < -4) {
            warnings.add("cannot convert exponential to native histogram. Scale must be >= -4, was " + scale);
            return;
        }
        long t = millis(p.getTimeUnixNano(), range);
        Histogram h;
        if ((p.getFlags() & FLAG_NO_RECORDED_VALUE) != 0) {
            h = Histogram.staleMarker();
        } else {
            h = new Histogram();
            h.schema = scale;
            h.zeroThreshold = p.getZeroThreshold();
            h.zeroCount = p.getZeroCount();
            h.count = p.getCount();
            h.sum = p.hasSum() ? p.getSum() : 0;
            // A cumulative series only tells a reset by its count going down: let the storage detect it.
            h.counterResetHint = CounterResetHint.UNKNOWN;
            // OTLP's bucket i is (base^i, base^(i+1)]; Prometheus's i is (base^(i-1), base^i].
            h.positiveSpans = spans(p.getPositive());
            h.positiveBuckets = deltas(p.getPositive());
            h.negativeSpans = spans(p.getNegative());
            h.negativeBuckets = deltas(p.getNegative());
            h.compact(2);
            if (scale > 8) {
                h.reduceResolution(8);
            }
        }
        Labels ls = labels(base(p.getAttributesList(), resource, scope), name, null, null);
        long ref = appendHistogram(ls, t, h);
        for (Exemplar e : p.getExemplarsList()) {
            exemplar(ref, ls, e);
        }
    }

    private long appendHistogram(Labels ls, long t, Histogram h) throws AppendException {
        if (t > maxT) {
            throw new AppendException(AppendException.Reason.OUT_OF_BOUNDS);
        }
        long ref = app.appendHistogram(0, ls, 0, t, h, null);
        histograms++;
        return ref;
    }

    private static int[] spans(ExponentialHistogramDataPoint.Buckets b) {
        int n = b.getBucketCountsCount();
        return n == 0 ? new int[0] : new int[] {b.getOffset() + 1, n};
    }

    private static long[] deltas(ExponentialHistogramDataPoint.Buckets b) {
        long[] out = new long[b.getBucketCountsCount()];
        long prev = 0;
        for (int i = 0; i < out.length; i++) {
            long c = b.getBucketCounts(i);
            out[i] = c - prev;
            prev = c;
        }
        return out;
    }

    /**
     * {@code target_info} for a resource with attributes besides the identifying ones and a
     * {@code job} or {@code instance}: a sample of 1 every half lookback delta from the earliest
     * to the latest data point, and at the latest, so the series is found over the whole span.
     */
    private void targetInfo(List<KeyValue> resource, long first, long last) throws AppendException {
        int others = 0;
        for (KeyValue kv : resource) {
            if (!IDENTIFYING.contains(kv.getKey())) {
                others++;
            }
        }
        if (others == 0) {
            return;
        }
        List<KeyValue> attrs = opts.keepIdentifyingResourceAttributes() ? resource
                : resource.stream().filter(kv -> !IDENTIFYING.contains(kv.getKey())).toList();
        Map<String, String> base = attributes(attrs);
        identity(resource, base);
        if (!base.containsKey("job") && !base.containsKey("instance")) {
            return;
        }
        Labels ls = labels(base, TARGET_INFO, null, null);
        long step = Math.max(1, opts.lookbackDeltaMs() / 2);
        for (long t = first; t < last; t += step) {
            append(ls, t, 1);
        }
        append(ls, last, 1);
    }

    /**
     * Data-point attributes; then promoted resource attributes where the point has no such label;
     * then scope labels; then job and instance, which win.
     */
    private Map<String, String> base(List<KeyValue> attrs, Map<String, String> resource, Map<String, String> scope) {
        Map<String, String> m = attributes(attrs);
        resource.forEach((k, v) -> {
            if (!k.equals("job") && !k.equals("instance")) {
                m.putIfAbsent(k, v);
            }
        });
        m.putAll(scope);
        putIfPresent(m, resource, "job");
        putIfPresent(m, resource, "instance");
        return m;
    }

    private static void putIfPresent(Map<String, String> m, Map<String, String> from, String k) {
        String v = from.get(k);
        if (v != null) {
            m.put(k, v);
        }
    }

    /**
     * Attributes by label name; when escaping maps two attributes to one name their values are
     * joined with {@code ;} in the order of the original names.
     */
    private Map<String, String> attributes(List<KeyValue> attrs) {
        List<KeyValue> sorted = new ArrayList<>(attrs);
        sorted.sort(Comparator.comparing(KeyValue::getKey));
        Map<String, String> m = new TreeMap<>();
        for (KeyValue kv : sorted) {
            m.merge(MetricNamer.labelName(kv.getKey(), opts.strategy()), asString(kv.getValue()), (a, b) -> a + ";" + b);
        }
        return m;
    }

    private Labels labels(Map<String, String> base, String name, String extraName, String extraValue) {
        lb.reset();
        base.forEach((k, v) -> {
            if (!k.equals(Labels.METRIC_NAME) && !k.equals(extraName)) {
                lb.add(k, v);
            }
        });
        lb.add(Labels.METRIC_NAME, name);
        if (extraName != null) {
            lb.add(extraName, extraValue);
        }
        return lb.build();
    }

    private long append(Labels ls, long t, double v) throws AppendException {
        if (t > maxT) {
            throw new AppendException(AppendException.Reason.OUT_OF_BOUNDS);
        }
        long ref = app.append(0, ls, t, v);
        samples++;
        return ref;
    }

    private static long millis(long nanos, long[] range) {
        long t = Math.floorDiv(nanos, 1_000_000L);
        range[0] = Math.min(range[0], t);
        range[1] = Math.max(range[1], t);
        return t;
    }

    private static double unsigned(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }

    /** An attribute value as a label value, as the collector's {@code AsString} renders it. */
    static String asString(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
            case INT_VALUE -> Long.toString(v.getIntValue());
            case DOUBLE_VALUE -> GoFloat.formatF(v.getDoubleValue());
            case BYTES_VALUE -> Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
            case ARRAY_VALUE, KVLIST_VALUE -> json(v);
            default -> "";
        };
    }

    private static String json(AnyValue v) {
        StringBuilder b = new StringBuilder();
        jsonInto(b, v);
        return b.toString();
    }

    private static void jsonInto(StringBuilder b, AnyValue v) {
        switch (v.getValueCase()) {
            case STRING_VALUE -> GoJson.quote(b, v.getStringValue());
            case BOOL_VALUE -> b.append(v.getBoolValue());
            case INT_VALUE -> b.append(v.getIntValue());
            case DOUBLE_VALUE -> b.append(GoFloat.format(v.getDoubleValue()));
            case BYTES_VALUE -> GoJson.quote(b, Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
            case ARRAY_VALUE -> {
                b.append('[');
                List<AnyValue> vs = v.getArrayValue().getValuesList();
                for (int i = 0; i < vs.size(); i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    jsonInto(b, vs.get(i));
                }
                b.append(']');
            }
            case KVLIST_VALUE -> {
                b.append('{');
                List<KeyValue> kvs = new ArrayList<>(v.getKvlistValue().getValuesList());
                kvs.sort(Comparator.comparing(KeyValue::getKey));
                for (int i = 0; i < kvs.size(); i++) {
                    if (i > 0) {
                        b.append(',');
                    }
                    GoJson.quote(b, kvs.get(i).getKey());
                    b.append(':');
                    jsonInto(b, kvs.get(i).getValue());
                }
                b.append('}');
            }
            default -> b.append("null");
        }
    }
}

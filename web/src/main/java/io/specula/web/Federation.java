package io.specula.web;

import io.specula.model.exposition.GoFloat;
import io.specula.model.labels.Labels;
import io.specula.model.labels.Matcher;
import io.specula.model.value.StaleNaN;
import io.specula.promql.parser.ParseException;
import io.specula.promql.parser.PromQLParser;
import io.specula.tsdb.DB;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.SelectHints;
import io.specula.tsdb.storage.SeriesSet;
import io.specula.tsdb.storage.ValueType;
import io.specula.model.exposition.proto.BucketSpan;
import io.specula.model.exposition.proto.DelimitedMetricFamilies;
import io.specula.model.exposition.proto.LabelPair;
import io.specula.model.exposition.proto.Metric;
import io.specula.model.exposition.proto.MetricFamily;
import io.specula.model.exposition.proto.MetricType;
import io.specula.model.exposition.proto.Untyped;
import io.specula.model.histogram.CounterResetHint;
import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Spans;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /federate}: the latest sample within the lookback delta of every series any
 * {@code match[]} selects, as Prometheus writes it, in one of two formats chosen by the Accept
 * header ({@link #negotiate}, Prometheus's {@code expfmt.Negotiate}):
 * <ul>
 *   <li>the text format 0.0.4: families sorted by name, each with {@code # TYPE name untyped};
 *       series whose latest sample is a native histogram are left out (text cannot carry them);
 *   <li>delimited protobuf ({@link DelimitedMetricFamilies#MEDIA_TYPE}): one family per run of
 *       series with the same name and sample kind, {@code UNTYPED} for floats, {@code HISTOGRAM}
 *       or {@code GAUGE_HISTOGRAM} (by the counter-reset hint) for native histograms, which go
 *       out with float counts, spans and absolute bucket counts.
 * </ul>
 * Both: a series' own labels first, then the external labels it does not have (plus
 * {@code instance=""} when it has no instance), with the sample's timestamp. Stale markers are
 * left out.
 */
final class Federation {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private Federation() {}

    /** A selector that does not parse: answered with its message and 400. */
    static final class BadSelector extends Exception {
        BadSelector(String message) {
            super(message, null, false, false);
        }
    }

    /** The latest sample of a series: a float {@code v}, or the native histogram {@code h} when not null. */
    private record Point(Labels labels, long t, double v, FloatHistogram h) {}

    /** Whether the Accept header asks for delimited protobuf before any text format Prometheus's federation serves. */
    static boolean negotiateProtobuf(String accept) {
        if (accept == null) {
            return false;
        }
        record Range(String type, Map<String, String> params, double q) {}
        List<Range> ranges = new ArrayList<>();
        for (String part : accept.split(",")) {
            String[] fields = part.split(";");
            String type = fields[0].strip().toLowerCase(java.util.Locale.ROOT);
            if (type.isEmpty()) {
                continue;
            }
            Map<String, String> params = new java.util.HashMap<>();
            double q = 1;
            for (int i = 1; i < fields.length; i++) {
                int eq = fields[i].indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String k = fields[i].substring(0, eq).strip(), v = fields[i].substring(eq + 1).strip();
                if (k.equals("q")) {
                    try {
                        q = Double.parseDouble(v);
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                } else {
                    params.put(k, v);
                }
            }
            ranges.add(new Range(type, params, q));
        }
        ranges.sort(Comparator.comparingDouble((Range r) -> -r.q())); // stable: equal q keeps header order
        for (Range r : ranges) {
            if (r.type().equals("application/vnd.google.protobuf")
                    && "io.prometheus.client.MetricFamily".equals(r.params().get("proto"))) {
                // Only the delimited encoding is served; text encodings of protobuf fall through to text.
                if ("delimited".equals(r.params().get("encoding"))) {
                    return true;
                }
            } else if (r.type().equals("text/plain")
                    && (r.params().get("version") == null || "0.0.4".equals(r.params().get("version")))) {
                return false;
            }
        }
        return false;
    }

    /** The text format 0.0.4 answer. */
    static String render(DB db, List<String> selectors, Labels external, long nowMs, long lookbackMs)
            throws BadSelector, IOException {
        List<Point> points = select(db, selectors, nowMs, lookbackMs);
        TreeMap<String, String> ext = externalWithInstance(external);
        StringBuilder sb = new StringBuilder();
        String family = null;
        for (Point p : points) {
            if (p.h != null) {
                continue; // as Prometheus: the text format has no native histograms
            }
            String name = p.labels.metricName() == null ? "" : p.labels.metricName();
            if (!name.equals(family)) {
                family = name;
                sb.append("# TYPE ").append(name).append(" untyped\n");
            }
            sb.append(name);
            char sep = '{';
            for (int i = 0; i < p.labels.size(); i++) {
                if (!p.labels.name(i).equals(Labels.METRIC_NAME)) {
                    label(sb.append(sep), p.labels.name(i), p.labels.value(i));
                    sep = ',';
                }
            }
            for (var e : ext.entrySet()) {
                if (!p.labels.has(e.getKey())) {
                    label(sb.append(sep), e.getKey(), e.getValue());
                    sep = ',';
                }
            }
            if (sep == ',') {
                sb.append('}');
            }
            sb.append(' ').append(GoFloat.format(p.v)).append(' ').append(p.t).append('\n');
        }
        return sb.toString();
    }

    /** The delimited protobuf answer ({@link DelimitedMetricFamilies#MEDIA_TYPE}). */
    static byte[] renderProtobuf(DB db, List<String> selectors, Labels external, long nowMs, long lookbackMs)
            throws BadSelector, IOException {
        List<Point> points = select(db, selectors, nowMs, lookbackMs);
        TreeMap<String, String> ext = externalWithInstance(external);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MetricFamily.Builder family = null;
        String lastName = null;
        boolean lastHistogram = false, lastGauge = false;
        for (Point p : points) {
            String name = p.labels.metricName();
            if (name == null || name.isEmpty()) {
                continue; // Prometheus ignores nameless series
            }
            boolean histogram = p.h != null;
            boolean gauge = histogram && p.h.counterResetHint == CounterResetHint.GAUGE;
            if (family == null || !name.equals(lastName) || histogram != lastHistogram || (histogram && gauge != lastGauge)) {
                if (family != null) {
                    DelimitedMetricFamilies.write(family.build(), out);
                }
                family = MetricFamily.newBuilder().setName(name)
                        .setType(!histogram ? MetricType.UNTYPED : gauge ? MetricType.GAUGE_HISTOGRAM : MetricType.HISTOGRAM);
                lastName = name;
                lastHistogram = histogram;
                lastGauge = gauge;
            }
            Metric.Builder m = Metric.newBuilder();
            for (int i = 0; i < p.labels.size(); i++) {
                String n = p.labels.name(i), v = p.labels.value(i);
                if (!n.equals(Labels.METRIC_NAME) && !v.isEmpty()) {
                    m.addLabel(LabelPair.newBuilder().setName(n).setValue(v));
                }
            }
            for (var e : ext.entrySet()) {
                if (!p.labels.has(e.getKey())) {
                    m.addLabel(LabelPair.newBuilder().setName(e.getKey()).setValue(e.getValue()));
                }
            }
            m.setTimestampMs(p.t);
            if (!histogram) {
                m.setUntyped(Untyped.newBuilder().setValue(p.v));
            } else {
                m.setHistogram(histogram(p.h));
            }
            family.addMetric(m);
        }
        if (family != null) {
            DelimitedMetricFamilies.write(family.build(), out);
        }
        return out.toByteArray();
    }

    private static io.specula.model.exposition.proto.Histogram.Builder histogram(FloatHistogram h) {
        var b = io.specula.model.exposition.proto.Histogram.newBuilder().setSampleCountFloat(h.count).setSampleSum(h.sum)
                .setSchema(h.schema).setZeroThreshold(h.zeroThreshold).setZeroCountFloat(h.zeroCount);
        for (double c : h.negativeBuckets) {
            b.addNegativeCount(c);
        }
        for (double c : h.positiveBuckets) {
            b.addPositiveCount(c);
        }
        for (int k = 0; k < Spans.count(h.negativeSpans); k++) {
            b.addNegativeSpan(BucketSpan.newBuilder().setOffset(h.negativeSpans[2 * k]).setLength(h.negativeSpans[2 * k + 1]));
        }
        for (int k = 0; k < Spans.count(h.positiveSpans); k++) {
            b.addPositiveSpan(BucketSpan.newBuilder().setOffset(h.positiveSpans[2 * k]).setLength(h.positiveSpans[2 * k + 1]));
        }
        return b;
    }

    /** External labels plus an empty instance, in name order (a builder would drop the empty value). */
    private static TreeMap<String, String> externalWithInstance(Labels external) {
        TreeMap<String, String> ext = new TreeMap<>();
        external.forEach(ext::put);
        ext.putIfAbsent("instance", "");
        return ext;
    }

    /** The latest non-stale sample of every selected series, by metric name and then labels. */
    private static List<Point> select(DB db, List<String> selectors, long nowMs, long lookbackMs)
            throws BadSelector, IOException {
        List<Matcher[]> sets = new ArrayList<>();
        for (String s : selectors) {
            try {
                sets.add(PromQLParser.parseMetricSelector(s).toArray(new Matcher[0]));
            } catch (ParseException e) {
                throw new BadSelector(e.getMessage());
            }
        }
        long mint = nowMs - lookbackMs;
        TreeMap<Labels, Point> latest = new TreeMap<>();
        try (Querier q = db.querier(mint, nowMs)) {
            SelectHints hints = new SelectHints(mint, nowMs, 0, null, 0);
            SampleIterator it = null;
            for (Matcher[] set : sets) {
                SeriesSet ss = q.select(true, hints, set);
                while (ss.next()) {
                    Labels l = ss.at().labels();
                    if (latest.containsKey(l)) {
                        continue;
                    }
                    it = ss.at().iterator(it);
                    long t = Long.MIN_VALUE;
                    double v = 0;
                    int lastType = ValueType.NONE;
                    FloatHistogram h = null; // one per series: the point keeps it
                    for (int vt = it.seek(mint + 1); vt != ValueType.NONE; vt = it.next()) {
                        if (it.atT() > nowMs) {
                            break;
                        }
                        t = it.atT();
                        lastType = vt;
                        if (vt == ValueType.FLOAT) {
                            v = it.atV();
                        } else {
                            h = it.atFloatHistogram(h);
                        }
                    }
                    if (lastType == ValueType.FLOAT && !StaleNaN.is(v)) {
                        latest.put(l, new Point(l, t, v, null));
                    } else if (lastType != ValueType.FLOAT && lastType != ValueType.NONE && !h.isStale()) {
                        latest.put(l, new Point(l, t, 0, h));
                    }
                }
                if (ss.err() != null) {
                    throw new IOException(ss.err().getMessage(), ss.err());
                }
            }
        }
        List<Point> points = new ArrayList<>(latest.values());
        points.sort(Comparator.comparing((Point p) -> p.labels.metricName() == null ? "" : p.labels.metricName())
                .thenComparing(Point::labels));
        return points;
    }

    private static void label(StringBuilder sb, String name, String value) {
        sb.append(name).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        sb.append('"');
    }
}

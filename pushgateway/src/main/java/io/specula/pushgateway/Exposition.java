package io.specula.pushgateway;

import io.specula.model.exposition.GoFloat;
import io.specula.model.labels.Labels;
import io.specula.model.exposition.proto.Bucket;
import io.specula.model.exposition.proto.DelimitedMetricFamilies;
import io.specula.model.exposition.proto.Histogram;
import io.specula.model.exposition.proto.LabelPair;
import io.specula.model.exposition.proto.Metric;
import io.specula.model.exposition.proto.MetricFamily;
import io.specula.model.exposition.proto.Quantile;
import io.specula.model.exposition.proto.Summary;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What the gateway's telemetry path serves: its own families and the pushed ones, sorted as the
 * Go client library sorts a scrape (families by name; series by label count, then by label
 * values in order), in text format 0.0.4 or, when the scraper asks for it, delimited protobuf.
 *
 * <p>The text is written from the protobuf families directly (not through Specula's exposition
 * writers) because pushed series keep empty label values ({@code instance=""}) in their label
 * pairs, as the Pushgateway writes them.
 */
final class Exposition {
    private Exposition() {}

    static final String TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** Sorted families, without the empty ones. */
    static List<MetricFamily> normalize(List<MetricFamily> families) {
        List<MetricFamily> out = new ArrayList<>(families.size());
        for (MetricFamily mf : families) {
            if (mf.getMetricCount() == 0) {
                continue;
            }
            List<Metric> metrics = new ArrayList<>(mf.getMetricList());
            metrics.sort(Exposition::compareMetrics);
            out.add(mf.toBuilder().clearMetric().addAllMetric(metrics).build());
        }
        out.sort(Comparator.comparing(MetricFamily::getName));
        return out;
    }

    static int compareMetrics(Metric a, Metric b) {
        if (a.getLabelCount() != b.getLabelCount()) {
            return Integer.compare(a.getLabelCount(), b.getLabelCount());
        }
        for (int i = 0; i < a.getLabelCount(); i++) {
            int c = Labels.compareUtf8(a.getLabel(i).getValue(), b.getLabel(i).getValue());
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    static void writeProtobuf(List<MetricFamily> families, OutputStream out) throws IOException {
        for (MetricFamily mf : families) {
            DelimitedMetricFamilies.write(mf, out);
        }
    }

    static void writeText(List<MetricFamily> families, Writer w) throws IOException {
        StringBuilder b = new StringBuilder(256);
        for (MetricFamily mf : families) {
            b.setLength(0);
            String name = mf.getName();
            if (mf.hasHelp()) {
                b.append("# HELP ").append(name).append(' ');
                escape(b, mf.getHelp(), false);
                b.append('\n');
            }
            b.append("# TYPE ").append(name).append(' ').append(switch (mf.getType()) {
                case COUNTER -> "counter";
                case GAUGE -> "gauge";
                case SUMMARY -> "summary";
                case HISTOGRAM, GAUGE_HISTOGRAM -> "histogram";
                default -> "untyped";
            }).append('\n');
            for (Metric m : mf.getMetricList()) {
                switch (mf.getType()) {
                    case COUNTER -> sample(b, name, m, null, 0, m.getCounter().getValue());
                    case GAUGE -> sample(b, name, m, null, 0, m.getGauge().getValue());
                    case SUMMARY -> {
                        Summary s = m.getSummary();
                        for (Quantile q : s.getQuantileList()) {
                            sample(b, name, m, "quantile", q.getQuantile(), q.getValue());
                        }
                        sample(b, name + "_sum", m, null, 0, s.getSampleSum());
                        sampleUint(b, name + "_count", m, s.getSampleCount());
                    }
                    case HISTOGRAM, GAUGE_HISTOGRAM -> histogram(b, name, m);
                    default -> sample(b, name, m, null, 0, m.getUntyped().getValue());
                }
            }
            w.append(b);
        }
    }

    private static void histogram(StringBuilder b, String name, Metric m) {
        Histogram h = m.getHistogram();
        boolean infSeen = false;
        for (Bucket k : h.getBucketList()) {
            double count = k.hasCumulativeCountFloat() ? k.getCumulativeCountFloat() : unsigned(k.getCumulativeCount());
            sample(b, name + "_bucket", m, "le", k.getUpperBound(), count);
            infSeen |= k.getUpperBound() == Double.POSITIVE_INFINITY;
        }
        double total = h.hasSampleCountFloat() ? h.getSampleCountFloat() : unsigned(h.getSampleCount());
        if (!infSeen) {
            sample(b, name + "_bucket", m, "le", Double.POSITIVE_INFINITY, total);
        }
        sample(b, name + "_sum", m, null, 0, h.getSampleSum());
        if (h.hasSampleCountFloat()) {
            sample(b, name + "_count", m, null, 0, total);
        } else {
            sampleUint(b, name + "_count", m, h.getSampleCount());
        }
    }

    private static double unsigned(long v) {
        return v >= 0 ? v : (v >>> 1) * 2.0 + (v & 1);
    }

    private static void sample(StringBuilder b, String name, Metric m, String extra, double extraValue, double value) {
        labels(b, name, m, extra, extraValue);
        b.append(goFloat(value)).append('\n');
    }

    private static void sampleUint(StringBuilder b, String name, Metric m, long value) {
        labels(b, name, m, null, 0);
        b.append(Long.toUnsignedString(value)).append('\n');
    }

    private static void labels(StringBuilder b, String name, Metric m, String extra, double extraValue) {
        b.append(name);
        if (m.getLabelCount() > 0 || extra != null) {
            b.append('{');
            boolean first = true;
            for (LabelPair lp : m.getLabelList()) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                b.append(lp.getName()).append("=\"");
                escape(b, lp.getValue(), true);
                b.append('"');
            }
            if (extra != null) {
                if (!first) {
                    b.append(',');
                }
                b.append(extra).append("=\"").append(goFloat(extraValue)).append('"');
            }
            b.append('}');
        }
        b.append(' ');
    }

    /** The Go text writer's float: Go's shortest form, but negative zero as {@code 0}. */
    private static String goFloat(double v) {
        return v == 0 ? "0" : GoFloat.format(v);
    }

    private static void escape(StringBuilder b, String s, boolean quotes) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '"' -> b.append(quotes ? "\\\"" : "\"");
                default -> b.append(c);
            }
        }
    }
}

package io.specula.pushgateway;

import com.google.protobuf.Timestamp;
import io.specula.model.exposition.GoFloat;
import io.specula.model.exposition.proto.Bucket;
import io.specula.model.exposition.proto.BucketSpan;
import io.specula.model.exposition.proto.Exemplar;
import io.specula.model.exposition.proto.Histogram;
import io.specula.model.exposition.proto.LabelPair;
import io.specula.model.exposition.proto.Metric;
import io.specula.model.exposition.proto.Quantile;
import io.specula.model.exposition.proto.Summary;
import java.util.List;

/**
 * A metric in the compact protobuf text form the Pushgateway's consistency errors print
 * ({@code label:<name:"job" value:"a" > gauge:<value:1 > }): set fields in declaration order,
 * each followed by a space, messages in angle brackets, strings with C escapes and octal for
 * bytes outside printable ASCII, floats as Go's shortest {@code 'g'} with {@code inf}/{@code nan}.
 */
final class ProtoText {
    private ProtoText() {}

    static String compact(Metric m) {
        StringBuilder b = new StringBuilder();
        for (LabelPair l : m.getLabelList()) {
            open(b, "label");
            labelPair(b, l);
            close(b);
        }
        if (m.hasGauge()) {
            open(b, "gauge");
            if (m.getGauge().hasValue()) {
                dbl(b, "value", m.getGauge().getValue());
            }
            close(b);
        }
        if (m.hasCounter()) {
            open(b, "counter");
            if (m.getCounter().hasValue()) {
                dbl(b, "value", m.getCounter().getValue());
            }
            if (m.getCounter().hasExemplar()) {
                exemplar(b, "exemplar", m.getCounter().getExemplar());
            }
            close(b);
        }
        if (m.hasSummary()) {
            Summary s = m.getSummary();
            open(b, "summary");
            if (s.hasSampleCount()) {
                uint(b, "sample_count", s.getSampleCount());
            }
            if (s.hasSampleSum()) {
                dbl(b, "sample_sum", s.getSampleSum());
            }
            for (Quantile q : s.getQuantileList()) {
                open(b, "quantile");
                if (q.hasQuantile()) {
                    dbl(b, "quantile", q.getQuantile());
                }
                if (q.hasValue()) {
                    dbl(b, "value", q.getValue());
                }
                close(b);
            }
            close(b);
        }
        if (m.hasUntyped()) {
            open(b, "untyped");
            if (m.getUntyped().hasValue()) {
                dbl(b, "value", m.getUntyped().getValue());
            }
            close(b);
        }
        if (m.hasHistogram()) {
            histogram(b, m.getHistogram());
        }
        if (m.hasTimestampMs()) {
            b.append("timestamp_ms:").append(m.getTimestampMs()).append(' ');
        }
        return b.toString();
    }

    private static void histogram(StringBuilder b, Histogram h) {
        open(b, "histogram");
        if (h.hasSampleCount()) {
            uint(b, "sample_count", h.getSampleCount());
        }
        if (h.hasSampleCountFloat()) {
            dbl(b, "sample_count_float", h.getSampleCountFloat());
        }
        if (h.hasSampleSum()) {
            dbl(b, "sample_sum", h.getSampleSum());
        }
        for (Bucket k : h.getBucketList()) {
            open(b, "bucket");
            if (k.hasCumulativeCount()) {
                uint(b, "cumulative_count", k.getCumulativeCount());
            }
            if (k.hasCumulativeCountFloat()) {
                dbl(b, "cumulative_count_float", k.getCumulativeCountFloat());
            }
            if (k.hasUpperBound()) {
                dbl(b, "upper_bound", k.getUpperBound());
            }
            if (k.hasExemplar()) {
                exemplar(b, "exemplar", k.getExemplar());
            }
            close(b);
        }
        if (h.hasSchema()) {
            b.append("schema:").append(h.getSchema()).append(' ');
        }
        if (h.hasZeroThreshold()) {
            dbl(b, "zero_threshold", h.getZeroThreshold());
        }
        if (h.hasZeroCount()) {
            uint(b, "zero_count", h.getZeroCount());
        }
        if (h.hasZeroCountFloat()) {
            dbl(b, "zero_count_float", h.getZeroCountFloat());
        }
        spans(b, "negative_span", h.getNegativeSpanList());
        for (long d : h.getNegativeDeltaList()) {
            b.append("negative_delta:").append(d).append(' ');
        }
        for (double d : h.getNegativeCountList()) {
            dbl(b, "negative_count", d);
        }
        spans(b, "positive_span", h.getPositiveSpanList());
        for (long d : h.getPositiveDeltaList()) {
            b.append("positive_delta:").append(d).append(' ');
        }
        for (double d : h.getPositiveCountList()) {
            dbl(b, "positive_count", d);
        }
        close(b);
    }

    private static void spans(StringBuilder b, String name, List<BucketSpan> spans) {
        for (BucketSpan s : spans) {
            open(b, name);
            if (s.hasOffset()) {
                b.append("offset:").append(s.getOffset()).append(' ');
            }
            if (s.hasLength()) {
                b.append("length:").append(Integer.toUnsignedString(s.getLength())).append(' ');
            }
            close(b);
        }
    }

    private static void exemplar(StringBuilder b, String name, Exemplar e) {
        open(b, name);
        for (LabelPair l : e.getLabelList()) {
            open(b, "label");
            labelPair(b, l);
            close(b);
        }
        if (e.hasValue()) {
            dbl(b, "value", e.getValue());
        }
        if (e.hasTimestamp()) {
            Timestamp t = e.getTimestamp();
            open(b, "timestamp");
            if (t.getSeconds() != 0) {
                b.append("seconds:").append(t.getSeconds()).append(' ');
            }
            if (t.getNanos() != 0) {
                b.append("nanos:").append(t.getNanos()).append(' ');
            }
            close(b);
        }
        close(b);
    }

    private static void labelPair(StringBuilder b, LabelPair l) {
        if (l.hasName()) {
            str(b, "name", l.getName());
        }
        if (l.hasValue()) {
            str(b, "value", l.getValue());
        }
    }

    private static void open(StringBuilder b, String name) {
        b.append(name).append(":<");
    }

    private static void close(StringBuilder b) {
        b.append("> ");
    }

    private static void uint(StringBuilder b, String name, long v) {
        b.append(name).append(':').append(Long.toUnsignedString(v)).append(' ');
    }

    private static void dbl(StringBuilder b, String name, double v) {
        b.append(name).append(':');
        if (Double.isNaN(v)) {
            b.append("nan");
        } else if (v == Double.POSITIVE_INFINITY) {
            b.append("inf");
        } else if (v == Double.NEGATIVE_INFINITY) {
            b.append("-inf");
        } else {
            b.append(GoFloat.format(v));
        }
        b.append(' ');
    }

    private static void str(StringBuilder b, String name, String s) {
        b.append(name).append(":\"");
        for (byte c : GoQuote.goBytes(s)) {
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    int u = c & 0xff;
                    if (u >= 0x20 && u < 0x7f) {
                        b.append((char) u);
                    } else {
                        b.append('\\').append((char) ('0' + (u >> 6))).append((char) ('0' + ((u >> 3) & 7)))
                                .append((char) ('0' + (u & 7)));
                    }
                }
            }
        }
        b.append("\" ");
    }
}

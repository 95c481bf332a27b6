package io.specula.promql.parser;

import io.specula.model.exposition.GoFloat;
import io.specula.model.histogram.CounterResetHint;
import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Schemas;
import io.specula.model.histogram.Spans;
import java.util.ArrayList;
import java.util.List;

/**
 * The native-histogram notation of PromQL test scripts, read and written as Prometheus does:
 * {@code {{schema:0 count:4 sum:5 z_bucket:1 z_bucket_w:0.001 offset:-1 buckets:[1 2 1]
 * n_offset:0 n_buckets:[1] custom_values:[1 5] counter_reset_hint:gauge}}}. Every key is
 * optional; buckets are absolute counts in one span starting at {@code offset} (0 by default).
 */
public final class HistogramNotation {
    private HistogramNotation() {}

    /**
     * Parses one {@code {{...}}} item.
     *
     * @throws ParseException naming the offending key or value
     */
    public static FloatHistogram parse(String text) throws ParseException {
        String t = text.strip();
        if (!t.startsWith("{{") || !t.endsWith("}}")) {
            throw error(text, 0, "histogram description must be enclosed in {{ }}");
        }
        String body = t.substring(2, t.length() - 2);
        FloatHistogram h = new FloatHistogram();
        double[] buckets = null;
        double[] nBuckets = null;
        int offset = 0;
        int nOffset = 0;
        int pos = 0;
        while (true) {
            while (pos < body.length() && Character.isWhitespace(body.charAt(pos))) {
                pos++;
            }
            if (pos >= body.length()) {
                break;
            }
            int colon = body.indexOf(':', pos);
            if (colon < 0) {
                throw error(text, pos + 2, "expected key:value in histogram description");
            }
            String key = body.substring(pos, colon);
            pos = colon + 1;
            int end;
            String value;
            if (pos < body.length() && body.charAt(pos) == '[') {
                end = body.indexOf(']', pos);
                if (end < 0) {
                    throw error(text, pos + 2, "unterminated list for " + key);
                }
                value = body.substring(pos, end + 1);
                end++;
            } else {
                end = pos;
                while (end < body.length() && !Character.isWhitespace(body.charAt(end))) {
                    end++;
                }
                value = body.substring(pos, end);
            }
            try {
                switch (key) {
                    case "schema" -> h.schema = Integer.parseInt(value);
                    case "sum" -> h.sum = number(value);
                    case "count" -> h.count = number(value);
                    case "z_bucket" -> h.zeroCount = number(value);
                    case "z_bucket_w" -> h.zeroThreshold = number(value);
                    case "offset" -> offset = Integer.parseInt(value);
                    case "n_offset" -> nOffset = Integer.parseInt(value);
                    case "buckets" -> buckets = list(value);
                    case "n_buckets" -> nBuckets = list(value);
                    case "custom_values" -> h.customValues = list(value);
                    case "counter_reset_hint" -> h.counterResetHint = switch (value) {
                        case "unknown" -> CounterResetHint.UNKNOWN;
                        case "reset" -> CounterResetHint.COUNTER_RESET;
                        case "not_reset" -> CounterResetHint.NOT_COUNTER_RESET;
                        case "gauge" -> CounterResetHint.GAUGE;
                        default -> throw new NumberFormatException("invalid counter reset hint " + GoStrings.quote(value));
                    };
                    default -> throw error(text, pos + 2, "unknown histogram field " + GoStrings.quote(key));
                }
            } catch (NumberFormatException e) {
                throw error(text, pos + 2, "invalid value " + GoStrings.quote(value) + " for " + key + ": " + e.getMessage());
            }
            pos = end;
        }
        if (buckets != null && buckets.length > 0) {
            h.positiveSpans = Spans.of(offset, buckets.length);
            h.positiveBuckets = buckets;
        }
        if (nBuckets != null && nBuckets.length > 0) {
            h.negativeSpans = Spans.of(nOffset, nBuckets.length);
            h.negativeBuckets = nBuckets;
        }
        return h;
    }

    private static ParseException error(String text, int pos, String detail) {
        return new ParseException(text, new PositionRange(pos, pos + 1), detail);
    }

    private static double number(String s) {
        return switch (s) {
            case "Inf", "+Inf", "inf", "+inf" -> Double.POSITIVE_INFINITY;
            case "-Inf", "-inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }

    private static double[] list(String s) {
        String inner = s.substring(1, s.length() - 1).strip();
        if (inner.isEmpty()) {
            return new double[0];
        }
        String[] parts = inner.split("\\s+");
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = number(parts[i]);
        }
        return out;
    }

    /**
     * Prometheus's {@code TestExpression}: the histogram compacted into one span per side, zero
     * and default fields left out, numbers as Go's {@code %g}.
     */
    public static String format(FloatHistogram h) {
        FloatHistogram m = h.copy().compact(Integer.MAX_VALUE);
        List<String> res = new ArrayList<>();
        if (m.schema != 0) {
            res.add("schema:" + m.schema);
        }
        if (m.count != 0) {
            res.add("count:" + GoFloat.format(m.count));
        }
        if (m.sum != 0) {
            res.add("sum:" + GoFloat.format(m.sum));
        }
        if (m.zeroCount != 0) {
            res.add("z_bucket:" + GoFloat.format(m.zeroCount));
        }
        if (m.zeroThreshold != 0) {
            res.add("z_bucket_w:" + GoFloat.format(m.zeroThreshold));
        }
        if (Schemas.isCustomBuckets(m.schema)) {
            res.add("custom_values:" + list(m.customValues));
        }
        switch (m.counterResetHint) {
            case CounterResetHint.COUNTER_RESET -> res.add("counter_reset_hint:reset");
            case CounterResetHint.NOT_COUNTER_RESET -> res.add("counter_reset_hint:not_reset");
            case CounterResetHint.GAUGE -> res.add("counter_reset_hint:gauge");
            default -> { }
        }
        addBuckets(res, "buckets", "offset", m.positiveBuckets, m.positiveSpans);
        addBuckets(res, "n_buckets", "n_offset", m.negativeBuckets, m.negativeSpans);
        return "{{" + String.join(" ", res) + "}}";
    }

    private static void addBuckets(List<String> res, String key, String offsetKey, double[] buckets, int[] spans) {
        if (spans.length == 2 && spans[0] != 0) {
            res.add(offsetKey + ":" + spans[0]);
        }
        if (buckets.length > 0) {
            res.add(key + ":" + list(buckets));
        }
    }

    private static String list(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(GoFloat.format(v[i]));
        }
        return sb.append(']').toString();
    }
}

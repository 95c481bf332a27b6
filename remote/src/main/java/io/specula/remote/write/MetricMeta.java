package io.specula.remote.write;

import java.util.HashMap;
import java.util.Map;

/**
 * One metric family's metadata as remote write carries it: the type as the wire enum (the same
 * numbers in 1.0's {@code MetricMetadata.MetricType} and 2.0's {@code Metadata.MetricType}).
 */
record MetricMeta(String family, int type, String help, String unit) {
    static final int UNKNOWN = 0, COUNTER = 1, GAUGE = 2, HISTOGRAM = 3, GAUGEHISTOGRAM = 4, SUMMARY = 5, INFO = 6,
            STATESET = 7;

    static int typeOf(String type) {
        return switch (type) {
            case "counter" -> COUNTER;
            case "gauge" -> GAUGE;
            case "histogram" -> HISTOGRAM;
            case "gaugehistogram" -> GAUGEHISTOGRAM;
            case "summary" -> SUMMARY;
            case "info" -> INFO;
            case "stateset" -> STATESET;
            default -> UNKNOWN;
        };
    }

    /**
     * The metadata of the family a series belongs to: its own name first (a text-format counter's
     * family is {@code x_total}), then the name without the suffix its type adds
     * ({@code _bucket}/{@code _count}/{@code _sum} of histograms and summaries, {@code _total}
     * and {@code _created} of counters, {@code _info}, {@code _gcount}/{@code _gsum}).
     *
     * @return null when no target exposed the family
     */
    static MetricMeta lookup(Map<String, MetricMeta> byFamily, String name) {
        if (name == null || byFamily.isEmpty()) {
            return null;
        }
        MetricMeta m = byFamily.get(name);
        if (m != null) {
            return m;
        }
        int us = name.lastIndexOf('_');
        if (us <= 0) {
            return null;
        }
        m = byFamily.get(name.substring(0, us));
        if (m == null) {
            return null;
        }
        boolean fits = switch (name.substring(us + 1)) {
            case "bucket" -> m.type == HISTOGRAM || m.type == GAUGEHISTOGRAM;
            case "count", "sum", "created" -> m.type == HISTOGRAM || m.type == SUMMARY || m.type == COUNTER && name.endsWith("_created");
            case "gcount", "gsum" -> m.type == GAUGEHISTOGRAM;
            case "total" -> m.type == COUNTER;
            case "info" -> m.type == INFO;
            default -> false;
        };
        return fits ? m : null;
    }

    /** The source's metadata by family name (the last target's wins where they differ). */
    static Map<String, MetricMeta> byFamily(MetadataSource source) {
        Map<String, MetricMeta> out = new HashMap<>();
        source.forEach((f, t, h, u) -> out.put(f, new MetricMeta(f, typeOf(t), h, u)));
        return out;
    }
}

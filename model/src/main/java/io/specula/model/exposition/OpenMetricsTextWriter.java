package io.specula.model.exposition;

import io.specula.model.textparse.Exemplar;
import io.specula.model.textparse.MetricType;
import java.io.OutputStream;
import java.math.BigDecimal;

/**
 * OpenMetrics 1.0 text, byte for byte as Prometheus's Go library ({@code expfmt}) writes it.
 *
 * <ul>
 *   <li>HELP, UNIT and label values escape backslash, line feed and double quote.
 *   <li>Counter and info families lose their {@code _total}/{@code _info} suffix in the
 *       metadata lines; a counter or info family without it is declared {@code unknown}, so
 *       the output stays valid.
 *   <li>Floats use Go's {@code 'g'} layout with {@code ".0"} appended when that would read
 *       as an integer ({@code 1.0}, {@code 0.0}, but {@code 1e+06}); the {@code _count},
 *       {@code _bucket} and {@code _gcount} samples of histograms, gauge histograms and
 *       summaries are integers and are written as such ({@code 17}), as the Go writer does
 *       for these unsigned counts.
 *   <li>Timestamps are seconds, the float {@code millis / 1000.0} in the same layout
 *       ({@code 1.520879607789e+09}); exemplar timestamps the float {@code nanos / 1e9}.
 *   <li>{@link #finish()} writes {@code # EOF}.
 * </ul>
 */
final class OpenMetricsTextWriter extends TextWriterBase {
    private static final double TWO_POW_63 = 9223372036854775808.0;
    private static final double TWO_POW_64 = 18446744073709551616.0;

    /** The current family's name as written in its metadata lines, and its type. */
    private String familyName = "";
    private MetricType familyType = MetricType.UNKNOWN;

    OpenMetricsTextWriter(ExpositionBuffer buf, OutputStream out) {
        super(buf, out);
    }

    @Override
    public String contentType() {
        return ExpositionFormat.OPENMETRICS_CONTENT_TYPE;
    }

    @Override
    void writeFamily(String name, MetricType type, String help, String unit) {
        String shortName = name;
        String typeText = type.text();
        if (type == MetricType.COUNTER || type == MetricType.INFO) {
            String suffix = type == MetricType.COUNTER ? "_total" : "_info";
            if (name.endsWith(suffix) && name.length() > suffix.length()) {
                shortName = name.substring(0, name.length() - suffix.length());
            } else {
                typeText = MetricType.UNKNOWN.text();
            }
        }
        boolean hasUnit = unit != null && !unit.isEmpty();
        if (hasUnit && (type == MetricType.INFO || type == MetricType.STATESET)) {
            throw new IllegalArgumentException("OpenMetrics allows no unit on " + type.text() + " family \"" + name + "\"");
        }
        if (hasUnit && !shortName.endsWith("_" + unit)) {
            throw new IllegalArgumentException(
                    "OpenMetrics requires the name of a family with unit \"" + unit + "\" to end in \"_" + unit
                            + "\", got \"" + shortName + "\"");
        }
        familyName = shortName;
        familyType = type;
        if (help != null) {
            buf.putAscii("# HELP ");
            writeMetricName(shortName);
            buf.put(' ');
            buf.putEscaped(help, true);
            buf.put('\n');
        }
        buf.putAscii("# TYPE ");
        writeMetricName(shortName);
        buf.put(' ');
        buf.putAscii(typeText);
        buf.put('\n');
        if (hasUnit) {
            buf.putAscii("# UNIT ");
            writeMetricName(shortName);
            buf.put(' ');
            buf.putEscaped(unit, true);
            buf.put('\n');
        }
    }

    @Override
    void writeSampleValue(String name, double value) {
        if (isCount(name) && value >= 0 && value < TWO_POW_64 && value == Math.rint(value)) {
            if (value < TWO_POW_63) {
                buf.putLong((long) value);
            } else {
                buf.putAscii(new BigDecimal(value).toBigInteger().toString());
            }
        } else {
            writeFloat(value);
        }
    }

    /** Whether {@code name} is a count sample (bucket, count, gcount) of the current family. */
    private boolean isCount(String name) {
        return switch (familyType) {
            case HISTOGRAM, SUMMARY, GAUGE_HISTOGRAM -> {
                int n = familyName.length();
                if (name.length() <= n || !name.startsWith(familyName)) {
                    yield false;
                }
                int rest = name.length() - n;
                yield (rest == 6 && name.endsWith("_count"))
                        || (rest == 7 && name.endsWith("_bucket"))
                        || (rest == 7 && name.endsWith("_gcount"));
            }
            default -> false;
        };
    }

    @Override
    void writeFloat(double v) {
        if (v == 0) {
            buf.putAscii("0.0");
        } else if (!floats.appendG(buf, v) && Double.isFinite(v)) {
            buf.put('.');
            buf.put('0');
        }
    }

    @Override
    void writeTimestamp(long timestampMillis) {
        writeFloat(timestampMillis / 1000.0);
    }

    @Override
    void writeExemplar(Exemplar exemplar) {
        if (exemplar.labels.isEmpty()) {
            return; // as the Go writer: an exemplar without labels is not written
        }
        buf.putAscii(" # ");
        writeNameAndLabels("", exemplar.labels, null, 0);
        buf.put(' ');
        writeFloat(exemplar.value);
        if (exemplar.hasTimestamp) {
            buf.put(' ');
            // The Go writer converts the exemplar's time to nanoseconds and divides by 1e9,
            // which rounds differently from millis / 1000.0 for some values.
            writeFloat((double) (exemplar.timestamp * 1_000_000L) / 1e9);
        }
    }

    @Override
    void writeTrailer() {
        buf.putAscii("# EOF\n");
    }
}

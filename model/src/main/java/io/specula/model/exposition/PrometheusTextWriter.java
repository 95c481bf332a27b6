package io.specula.model.exposition;

import io.specula.model.textparse.Exemplar;
import io.specula.model.textparse.MetricType;
import java.io.OutputStream;

/**
 * Prometheus text format 0.0.4, byte for byte as Prometheus's Go library ({@code expfmt})
 * writes it: HELP escapes backslash and line feed, label values also the double quote;
 * values in Go's {@code 'g'} layout with {@code 0} for both zeros; timestamps as integer
 * milliseconds. Types the format lacks are mapped to the nearest it has (gauge histogram to
 * histogram, info and stateset to gauge), and exemplars are dropped.
 */
final class PrometheusTextWriter extends TextWriterBase {

    PrometheusTextWriter(ExpositionBuffer buf, OutputStream out) {
        super(buf, out);
    }

    @Override
    public String contentType() {
        return ExpositionFormat.TEXT_CONTENT_TYPE;
    }

    @Override
    void writeFamily(String name, MetricType type, String help, String unit) {
        if (help != null) {
            buf.putAscii("# HELP ");
            writeMetricName(name);
            buf.put(' ');
            buf.putEscaped(help, false);
            buf.put('\n');
        }
        buf.putAscii("# TYPE ");
        writeMetricName(name);
        buf.put(' ');
        buf.putAscii(switch (type) {
            case COUNTER -> "counter";
            case GAUGE, INFO, STATESET -> "gauge";
            case HISTOGRAM, GAUGE_HISTOGRAM -> "histogram";
            case SUMMARY -> "summary";
            case UNKNOWN -> "untyped";
        });
        buf.put('\n');
    }

    @Override
    void writeSampleValue(String name, double value) {
        writeFloat(value);
    }

    @Override
    void writeFloat(double v) {
        if (v == 0) {
            buf.put('0'); // also for -0, as the Go writer's fast path does
        } else {
            floats.appendG(buf, v);
        }
    }

    @Override
    void writeTimestamp(long timestampMillis) {
        buf.putLong(timestampMillis);
    }

    @Override
    void writeExemplar(Exemplar exemplar) {
        // The text format has no exemplars.
    }
}

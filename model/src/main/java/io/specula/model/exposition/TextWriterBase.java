package io.specula.model.exposition;

import io.specula.model.labels.LabelNames;
import io.specula.model.labels.Labels;
import io.specula.model.textparse.Exemplar;
import io.specula.model.textparse.MetricType;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/** What the two text formats share: names, label sets, escaping, buffering. */
abstract sealed class TextWriterBase implements ExpositionWriter permits PrometheusTextWriter, OpenMetricsTextWriter {
    final ExpositionBuffer buf;
    private final OutputStream out; // null: the caller owns buf and reads it after finish()
    final GoFloat floats = new GoFloat();
    private boolean finished;

    TextWriterBase(ExpositionBuffer buf, OutputStream out) {
        this.buf = buf;
        this.out = out;
    }

    @Override
    public final void family(String name, MetricType type, String help, String unit) throws IOException {
        checkOpen();
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("metric family without a name");
        }
        writeFamily(name, type == null ? MetricType.UNKNOWN : type, help, unit);
        maybeFlush();
    }

    abstract void writeFamily(String name, MetricType type, String help, String unit);

    @Override
    public final void sample(String name, Labels labels, double value, long timestampMillis, Exemplar exemplar)
            throws IOException {
        sample(name, labels, null, 0, value, timestampMillis, exemplar);
    }

    @Override
    public final void sample(String name, Labels labels, String boundLabel, double bound, double value,
            long timestampMillis, Exemplar exemplar) throws IOException {
        checkOpen();
        writeNameAndLabels(name, labels, boundLabel, bound);
        buf.put(' ');
        writeSampleValue(name, value);
        if (timestampMillis != NO_TIMESTAMP) {
            buf.put(' ');
            writeTimestamp(timestampMillis);
        }
        if (exemplar != null) {
            writeExemplar(exemplar);
        }
        buf.put('\n');
        maybeFlush();
    }

    abstract void writeSampleValue(String name, double value);

    abstract void writeTimestamp(long timestampMillis);

    abstract void writeExemplar(Exemplar exemplar);

    /** A float in this format's layout (sample values, bounds, exemplar values). */
    abstract void writeFloat(double v);

    @Override
    public final void finish() throws IOException {
        checkOpen();
        writeTrailer();
        finished = true;
        if (out != null) {
            buf.writeTo(out);
            buf.reset();
            out.flush();
        }
    }

    void writeTrailer() {}

    private void checkOpen() {
        if (finished) {
            throw new IllegalStateException("exposition writer already finished");
        }
    }

    private void maybeFlush() throws IOException {
        if (out != null && buf.size() >= ExpositionFormat.FLUSH_THRESHOLD) {
            buf.writeTo(out);
            buf.reset();
        }
    }

    /** A metric name as written in HELP/TYPE/UNIT lines: bare when legacy-valid, else quoted. */
    final void writeMetricName(String name) {
        if (LabelNames.isValidLegacyMetricName(name)) {
            buf.putUtf8(name);
        } else {
            writeQuoted(name);
        }
    }

    /**
     * A label name: bare when legacy-valid, else quoted. Prometheus's Go writer tests label
     * names with the metric-name rule, which lets a colon through unquoted and so produces
     * {@code a:b="x"} that no parser accepts; we quote such names instead.
     */
    final void writeLabelName(String name) {
        if (LabelNames.isValidLegacyLabelName(name)) {
            buf.putUtf8(name);
        } else {
            writeQuoted(name);
        }
    }

    private void writeQuoted(String s) {
        buf.put('"');
        buf.putEscaped(s, true);
        buf.put('"');
    }

    /**
     * {@code name{a="1",b="2",bound="0.5"}}: braces only when there is something inside; a
     * name that is not legacy-valid goes inside them, quoted ({@code {"a.b",c="d"}}).
     */
    final void writeNameAndLabels(String name, Labels labels, String boundLabel, double bound) {
        Objects.requireNonNull(name, "name");
        char sep = '{';
        if (name.isEmpty()) {
            // Exemplar label sets have no name.
        } else if (LabelNames.isValidLegacyMetricName(name)) {
            buf.putUtf8(name);
        } else {
            buf.put('{');
            writeQuoted(name);
            sep = ',';
        }
        for (int i = 0, n = labels.size(); i < n; i++) {
            String ln = labels.name(i);
            if (ln.equals(Labels.METRIC_NAME)) {
                continue;
            }
            buf.put(sep);
            writeLabelName(ln);
            buf.put('=');
            buf.put('"');
            buf.putEscaped(labels.value(i), true);
            buf.put('"');
            sep = ',';
        }
        if (boundLabel != null) {
            buf.put(sep);
            writeLabelName(boundLabel);
            buf.put('=');
            buf.put('"');
            writeFloat(bound);
            buf.put('"');
            sep = ',';
        }
        if (sep == ',') {
            buf.put('}');
        }
    }
}

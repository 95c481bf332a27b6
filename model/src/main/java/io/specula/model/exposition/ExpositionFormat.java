package io.specula.model.exposition;

import java.io.OutputStream;
import java.util.Objects;

/**
 * The text exposition formats Specula writes, with their HTTP content types.
 *
 * <p>Writers come in two ownership modes. {@link #newWriter(ExpositionBuffer)} appends to a
 * buffer the caller owns and reads after {@link ExpositionWriter#finish()} (the buffer can be
 * reset and reused for the next body). {@link #newWriter(OutputStream)} owns a private
 * buffer and hands it to the stream whenever it passes {@value #FLUSH_THRESHOLD} bytes, so a
 * large body never sits in memory whole.
 */
public enum ExpositionFormat {
    /** Prometheus text format 0.0.4. */
    PROMETHEUS_TEXT("text/plain; version=0.0.4; charset=utf-8"),
    /** OpenMetrics 1.0.0 text. */
    OPENMETRICS_TEXT("application/openmetrics-text; version=1.0.0; charset=utf-8");

    /** {@code Content-Type} of the Prometheus text format 0.0.4. */
    public static final String TEXT_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** {@code Content-Type} of OpenMetrics 1.0.0 text. */
    public static final String OPENMETRICS_CONTENT_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    /** A stream writer flushes its buffer to the stream once it holds this many bytes. */
    public static final int FLUSH_THRESHOLD = 32 * 1024;

    private final String contentType;

    ExpositionFormat(String contentType) {
        this.contentType = contentType;
    }

    /** The content type of a body whose names are all legacy-valid (what Prometheus 2 understands). */
    public String contentType() {
        return contentType;
    }

    /**
     * The content type to send when the body may hold quoted UTF-8 names: the base type with
     * {@code escaping=allow-utf-8} appended, as Prometheus's Go library marks such bodies.
     * Send it only to a scraper that asked for it in its {@code Accept} header.
     */
    public String contentTypeAllowingUtf8Names() {
        return contentType + "; escaping=allow-utf-8";
    }

    /** A writer appending to {@code buffer}, which the caller keeps owning. */
    public ExpositionWriter newWriter(ExpositionBuffer buffer) {
        Objects.requireNonNull(buffer, "buffer");
        return create(buffer, null);
    }

    /** A writer to {@code out} through a private buffer; {@code finish()} flushes but does not close {@code out}. */
    public ExpositionWriter newWriter(OutputStream out) {
        Objects.requireNonNull(out, "out");
        return create(new ExpositionBuffer(FLUSH_THRESHOLD + 4096), out);
    }

    private ExpositionWriter create(ExpositionBuffer buffer, OutputStream out) {
        return switch (this) {
            case PROMETHEUS_TEXT -> new PrometheusTextWriter(buffer, out);
            case OPENMETRICS_TEXT -> new OpenMetricsTextWriter(buffer, out);
        };
    }
}

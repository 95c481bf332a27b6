package io.specula.model.textparse;

/**
 * Chooses and creates the parser for a scrape response, with the decisions of Prometheus 3's
 * {@code textparse.New} and its {@code fallback_scrape_protocol}:
 *
 * <ul>
 *   <li>{@code application/openmetrics-text} → {@link OpenMetricsParser}, {@code text/plain} →
 *       {@link PromTextParser}, whatever their parameters ({@code version}, {@code charset}, …);
 *       {@code application/vnd.google.protobuf} → protobuf, which Specula does not parse yet.
 *   <li>A blank Content-Type, one Go's {@code mime.ParseMediaType} refuses, or any other media
 *       type → the fallback protocol's format with a warning, or an error naming the
 *       Content-Type when there is no fallback.
 * </ul>
 *
 * <p>Stateless and thread-safe; every parser it returns is a new, single-threaded object.
 */
public final class Parsers {
    private Parsers() {}

    public static final String OPENMETRICS_MEDIA_TYPE = "application/openmetrics-text";
    public static final String TEXT_MEDIA_TYPE = "text/plain";
    public static final String PROTOBUF_MEDIA_TYPE = "application/vnd.google.protobuf";

    /** The exposition formats, by media type. */
    public enum Format {
        PROMETHEUS_TEXT(TEXT_MEDIA_TYPE),
        OPENMETRICS_TEXT(OPENMETRICS_MEDIA_TYPE),
        PROMETHEUS_PROTOBUF(PROTOBUF_MEDIA_TYPE);

        private final String mediaType;

        Format(String mediaType) {
            this.mediaType = mediaType;
        }

        public String mediaType() {
            return mediaType;
        }
    }

    /**
     * The format to parse a response as, and a warning when the Content-Type could not be used
     * and the fallback protocol decided instead (null otherwise). Prometheus logs such warnings
     * and goes on with the scrape.
     */
    public record Choice(Format format, String warning) {}

    /**
     * Decides the format for a response's Content-Type.
     *
     * @param contentType the header value, or null/blank when the response had none
     * @param fallback the target's {@code fallback_scrape_protocol}, or null
     * @throws UnsupportedContentTypeException when the Content-Type is unusable and there is no fallback
     */
    public static Choice choose(String contentType, ScrapeProtocol fallback) throws UnsupportedContentTypeException {
        if (contentType == null || contentType.isEmpty()) {
            if (fallback == null) {
                throw new UnsupportedContentTypeException(
                        "non-compliant scrape target sending blank Content-Type and no fallback_scrape_protocol specified for target");
            }
            return new Choice(fallback.format(), "non-compliant scrape target sending blank Content-Type, using fallback_scrape_protocol \""
                    + fallback.configName() + "\"");
        }
        String mediaType;
        try {
            mediaType = MediaType.parse(contentType);
        } catch (MediaType.Invalid e) {
            if (fallback == null) {
                throw new UnsupportedContentTypeException("cannot parse Content-Type " + Bytes.quote(contentType)
                        + " and no fallback_scrape_protocol for target: " + e.getMessage());
            }
            return new Choice(fallback.format(), "could not parse received Content-Type " + Bytes.quote(contentType)
                    + ", using fallback_scrape_protocol \"" + fallback.configName() + "\": " + e.getMessage());
        }
        for (Format f : Format.values()) {
            if (f.mediaType.equals(mediaType)) {
                return new Choice(f, null);
            }
        }
        if (fallback == null) {
            throw new UnsupportedContentTypeException("received unsupported Content-Type " + Bytes.quote(contentType)
                    + " and no fallback_scrape_protocol specified for target");
        }
        return new Choice(fallback.format(), "received unsupported Content-Type " + Bytes.quote(contentType)
                + ", using fallback_scrape_protocol \"" + fallback.configName() + "\"");
    }

    /**
     * A parser over {@code buf[off, off + len)} for a response's Content-Type; see
     * {@link #choose} for the decision. A fallback warning is dropped here; use {@link #choose}
     * and {@link #create} to log it.
     *
     * @throws UnsupportedContentTypeException as {@link #choose}, or for protobuf
     */
    public static Parser forContentType(String contentType, ScrapeProtocol fallback, byte[] buf, int off, int len)
            throws UnsupportedContentTypeException {
        return create(choose(contentType, fallback).format(), buf, off, len);
    }

    /**
     * A parser of the format over {@code buf[off, off + len)}.
     *
     * @throws UnsupportedContentTypeException for {@link Format#PROMETHEUS_PROTOBUF}, not supported yet
     */
    public static Parser create(Format format, byte[] buf, int off, int len) throws UnsupportedContentTypeException {
        return switch (format) {
            case PROMETHEUS_TEXT -> new PromTextParser(buf, off, len);
            case OPENMETRICS_TEXT -> new OpenMetricsParser(buf, off, len);
            case PROMETHEUS_PROTOBUF -> throw new UnsupportedContentTypeException(
                    "the protobuf exposition format (" + PROTOBUF_MEDIA_TYPE + ") is not supported yet;"
                            + " remove PrometheusProto from scrape_protocols so targets answer with text");
        };
    }

    /** A Prometheus text format parser over {@code buf[off, off + len)}. */
    public static Parser text(byte[] buf, int off, int len) {
        return new PromTextParser(buf, off, len);
    }

    /** An OpenMetrics text parser over {@code buf[off, off + len)}. */
    public static Parser openMetrics(byte[] buf, int off, int len) {
        return new OpenMetricsParser(buf, off, len);
    }
}

package io.specula.remote.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.specula.remote.HttpAnswer;
import io.specula.tsdb.storage.AppendException;
import io.specula.tsdb.storage.Appendable;
import io.specula.tsdb.storage.Appender;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OTLP/HTTP metrics receiver ({@code POST /api/v1/otlp/v1/metrics},
 * {@code --web.enable-otlp-receiver}): an {@code ExportMetricsServiceRequest} in binary
 * protobuf ({@code application/x-protobuf}) or OTLP JSON ({@code application/json}),
 * optionally gzip-compressed, translated by {@link OtlpTranslator} and appended in one
 * transaction.
 *
 * <p>Answers as Prometheus 3 does: 200 with an empty {@code ExportMetricsServiceResponse};
 * 400 for a body that does not decode, an unsupported content type or encoding, and samples the
 * storage refuses (out of order, out of bounds, duplicate — the whole request is rolled back so
 * the exporter does not retry it forever); 500 when the storage fails. Metrics that cannot be
 * translated (delta temporality unless allowed) are dropped with a logged warning and the rest
 * stored. Thread-safe.
 */
public final class OtlpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(OtlpHandler.class);
    public static final String PATH = "/api/v1/otlp/v1/metrics";
    static final String PROTOBUF = "application/x-protobuf";
    static final String JSON = "application/json";
    /** Largest compressed body read (as for remote write). */
    public static final int DEFAULT_MAX_BODY_BYTES = 32 << 20;
    /** Largest body after gunzip: caps what a small gzip bomb can make us allocate. */
    static final int MAX_DECODED_BYTES = 128 << 20;
    static final long MAX_AHEAD_MS = 10 * 60_000L;
    private static final JsonFormat.Parser JSON_PARSER = JsonFormat.parser().ignoringUnknownFields();

    private final Appendable storage;
    private final Supplier<OtlpOptions> options;
    private final LongSupplier clock;
    private final int maxDecodedBytes;

    /** @param options read per request, so a config reload applies to the next one */
    public OtlpHandler(Appendable storage, Supplier<OtlpOptions> options) {
        this(storage, options, System::currentTimeMillis, MAX_DECODED_BYTES);
    }

    OtlpHandler(Appendable storage, Supplier<OtlpOptions> options, LongSupplier clock, int maxDecodedBytes) {
        this.storage = storage;
        this.options = options;
        this.clock = clock;
        this.maxDecodedBytes = maxDecodedBytes;
    }

    /**
     * Handles one request whose body has been read completely.
     *
     * @param contentType the {@code Content-Type} header or null
     * @param contentEncoding the {@code Content-Encoding} header or null
     */
    public HttpAnswer handle(String contentType, String contentEncoding, byte[] body) {
        String media = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!media.equals(PROTOBUF) && !media.equals(JSON)) {
            return error(400, "unsupported content type: " + (contentType == null ? "" : contentType)
                    + ", supported: [" + JSON + ", " + PROTOBUF + "]");
        }
        byte[] raw;
        try {
            raw = decompress(contentEncoding, body);
        } catch (IOException e) {
            return error(400, e.getMessage());
        }
        ExportMetricsServiceRequest req;
        try {
            if (media.equals(PROTOBUF)) {
                req = ExportMetricsServiceRequest.parseFrom(raw);
            } else {
                ExportMetricsServiceRequest.Builder b = ExportMetricsServiceRequest.newBuilder();
                JSON_PARSER.merge(new String(raw, StandardCharsets.UTF_8), b);
                req = b.build();
            }
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            return error(400, "decoding OTLP request: " + e.getMessage());
        }
        return write(req, media);
    }

    private byte[] decompress(String encoding, byte[] body) throws IOException {
        if (encoding == null || encoding.isEmpty()) {
            return body;
        }
        if (!encoding.equalsIgnoreCase("gzip")) {
            throw new IOException("unsupported compression: " + encoding + ". Only \"gzip\" or no compression supported");
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            byte[] out = in.readNBytes(maxDecodedBytes + 1);
            if (out.length > maxDecodedBytes) {
                throw new IOException("decompressed OTLP request exceeds the limit of " + maxDecodedBytes + " bytes");
            }
            return out;
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new IOException("gzip: " + e.getMessage());
        }
    }

    private HttpAnswer write(ExportMetricsServiceRequest req, String media) {
        Appender app = storage.appender();
        OtlpTranslator tr = new OtlpTranslator(options.get(), app, clock.getAsLong() + MAX_AHEAD_MS);
        try {
            tr.translate(req);
        } catch (AppendException e) {
            app.rollback();
            LOG.error("Out of order sample from OTLP write: {}", e.getMessage());
            return error(400, e.getMessage());
        } catch (UnsupportedOperationException e) {
            app.rollback();
            // The storage keeps no native histograms: Prometheus's answer with the feature off.
            return error(500, "native histograms are disabled");
        } catch (RuntimeException e) {
            app.rollback();
            LOG.error("Error appending OTLP write", e);
            return error(500, e.toString());
        }
        try {
            app.commit();
        } catch (IOException | RuntimeException e) {
            LOG.error("Error appending OTLP write", e);
            return error(500, e.toString());
        }
        if (!tr.warnings.isEmpty()) {
            LOG.warn("Error translating OTLP metrics to Prometheus write request: {}", String.join("; ", tr.warnings));
        }
        // An empty ExportMetricsServiceResponse: no bytes in protobuf, {} in JSON.
        return media.equals(PROTOBUF)
                ? new HttpAnswer(200, Map.of(), PROTOBUF, new byte[0])
                : new HttpAnswer(200, Map.of(), JSON, "{}".getBytes(StandardCharsets.UTF_8));
    }

    private static HttpAnswer error(int status, String message) {
        return new HttpAnswer(status, Map.of(), HttpAnswer.TEXT, (message + "\n").getBytes(StandardCharsets.UTF_8));
    }
}

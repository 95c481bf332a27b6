package io.specula.remote;

import com.google.protobuf.InvalidProtocolBufferException;
import io.specula.model.histogram.HistogramException;
import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.remote.prompb.Prompb;
import io.specula.remote.writev2.WriteV2;
import io.specula.tsdb.storage.AppendException;
import io.specula.tsdb.storage.Appendable;
import io.specula.tsdb.storage.Appender;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remote-write receiver ({@code POST /api/v1/write}, {@code --web.enable-remote-write-receiver}):
 * decodes remote write 1.0 ({@code prometheus.WriteRequest}) and 2.0
 * ({@code io.prometheus.write.v2.Request}) and appends float samples in one transaction.
 *
 * <p>Answers as Prometheus's handler does: 204 on success; 415 for a content type or encoding
 * it does not take; 400 for a body that does not decode and for samples the storage refuses
 * (out of order, out of bounds — including more than 10 minutes in the future —, duplicate),
 * with the storage's error text; 5xx for failures a retry may cure. A 1.0 request is all or
 * nothing; a 2.0 request keeps what it could write on a 400 and reports the counts in the
 * {@code X-Prometheus-Remote-Write-*-Written} headers, as the 2.0 specification asks.
 *
 * <p>Native histograms (integer and float counts, every schema including custom buckets) are
 * appended like samples; an invalid one (spans that do not match the buckets, a bad schema, a
 * count that does not add up) is a 400 with the model's validation message: Prometheus answers
 * 500 there, which makes a sender retry a batch that can never succeed. A storage that keeps no
 * histograms gets Prometheus's answer with the feature off (500, {@code native histograms are
 * disabled}). Exemplars go to the storage's exemplar storage (dropped there without
 * {@code exemplar-storage}, as Prometheus does), and a refused one never fails the request;
 * metadata is accepted and counted, not stored (Prometheus 3's {@code /api/v1/metadata} serves
 * the scrape targets' metadata only). Thread-safe.
 */
public final class RemoteWriteHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteWriteHandler.class);
    static final String PROTO_CONTENT_TYPE = "application/x-protobuf";
    public static final String PROTO_V1 = "prometheus.WriteRequest";
    public static final String PROTO_V2 = "io.prometheus.write.v2.Request";
    static final String SAMPLES_WRITTEN = "X-Prometheus-Remote-Write-Samples-Written";
    static final String HISTOGRAMS_WRITTEN = "X-Prometheus-Remote-Write-Histograms-Written";
    static final String EXEMPLARS_WRITTEN = "X-Prometheus-Remote-Write-Exemplars-Written";
    /** Prometheus's {@code maxAheadTime}: samples further in the future are out of bounds. */
    static final long MAX_AHEAD_MS = 10 * 60_000L;
    static final String HISTOGRAMS_DISABLED = "native histograms are disabled";

    /** Largest compressed body read; a sender's batch is typically well under 1 MiB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 32 << 20;
    /** Largest decoded message (Snappy can expand 22×; this caps the allocation). */
    public static final int DEFAULT_MAX_DECODED_BYTES = 128 << 20;

    /** Decoded bytes (KiB) all requests may hold at once; a decoded message is a fraction of its parsed form. */
    private static final int IN_FLIGHT_KIB = 256 << 10;
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT_KIB, true);
    private final List<String> accepted;
    private final Appendable storage;
    private final LongSupplier clock;
    private final int maxDecodedBytes;
    private final LongAdder invalidLabelSamples = new LongAdder();
    private final LongAdder metadataReceived = new LongAdder();

    /** Accepts both protocol versions. */
    public RemoteWriteHandler(Appendable storage) {
        this(storage, List.of(PROTO_V1, PROTO_V2));
    }

    /**
     * @param accepted the protobuf messages to accept ({@code --web.remote-write-receiver.accepted-protobuf-messages})
     * @throws IllegalArgumentException for an unknown message name or an empty list
     */
    public RemoteWriteHandler(Appendable storage, List<String> accepted) {
        this(storage, System::currentTimeMillis, DEFAULT_MAX_DECODED_BYTES, accepted);
    }

    RemoteWriteHandler(Appendable storage, LongSupplier clock, int maxDecodedBytes) {
        this(storage, clock, maxDecodedBytes, List.of(PROTO_V1, PROTO_V2));
    }

    RemoteWriteHandler(Appendable storage, LongSupplier clock, int maxDecodedBytes, List<String> accepted) {
        for (String m : accepted) {
            if (!m.equals(PROTO_V1) && !m.equals(PROTO_V2)) {
                throw new IllegalArgumentException("unknown remote write protobuf message " + m + ", supported: "
                        + PROTO_V1 + ", " + PROTO_V2);
            }
        }
        if (accepted.isEmpty()) {
            throw new IllegalArgumentException("no remote write protobuf message accepted");
        }
        this.accepted = List.copyOf(accepted);
        this.storage = storage;
        this.clock = clock;
        this.maxDecodedBytes = maxDecodedBytes;
    }

    /** Samples (and histograms) dropped because of invalid labels ({@code prometheus_api_remote_write_invalid_labels_samples_total}). */
    public long invalidLabelSamples() {
        return invalidLabelSamples.sum();
    }

    /** Metadata entries received (accepted, not stored yet). */
    public long metadataReceived() {
        return metadataReceived.sum();
    }

    /**
     * Handles one request whose body has been read completely.
     *
     * @param contentType the {@code Content-Type} header or null
     * @param contentEncoding the {@code Content-Encoding} header or null
     */
    public HttpAnswer handle(String contentType, String contentEncoding, byte[] body) {
        String proto;
        try {
            proto = protoMessage(contentType == null || contentType.isBlank() ? PROTO_CONTENT_TYPE : contentType);
        } catch (BadMessageException e) {
            return HttpAnswer.error(415, e.getMessage());
        }
        if (!accepted.contains(proto)) {
            return HttpAnswer.error(415, proto + " protobuf message is not accepted by this server; accepted ["
                    + String.join(" ", accepted) + "]");
        }
        if (contentEncoding != null && !contentEncoding.isEmpty()
                && !contentEncoding.toLowerCase(Locale.ROOT).equals("snappy")) {
            return HttpAnswer.error(415, contentEncoding
                    + " encoding (compression) is not accepted by this server; only snappy is acceptable");
        }
        int decodedLength;
        try {
            decodedLength = SnappyBlock.decodedLength(body, maxDecodedBytes);
        } catch (BadMessageException e) {
            return HttpAnswer.error(400, e.getMessage());
        }
        // Bounds the memory of concurrent requests (senders run many shards at once): a request
        // waits until its decoded size fits in the budget.
        int permits = Math.min(IN_FLIGHT_KIB, (decodedLength >> 10) + 1);
        inFlight.acquireUninterruptibly(permits);
        try {
            byte[] raw = SnappyBlock.decode(body, maxDecodedBytes);
            if (proto.equals(PROTO_V1)) {
                return writeV1(Prompb.WriteRequest.parseFrom(raw));
            }
            return writeV2(WriteV2.Request.parseFrom(raw));
        } catch (BadMessageException e) {
            return HttpAnswer.error(400, e.getMessage());
        } catch (InvalidProtocolBufferException e) {
            return HttpAnswer.error(400, "decoding " + proto + ": " + e.getMessage());
        } finally {
            inFlight.release(permits);
        }
    }

    /** The {@code proto} parameter of an {@code application/x-protobuf} content type (1.0 without one). */
    static String protoMessage(String contentType) throws BadMessageException {
        String ct = contentType.strip();
        String[] parts = ct.split(";");
        if (!parts[0].strip().equals(PROTO_CONTENT_TYPE)) {
            throw new BadMessageException("expected " + PROTO_CONTENT_TYPE + " as the first (media) part, got " + ct + " content-type");
        }
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=", -1);
            if (kv.length != 2) {
                throw new BadMessageException("as per https://www.rfc-editor.org/rfc/rfc9110#parameter expected parameters to be key-values, got "
                        + parts[i] + " in " + ct + " content-type");
            }
            if (kv[0].strip().equals("proto")) {
                String p = kv[1].strip();
                if (!p.equals(PROTO_V1) && !p.equals(PROTO_V2)) {
                    throw new BadMessageException("got " + ct + " content type; unknown remote write protobuf message " + p
                            + ", supported: " + PROTO_V1 + ", " + PROTO_V2);
                }
                return p;
            }
        }
        return PROTO_V1;
    }

    private HttpAnswer writeV1(Prompb.WriteRequest req) {
        metadataReceived.add(req.getMetadataCount());
        long maxT = clock.getAsLong() + MAX_AHEAD_MS;
        LabelsBuilder b = new LabelsBuilder();
        Appender app = storage.appender();
        boolean done = false;
        try {
            int invalid = 0;
            for (Prompb.TimeSeries ts : req.getTimeseriesList()) {
                b.reset();
                for (Prompb.Label l : ts.getLabelsList()) {
                    b.add(l.getName(), l.getValue());
                }
                String problem = labelProblem(b);
                if (problem != null) {
                    // Prometheus drops such series with a warning and accepts the rest.
                    LOG.warn("Invalid metric names or labels in remote write: {}", problem);
                    invalid += ts.getSamplesCount() + ts.getHistogramsCount();
                    continue;
                }
                Labels ls = b.build();
                long ref = 0;
                for (int i = 0, n = ts.getSamplesCount(); i < n; i++) {
                    Prompb.Sample s = ts.getSamples(i);
                    ref = append(app, ref, ls, s.getTimestamp(), s.getValue(), maxT);
                }
                for (int i = 0, n = ts.getHistogramsCount(); i < n; i++) {
                    ref = appendHistogram(app, ref, ls, ts.getHistograms(i), maxT);
                }
                for (Prompb.Exemplar e : ts.getExemplarsList()) {
                    LabelsBuilder eb = new LabelsBuilder();
                    for (Prompb.Label l : e.getLabelsList()) {
                        eb.add(l.getName(), l.getValue());
                    }
                    appendExemplar(app, ref, ls, eb.build(), e.getTimestamp(), e.getValue(), null);
                }
            }
            invalidLabelSamples.add(invalid);
            app.commit();
            done = true;
            return new HttpAnswer(204, Map.of(), null, new byte[0]);
        } catch (AppendException | BadMessageException | HistogramException e) {
            app.rollback();
            done = true;
            return HttpAnswer.error(400, e.getMessage());
        } catch (UnsupportedOperationException e) {
            app.rollback();
            done = true;
            LOG.error("Error while remote writing the v1 request: {}", HISTOGRAMS_DISABLED);
            return HttpAnswer.error(500, HISTOGRAMS_DISABLED);
        } catch (IOException e) {
            done = true; // a failed commit leaves nothing to roll back
            LOG.error("Error while remote writing the v1 request: {}", e.toString());
            return HttpAnswer.error(500, e.getMessage());
        } finally {
            if (!done) {
                app.rollback();
            }
        }
    }

    private static long append(Appender app, long ref, Labels ls, long t, double v, long maxT) throws AppendException {
        if (t > maxT) {
            throw new AppendException(AppendException.Reason.OUT_OF_BOUNDS);
        }
        return app.append(ref, ls, t, v);
    }

    /**
     * Decodes and appends one native histogram ({@code st} unknown: 0).
     *
     * @throws HistogramException for an invalid histogram
     * @throws UnsupportedOperationException when the storage keeps no histograms
     */
    private static long appendHistogram(Appender app, long ref, Labels ls, Prompb.Histogram p, long maxT)
            throws AppendException, BadMessageException {
        long t = p.getTimestamp();
        if (t > maxT) {
            throw new AppendException(AppendException.Reason.OUT_OF_BOUNDS);
        }
        return HistogramProto.isFloat(p)
                ? app.appendHistogram(ref, ls, 0, t, null, HistogramProto.toFloatHistogram(p))
                : app.appendHistogram(ref, ls, 0, t, HistogramProto.toHistogram(p), null);
    }

    /** Why a label set cannot be stored (Prometheus's UTF-8 validation), or null. */
    private static String labelProblem(LabelsBuilder b) {
        String dup = b.firstDuplicateName();
        if (dup != null) {
            return "duplicated label " + dup + " in " + describe(b);
        }
        boolean named = false;
        for (int i = 0; i < b.size(); i++) {
            if (b.name(i).isEmpty()) {
                return "empty label name in " + describe(b);
            }
            if (b.name(i).equals(Labels.METRIC_NAME) && !b.value(i).isEmpty()) {
                named = true;
            }
        }
        return named ? null : "no metric name in " + describe(b);
    }

    private static String describe(LabelsBuilder b) {
        StringBuilder s = new StringBuilder("{");
        for (int i = 0; i < b.size(); i++) {
            s.append(i == 0 ? "" : ", ").append(b.name(i)).append("=\"").append(b.value(i)).append('"');
        }
        return s.append('}').toString();
    }

    private HttpAnswer writeV2(WriteV2.Request req) {
        List<String> symbols = req.getSymbolsList();
        if (!symbols.isEmpty() && !symbols.get(0).isEmpty()) {
            return HttpAnswer.error(400, "symbols[0] must be the empty string, got \"" + symbols.get(0) + "\"");
        }
        long maxT = clock.getAsLong() + MAX_AHEAD_MS;
        LabelsBuilder b = new LabelsBuilder();
        List<String> bad = new ArrayList<>();
        long samples = 0, histograms = 0, exemplars = 0;
        int invalid = 0;
        Appender app = storage.appender();
        boolean done = false;
        try {
            for (WriteV2.TimeSeries ts : req.getTimeseriesList()) {
                String refProblem = desymbolize(ts, symbols, b);
                if (refProblem == null) {
                    refProblem = labelProblem(b);
                }
                if (refProblem != null) {
                    bad.add("invalid metric name or labels, got " + refProblem);
                    invalid += ts.getSamplesCount() + ts.getHistogramsCount();
                    continue;
                }
                if (ts.hasMetadata()) {
                    metadataReceived.increment();
                }
                Labels ls = b.build();
                long ref = 0;
                for (int i = 0, n = ts.getSamplesCount(); i < n; i++) {
                    WriteV2.Sample s = ts.getSamples(i);
                    try {
                        ref = append(app, ref, ls, s.getTimestamp(), s.getValue(), maxT);
                        samples++;
                    } catch (AppendException e) {
                        bad.add(e.getMessage() + " for series " + ls);
                    }
                }
                for (int i = 0, n = ts.getHistogramsCount(); i < n; i++) {
                    try {
                        ref = appendHistogram(app, ref, ls, HistogramProto.fromV2(ts.getHistograms(i)), maxT);
                        histograms++;
                    } catch (AppendException | BadMessageException | HistogramException e) {
                        bad.add(e.getMessage() + " for series " + ls);
                    }
                }
                for (WriteV2.Exemplar e : ts.getExemplarsList()) {
                    LabelsBuilder eb = new LabelsBuilder();
                    String problem = null;
                    for (int i = 0; i + 1 < e.getLabelsRefsCount() && problem == null; i += 2) {
                        long nr = Integer.toUnsignedLong(e.getLabelsRefs(i)), vr = Integer.toUnsignedLong(e.getLabelsRefs(i + 1));
                        if (nr >= symbols.size() || vr >= symbols.size()) {
                            problem = "exemplar label reference out of range (" + symbols.size() + " symbols) for series " + ls;
                        } else {
                            eb.add(symbols.get((int) nr), symbols.get((int) vr));
                        }
                    }
                    if (problem != null) {
                        bad.add(problem);
                    } else if (appendExemplar(app, ref, ls, eb.build(), e.getTimestamp(), e.getValue(), bad)) {
                        exemplars++;
                    }
                }
            }
            invalidLabelSamples.add(invalid);
            app.commit();
            done = true;
        } catch (UnsupportedOperationException e) {
            // Not a 4xx in Prometheus either: the histogram may be stored once histograms are enabled.
            app.rollback();
            done = true;
            LOG.error("Error while remote writing the v2 request: {}", HISTOGRAMS_DISABLED);
            return HttpAnswer.error(500, written(0, 0, 0), HISTOGRAMS_DISABLED);
        } catch (IOException e) {
            done = true;
            LOG.error("Error while remote writing the v2 request: {}", e.toString());
            return HttpAnswer.error(500, written(0, 0, 0), e.getMessage());
        } finally {
            if (!done) {
                app.rollback();
            }
        }
        Map<String, String> headers = written(samples, histograms, exemplars);
        if (!bad.isEmpty()) {
            return HttpAnswer.error(400, headers, String.join("\n", bad));
        }
        return new HttpAnswer(204, headers, null, new byte[0]);
    }

    private static Map<String, String> written(long samples, long histograms, long exemplars) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(SAMPLES_WRITTEN, Long.toString(samples));
        h.put(HISTOGRAMS_WRITTEN, Long.toString(histograms));
        h.put(EXEMPLARS_WRITTEN, Long.toString(exemplars));
        return h;
    }

    /**
     * Hands a received exemplar to the storage (which drops it without exemplar storage, as
     * Prometheus's does). A refusal (out of order, labels too long, no such series) is logged
     * and never fails the request, as in Prometheus — except an out-of-order one in 2.0
     * ({@code bad} non-null), which Prometheus 3 reports in the 400 (the rest still written);
     * returns whether it was taken.
     */
    private static boolean appendExemplar(Appender app, long ref, Labels series, Labels exemplar, long t, double v,
            List<String> bad) {
        try {
            app.appendExemplar(ref, series, exemplar, t, v);
            return true;
        } catch (AppendException e) {
            if (bad != null && e.reason() == AppendException.Reason.OUT_OF_ORDER_EXEMPLAR) {
                bad.add(e.getMessage() + " for series " + series);
            }
            LOG.debug("Error while adding exemplar in AppendExemplar exemplar={} err={}", exemplar, e.getMessage());
            return false;
        } catch (IllegalArgumentException e) {
            LOG.debug("Error while adding exemplar in AppendExemplar exemplar={} err={}", exemplar, e.getMessage());
            return false;
        } catch (UnsupportedOperationException e) {
            return false; // a storage that keeps no exemplars at all
        }
    }

    /** Fills {@code b} from the series' label references; returns what is wrong with them, or null. */
    private static String desymbolize(WriteV2.TimeSeries ts, List<String> symbols, LabelsBuilder b) {
        b.reset();
        int n = ts.getLabelsRefsCount();
        if ((n & 1) != 0) {
            return "odd number of label references (" + n + ")";
        }
        for (int i = 0; i < n; i += 2) {
            int nameRef = ts.getLabelsRefs(i);
            int valueRef = ts.getLabelsRefs(i + 1);
            if (Integer.toUnsignedLong(nameRef) >= symbols.size() || Integer.toUnsignedLong(valueRef) >= symbols.size()) {
                int badRef = Integer.toUnsignedLong(nameRef) >= symbols.size() ? nameRef : valueRef;
                return "label reference " + Integer.toUnsignedString(badRef) + " out of range (" + symbols.size() + " symbols)";
            }
            b.add(symbols.get(nameRef), symbols.get(valueRef));
        }
        if (ts.hasMetadata()) {
            WriteV2.Metadata md = ts.getMetadata();
            if (Integer.toUnsignedLong(md.getHelpRef()) >= symbols.size() || Integer.toUnsignedLong(md.getUnitRef()) >= symbols.size()) {
                return "metadata reference out of range (help " + Integer.toUnsignedString(md.getHelpRef()) + ", unit "
                        + Integer.toUnsignedString(md.getUnitRef()) + ") of " + symbols.size() + " symbols";
            }
        }
        return null;
    }
}

package io.specula.remote;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.specula.model.labels.InvalidRegexException;
import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.model.labels.MatchType;
import io.specula.model.labels.Matcher;
import io.specula.remote.prompb.Prompb;
import io.specula.tsdb.chunkenc.ChunkAppender;
import io.specula.tsdb.chunkenc.XorChunk;
import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.storage.Queryable;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.SelectHints;
import io.specula.tsdb.storage.Series;
import io.specula.tsdb.storage.SeriesSet;
import io.specula.tsdb.storage.ValueType;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remote-read endpoint ({@code POST /api/v1/read}): a snappy'd {@code prometheus.ReadRequest}
 * in; either a snappy'd {@code prometheus.ReadResponse} (sampled) or, when the client accepts
 * it, a stream of {@code prometheus.ChunkedReadResponse} {@link ChunkedFrames frames} holding XOR
 * chunks (re-encoded from the querier's samples, at most 120 samples per chunk as the head cuts
 * them; a series is split over frames of about {@code maxBytesInFrame}).
 *
 * <p>As Prometheus: equality matchers on an external label with its own value are dropped
 * before selecting (the data carries no external labels), and external labels are added to
 * every series unless the series has the label itself; a sampled query over
 * {@code sampleLimit} samples fails with 400 {@code exceeded sample limit (N)}; at most
 * {@code concurrentLimit} requests run at once, later ones wait. Thread-safe.
 */
public final class RemoteReadHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteReadHandler.class);
    public static final String STREAMED_CONTENT_TYPE = "application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse";
    /** Prometheus's {@code decodeReadLimit}: the largest compressed read request read. */
    public static final int MAX_REQUEST_BYTES = 32 << 20;
    private static final int MAX_DECODED_BYTES = 64 << 20;
    /** Samples per re-encoded chunk, as the head cuts them. */
    static final int SAMPLES_PER_CHUNK = 120;

    /**
     * The {@code --storage.remote.read-*} flags.
     *
     * @param sampleLimit most samples a sampled query may return, 0 for no limit
     * @param concurrentLimit most requests served at once, 0 for no limit
     * @param maxBytesInFrame target size of one streamed frame
     */
    public record Options(long sampleLimit, int concurrentLimit, int maxBytesInFrame) {
        /** Prometheus's defaults: 5e7 samples, 10 requests, 1 MiB. */
        public static Options defaults() {
            return new Options(50_000_000L, 10, 1 << 20);
        }
    }

    private final Supplier<? extends Queryable> storage;
    private final Supplier<Labels> externalLabels;
    private final Options opts;
    private final Semaphore gate;

    /**
     * @param storage read per request (null while the storage opens: 503)
     * @param externalLabels read per request (they change on reload)
     */
    public RemoteReadHandler(Supplier<? extends Queryable> storage, Supplier<Labels> externalLabels, Options opts) {
        if (opts.maxBytesInFrame() <= 0) {
            throw new IllegalArgumentException("--storage.remote.read-max-bytes-in-frame must be positive");
        }
        this.storage = storage;
        this.externalLabels = externalLabels;
        this.opts = opts;
        this.gate = opts.concurrentLimit() > 0 ? new Semaphore(opts.concurrentLimit(), true) : null;
    }

    /**
     * Serves one request whose body has been read.
     *
     * @param openStream for a streamed answer: sends status 200 with the given content type and
     *     returns the body stream (the handler writes and flushes frames, the caller closes it)
     * @return the complete answer, or null when the answer was streamed through {@code openStream}
     */
    public HttpAnswer handle(byte[] body, Function<String, OutputStream> openStream) {
        if (gate != null) {
            try {
                gate.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return HttpAnswer.error(500, "context canceled");
            }
        }
        try {
            return serve(body, openStream);
        } finally {
            if (gate != null) {
                gate.release();
            }
        }
    }

    private HttpAnswer serve(byte[] body, Function<String, OutputStream> openStream) {
        Prompb.ReadRequest req;
        try {
            req = Prompb.ReadRequest.parseFrom(SnappyBlock.decode(body, MAX_DECODED_BYTES));
        } catch (BadMessageException e) {
            return HttpAnswer.error(400, e.getMessage());
        } catch (InvalidProtocolBufferException e) {
            return HttpAnswer.error(400, "decoding prometheus.ReadRequest: " + e.getMessage());
        }
        boolean streamed = false;
        List<Integer> accepted = req.getAcceptedResponseTypesValueList();
        if (!accepted.isEmpty()) {
            Integer chosen = null;
            for (int t : accepted) {
                if (t == Prompb.ReadRequest.ResponseType.SAMPLES_VALUE || t == Prompb.ReadRequest.ResponseType.STREAMED_XOR_CHUNKS_VALUE) {
                    chosen = t;
                    break;
                }
            }
            if (chosen == null) {
                return HttpAnswer.error(400, "server does not support any of the requested response types: " + accepted
                        + "; supported: [SAMPLES STREAMED_XOR_CHUNKS]");
            }
            streamed = chosen == Prompb.ReadRequest.ResponseType.STREAMED_XOR_CHUNKS_VALUE;
        }
        Queryable db = storage.get();
        if (db == null) {
            return HttpAnswer.error(503, "Service Unavailable");
        }
        Labels ext = externalLabels.get();
        List<Matcher[]> matchers = new ArrayList<>(req.getQueriesCount());
        for (Prompb.Query q : req.getQueriesList()) {
            try {
                matchers.add(matchers(q.getMatchersList(), ext));
            } catch (BadMessageException e) {
                return HttpAnswer.error(400, e.getMessage());
            }
        }
        try {
            if (streamed) {
                stream(db, req, matchers, ext, openStream);
                return null;
            }
            return sampled(db, req, matchers, ext);
        } catch (BadMessageException e) {
            return HttpAnswer.error(400, e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.error("Error serving remote read: {}", e.toString());
            return HttpAnswer.error(500, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    /** The query's matchers without those an external label satisfies by itself. */
    static Matcher[] matchers(List<Prompb.LabelMatcher> pb, Labels ext) throws BadMessageException {
        List<Matcher> out = new ArrayList<>(pb.size());
        for (Prompb.LabelMatcher m : pb) {
            MatchType type = switch (m.getTypeValue()) {
                case Prompb.LabelMatcher.Type.EQ_VALUE -> MatchType.EQUAL;
                case Prompb.LabelMatcher.Type.NEQ_VALUE -> MatchType.NOT_EQUAL;
                case Prompb.LabelMatcher.Type.RE_VALUE -> MatchType.REGEX;
                case Prompb.LabelMatcher.Type.NRE_VALUE -> MatchType.NOT_REGEX;
                default -> throw new BadMessageException("invalid matcher type " + m.getTypeValue());
            };
            if (type == MatchType.EQUAL && ext.has(m.getName()) && ext.get(m.getName()).equals(m.getValue())) {
                continue;
            }
            try {
                out.add(Matcher.of(type, m.getName(), m.getValue()));
            } catch (InvalidRegexException e) {
                throw new BadMessageException(e.getMessage());
            }
        }
        return out.toArray(Matcher[]::new);
    }

    private static SelectHints hints(Prompb.Query q) {
        if (!q.hasHints()) {
            return new SelectHints(q.getStartTimestampMs(), q.getEndTimestampMs(), 0, null, 0);
        }
        Prompb.ReadHints h = q.getHints();
        return new SelectHints(h.getStartMs(), h.getEndMs(), h.getStepMs(), h.getFunc().isEmpty() ? null : h.getFunc(),
                h.getRangeMs());
    }

    /** The series' labels with the external labels it lacks, as proto labels (sorted). */
    private static List<Prompb.Label> labels(Labels series, Labels ext, LabelsBuilder b) {
        Labels all = series;
        if (!ext.isEmpty()) {
            b.reset(series);
            for (int i = 0; i < ext.size(); i++) {
                if (!series.has(ext.name(i))) {
                    b.set(ext.name(i), ext.value(i));
                }
            }
            all = b.build();
        }
        List<Prompb.Label> out = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) {
            out.add(Prompb.Label.newBuilder().setName(all.name(i)).setValue(all.value(i)).build());
        }
        return out;
    }

    private HttpAnswer sampled(Queryable db, Prompb.ReadRequest req, List<Matcher[]> matchers, Labels ext)
            throws IOException, BadMessageException {
        Prompb.ReadResponse.Builder resp = Prompb.ReadResponse.newBuilder();
        LabelsBuilder b = new LabelsBuilder();
        Prompb.Sample.Builder sb = Prompb.Sample.newBuilder();
        for (int qi = 0; qi < req.getQueriesCount(); qi++) {
            Prompb.Query q = req.getQueries(qi);
            Prompb.QueryResult.Builder result = Prompb.QueryResult.newBuilder();
            long samples = 0;
            try (Querier querier = db.querier(q.getStartTimestampMs(), q.getEndTimestampMs())) {
                SeriesSet ss = querier.select(false, hints(q), matchers.get(qi));
                SampleIterator it = null;
                while (ss.next()) {
                    Series s = ss.at();
                    Prompb.TimeSeries.Builder ts = Prompb.TimeSeries.newBuilder().addAllLabels(labels(s.labels(), ext, b));
                    it = s.iterator(it);
                    while (it.next() == ValueType.FLOAT) {
                        if (opts.sampleLimit() > 0 && ++samples > opts.sampleLimit()) {
                            throw new BadMessageException("exceeded sample limit (" + opts.sampleLimit() + ")");
                        }
                        ts.addSamples(sb.setTimestamp(it.atT()).setValue(it.atV()).build());
                    }
                    if (it.err() != null) {
                        throw new IOException(it.err().getMessage(), it.err());
                    }
                    result.addTimeseries(ts);
                }
                if (ss.err() != null) {
                    throw new IOException(ss.err().getMessage(), ss.err());
                }
            }
            resp.addResults(result);
        }
        byte[] raw = resp.build().toByteArray();
        return new HttpAnswer(200, Map.of("Content-Encoding", "snappy"), "application/x-protobuf", SnappyBlock.encode(raw));
    }

    private void stream(Queryable db, Prompb.ReadRequest req, List<Matcher[]> matchers, Labels ext,
            Function<String, OutputStream> openStream) throws IOException {
        OutputStream out = openStream.apply(STREAMED_CONTENT_TYPE);
        LabelsBuilder b = new LabelsBuilder();
        try {
            for (int qi = 0; qi < req.getQueriesCount(); qi++) {
                Prompb.Query q = req.getQueries(qi);
                try (Querier querier = db.querier(q.getStartTimestampMs(), q.getEndTimestampMs())) {
                    SeriesSet ss = querier.select(true, hints(q), matchers.get(qi));
                    SampleIterator it = null;
                    while (ss.next()) {
                        Series s = ss.at();
                        it = s.iterator(it);
                        streamSeries(out, qi, labels(s.labels(), ext, b), it);
                    }
                    if (ss.err() != null) {
                        throw new IOException(ss.err().getMessage(), ss.err());
                    }
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Frames of one series: chunks are added to a frame until it reaches the frame size. */
    private void streamSeries(OutputStream out, int queryIndex, List<Prompb.Label> labels, SampleIterator it)
            throws IOException {
        int labelBytes = 0;
        for (Prompb.Label l : labels) {
            labelBytes += l.getSerializedSize();
        }
        int budget = opts.maxBytesInFrame() - labelBytes;
        int left = budget;
        List<Prompb.Chunk> chunks = new ArrayList<>();
        int vt = it.next();
        while (vt == ValueType.FLOAT) {
            XorChunk chunk = XorChunk.create();
            ChunkAppender app;
            try {
                app = chunk.appender();
            } catch (CorruptionException e) {
                throw new IllegalStateException(e); // a new chunk is never corrupt
            }
            long mint = it.atT();
            long maxt = mint;
            int n = 0;
            while (vt == ValueType.FLOAT && n < SAMPLES_PER_CHUNK) {
                maxt = it.atT();
                app.append(maxt, it.atV());
                n++;
                vt = it.next();
            }
            Prompb.Chunk pc = Prompb.Chunk.newBuilder().setMinTimeMs(mint).setMaxTimeMs(maxt)
                    .setType(Prompb.Chunk.Encoding.XOR).setData(ByteString.copyFrom(chunk.bytes(), 0, chunk.length())).build();
            chunks.add(pc);
            left -= pc.getSerializedSize();
            if (left > 0 && vt == ValueType.FLOAT) {
                continue;
            }
            frame(out, queryIndex, labels, chunks);
            chunks.clear();
            left = budget;
        }
        if (it.err() != null) {
            throw new IOException(it.err().getMessage(), it.err());
        }
    }

    private static void frame(OutputStream out, int queryIndex, List<Prompb.Label> labels, List<Prompb.Chunk> chunks)
            throws IOException {
        byte[] msg = Prompb.ChunkedReadResponse.newBuilder()
                .addChunkedSeries(Prompb.ChunkedSeries.newBuilder().addAllLabels(labels).addAllChunks(chunks))
                .setQueryIndex(queryIndex).build().toByteArray();
        ChunkedFrames.write(out, msg);
        out.flush();
    }
}

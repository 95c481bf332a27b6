package io.specula.remote.read;

import io.specula.httpclient.HttpClients;
import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.remote.BadMessageException;
import io.specula.remote.ChunkedFrames;
import io.specula.remote.SnappyBlock;
import io.specula.remote.prompb.Prompb;
import io.specula.tsdb.chunkenc.XorChunk;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.ValueType;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

/**
 * Sends one remote-read query to a {@code remote_read} endpoint and decodes the answer, sampled
 * ({@code prometheus.ReadResponse}, Snappy) or streamed XOR chunks
 * ({@code prometheus.ChunkedReadResponse} frames), whichever the server chose; the request
 * accepts both, streamed first, as Prometheus 3 does. Responses are read within limits so a
 * misbehaving server cannot exhaust memory. Thread-safe; {@link #close()} stops the client.
 */
public final class RemoteReadClient implements AutoCloseable {
    /** Largest sampled response body (compressed) and decoded message. */
    static final int MAX_SAMPLED_BYTES = 256 << 20;
    /** Largest single streamed frame (Prometheus's default {@code chunked_read_limit}, 50 MB). */
    static final int MAX_FRAME_BYTES = 50 << 20;
    static final String STREAMED = "application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse";

    private final RemoteReadConfig config;
    private final HttpClient http;
    private final String userAgent;

    public RemoteReadClient(RemoteReadConfig config, String userAgent) throws HttpClients.ClientConfigException {
        this.config = config;
        this.http = HttpClients.create(config, "remote-read");
        this.userAgent = userAgent;
    }

    /** One series of an answer: labels and float samples in time order. */
    public record SeriesData(Labels labels, long[] t, double[] v) {}

    /**
     * Reads {@code q}; series come back in the server's order (sorted by labels in Prometheus's).
     *
     * @throws IOException for a network failure, a timeout, a non-2xx status (with the
     *     server's text) or an answer that does not decode
     */
    public List<SeriesData> read(Prompb.Query q) throws IOException {
        Prompb.ReadRequest req = Prompb.ReadRequest.newBuilder().addQueries(q)
                .addAcceptedResponseTypes(Prompb.ReadRequest.ResponseType.STREAMED_XOR_CHUNKS)
                .addAcceptedResponseTypes(Prompb.ReadRequest.ResponseType.SAMPLES).build();
        Request r = http.newRequest(config.url).method(HttpMethod.POST)
                .timeout(config.timeoutMillis(), TimeUnit.MILLISECONDS)
                .body(new BytesRequestContent("application/x-protobuf", SnappyBlock.encode(req.toByteArray())));
        r.headers(h -> {
            h.put(HttpHeader.CONTENT_ENCODING, "snappy");
            h.put(HttpHeader.ACCEPT_ENCODING, "snappy");
            h.put(HttpHeader.USER_AGENT, userAgent);
            h.put("X-Prometheus-Remote-Read-Version", "0.1.0");
            if (config.headers != null) {
                config.headers.forEach(h::put);
            }
        });
        HttpClients.authorize(r, config);
        InputStreamResponseListener listener = new InputStreamResponseListener();
        r.send(listener);
        Response resp;
        try {
            resp = listener.get(config.timeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r.abort(e);
            throw new IOException("remote read interrupted", e);
        } catch (TimeoutException e) {
            r.abort(e);
            throw new IOException("remote read timed out after " + config.timeoutMillis() + "ms");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause() == null ? e.toString() : e.getCause().toString(), e.getCause());
        }
        try (InputStream in = listener.getInputStream()) {
            if (resp.getStatus() / 100 != 2) {
                String body = new String(in.readNBytes(512), java.nio.charset.StandardCharsets.UTF_8).strip();
                throw new IOException("remote server " + config.url + " returned HTTP status " + resp.getStatus() + " "
                        + resp.getReason() + ": " + body);
            }
            String ct = resp.getHeaders().get(HttpHeader.CONTENT_TYPE);
            if (ct != null && ct.startsWith("application/x-streamed-protobuf")) {
                if (!ct.replace(" ", "").equals(STREAMED.replace(" ", ""))) {
                    throw new IOException("unsupported content type " + ct);
                }
                return streamed(in);
            }
            return sampled(in);
        } catch (BadMessageException e) {
            throw new IOException("decoding remote read response from " + config.url + ": " + e.getMessage());
        }
    }

    private static List<SeriesData> sampled(InputStream in) throws IOException, BadMessageException {
        byte[] body = in.readNBytes(MAX_SAMPLED_BYTES + 1);
        if (body.length > MAX_SAMPLED_BYTES) {
            throw new BadMessageException("response exceeds " + MAX_SAMPLED_BYTES + " bytes");
        }
        Prompb.ReadResponse rr = Prompb.ReadResponse.parseFrom(SnappyBlock.decode(body, MAX_SAMPLED_BYTES));
        if (rr.getResultsCount() != 1) {
            throw new BadMessageException("responses: want 1, got " + rr.getResultsCount());
        }
        List<SeriesData> out = new ArrayList<>();
        for (Prompb.TimeSeries ts : rr.getResults(0).getTimeseriesList()) {
            long[] t = new long[ts.getSamplesCount()];
            double[] v = new double[t.length];
            for (int i = 0; i < t.length; i++) {
                t[i] = ts.getSamples(i).getTimestamp();
                v[i] = ts.getSamples(i).getValue();
            }
            out.add(new SeriesData(labels(ts.getLabelsList()), t, v));
        }
        return out;
    }

    /** Samples of one series being collected from frames. */
    private static final class Acc {
        long[] t = new long[16];
        double[] v = new double[16];
        int n;

        void add(long ts, double val) {
            if (n == t.length) {
                t = Arrays.copyOf(t, n * 2);
                v = Arrays.copyOf(v, n * 2);
            }
            t[n] = ts;
            v[n++] = val;
        }
    }

    /** Frames of one query; a series may span several consecutive frames. */
    private static List<SeriesData> streamed(InputStream in) throws IOException, BadMessageException {
        Map<Labels, Acc> series = new LinkedHashMap<>();
        SampleIterator it = null;
        while (true) {
            byte[] frame;
            try {
                frame = ChunkedFrames.read(in, MAX_FRAME_BYTES);
            } catch (IOException e) {
                throw new BadMessageException(e.getMessage());
            }
            if (frame == null) {
                break;
            }
            Prompb.ChunkedReadResponse cr = Prompb.ChunkedReadResponse.parseFrom(frame);
            for (Prompb.ChunkedSeries cs : cr.getChunkedSeriesList()) {
                Acc acc = series.computeIfAbsent(labels(cs.getLabelsList()), k -> new Acc());
                for (Prompb.Chunk c : cs.getChunksList()) {
                    if (c.getType() != Prompb.Chunk.Encoding.XOR) {
                        throw new BadMessageException("unsupported chunk encoding " + c.getType());
                    }
                    byte[] data = c.getData().toByteArray();
                    it = XorChunk.fromData(data, data.length).iterator(it);
                    while (it.next() == ValueType.FLOAT) {
                        acc.add(it.atT(), it.atV());
                    }
                    if (it.err() != null) {
                        throw new BadMessageException("decoding chunk: " + it.err().getMessage());
                    }
                }
            }
        }
        List<SeriesData> out = new ArrayList<>(series.size());
        series.forEach((ls, a) -> out.add(new SeriesData(ls, Arrays.copyOf(a.t, a.n), Arrays.copyOf(a.v, a.n))));
        return out;
    }

    private static Labels labels(List<Prompb.Label> pb) {
        LabelsBuilder b = new LabelsBuilder();
        for (Prompb.Label l : pb) {
            b.set(l.getName(), l.getValue());
        }
        return b.build();
    }

    public RemoteReadConfig config() {
        return config;
    }

    @Override
    public void close() {
        HttpClients.stopQuietly(http);
    }
}

package io.specula.tsdb.block;

import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Histogram;
import io.specula.tsdb.chunkenc.Chunk;
import io.specula.tsdb.chunkenc.ChunkAppender;
import io.specula.tsdb.chunkenc.FloatHistogramAppender;
import io.specula.tsdb.chunkenc.FloatHistogramChunk;
import io.specula.tsdb.chunkenc.HistogramAppender;
import io.specula.tsdb.chunkenc.HistogramChunk;
import io.specula.tsdb.chunkenc.XorChunk;
import io.specula.tsdb.storage.ChunkIterator;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.ValueType;
import java.io.IOException;
import java.util.Arrays;

/**
 * Encodes samples into chunks with Prometheus's cut rules, where chunks must be rewritten
 * rather than copied (deletions, overlaps, a range boundary, data still being appended).
 * Floats go to XOR chunks of {@link BlockWriter#SAMPLES_PER_CHUNK}; histograms to histogram or
 * float histogram chunks, cut at the same count or at {@link BlockWriter#HISTOGRAM_CHUNK_BYTES},
 * and where the appender cuts (counter reset, layout change). A change of value type cuts too.
 * Stateless.
 */
public final class SeriesChunker {
    private SeriesChunker() {}

    /** Receives each finished chunk; the chunk is the receiver's to keep. */
    public interface Sink {
        void accept(Chunk chunk, long mint, long maxt) throws IOException;
    }

    /** Encodes the samples of {@code it} in [mint, maxt) into {@code sink}; returns their count. */
    public static long encode(SampleIterator it, long mint, long maxt, Sink sink) throws IOException {
        long n = 0;
        Chunk chunk = null;
        int chunkType = ValueType.NONE;
        ChunkAppender app = null;
        HistogramAppender happ = null;
        FloatHistogramAppender fapp = null;
        Histogram h = null;
        FloatHistogram fh = null;
        long first = 0, lastT = 0;
        for (int type = it.seek(mint); type != ValueType.NONE; type = it.next()) {
            long t = it.atT();
            if (t >= maxt) {
                break;
            }
            HistogramAppender prevH = null;
            FloatHistogramAppender prevF = null;
            if (chunk != null && (type != chunkType || chunk.numSamples() >= BlockWriter.SAMPLES_PER_CHUNK
                    || (type != ValueType.FLOAT && chunk.length() >= BlockWriter.HISTOGRAM_CHUNK_BYTES))) {
                sink.accept(chunk, first, lastT);
                if (type == chunkType) {
                    prevH = happ;
                    prevF = fapp;
                }
                chunk = null;
            }
            if (chunk == null) {
                first = t;
                chunkType = type;
                switch (type) {
                    case ValueType.FLOAT -> {
                        XorChunk x = XorChunk.create();
                        app = x.appender();
                        chunk = x;
                    }
                    case ValueType.HISTOGRAM -> {
                        HistogramChunk c = HistogramChunk.create();
                        happ = c.appender();
                        chunk = c;
                    }
                    case ValueType.FLOAT_HISTOGRAM -> {
                        FloatHistogramChunk c = FloatHistogramChunk.create();
                        fapp = c.appender();
                        chunk = c;
                    }
                    default -> throw new IOException("unknown value type " + type);
                }
            }
            switch (type) {
                case ValueType.FLOAT -> app.append(t, it.atV());
                case ValueType.HISTOGRAM -> {
                    h = it.atHistogram(h);
                    int r = happ.append(prevH, t, h, false);
                    if (r == HistogramAppender.NEW_CHUNK) {
                        sink.accept(chunk, first, lastT);
                        first = t;
                    }
                    chunk = happ.chunk();
                }
                default -> {
                    fh = it.atFloatHistogram(fh);
                    int r = fapp.append(prevF, t, fh, false);
                    if (r == HistogramAppender.NEW_CHUNK) {
                        sink.accept(chunk, first, lastT);
                        first = t;
                    }
                    chunk = fapp.chunk();
                }
            }
            lastT = t;
            n++;
        }
        if (chunk != null) {
            sink.accept(chunk, first, lastT);
        }
        if (it.err() != null) {
            throw new IOException(it.err().getMessage(), it.err());
        }
        return n;
    }

    /** The chunks {@link #encode} makes of {@code it} over [mint, maxt), held in memory (one series' worth). */
    public static ChunkIterator encodeAll(SampleIterator it, long mint, long maxt) throws IOException {
        ListChunkIterator out = new ListChunkIterator();
        encode(it, mint, maxt, out::add);
        return out;
    }

    /** Chunks held in memory. */
    public static final class ListChunkIterator implements ChunkIterator {
        private Chunk[] chunks = new Chunk[4];
        private long[] mins = new long[4], maxs = new long[4];
        private int n, i = -1;

        public void add(Chunk c, long mint, long maxt) {
            if (n == chunks.length) {
                chunks = Arrays.copyOf(chunks, n * 2);
                mins = Arrays.copyOf(mins, n * 2);
                maxs = Arrays.copyOf(maxs, n * 2);
            }
            chunks[n] = c;
            mins[n] = mint;
            maxs[n++] = maxt;
        }

        public boolean isEmpty() {
            return n == 0;
        }

        @Override
        public boolean next() {
            return ++i < n;
        }

        @Override
        public Chunk at() {
            return chunks[i];
        }

        @Override
        public long minTime() {
            return mins[i];
        }

        @Override
        public long maxTime() {
            return maxs[i];
        }

        @Override
        public Exception err() {
            return null;
        }
    }
}

package io.specula.remote.write;

import io.specula.model.labels.Labels;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;

/**
 * Encodes a batch of float samples into a remote-write request body (before Snappy): remote write
 * 1.0's {@code prometheus.WriteRequest} or 2.0's {@code io.prometheus.write.v2.Request}, written
 * field by field into one reused buffer, so a batch costs no object per sample.
 *
 * <p>Layout, as the specs' field numbers: 1.0 — {@code WriteRequest{1: repeated TimeSeries{1:
 * repeated Label{1: name, 2: value}, 2: repeated Sample{1: double value, 2: int64 timestamp}}}};
 * 2.0 — {@code Request{4: repeated string symbols, 5: repeated TimeSeries{1: packed uint32
 * labels_refs, 2: repeated Sample{1: value, 2: timestamp}}}}, {@code symbols[0]} the empty string.
 * Like Prometheus, each sample gets its own {@code TimeSeries} (order within a series is the
 * batch order); repeated label bytes compress well under Snappy.
 *
 * <p>Not thread-safe: one per shard.
 */
final class WriteEncoder {
    private byte[] buf = new byte[1 << 16];
    private int pos;

    // 2.0 symbol table of the request being built.
    private final HashMap<String, Integer> symbolIds = new HashMap<>();
    private String[] symbols = new String[64];
    private int numSymbols;
    private int[] refScratch = new int[32];

    /** The encoded bytes are {@code buffer()[0, length())}, valid until the next encode. */
    byte[] buffer() {
        return buf;
    }

    int length() {
        return pos;
    }

    /** The label part of a 1.0 {@code TimeSeries}: its {@code labels} fields, computed once per series. */
    static byte[] v1Labels(Labels l) {
        WriteEncoder e = new WriteEncoder();
        e.buf = new byte[64];
        for (int i = 0; i < l.size(); i++) {
            byte[] n = l.name(i).getBytes(StandardCharsets.UTF_8);
            byte[] v = l.value(i).getBytes(StandardCharsets.UTF_8);
            int inner = 1 + varintSize(n.length) + n.length + 1 + varintSize(v.length) + v.length;
            e.tag(1, 2);
            e.varint(inner);
            e.bytesField(1, n);
            e.bytesField(2, v);
        }
        return Arrays.copyOf(e.buf, e.pos);
    }

    /** Encodes samples {@code [0, n)} as a 1.0 WriteRequest. */
    void encodeV1(Series[] series, long[] ts, double[] vs, int n) {
        pos = 0;
        for (int i = 0; i < n; i++) {
            byte[] labels = series[i].v1Labels;
            int sample = sampleSize(ts[i]);
            int tsLen = labels.length + 1 + varintSize(sample) + sample;
            ensure(tsLen + 10);
            tag(1, 2);
            varint(tsLen);
            System.arraycopy(labels, 0, buf, pos, labels.length);
            pos += labels.length;
            tag(2, 2);
            varint(sample);
            sample(ts[i], vs[i]);
        }
    }

    /** Encodes samples {@code [0, n)} as a 2.0 Request (symbols interned per request). */
    void encodeV2(Series[] series, long[] ts, double[] vs, int n) {
        symbolIds.clear();
        numSymbols = 0;
        symbol("");
        // Time series first, into the tail of the buffer's logical order: symbols (field 4)
        // must be known before they are written, so the series are written to a second area.
        byte[] saved;
        pos = 0;
        for (int i = 0; i < n; i++) {
            Labels l = series[i].labels;
            int refs = l.size() * 2;
            if (refScratch.length < refs) {
                refScratch = new int[refs * 2];
            }
            int packed = 0;
            for (int j = 0; j < l.size(); j++) {
                int a = symbol(l.name(j)), b = symbol(l.value(j));
                refScratch[2 * j] = a;
                refScratch[2 * j + 1] = b;
                packed += varintSize(a) + varintSize(b);
            }
            int sample = sampleSize(ts[i]);
            int tsLen = 1 + varintSize(packed) + packed + 1 + varintSize(sample) + sample;
            ensure(tsLen + 10);
            tag(5, 2);
            varint(tsLen);
            tag(1, 2);
            varint(packed);
            for (int j = 0; j < refs; j++) {
                varint(refScratch[j]);
            }
            tag(2, 2);
            varint(sample);
            sample(ts[i], vs[i]);
        }
        saved = Arrays.copyOf(buf, pos);
        pos = 0;
        for (int i = 0; i < numSymbols; i++) {
            byte[] s = symbols[i].getBytes(StandardCharsets.UTF_8);
            ensure(s.length + 10);
            bytesField(4, s);
        }
        ensure(saved.length);
        System.arraycopy(saved, 0, buf, pos, saved.length);
        pos += saved.length;
    }

    private int symbol(String s) {
        Integer id = symbolIds.get(s);
        if (id != null) {
            return id;
        }
        if (numSymbols == symbols.length) {
            symbols = Arrays.copyOf(symbols, numSymbols * 2);
        }
        symbols[numSymbols] = s;
        symbolIds.put(s, numSymbols);
        return numSymbols++;
    }

    private static int sampleSize(long t) {
        return 1 + 8 + 1 + varintSize(t);
    }

    private void sample(long t, double v) {
        tag(1, 1);
        long bits = Double.doubleToRawLongBits(v);
        for (int k = 0; k < 8; k++) {
            buf[pos++] = (byte) (bits >>> (8 * k));
        }
        tag(2, 0);
        varint(t);
    }

    private void bytesField(int field, byte[] b) {
        ensure(b.length + 10);
        tag(field, 2);
        varint(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
    }

    private void tag(int field, int wireType) {
        buf[pos++] = (byte) (field << 3 | wireType);
    }

    private void varint(long v) {
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    static int varintSize(long v) {
        return v == 0 ? 1 : (63 - Long.numberOfLeadingZeros(v)) / 7 + 1;
    }

    private void ensure(int more) {
        if (pos + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(pos + more, buf.length * 2));
        }
    }
}

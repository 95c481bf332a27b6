package io.specula.remote.write;

import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Histogram;
import io.specula.model.labels.Labels;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;

/**
 * Encodes a batch of float samples, native histograms and exemplars into a remote-write request body (before Snappy): remote write
 * 1.0's {@code prometheus.WriteRequest} or 2.0's {@code io.prometheus.write.v2.Request}, written
 * field by field into one reused buffer, so a batch costs no object per sample.
 *
 * <p>Layout, as the specs' field numbers: 1.0 — {@code WriteRequest{1: repeated TimeSeries{1:
 * repeated Label{1: name, 2: value}, 2: repeated Sample{1: double value, 2: int64 timestamp}}}};
 * 2.0 — {@code Request{4: repeated string symbols, 5: repeated TimeSeries{1: packed uint32
 * labels_refs, 2: repeated Sample{1: value, 2: timestamp}}}}, {@code symbols[0]} the empty string.
 * Histograms and exemplars go into fields 4 and 3 of a 1.0 {@code TimeSeries}, 3 and 4 of a 2.0 one.
 * Like Prometheus, each sample, histogram or exemplar gets its own {@code TimeSeries} (order within a series is the
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
    private WriteEncoder sub;

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

    /** Encodes entries {@code [0, n)} as a 1.0 WriteRequest ({@code xs}: see {@link Shard#offer}). */
    void encodeV1(Series[] series, long[] ts, double[] vs, Object[] xs, int n) {
        pos = 0;
        for (int i = 0; i < n; i++) {
            byte[] labels = series[i].v1Labels;
            Object x = xs[i];
            int field = 2, inner;
            if (x == null) {
                inner = sampleSize(ts[i]);
            } else {
                field = x instanceof Labels ? 3 : 4;
                sub().pos = 0;
                if (x instanceof Labels el) {
                    byte[] l = v1Labels(el);
                    sub.ensure(l.length + 30);
                    System.arraycopy(l, 0, sub.buf, 0, l.length);
                    sub.pos = l.length;
                    sub.tag(2, 1);
                    sub.fixed64(Double.doubleToRawLongBits(vs[i]));
                    sub.tag(3, 0);
                    sub.varint(ts[i]);
                } else {
                    sub.histogram((HistSample) x, ts[i]);
                }
                inner = sub.pos;
            }
            int tsLen = labels.length + 1 + varintSize(inner) + inner;
            ensure(tsLen + 10);
            tag(1, 2);
            varint(tsLen);
            System.arraycopy(labels, 0, buf, pos, labels.length);
            pos += labels.length;
            tag(field, 2);
            varint(inner);
            if (x == null) {
                sample(ts[i], vs[i]);
            } else {
                System.arraycopy(sub.buf, 0, buf, pos, inner);
                pos += inner;
            }
        }
    }

    /**
     * Encodes entries {@code [0, n)} as a 2.0 Request (symbols interned per request). A
     * histogram's start timestamp goes into its series' {@code created_timestamp}.
     */
    void encodeV2(Series[] series, long[] ts, double[] vs, Object[] xs, int n) {
        encodeV2(series, ts, vs, xs, n, java.util.Map.of());
    }

    /**
     * As {@link #encodeV2(Series[], long[], double[], Object[], int)}, each series carrying its
     * family's metadata from {@code meta} (type, and help and unit as symbol refs) when known.
     */
    void encodeV2(Series[] series, long[] ts, double[] vs, Object[] xs, int n, java.util.Map<String, MetricMeta> meta) {
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
            Object x = xs[i];
            int field = 2, inner;
            long created = 0;
            if (x == null) {
                inner = sampleSize(ts[i]);
            } else {
                sub().pos = 0;
                if (x instanceof Labels el) {
                    field = 4;
                    int epacked = 0;
                    int[] erefs = new int[el.size() * 2];
                    for (int j = 0; j < el.size(); j++) {
                        erefs[2 * j] = symbol(el.name(j));
                        erefs[2 * j + 1] = symbol(el.value(j));
                        epacked += varintSize(erefs[2 * j]) + varintSize(erefs[2 * j + 1]);
                    }
                    sub.ensure(epacked + 40);
                    if (erefs.length > 0) {
                        sub.tag(1, 2);
                        sub.varint(epacked);
                        for (int r : erefs) {
                            sub.varint(r);
                        }
                    }
                    sub.tag(2, 1);
                    sub.fixed64(Double.doubleToRawLongBits(vs[i]));
                    sub.tag(3, 0);
                    sub.varint(ts[i]);
                } else {
                    field = 3;
                    HistSample h = (HistSample) x;
                    created = h.st();
                    sub.histogram(h, ts[i]);
                }
                inner = sub.pos;
            }
            MetricMeta md = series[i].meta(meta);
            int mdLen = 0;
            int helpRef = 0, unitRef = 0;
            if (md != null) {
                helpRef = md.help().isEmpty() ? 0 : symbol(md.help());
                unitRef = md.unit().isEmpty() ? 0 : symbol(md.unit());
                mdLen = (md.type() != 0 ? 1 + varintSize(md.type()) : 0) + (helpRef != 0 ? 1 + varintSize(helpRef) : 0)
                        + (unitRef != 0 ? 1 + varintSize(unitRef) : 0);
            }
            int tsLen = 1 + varintSize(packed) + packed + 1 + varintSize(inner) + inner
                    + (md != null ? 1 + varintSize(mdLen) + mdLen : 0)
                    + (created != 0 ? 1 + varintSize(created) : 0);
            ensure(tsLen + 10);
            tag(5, 2);
            varint(tsLen);
            tag(1, 2);
            varint(packed);
            for (int j = 0; j < refs; j++) {
                varint(refScratch[j]);
            }
            tag(field, 2);
            varint(inner);
            if (x == null) {
                sample(ts[i], vs[i]);
            } else {
                System.arraycopy(sub.buf, 0, buf, pos, inner);
                pos += inner;
            }
            if (md != null) {
                tag(5, 2);
                varint(mdLen);
                if (md.type() != 0) {
                    tag(1, 0);
                    varint(md.type());
                }
                if (helpRef != 0) {
                    tag(3, 0);
                    varint(helpRef);
                }
                if (unitRef != 0) {
                    tag(4, 0);
                    varint(unitRef);
                }
            }
            if (created != 0) {
                tag(6, 0);
                varint(created);
            }
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

    /**
     * Encodes {@code md[from, to)} as a 1.0 WriteRequest holding only {@code metadata} (field 3):
     * {@code MetricMetadata{1: type, 2: metric_family_name, 4: help, 5: unit}}, as Prometheus's
     * metadata watcher sends it.
     */
    void encodeMetadataV1(java.util.List<MetricMeta> md, int from, int to) {
        pos = 0;
        for (int i = from; i < to; i++) {
            MetricMeta m = md.get(i);
            byte[] f = m.family().getBytes(StandardCharsets.UTF_8);
            byte[] h = m.help().getBytes(StandardCharsets.UTF_8);
            byte[] u = m.unit().getBytes(StandardCharsets.UTF_8);
            int inner = (m.type() != 0 ? 1 + varintSize(m.type()) : 0) + (f.length > 0 ? 1 + varintSize(f.length) + f.length : 0)
                    + (h.length > 0 ? 1 + varintSize(h.length) + h.length : 0) + (u.length > 0 ? 1 + varintSize(u.length) + u.length : 0);
            ensure(inner + 12);
            tag(3, 2);
            varint(inner);
            if (m.type() != 0) {
                tag(1, 0);
                varint(m.type());
            }
            if (f.length > 0) {
                bytesField(2, f);
            }
            if (h.length > 0) {
                bytesField(4, h);
            }
            if (u.length > 0) {
                bytesField(5, u);
            }
        }
    }

    /** The scratch encoder for a nested message whose length must be known before it is copied. */
    private WriteEncoder sub() {
        if (sub == null) {
            sub = new WriteEncoder();
            sub.buf = new byte[256];
        }
        return sub;
    }

    /**
     * A {@code Histogram} message (same field numbers in 1.0's {@code prometheus.Histogram} and
     * 2.0's), integer counts as {@code count_int}/deltas, float ones as {@code count_float}/counts;
     * custom-bucket bounds in {@code custom_values} (both versions, as Prometheus 3 does).
     */
    private void histogram(HistSample hs, long t) {
        Histogram h = hs.h();
        FloatHistogram fh = hs.fh();
        int nb = h != null
                ? h.positiveBuckets.length + h.negativeBuckets.length + h.positiveSpans.length + h.negativeSpans.length
                : fh.positiveBuckets.length + fh.negativeBuckets.length + fh.positiveSpans.length + fh.negativeSpans.length;
        int ncv = h != null ? h.customValues.length : fh.customValues.length;
        ensure(100 + 12 * nb + 9 * ncv);
        if (h != null) {
            tag(1, 0);
            varint(h.count);
        } else {
            tag(2, 1);
            fixed64(Double.doubleToRawLongBits(fh.count));
        }
        tag(3, 1);
        fixed64(Double.doubleToRawLongBits(h != null ? h.sum : fh.sum));
        int schema = h != null ? h.schema : fh.schema;
        tag(4, 0);
        varint(zigzag32(schema));
        tag(5, 1);
        fixed64(Double.doubleToRawLongBits(h != null ? h.zeroThreshold : fh.zeroThreshold));
        if (h != null) {
            tag(6, 0);
            varint(h.zeroCount);
        } else {
            tag(7, 1);
            fixed64(Double.doubleToRawLongBits(fh.zeroCount));
        }
        spans(8, h != null ? h.negativeSpans : fh.negativeSpans);
        if (h != null) {
            deltas(9, h.negativeBuckets);
        } else {
            doubles(10, fh.negativeBuckets);
        }
        spans(11, h != null ? h.positiveSpans : fh.positiveSpans);
        if (h != null) {
            deltas(12, h.positiveBuckets);
        } else {
            doubles(13, fh.positiveBuckets);
        }
        int hint = h != null ? h.counterResetHint : fh.counterResetHint;
        if (hint != 0) {
            tag(14, 0);
            varint(hint);
        }
        tag(15, 0);
        varint(t);
        doubles(16, h != null ? h.customValues : fh.customValues);
    }

    /** Spans ({@code offset, length} pairs) as repeated {@code BucketSpan{1: sint32 offset, 2: uint32 length}}. */
    private void spans(int field, int[] spans) {
        for (int k = 0; k + 1 < spans.length; k += 2) {
            long off = zigzag32(spans[k]);
            long len = spans[k + 1] & 0xFFFFFFFFL;
            tag(field, 2);
            varint(2 + varintSize(off) + varintSize(len));
            tag(1, 0);
            varint(off);
            tag(2, 0);
            varint(len);
        }
    }

    /** Packed {@code repeated sint64}. */
    private void deltas(int field, long[] ds) {
        if (ds.length == 0) {
            return;
        }
        int len = 0;
        for (long d : ds) {
            len += varintSize((d << 1) ^ (d >> 63));
        }
        tag(field, 2);
        varint(len);
        for (long d : ds) {
            varint((d << 1) ^ (d >> 63));
        }
    }

    /** Packed {@code repeated double}. */
    private void doubles(int field, double[] ds) {
        if (ds.length == 0) {
            return;
        }
        tag(field, 2);
        varint(8L * ds.length);
        for (double d : ds) {
            fixed64(Double.doubleToRawLongBits(d));
        }
    }

    private static long zigzag32(int n) {
        return ((n << 1) ^ (n >> 31)) & 0xFFFFFFFFL;
    }

    private void fixed64(long bits) {
        for (int k = 0; k < 8; k++) {
            buf[pos++] = (byte) (bits >>> (8 * k));
        }
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
        varint(field << 3 | wireType); // two bytes from field 16 (custom_values) on
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

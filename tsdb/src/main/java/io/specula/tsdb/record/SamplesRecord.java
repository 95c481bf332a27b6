package io.specula.tsdb.record;

import io.specula.tsdb.encoding.ByteArrayDataOutput;
import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.encoding.DataInput;
import java.util.Arrays;

/**
 * A samples record (type 2): float samples of many series, held as three parallel primitive
 * arrays so that neither encoding nor decoding creates an object per sample.
 *
 * <p>Byte layout (Prometheus's {@code record.Samples}, bit-exact):
 * <pre>
 * ┌──────────────────────────────────────────────────────────────┐
 * │ type = 2 &lt;1b&gt;                                                │
 * ├──────────────────────────────────────────────────────────────┤   only when there is
 * │ first ref &lt;BE64&gt; │ first t &lt;BE64&gt;                           │ ◀ at least one sample
 * ├──────────────────────────────────────────────────────────────┤
 * │ ref − first ref &lt;varint&gt; │ t − first t &lt;varint&gt; │ v &lt;BE64&gt; │ ◀ every sample,
 * │ …                                                            │   the first one too
 * └──────────────────────────────────────────────────────────────┘
 * </pre>
 * Deltas are signed (zig-zag varints) and relative to the <em>first</em> sample, not the
 * previous one; the value is the IEEE 754 bit pattern, so NaN payloads such as staleness
 * markers survive. (The prose in Prometheus's {@code wal.md} says uvarint; the code, which
 * defines the format, writes varints.)
 *
 * <p>Reusable: {@link #decode} and {@link #clear} keep the arrays. The arrays returned by
 * {@link #refs()}, {@link #timestamps()} and {@link #values()} are valid for indexes
 * {@code [0, size())} until the next {@code add}/{@code decode}. Not thread-safe.
 */
public final class SamplesRecord {
    private long[] refs;
    private long[] ts;
    private double[] vs;
    private int size;

    public SamplesRecord() {
        this(64);
    }

    public SamplesRecord(int capacity) {
        capacity = Math.max(1, capacity);
        refs = new long[capacity];
        ts = new long[capacity];
        vs = new double[capacity];
    }

    public void clear() {
        size = 0;
    }

    public void add(long ref, long t, double v) {
        if (size == refs.length) {
            ensureCapacity(size + 1);
        }
        refs[size] = ref;
        ts[size] = t;
        vs[size] = v;
        size++;
    }

    public int size() {
        return size;
    }

    public long ref(int i) {
        return refs[i];
    }

    public long t(int i) {
        return ts[i];
    }

    public double v(int i) {
        return vs[i];
    }

    public long[] refs() {
        return refs;
    }

    public long[] timestamps() {
        return ts;
    }

    public double[] values() {
        return vs;
    }

    /** Keeps only the samples with {@code t >= mint}, in order (checkpoints drop older ones). */
    public void removeBefore(long mint) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (ts[i] >= mint) {
                refs[n] = refs[i];
                ts[n] = ts[i];
                vs[n] = vs[i];
                n++;
            }
        }
        size = n;
    }

    /** Appends the record to {@code out}. */
    public void encode(ByteArrayDataOutput out) {
        encode(out, refs, ts, vs, size);
    }

    /**
     * Appends a samples record of the first {@code size} entries of the parallel arrays to
     * {@code out}, without copying them first (a head appender's commit buffers).
     */
    public static void encode(ByteArrayDataOutput out, long[] refs, long[] ts, double[] vs, int size) {
        out.writeByte(RecordType.SAMPLES.code());
        if (size == 0) {
            return;
        }
        long firstRef = refs[0];
        long firstT = ts[0];
        out.writeBE64(firstRef);
        out.writeBE64(firstT);
        for (int i = 0; i < size; i++) {
            out.writeVarint(refs[i] - firstRef);
            out.writeVarint(ts[i] - firstT);
            out.writeDouble(vs[i]);
        }
    }

    /** Replaces the contents with the samples of record {@code rec[0, len)}. */
    public void decode(byte[] rec, int len) throws CorruptionException {
        DataInput in = RecordCodec.open(rec, len, RecordType.SAMPLES);
        size = 0;
        if (in.remaining() == 0) {
            return;
        }
        long firstRef = in.readBE64();
        long firstT = in.readBE64();
        // Every sample takes at least 1 + 1 + 8 bytes: size the arrays once.
        ensureCapacity((int) (in.remaining() / 10));
        while (in.remaining() > 0) {
            long ref = firstRef + in.readVarint();
            long t = firstT + in.readVarint();
            long bits = in.readBE64();
            if (size == refs.length) {
                ensureCapacity(size + 1);
            }
            refs[size] = ref;
            ts[size] = t;
            vs[size] = Double.longBitsToDouble(bits);
            size++;
        }
    }

    private void ensureCapacity(int need) {
        if (need > refs.length) {
            int c = RecordCodec.grow(refs.length, need);
            refs = Arrays.copyOf(refs, c);
            ts = Arrays.copyOf(ts, c);
            vs = Arrays.copyOf(vs, c);
        }
    }
}

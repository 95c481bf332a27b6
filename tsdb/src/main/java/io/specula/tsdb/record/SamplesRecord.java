package io.specula.tsdb.record;

import io.specula.tsdb.encoding.ByteArrayDataOutput;
import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.encoding.DataInput;
import java.util.Arrays;

/**
 * A samples record (type 2), or a samples-v2 record (type 11, Prometheus 3.11+) whose samples
 * may carry start timestamps: float samples of many series, held as parallel primitive arrays
 * so that neither encoding nor decoding creates an object per sample.
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
 * <p>Samples-v2 layout (Prometheus's {@code record.SamplesV2}): after the type byte, the first
 * sample as {@code ref <varint> t <varint> st <varint> v <BE64>}; then each further sample as
 * {@code ref − previous ref <varint> │ t − first t <varint> │ st marker <1b> │ v <BE64>}, the
 * marker being 0 (no start time), 1 (the previous sample's start time) or 2 followed by
 * {@code st − first st <varint>}. A start time of 0 means none. Specula writes v2 only for
 * batches that carry a start time, so WALs without them stay readable by Prometheus 2.x.
 *
 * <p>Reusable: {@link #decode} and {@link #clear} keep the arrays. The arrays returned by
 * {@link #refs()}, {@link #timestamps()} and {@link #values()} are valid for indexes
 * {@code [0, size())} until the next {@code add}/{@code decode}. Not thread-safe.
 */
public final class SamplesRecord {
    private long[] refs;
    private long[] ts;
    private double[] vs;
    /** Start times, null until a record carries them (v2, or an {@code add} with one). */
    private long[] sts;
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
        sts = null;
    }

    public void add(long ref, long t, double v) {
        add(ref, 0, t, v);
    }

    /** Adds a sample with start time {@code st} (0 = none). */
    public void add(long ref, long st, long t, double v) {
        if (size == refs.length) {
            ensureCapacity(size + 1);
        }
        if (st != 0 && sts == null) {
            sts = new long[refs.length];
        }
        refs[size] = ref;
        ts[size] = t;
        vs[size] = v;
        if (sts != null) {
            sts[size] = st;
        }
        size++;
    }

    /** Whether the samples carry start times (then {@link #startTimes()} is not null). */
    public boolean hasStartTimes() {
        return sts != null;
    }

    /** Start time of sample i, 0 when it has none. */
    public long st(int i) {
        return sts == null ? 0 : sts[i];
    }

    /** The start-time column, or null when the record has none. */
    public long[] startTimes() {
        return sts;
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
                if (sts != null) {
                    sts[n] = sts[i];
                }
                n++;
            }
        }
        size = n;
    }

    /** Appends the record to {@code out}: samples-v2 when it carries start times. */
    public void encode(ByteArrayDataOutput out) {
        if (sts != null) {
            encodeV2(out, refs, sts, ts, vs, size);
        } else {
            encode(out, refs, ts, vs, size);
        }
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

    /** Appends a samples-v2 record of the first {@code size} entries (start times 0 = none) to {@code out}. */
    public static void encodeV2(ByteArrayDataOutput out, long[] refs, long[] sts, long[] ts, double[] vs, int size) {
        out.writeByte(RecordType.SAMPLES_V2.code());
        if (size == 0) {
            return;
        }
        long firstT = ts[0], firstSt = sts[0];
        out.writeVarint(refs[0]);
        out.writeVarint(firstT);
        out.writeVarint(firstSt);
        out.writeDouble(vs[0]);
        for (int i = 1; i < size; i++) {
            out.writeVarint(refs[i] - refs[i - 1]);
            out.writeVarint(ts[i] - firstT);
            long st = sts[i];
            if (st == 0) {
                out.writeByte(ST_NONE);
            } else if (st == sts[i - 1]) {
                out.writeByte(ST_SAME);
            } else {
                out.writeByte(ST_EXPLICIT);
                out.writeVarint(st - firstSt);
            }
            out.writeDouble(vs[i]);
        }
    }

    private static final int ST_NONE = 0, ST_SAME = 1, ST_EXPLICIT = 2;

    /** Replaces the contents with the samples of record {@code rec[0, len)}, of either type. */
    public void decode(byte[] rec, int len) throws CorruptionException {
        if (len > 0 && (rec[0] & 0xFF) == RecordType.SAMPLES_V2.code()) {
            decodeV2(rec, len);
            return;
        }
        DataInput in = RecordCodec.open(rec, len, RecordType.SAMPLES);
        size = 0;
        sts = null;
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

    private void decodeV2(byte[] rec, int len) throws CorruptionException {
        DataInput in = RecordCodec.open(rec, len, RecordType.SAMPLES_V2);
        size = 0;
        if (sts == null) {
            sts = new long[refs.length];
        }
        if (in.remaining() == 0) {
            return;
        }
        ensureCapacity((int) (in.remaining() / 11) + 1);
        long ref = in.readVarint(), firstT = in.readVarint(), firstSt = in.readVarint();
        long st = firstSt, t = firstT;
        while (true) {
            long bits = in.readBE64();
            if (size == refs.length) {
                ensureCapacity(size + 1);
            }
            refs[size] = ref;
            ts[size] = t;
            sts[size] = st;
            vs[size] = Double.longBitsToDouble(bits);
            size++;
            if (in.remaining() == 0) {
                return;
            }
            ref += in.readVarint();
            t = firstT + in.readVarint();
            int marker = in.readByte();
            st = switch (marker) {
                case ST_NONE -> 0;
                case ST_SAME -> st;
                case ST_EXPLICIT -> firstSt + in.readVarint();
                default -> throw new CorruptionException("samples_v2 record", len - in.remaining(),
                        "unknown start-time marker " + marker);
            };
        }
    }

    private void ensureCapacity(int need) {
        if (need > refs.length) {
            int c = RecordCodec.grow(refs.length, need);
            refs = Arrays.copyOf(refs, c);
            ts = Arrays.copyOf(ts, c);
            vs = Arrays.copyOf(vs, c);
            if (sts != null) {
                sts = Arrays.copyOf(sts, c);
            }
        }
    }
}

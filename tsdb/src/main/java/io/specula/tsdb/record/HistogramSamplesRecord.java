package io.specula.tsdb.record;

import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Histogram;
import io.specula.model.histogram.Schemas;
import io.specula.tsdb.encoding.ByteArrayDataOutput;
import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.encoding.DataInput;
import java.util.Arrays;

/**
 * The native-histogram sample records, bit-exact with Prometheus's {@code record} package:
 * histogram samples (7), float histogram samples (8), their custom-bucket twins (9, 10) and
 * the start-timestamp variants (12, 13). One instance holds the decoded samples of one record,
 * integer or float, as parallel arrays plus one histogram object per sample (a histogram has
 * variable-length parts; the objects are reused by the next {@link #decode}).
 *
 * <p>Layout of 7, 8, 9 and 10 (after the type byte, nothing more for an empty record):
 * <pre>
 * first ref &lt;BE64&gt; │ first t &lt;BE64&gt;
 * then per sample: ref − first ref &lt;varint&gt; │ t − first t &lt;varint&gt; │ histogram
 * </pre>
 * Prometheus writes a batch's integer histograms as one type-7 record whose base is the
 * batch's first integer histogram, custom-bucket ones included, but which holds only the
 * exponential ones (and is left out when there are none), then the custom-bucket ones as a
 * type-9 record with its own base; float histograms likewise as 8 and 10.
 *
 * <p>Layout of 12 and 13: the first sample as {@code ref <varint> t <varint> st <varint>
 * histogram}, each further one as {@code ref − previous ref <varint> │ t − first t <varint> │
 * st marker <1b> [st − first st <varint>] │ histogram}, markers as in {@link SamplesRecord};
 * exponential and custom-bucket histograms share the record. Specula writes them only for
 * batches with a start timestamp, so other WALs stay readable by Prometheus 2.x.
 *
 * <p>A histogram: {@code counter-reset hint <1b> │ schema <varint> │ zero threshold <BE64 float> │
 * zero count, count (<uvarint> each; <BE64 float> for float histograms) │ sum <BE64 float> │
 * positive spans, negative spans (count <uvarint>, then offset <varint> length <uvarint> each) │
 * positive buckets, negative buckets (count <uvarint>, then <varint> deltas, or <BE64 float>
 * absolute counts for float histograms) │ custom bounds (count <uvarint>, <BE64 float> each;
 * only for schema −53)}.
 *
 * <p>Decoding skips samples with a schema this version does not know and reduces reserved
 * higher-resolution schemas to 8, as Prometheus does. Not thread-safe.
 */
public final class HistogramSamplesRecord {
    private static final double[] NO_DOUBLES = new double[0];

    private long[] refs = new long[16];
    private long[] ts = new long[16];
    private long[] sts = new long[16];
    private Histogram[] hs = new Histogram[16];
    private FloatHistogram[] fhs = new FloatHistogram[16];
    private int size;
    private boolean floats;
    private boolean hasStartTimes;
    /** Samples skipped by the last decode for an unknown schema. */
    private int skipped;

    public int size() {
        return size;
    }

    /** Whether the record held float histograms (read {@link #floatHistogram}) or integer ones ({@link #histogram}). */
    public boolean isFloat() {
        return floats;
    }

    public boolean hasStartTimes() {
        return hasStartTimes;
    }

    public int skipped() {
        return skipped;
    }

    public long ref(int i) {
        return refs[i];
    }

    public long t(int i) {
        return ts[i];
    }

    /** Start time of sample i, 0 when none. */
    public long st(int i) {
        return hasStartTimes ? sts[i] : 0;
    }

    /** The i-th integer histogram; owned by this record until the next decode. */
    public Histogram histogram(int i) {
        return hs[i];
    }

    /** The i-th float histogram; owned by this record until the next decode. */
    public FloatHistogram floatHistogram(int i) {
        return fhs[i];
    }

    /** Keeps only the samples with {@code t >= mint}, in order (checkpoints drop older ones). */
    public void removeBefore(long mint) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (ts[i] >= mint) {
                if (n != i) {
                    Histogram h = hs[n];
                    FloatHistogram fh = fhs[n];
                    refs[n] = refs[i];
                    ts[n] = ts[i];
                    sts[n] = sts[i];
                    hs[n] = hs[i];
                    fhs[n] = fhs[i];
                    hs[i] = h; // keep the displaced objects for reuse
                    fhs[i] = fh;
                }
                n++;
            }
        }
        size = n;
    }

    /** Whether {@code rec}'s type byte is one of the histogram sample records. */
    public static boolean isHistogramRecord(byte[] rec, int len) {
        return RecordType.of(rec, len).isHistogram();
    }

    // ---------------------------------------------------------------- encoding

    /** Most records {@link #encodeBatch} writes for one batch: 7, 9, 8 and 10. */
    public static final int MAX_BATCH_RECORDS = 4;

    /**
     * Encodes the records Prometheus writes for one batch's histograms, record k into
     * {@code outs[k]} (reset first; at least {@link #MAX_BATCH_RECORDS} buffers), and returns
     * how many it wrote. Of the {@code n} entries of the parallel arrays exactly one of
     * {@code hs[i]} and {@code fhs[i]} is non-null; {@code sts} is null when the batch has no
     * start times (then types 7, 9, 8, 10 as needed, in that order; otherwise 12 and 13).
     */
    public static int encodeBatch(ByteArrayDataOutput[] outs, long[] refs, long[] sts, long[] ts, Histogram[] hs,
            FloatHistogram[] fhs, int n) {
        int ints = 0, intsCustom = 0, flts = 0, fltsCustom = 0;
        for (int i = 0; i < n; i++) {
            if (hs[i] != null) {
                ints++;
                if (hs[i].usesCustomBuckets()) {
                    intsCustom++;
                }
            } else {
                flts++;
                if (fhs[i].usesCustomBuckets()) {
                    fltsCustom++;
                }
            }
        }
        int k = 0;
        if (sts != null) {
            if (ints > 0) {
                encodeV2(outs[k++].reset(), false, refs, sts, ts, hs, fhs, n);
            }
            if (flts > 0) {
                encodeV2(outs[k++].reset(), true, refs, sts, ts, hs, fhs, n);
            }
            return k;
        }
        if (ints > intsCustom) {
            encodeV1(outs[k++].reset(), RecordType.HISTOGRAM_SAMPLES, refs, ts, hs, fhs, n);
        }
        if (intsCustom > 0) {
            encodeV1(outs[k++].reset(), RecordType.CUSTOM_BUCKETS_HISTOGRAM_SAMPLES, refs, ts, hs, fhs, n);
        }
        if (flts > fltsCustom) {
            encodeV1(outs[k++].reset(), RecordType.FLOAT_HISTOGRAM_SAMPLES, refs, ts, hs, fhs, n);
        }
        if (fltsCustom > 0) {
            encodeV1(outs[k++].reset(), RecordType.CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES, refs, ts, hs, fhs, n);
        }
        return k;
    }

    /**
     * Encodes the samples this instance holds (as decoded, then perhaps filtered) again, as
     * {@link #encodeBatch} would: a record decoded from one type comes out as that type.
     */
    public int encode(ByteArrayDataOutput[] outs) {
        Histogram[] h = floats ? new Histogram[size] : hs;
        FloatHistogram[] f = floats ? fhs : new FloatHistogram[size];
        return encodeBatch(outs, refs, hasStartTimes ? sts : null, ts, h, f, size);
    }

    private static boolean selected(RecordType type, Histogram h, FloatHistogram fh) {
        return switch (type) {
            case HISTOGRAM_SAMPLES -> h != null && !h.usesCustomBuckets();
            case CUSTOM_BUCKETS_HISTOGRAM_SAMPLES -> h != null && h.usesCustomBuckets();
            case FLOAT_HISTOGRAM_SAMPLES -> fh != null && !fh.usesCustomBuckets();
            case CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES -> fh != null && fh.usesCustomBuckets();
            default -> throw new IllegalArgumentException(type.name());
        };
    }

    private static void encodeV1(ByteArrayDataOutput out, RecordType type, long[] refs, long[] ts, Histogram[] hs,
            FloatHistogram[] fhs, int n) {
        boolean flt = type == RecordType.FLOAT_HISTOGRAM_SAMPLES || type == RecordType.CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES;
        boolean custom = type == RecordType.CUSTOM_BUCKETS_HISTOGRAM_SAMPLES || type == RecordType.CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES;
        out.writeByte(type.code());
        int first = -1;
        for (int i = 0; i < n && first < 0; i++) {
            // The exponential record's base is the kind's first sample, custom or not (as Prometheus).
            if (flt ? fhs[i] != null && (!custom || fhs[i].usesCustomBuckets())
                    : hs[i] != null && (!custom || hs[i].usesCustomBuckets())) {
                first = i;
            }
        }
        if (first < 0) {
            return;
        }
        long firstRef = refs[first], firstT = ts[first];
        out.writeBE64(firstRef);
        out.writeBE64(firstT);
        for (int i = first; i < n; i++) {
            if (!selected(type, hs[i], fhs[i])) {
                continue;
            }
            out.writeVarint(refs[i] - firstRef);
            out.writeVarint(ts[i] - firstT);
            if (flt) {
                writeFloatHistogram(out, fhs[i]);
            } else {
                writeHistogram(out, hs[i]);
            }
        }
    }

    private static void encodeV2(ByteArrayDataOutput out, boolean flt, long[] refs, long[] sts, long[] ts,
            Histogram[] hs, FloatHistogram[] fhs, int n) {
        out.writeByte(flt ? RecordType.FLOAT_HISTOGRAM_SAMPLES_V2.code() : RecordType.HISTOGRAM_SAMPLES_V2.code());
        int prev = -1;
        long firstT = 0, firstSt = 0;
        for (int i = 0; i < n; i++) {
            if (flt ? fhs[i] == null : hs[i] == null) {
                continue;
            }
            if (prev < 0) {
                firstT = ts[i];
                firstSt = sts[i];
                out.writeVarint(refs[i]);
                out.writeVarint(firstT);
                out.writeVarint(firstSt);
            } else {
                out.writeVarint(refs[i] - refs[prev]);
                out.writeVarint(ts[i] - firstT);
                long st = sts[i];
                if (st == 0) {
                    out.writeByte(ST_NONE);
                } else if (st == sts[prev]) {
                    out.writeByte(ST_SAME);
                } else {
                    out.writeByte(ST_EXPLICIT);
                    out.writeVarint(st - firstSt);
                }
            }
            if (flt) {
                writeFloatHistogram(out, fhs[i]);
            } else {
                writeHistogram(out, hs[i]);
            }
            prev = i;
        }
    }

    private static final int ST_NONE = 0, ST_SAME = 1, ST_EXPLICIT = 2;

    static void writeHistogram(ByteArrayDataOutput out, Histogram h) {
        out.writeByte(h.counterResetHint);
        out.writeVarint(h.schema);
        out.writeDouble(h.zeroThreshold);
        out.writeUvarint(h.zeroCount);
        out.writeUvarint(h.count);
        out.writeDouble(h.sum);
        writeSpans(out, h.positiveSpans);
        writeSpans(out, h.negativeSpans);
        out.writeUvarint(h.positiveBuckets.length);
        for (long b : h.positiveBuckets) {
            out.writeVarint(b);
        }
        out.writeUvarint(h.negativeBuckets.length);
        for (long b : h.negativeBuckets) {
            out.writeVarint(b);
        }
        if (Schemas.isCustomBuckets(h.schema)) {
            writeFloats(out, h.customValues);
        }
    }

    static void writeFloatHistogram(ByteArrayDataOutput out, FloatHistogram h) {
        out.writeByte(h.counterResetHint);
        out.writeVarint(h.schema);
        out.writeDouble(h.zeroThreshold);
        out.writeDouble(h.zeroCount);
        out.writeDouble(h.count);
        out.writeDouble(h.sum);
        writeSpans(out, h.positiveSpans);
        writeSpans(out, h.negativeSpans);
        writeFloats(out, h.positiveBuckets);
        writeFloats(out, h.negativeBuckets);
        if (Schemas.isCustomBuckets(h.schema)) {
            writeFloats(out, h.customValues);
        }
    }

    private static void writeSpans(ByteArrayDataOutput out, int[] spans) {
        out.writeUvarint(spans.length / 2);
        for (int i = 0; i < spans.length; i += 2) {
            out.writeVarint(spans[i]);
            out.writeUvarint(spans[i + 1] & 0xFFFFFFFFL);
        }
    }

    private static void writeFloats(ByteArrayDataOutput out, double[] vs) {
        out.writeUvarint(vs.length);
        for (double v : vs) {
            out.writeDouble(v);
        }
    }

    // ---------------------------------------------------------------- decoding

    /** Replaces the contents with the samples of record {@code rec[0, len)}, of any of the six types. */
    public void decode(byte[] rec, int len) throws CorruptionException {
        RecordType type = RecordType.of(rec, len);
        if (!type.isHistogram()) {
            throw new CorruptionException("histogram samples record", 0, "record type " + (len > 0 ? rec[0] & 0xFF : -1) + " is not a histogram record");
        }
        DataInput in = RecordCodec.open(rec, len, type);
        floats = type == RecordType.FLOAT_HISTOGRAM_SAMPLES || type == RecordType.CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES
                || type == RecordType.FLOAT_HISTOGRAM_SAMPLES_V2;
        boolean v2 = type == RecordType.HISTOGRAM_SAMPLES_V2 || type == RecordType.FLOAT_HISTOGRAM_SAMPLES_V2;
        hasStartTimes = v2;
        size = 0;
        skipped = 0;
        if (in.remaining() == 0) {
            return;
        }
        long firstRef, firstT, firstSt = 0;
        if (v2) {
            firstRef = in.readVarint();
            firstT = in.readVarint();
            firstSt = in.readVarint();
        } else {
            firstRef = in.readBE64();
            firstT = in.readBE64();
        }
        long ref = firstRef, t = firstT, st = firstSt;
        boolean first = true;
        while (in.remaining() > 0) {
            if (v2) {
                if (!first) {
                    ref += in.readVarint();
                    t = firstT + in.readVarint();
                    int marker = in.readByte();
                    st = switch (marker) {
                        case ST_NONE -> 0;
                        case ST_SAME -> st;
                        case ST_EXPLICIT -> firstSt + in.readVarint();
                        default -> throw in.corrupt(in.position() - 1, "unknown start-time marker " + marker);
                    };
                }
            } else {
                ref = firstRef + in.readVarint();
                t = firstT + in.readVarint();
            }
            first = false;
            ensureCapacity(size + 1);
            int schema;
            if (floats) {
                FloatHistogram fh = fhs[size] == null ? (fhs[size] = new FloatHistogram()) : fhs[size];
                readFloatHistogram(in, fh);
                schema = fh.schema;
                if (Schemas.isKnown(schema) && schema > Schemas.EXPONENTIAL_MAX && !Schemas.isCustomBuckets(schema)) {
                    fhs[size] = fh.reduceResolution(Schemas.EXPONENTIAL_MAX);
                }
            } else {
                Histogram h = hs[size] == null ? (hs[size] = new Histogram()) : hs[size];
                readHistogram(in, h);
                schema = h.schema;
                if (Schemas.isKnown(schema) && schema > Schemas.EXPONENTIAL_MAX && !Schemas.isCustomBuckets(schema)) {
                    hs[size] = h.reduceResolution(Schemas.EXPONENTIAL_MAX);
                }
            }
            if (!Schemas.isKnown(schema)) {
                skipped++; // a newer Prometheus's schema: skipped with the sample, as Prometheus does
                continue;
            }
            refs[size] = ref;
            ts[size] = t;
            sts[size] = st;
            size++;
        }
    }

    static void readHistogram(DataInput in, Histogram h) throws CorruptionException {
        h.counterResetHint = in.readByte();
        h.schema = schema(in);
        h.zeroThreshold = in.readDouble();
        h.zeroCount = in.readUvarint();
        h.count = in.readUvarint();
        h.sum = in.readDouble();
        h.positiveSpans = readSpans(in);
        h.negativeSpans = readSpans(in);
        h.positiveBuckets = readDeltas(in);
        h.negativeBuckets = readDeltas(in);
        h.customValues = Schemas.isCustomBuckets(h.schema) ? readFloats(in) : NO_DOUBLES;
    }

    static void readFloatHistogram(DataInput in, FloatHistogram h) throws CorruptionException {
        h.counterResetHint = in.readByte();
        h.schema = schema(in);
        h.zeroThreshold = in.readDouble();
        h.zeroCount = in.readDouble();
        h.count = in.readDouble();
        h.sum = in.readDouble();
        h.positiveSpans = readSpans(in);
        h.negativeSpans = readSpans(in);
        h.positiveBuckets = readFloats(in);
        h.negativeBuckets = readFloats(in);
        h.customValues = Schemas.isCustomBuckets(h.schema) ? readFloats(in) : NO_DOUBLES;
    }

    private static int schema(DataInput in) throws CorruptionException {
        long at = in.position();
        long s = in.readVarint();
        if (s != (int) s) {
            throw in.corrupt(at, "histogram schema " + s + " out of range");
        }
        return (int) s;
    }

    /** A count read before an array: each element takes at least one byte, so a larger count is corrupt (and no huge allocation). */
    private static int count(DataInput in, int minBytes) throws CorruptionException {
        long at = in.position();
        long n = in.readUvarint();
        if (n < 0 || n > in.remaining() / minBytes) {
            throw in.corrupt(at, "count " + Long.toUnsignedString(n) + " exceeds the record");
        }
        return (int) n;
    }

    private static int[] readSpans(DataInput in) throws CorruptionException {
        int n = count(in, 2);
        if (n == 0) {
            return io.specula.model.histogram.Spans.NONE;
        }
        int[] spans = new int[2 * n];
        for (int i = 0; i < spans.length; i += 2) {
            long at = in.position();
            long off = in.readVarint();
            long length = in.readUvarint();
            if (off != (int) off || length > 0xFFFFFFFFL || length < 0) {
                throw in.corrupt(at, "span out of range");
            }
            spans[i] = (int) off;
            spans[i + 1] = (int) length;
        }
        return spans;
    }

    private static long[] readDeltas(DataInput in) throws CorruptionException {
        int n = count(in, 1);
        long[] b = new long[n];
        for (int i = 0; i < n; i++) {
            b[i] = in.readVarint();
        }
        return b;
    }

    private static double[] readFloats(DataInput in) throws CorruptionException {
        int n = count(in, 8);
        if (n == 0) {
            return NO_DOUBLES;
        }
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            b[i] = in.readDouble();
        }
        return b;
    }

    private void ensureCapacity(int need) {
        if (need > refs.length) {
            int c = RecordCodec.grow(refs.length, need);
            refs = Arrays.copyOf(refs, c);
            ts = Arrays.copyOf(ts, c);
            sts = Arrays.copyOf(sts, c);
            hs = Arrays.copyOf(hs, c);
            fhs = Arrays.copyOf(fhs, c);
        }
    }
}

package io.specula.tsdb.record;

import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.model.labels.SymbolTable;
import io.specula.tsdb.encoding.ByteArrayDataOutput;
import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.encoding.DataInput;
import java.util.Arrays;

/**
 * An exemplars record (type 4; {@code wal.md} says 5, the code says 4).
 *
 * <p>Byte layout (Prometheus's {@code record.Exemplars}, bit-exact):
 * <pre>
 * ┌───────────────────────────────────────────────────────────────┐
 * │ type = 4 &lt;1b&gt;                                                 │
 * ├───────────────────────────────────────────────────────────────┤   only when there is
 * │ first ref &lt;BE64&gt; │ first t &lt;BE64&gt;                            │ ◀ at least one exemplar
 * ├───────────────────────────────────────────────────────────────┤
 * │ ref − first ref &lt;varint&gt; │ t − first t &lt;varint&gt; │ v &lt;BE64&gt;  │ ◀ every exemplar
 * │ n &lt;uvarint&gt; │ n × (len &lt;uvarint&gt; name, len &lt;uvarint&gt; value)  │
 * └───────────────────────────────────────────────────────────────┘
 * </pre>
 *
 * <p>Reusable; not thread-safe. Decoded labels are interned through the optional
 * {@link SymbolTable}.
 */
public final class ExemplarsRecord {
    private final SymbolTable symbols;
    private final LabelsBuilder scratch = new LabelsBuilder();
    private long[] refs = new long[8];
    private long[] ts = new long[8];
    private double[] vs = new double[8];
    private Labels[] labels = new Labels[8];
    private int size;

    public ExemplarsRecord() {
        this(null);
    }

    /** @param symbols interns decoded strings; may be null */
    public ExemplarsRecord(SymbolTable symbols) {
        this.symbols = symbols;
    }

    public void clear() {
        Arrays.fill(labels, 0, size, null);
        size = 0;
    }

    public void add(long ref, long t, double v, Labels lset) {
        if (size == refs.length) {
            int c = RecordCodec.grow(size, size + 1);
            refs = Arrays.copyOf(refs, c);
            ts = Arrays.copyOf(ts, c);
            vs = Arrays.copyOf(vs, c);
            labels = Arrays.copyOf(labels, c);
        }
        refs[size] = ref;
        ts[size] = t;
        vs[size] = v;
        labels[size] = lset;
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

    public Labels labels(int i) {
        return labels[i];
    }

    /** Keeps only the exemplars with {@code t >= mint}, in order. */
    public void removeBefore(long mint) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (ts[i] >= mint) {
                refs[n] = refs[i];
                ts[n] = ts[i];
                vs[n] = vs[i];
                labels[n] = labels[i];
                n++;
            }
        }
        Arrays.fill(labels, n, size, null);
        size = n;
    }

    public void encode(ByteArrayDataOutput out) {
        out.writeByte(RecordType.EXEMPLARS.code());
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
            RecordCodec.writeLabels(out, labels[i]);
        }
    }

    public void decode(byte[] rec, int len) throws CorruptionException {
        DataInput in = RecordCodec.open(rec, len, RecordType.EXEMPLARS);
        clear();
        if (in.remaining() == 0) {
            return;
        }
        long firstRef = in.readBE64();
        long firstT = in.readBE64();
        while (in.remaining() > 0) {
            long ref = firstRef + in.readVarint();
            long t = firstT + in.readVarint();
            double v = Double.longBitsToDouble(in.readBE64());
            add(ref, t, v, RecordCodec.readLabels(in, rec, symbols, scratch));
        }
    }
}

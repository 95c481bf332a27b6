package io.specula.tsdb.record;

import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.model.labels.SymbolTable;
import io.specula.tsdb.encoding.ByteArrayDataOutput;
import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.encoding.DataInput;
import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * A series record (type 1): new series with their head references.
 *
 * <p>Byte layout (Prometheus's {@code record.Series}, bit-exact):
 * <pre>
 * ┌─────────────────────────────────────────────────────────┐
 * │ type = 1 &lt;1b&gt;                                           │
 * ├─────────────────────────────────────────────────────────┤
 * │ ref &lt;BE64&gt; │ n = number of labels &lt;uvarint&gt;            │ ◀ every series
 * │ len(name_1) &lt;uvarint&gt; │ name_1 &lt;bytes&gt;                   │
 * │ len(value_1) &lt;uvarint&gt; │ value_1 &lt;bytes&gt;                 │
 * │ … n pairs, sorted by name                               │
 * └─────────────────────────────────────────────────────────┘
 * </pre>
 *
 * <p>Decoding interns names and values through the {@link SymbolTable} given at construction
 * (the head's, so a replayed series shares strings with live ones); without one each string
 * is a fresh copy. Reusable; {@link #labels(int)} results are immutable and may be kept.
 * Not thread-safe.
 */
public final class SeriesRecord {
    private final SymbolTable symbols;
    private final LabelsBuilder scratch = new LabelsBuilder();
    private long[] refs = new long[16];
    private Labels[] labels = new Labels[16];
    private int size;

    public SeriesRecord() {
        this(null);
    }

    /** @param symbols interns decoded strings; may be null */
    public SeriesRecord(SymbolTable symbols) {
        this.symbols = symbols;
    }

    public void clear() {
        Arrays.fill(labels, 0, size, null);
        size = 0;
    }

    public void add(long ref, Labels lset) {
        if (size == refs.length) {
            int c = RecordCodec.grow(size, size + 1);
            refs = Arrays.copyOf(refs, c);
            labels = Arrays.copyOf(labels, c);
        }
        refs[size] = ref;
        labels[size] = lset;
        size++;
    }

    public int size() {
        return size;
    }

    public long ref(int i) {
        return refs[i];
    }

    public Labels labels(int i) {
        return labels[i];
    }

    /** Keeps only the series whose reference {@code keep} accepts, in order. */
    public void retain(LongPredicate keep) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (keep.test(refs[i])) {
                refs[n] = refs[i];
                labels[n] = labels[i];
                n++;
            }
        }
        Arrays.fill(labels, n, size, null);
        size = n;
    }

    /** Appends the record to {@code out}. */
    public void encode(ByteArrayDataOutput out) {
        encode(out, refs, labels, size);
    }

    /** Appends a series record of {@code refs[0, n)} and {@code labels[0, n)} to {@code out}, without copying them first. */
    public static void encode(ByteArrayDataOutput out, long[] refs, Labels[] labels, int n) {
        out.writeByte(RecordType.SERIES.code());
        for (int i = 0; i < n; i++) {
            out.writeBE64(refs[i]);
            RecordCodec.writeLabels(out, labels[i]);
        }
    }

    /** Replaces the contents with the series of record {@code rec[0, len)}. */
    public void decode(byte[] rec, int len) throws CorruptionException {
        DataInput in = RecordCodec.open(rec, len, RecordType.SERIES);
        clear();
        while (in.remaining() > 0) {
            long ref = in.readBE64();
            add(ref, RecordCodec.readLabels(in, rec, symbols, scratch));
        }
    }
}

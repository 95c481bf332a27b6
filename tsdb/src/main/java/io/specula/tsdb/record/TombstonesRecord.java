package io.specula.tsdb.record;

import io.specula.tsdb.encoding.ByteArrayDataOutput;
import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.encoding.DataInput;
import java.util.Arrays;

/**
 * A tombstones record (type 3): deleted time ranges {@code [mint, maxt]} of series.
 *
 * <p>Byte layout (Prometheus's {@code record.Tombstones}, bit-exact):
 * <pre>
 * ┌──────────────────────────────────────────────────┐
 * │ type = 3 &lt;1b&gt;                                    │
 * ├──────────────────────────────────────────────────┤
 * │ ref &lt;BE64&gt; │ mint &lt;varint&gt; │ maxt &lt;varint&gt;       │ ◀ every interval
 * │ …                                                │
 * └──────────────────────────────────────────────────┘
 * </pre>
 * A series with several deleted intervals appears once per interval.
 *
 * <p>Reusable; arrays valid for {@code [0, size())} until the next change. Not thread-safe.
 */
public final class TombstonesRecord {
    private long[] refs = new long[8];
    private long[] mints = new long[8];
    private long[] maxts = new long[8];
    private int size;

    public void clear() {
        size = 0;
    }

    public void add(long ref, long mint, long maxt) {
        if (size == refs.length) {
            int c = RecordCodec.grow(size, size + 1);
            refs = Arrays.copyOf(refs, c);
            mints = Arrays.copyOf(mints, c);
            maxts = Arrays.copyOf(maxts, c);
        }
        refs[size] = ref;
        mints[size] = mint;
        maxts[size] = maxt;
        size++;
    }

    public int size() {
        return size;
    }

    public long ref(int i) {
        return refs[i];
    }

    public long mint(int i) {
        return mints[i];
    }

    public long maxt(int i) {
        return maxts[i];
    }

    /** Keeps only the intervals that reach {@code mint} or later ({@code maxt >= mint}). */
    public void removeBefore(long mint) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (maxts[i] >= mint) {
                refs[n] = refs[i];
                mints[n] = mints[i];
                maxts[n] = maxts[i];
                n++;
            }
        }
        size = n;
    }

    public void encode(ByteArrayDataOutput out) {
        out.writeByte(RecordType.TOMBSTONES.code());
        for (int i = 0; i < size; i++) {
            out.writeBE64(refs[i]);
            out.writeVarint(mints[i]);
            out.writeVarint(maxts[i]);
        }
    }

    public void decode(byte[] rec, int len) throws CorruptionException {
        DataInput in = RecordCodec.open(rec, len, RecordType.TOMBSTONES);
        size = 0;
        while (in.remaining() > 0) {
            long ref = in.readBE64();
            long mint = in.readVarint();
            long maxt = in.readVarint();
            add(ref, mint, maxt);
        }
    }
}

package io.specula.tsdb.index;

import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.encoding.DataInput;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Turns the written series section back into postings lists, in bounded memory.
 *
 * <p>Instead of keeping a list per label pair while series are added, the writer re-reads
 * its own series section (memory-mapped) once it is complete. Label names are processed in
 * batches whose postings add up to at most the number of series, so one batch needs one
 * {@code int} per series plus a counter per distinct label pair in it. Each batch takes two
 * scans: the first counts the series per pair, the second drops each series reference into
 * its pair's slot of one shared array (a counting sort, so lists come out sorted because
 * series are scanned in reference order).
 */
final class PostingsInverter {
    /** Receives each postings list, in label name then value order. */
    interface Sink {
        /** {@code refs[from, to)} are the series references (unsigned 32-bit) of the pair. */
        void postings(int nameRef, int valueRef, int[] refs, int from, int to) throws IOException;
    }

    /** Receives the series references of the all-postings list, in order. */
    interface RefSink {
        void ref(int seriesRef) throws IOException;
    }

    private final MemorySegment seg;
    private final String file;
    private final long seriesStart;
    private final long seriesEnd;
    private final int seriesCount;

    PostingsInverter(MemorySegment seg, String file, long seriesStart, long seriesEnd, int seriesCount) {
        this.seg = seg;
        this.file = file;
        this.seriesStart = seriesStart;
        this.seriesEnd = seriesEnd;
        this.seriesCount = seriesCount;
    }

    /** Hands every series reference to {@code sink}, in order. */
    void allSeries(RefSink sink) throws IOException {
        long pos = align(seriesStart);
        while (pos < seriesEnd) {
            sink.ref((int) (pos / IndexFormat.SERIES_ALIGNMENT));
            DataInput in = new DataInput(seg, file, pos, seriesEnd);
            long len = in.readUvarintInt();
            pos = align(in.position() + len + 4);
        }
    }

    /**
     * Emits the postings of the label names {@code nameRefs} (symbol references, ascending)
     * whose series counts are {@code uses}.
     */
    void invert(int[] nameRefs, int[] uses, Sink sink) throws IOException {
        int[] refs = null;
        LongIntHashMap slots = new LongIntHashMap(1024);
        for (int i = 0; i < nameRefs.length; ) {
            long total = 0;
            int j = i;
            while (j < nameRefs.length && (j == i || total + uses[j] <= seriesCount)) {
                total += uses[j++];
            }
            int lo = nameRefs[i], hi = nameRefs[j - 1];
            if (refs == null || refs.length < total) {
                refs = new int[Math.toIntExact(total)];
            }
            slots.clear();
            scan(lo, hi, (ref, key) -> slots.addTo(key, 1));
            long[] keys = slots.keys();
            Arrays.sort(keys); // (name, value) references in symbol order = byte order of the strings
            int[] starts = new int[keys.length + 1];
            for (int k = 0; k < keys.length; k++) {
                starts[k + 1] = starts[k] + slots.get(keys[k], 0);
                slots.put(keys[k], k);
            }
            int[] fill = Arrays.copyOf(starts, keys.length);
            int[] out = refs;
            scan(lo, hi, (ref, key) -> out[fill[slots.get(key, -1)]++] = ref);
            for (int k = 0; k < keys.length; k++) {
                sink.postings((int) (keys[k] >>> 32), (int) keys[k], refs, starts[k], starts[k + 1]);
            }
            i = j;
        }
    }

    private interface PairVisitor {
        void visit(int seriesRef, long pairKey);
    }

    /** Visits the labels of every series whose name reference is in [lo, hi]. */
    private void scan(int lo, int hi, PairVisitor v) throws CorruptionException {
        long pos = align(seriesStart);
        while (pos < seriesEnd) {
            int ref = (int) (pos / IndexFormat.SERIES_ALIGNMENT);
            DataInput in = new DataInput(seg, file, pos, seriesEnd);
            long len = in.readUvarintInt();
            long next = align(in.position() + len + 4);
            int labels = in.readUvarintInt();
            for (int l = 0; l < labels; l++) {
                long name = in.readUvarint();
                long value = in.readUvarint();
                if (name >= lo && name <= hi) {
                    v.visit(ref, name << 32 | value);
                }
            }
            pos = next;
        }
    }

    private static long align(long pos) {
        return (pos + IndexFormat.SERIES_ALIGNMENT - 1) & -IndexFormat.SERIES_ALIGNMENT;
    }
}

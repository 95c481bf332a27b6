package io.specula.tsdb.index;

import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.encoding.DataInput;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The in-memory part of a mapped index's postings offset table: every label name, and per
 * name every {@value #SAMPLE}th value with the offset of its table entry (Prometheus keeps
 * the same sample). Finding a label pair is a binary search over the samples and a scan of
 * at most {@value #SAMPLE} entries in the mapped table; listing the values of a name is a
 * scan from its first entry. Immutable after construction, so thread-safe.
 */
final class PostingsOffsetTable {
    static final int SAMPLE = 32;

    /** One label name: its value count and sampled values. */
    static final class Name {
        final String name;
        int count;
        String[] samples;      // value of entry 0, SAMPLE, 2*SAMPLE, …
        long[] sampleEntries;  // offsets of those entries in the table

        Name(String name) {
            this.name = name;
        }
    }

    /** A decoded table entry, reused while scanning. */
    static final class Entry {
        long valueOff;
        int valueLen;
        long postingsOffset;
        long next; // offset of the following entry

        String value(MemorySegment seg) {
            return new String(seg.asSlice(valueOff, valueLen).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        }
    }

    private final MemorySegment seg;
    private final String file;
    private final long end; // end of the entries (offset of the CRC)
    private final Map<String, Name> names = new HashMap<>();
    private final List<String> sortedNames = new ArrayList<>();

    PostingsOffsetTable(MemorySegment seg, String file, long offset, long limit) throws CorruptionException {
        this.seg = seg;
        this.file = file;
        DataInput in = new DataInput(seg, file, offset, limit);
        long len = Integer.toUnsignedLong(in.readBE32());
        if (len < 4 || len + 4 > in.remaining()) {
            throw new CorruptionException(file, offset, "postings offset table length " + len + " does not fit the section");
        }
        end = offset + 4 + len;
        long count = Integer.toUnsignedLong(in.readBE32());
        if (count > (len - 4) / 4) { // an entry takes at least 4 bytes
            throw new CorruptionException(file, offset + 4, "postings offset table count " + count + " exceeds its " + len + " bytes");
        }
        Entry e = new Entry();
        long pos = in.position(), prevNameOff = 0;
        int prevNameLen = -1;
        Name current = null;
        List<String> samples = new ArrayList<>();
        List<Long> sampleEntries = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            long entryStart = pos;
            DataInput d = new DataInput(seg, file, pos, end);
            long keys = d.readUvarint();
            if (keys != 2) {
                throw new CorruptionException(file, entryStart, "postings offset table entry with " + keys + " keys, want 2");
            }
            int nameLen = d.readUvarintInt();
            long nameOff = d.position();
            d.skip(nameLen);
            long prevValueOff = e.valueOff;
            int prevValueLen = e.valueLen;
            readRest(d, e);
            boolean newName = prevNameLen < 0 || compare(nameOff, nameLen, prevNameOff, prevNameLen) != 0;
            if (newName) {
                if (prevNameLen >= 0 && compare(nameOff, nameLen, prevNameOff, prevNameLen) < 0) {
                    throw new CorruptionException(file, entryStart, "label names out of order in the postings offset table");
                }
                close(current, samples, sampleEntries);
                current = new Name(new String(seg.asSlice(nameOff, nameLen).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8));
                names.put(current.name, current);
                if (!current.name.isEmpty()) {
                    sortedNames.add(current.name);
                }
                prevNameOff = nameOff;
                prevNameLen = nameLen;
            } else if (compare(e.valueOff, e.valueLen, prevValueOff, prevValueLen) <= 0) {
                throw new CorruptionException(file, entryStart, "label values of \"" + current.name + "\" out of order in the postings offset table");
            }
            if (current.count % SAMPLE == 0) {
                samples.add(e.value(seg));
                sampleEntries.add(entryStart);
            }
            current.count++;
            pos = e.next;
        }
        close(current, samples, sampleEntries);
        if (pos != end) {
            throw new CorruptionException(file, pos, (end - pos) + " bytes after the last postings offset table entry");
        }
    }

    private static void close(Name n, List<String> samples, List<Long> entries) {
        if (n == null) {
            return;
        }
        n.samples = samples.toArray(new String[0]);
        n.sampleEntries = entries.stream().mapToLong(Long::longValue).toArray();
        samples.clear();
        entries.clear();
    }

    private int compare(long aOff, int aLen, long bOff, int bLen) {
        long m = MemorySegment.mismatch(seg, aOff, aOff + aLen, seg, bOff, bOff + bLen);
        if (m < 0) {
            return 0;
        }
        if (m == aLen || m == bLen) {
            return aLen - bLen;
        }
        return (seg.get(java.lang.foreign.ValueLayout.JAVA_BYTE, aOff + m) & 0xFF) - (seg.get(java.lang.foreign.ValueLayout.JAVA_BYTE, bOff + m) & 0xFF);
    }

    /** Reads value and offset of the entry whose name {@code d} has just passed. */
    private void readRest(DataInput d, Entry e) throws CorruptionException {
        e.valueLen = d.readUvarintInt();
        e.valueOff = d.position();
        d.skip(e.valueLen);
        e.postingsOffset = d.readUvarint();
        e.next = d.position();
    }

    /** Reads the entry at {@code pos} into {@code e}. */
    void read(long pos, Entry e) throws CorruptionException {
        DataInput d = new DataInput(seg, file, pos, end);
        d.readUvarint();
        d.skip(d.readUvarintInt());
        readRest(d, e);
    }

    /** Label names in byte order, without the all-postings name "". */
    List<String> names() {
        return sortedNames;
    }

    Name name(String name) {
        return names.get(name);
    }

    /** The postings offset of the pair, or -1. */
    long find(String name, String value) throws CorruptionException {
        Name n = names.get(name);
        if (n == null) {
            return -1;
        }
        int s = lastSampleAtMost(n, value);
        if (s < 0) {
            return -1;
        }
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        Entry e = new Entry();
        long pos = n.sampleEntries[s];
        for (int i = s * SAMPLE; i < n.count && i < (s + 1) * SAMPLE; i++) {
            read(pos, e);
            int c = Utf8.compare(seg, e.valueOff, e.valueLen, b);
            if (c == 0) {
                return e.postingsOffset;
            }
            if (c > 0) {
                return -1;
            }
            pos = e.next;
        }
        return -1;
    }

    /** Receives table entries in value order; returns false to stop. */
    interface Visitor {
        boolean visit(Entry e) throws CorruptionException;
    }

    /** Visits the entries of {@code name} from the first value {@code >= from} on. */
    void scan(String name, String from, Visitor v) throws CorruptionException {
        Name n = names.get(name);
        if (n == null || n.count == 0) {
            return;
        }
        int s = Math.max(0, lastSampleAtMost(n, from));
        byte[] b = from.getBytes(StandardCharsets.UTF_8);
        Entry e = new Entry();
        long pos = n.sampleEntries[s];
        for (int i = s * SAMPLE; i < n.count; i++) {
            read(pos, e);
            pos = e.next;
            if (b.length > 0 && Utf8.compare(seg, e.valueOff, e.valueLen, b) < 0) {
                continue;
            }
            if (!v.visit(e)) {
                return;
            }
        }
    }

    private static int lastSampleAtMost(Name n, String value) {
        int lo = 0, hi = n.samples.length - 1, found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Utf8Order.compare(n.samples[mid], value) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }
}

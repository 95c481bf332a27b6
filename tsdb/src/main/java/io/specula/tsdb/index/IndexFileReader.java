package io.specula.tsdb.index;

import io.specula.model.labels.LabelsBuilder;
import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.encoding.Crc32c;
import io.specula.tsdb.encoding.DataInput;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * An {@link IndexReader} over an index file ({@link IndexFormat}) mapped into memory through
 * a shared {@link Arena}: files of any size, no heap copy, and the mapping released the
 * moment {@link #close()} returns (not whenever a GC runs).
 *
 * <p>Opening is cheap and checks what every lookup relies on: size, magic, version, the TOC
 * checksum, and the structure of the symbol table and postings offset table, of which it
 * keeps a 1-in-32 sample in memory. Reading a series verifies that entry's CRC (entries are
 * tens of bytes; a flipped bit must not turn into a wrong label). Postings lists are checked
 * for size and order as they are read, but their CRCs (which would force reading a whole
 * list where a seek touches a few pages) and everything else only by
 * {@link #verifyChecksums()}.
 *
 * <p>Thread-safe. Nothing obtained from the reader may be used after {@link #close()}.
 */
public final class IndexFileReader implements IndexReader {
    private static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final Arena arena;
    private final MemorySegment seg;
    private final String file;
    private final Toc toc;
    private final long tocStart;
    private final ReaderSymbols symbols;
    private final PostingsOffsetTable postingsTable;
    private final long seriesStart, seriesEnd;
    private final long postingsStart, postingsEnd;
    private final List<String> labelNames;
    private final int[] nameRefs;     // symbol references of label names, ascending
    private final String[] nameByRef; // the names, parallel to nameRefs
    private final AtomicBoolean closed = new AtomicBoolean();

    private IndexFileReader(Arena arena, MemorySegment seg, String file) throws CorruptionException {
        this.arena = arena;
        this.seg = seg;
        this.file = file;
        long size = seg.byteSize();
        if (size < IndexFormat.HEADER_LEN + IndexFormat.TOC_LEN) {
            throw new CorruptionException(file, 0, "file too small for an index: " + size + " bytes");
        }
        DataInput in = new DataInput(seg, file);
        int magic = in.readBE32();
        if (magic != IndexFormat.MAGIC) {
            throw new CorruptionException(file, 0, "invalid magic number " + Toc.hex(magic) + ", want " + Toc.hex(IndexFormat.MAGIC));
        }
        int version = in.readByte();
        if (version != IndexFormat.VERSION_2) {
            throw new CorruptionException(file, 4, version == IndexFormat.VERSION_1
                    ? "index format version 1 (Prometheus 2.0 and 2.1) is not supported; compact the block with a newer Prometheus first"
                    : "unknown index file version " + version);
        }
        toc = Toc.read(seg, file);
        tocStart = size - IndexFormat.TOC_LEN;
        if (toc.symbols() == 0 || toc.series() == 0 || toc.postings() == 0 || toc.postingsTable() == 0) {
            throw new CorruptionException(file, tocStart, "TOC lacks a required section: " + toc);
        }
        checkOrder(toc, file, tocStart);
        symbols = new ReaderSymbols(seg, file, toc.symbols(), sectionEnd(0));
        seriesStart = toc.series();
        seriesEnd = sectionEnd(1);
        postingsStart = toc.postings();
        postingsEnd = sectionEnd(3);
        postingsTable = new PostingsOffsetTable(seg, file, toc.postingsTable(), sectionEnd(5));

        List<String> names = postingsTable.names();
        labelNames = List.copyOf(names);
        long[] pairs = new long[names.size()];
        int n = 0;
        for (int i = 0; i < names.size(); i++) {
            long ref = symbols.reverseLookup(names.get(i));
            if (ref >= 0) {
                pairs[n++] = ref << 32 | i;
            }
        }
        pairs = Arrays.copyOf(pairs, n);
        Arrays.sort(pairs);
        nameRefs = new int[n];
        nameByRef = new String[n];
        for (int i = 0; i < n; i++) {
            nameRefs[i] = (int) (pairs[i] >>> 32);
            nameByRef[i] = names.get((int) pairs[i]);
        }
    }

    /** Maps and opens the index at {@code path}, with the cheap checks described above. */
    public static IndexFileReader open(Path path) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            return new IndexFileReader(arena, seg, path.toString());
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    /** Opens an index held in memory (tests, or an index fetched from elsewhere); close does not free it. */
    public static IndexFileReader of(MemorySegment index, String name) throws CorruptionException {
        return new IndexFileReader(null, index, name);
    }

    /** TOC offsets in file order: symbols, series, label indices, postings, label offset table, postings offset table. */
    private static long[] fileOrder(Toc toc) {
        return new long[] {toc.symbols(), toc.series(), toc.labelIndices(), toc.postings(), toc.labelIndicesTable(), toc.postingsTable()};
    }

    /** Checks that the sections the TOC names follow each other in file order. */
    private static void checkOrder(Toc toc, String file, long tocStart) throws CorruptionException {
        long prev = IndexFormat.HEADER_LEN;
        for (long s : fileOrder(toc)) {
            if (s != 0 && s < prev) {
                throw new CorruptionException(file, tocStart, "TOC sections out of order: " + toc);
            }
            prev = s == 0 ? prev : s;
        }
    }

    /** End of section {@code i} (in {@link #fileOrder} order): the next present section, or the TOC. */
    private long sectionEnd(int i) {
        long[] order = fileOrder(toc);
        for (int j = i + 1; j < order.length; j++) {
            if (order[j] != 0) {
                return order[j];
            }
        }
        return tocStart;
    }

    public Toc toc() {
        return toc;
    }

    public String file() {
        return file;
    }

    /** Size of the index file in bytes. */
    public long size() {
        return seg.byteSize();
    }

    public int symbolCount() {
        return symbols.count();
    }

    /** The symbol with reference {@code ref}. */
    public String symbol(long ref) throws CorruptionException {
        return symbols.lookup(ref, toc.symbols());
    }

    @Override
    public Iterator<String> symbols() {
        return symbols.iterator();
    }

    @Override
    public List<String> labelNames() {
        return labelNames;
    }

    @Override
    public List<String> labelValues(String name) throws CorruptionException {
        List<String> out = new ArrayList<>();
        postingsTable.scan(name, "", e -> out.add(e.value(seg)));
        return List.copyOf(out);
    }

    @Override
    public Postings postings(String name, String value) throws CorruptionException {
        long off = postingsTable.find(name, value);
        return off < 0 ? Postings.EMPTY : postingsAt(off);
    }

    @Override
    public Postings postingsForLabelMatching(String name, String prefix, Predicate<String> match) throws CorruptionException {
        byte[] p = prefix.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        List<Postings> lists = new ArrayList<>();
        postingsTable.scan(name, prefix, e -> {
            if (!Utf8.startsWith(seg, e.valueOff, e.valueLen, p)) {
                return false; // past the values with this prefix
            }
            if (match.test(e.value(seg))) {
                lists.add(postingsAt(e.postingsOffset));
            }
            return true;
        });
        return Postings.merge(lists);
    }

    /** The postings list whose length field is at {@code off}. */
    private Postings postingsAt(long off) throws CorruptionException {
        if (off < postingsStart || off + 8 > postingsEnd) {
            throw new CorruptionException(file, off, "postings offset outside the postings section [" + postingsStart + ", " + postingsEnd + ")");
        }
        long len = Integer.toUnsignedLong(seg.get(BE_INT, off));
        long n = Integer.toUnsignedLong(seg.get(BE_INT, off + 4));
        if (len != 4 + 4 * n || off + 4 + len + 4 > postingsEnd) {
            throw new CorruptionException(file, off, "postings list of length " + len + " with " + n + " entries does not fit the section");
        }
        return new DiskPostings(seg, file, off + 8, (int) n);
    }

    @Override
    public void series(long ref, LabelsBuilder builder, ChunkMetas chunks) throws CorruptionException {
        long off = ref * IndexFormat.SERIES_ALIGNMENT;
        if (ref < 0 || ref > IndexFormat.MAX_SERIES_REF || off < seriesStart || off >= seriesEnd) {
            throw new CorruptionException(file, Math.max(0, Math.min(off, seriesEnd)),
                    "series reference " + ref + " outside the series section [" + seriesStart + ", " + seriesEnd + ")");
        }
        DataInput in = new DataInput(seg, file, off, seriesEnd);
        int len = in.readUvarintInt();
        long body = in.position();
        if (len + 4L > seriesEnd - body) {
            throw new CorruptionException(file, off, "series entry of " + len + " bytes overruns the series section");
        }
        int stored = seg.get(BE_INT, body + len);
        int actual = Crc32c.of(seg, body, body + len);
        if (stored != actual) {
            throw new CorruptionException(file, off, "series checksum mismatch: stored " + Toc.hex(stored) + ", computed " + Toc.hex(actual));
        }
        in = new DataInput(seg, file, body, body + len);
        int labels = in.readUvarintInt();
        if (labels > len / 2) {
            throw new CorruptionException(file, body, labels + " labels cannot fit a " + len + "-byte entry");
        }
        builder.reset();
        for (int i = 0; i < labels; i++) {
            long at = in.position();
            long name = in.readUvarint();
            long value = in.readUvarint();
            builder.add(labelName(name, at), symbols.lookup(value, at));
        }
        long at = in.position();
        int n = in.readUvarintInt();
        if (n > in.remaining() / 3) {
            throw new CorruptionException(file, at, n + " chunks cannot fit the rest of a " + len + "-byte entry");
        }
        chunks.clear();
        chunks.ensureCapacity(n);
        long maxt = 0, cref = 0;
        for (int i = 0; i < n; i++) {
            long mint;
            if (i == 0) {
                mint = in.readVarint();
                maxt = mint + in.readUvarint();
                cref = in.readUvarint();
            } else {
                mint = maxt + in.readUvarint();
                maxt = mint + in.readUvarint();
                cref += in.readVarint();
            }
            chunks.add(cref, mint, maxt);
        }
        if (in.remaining() != 0) {
            throw new CorruptionException(file, in.position(), in.remaining() + " unexpected bytes at the end of a series entry");
        }
    }

    private String labelName(long ref, long at) throws CorruptionException {
        if (ref >= 0 && ref <= Integer.MAX_VALUE) {
            int i = Arrays.binarySearch(nameRefs, (int) ref);
            if (i >= 0) {
                return nameByRef[i];
            }
        }
        return symbols.lookup(ref, at);
    }

    /**
     * Verifies every byte of the file: each section's and entry's CRC, and that everything
     * between them is zero padding. Reads the whole file; meant for {@code promtool}-style
     * checks and after copying blocks, not for every open.
     */
    public void verifyChecksums() throws CorruptionException {
        long[] order = fileOrder(toc);
        long pos = IndexFormat.HEADER_LEN;
        for (int i = 0; i < order.length; i++) {
            long start = order[i], end = sectionEnd(i);
            if (start == 0) {
                continue;
            }
            requireZeros(pos, start);
            pos = switch (i) {
                case 0, 4, 5 -> start == end ? start : checkedSection(start, end); // absent tables share an offset
                case 1 -> verifySeries(start, end);
                default -> verifyLists(start, end);
            };
        }
        requireZeros(pos, tocStart);
    }

    private long verifySeries(long pos, long end) throws CorruptionException {
        while (pos < end) {
            long aligned = (pos + IndexFormat.SERIES_ALIGNMENT - 1) & -IndexFormat.SERIES_ALIGNMENT;
            requireZeros(pos, Math.min(aligned, end));
            if (aligned >= end) {
                return end;
            }
            DataInput in = new DataInput(seg, file, aligned, end);
            int len = in.readUvarintInt();
            long body = in.position();
            if (len + 4L > end - body) {
                throw new CorruptionException(file, aligned, "series entry of " + len + " bytes overruns the series section");
            }
            checkCrc(body, body + len, aligned, "series");
            pos = body + len + 4;
        }
        return pos;
    }

    private long verifyLists(long pos, long end) throws CorruptionException {
        while (pos < end) {
            long aligned = (pos + IndexFormat.LIST_ALIGNMENT - 1) & -IndexFormat.LIST_ALIGNMENT;
            requireZeros(pos, Math.min(aligned, end));
            if (aligned >= end) {
                return end;
            }
            pos = checkedSection(aligned, end);
        }
        return pos;
    }

    /** A section of {@code len <4b> | len bytes | CRC <4b>} at {@code start}; returns its end. */
    private long checkedSection(long start, long end) throws CorruptionException {
        if (start + 4 > end) {
            throw new CorruptionException(file, start, "truncated section: " + (end - start) + " bytes");
        }
        long len = Integer.toUnsignedLong(seg.get(BE_INT, start));
        if (start + 4 + len + 4 > end) {
            throw new CorruptionException(file, start, "section length " + len + " overruns its region ending at " + end);
        }
        checkCrc(start + 4, start + 4 + len, start, "section");
        return start + 4 + len + 4;
    }

    private void checkCrc(long from, long to, long reportAt, String what) throws CorruptionException {
        int stored = seg.get(BE_INT, to);
        int actual = Crc32c.of(seg, from, to);
        if (stored != actual) {
            throw new CorruptionException(file, reportAt, what + " checksum mismatch: stored " + Toc.hex(stored) + ", computed " + Toc.hex(actual));
        }
    }

    private void requireZeros(long from, long to) throws CorruptionException {
        for (long p = from; p < to; p++) {
            if (seg.get(ValueLayout.JAVA_BYTE, p) != 0) {
                throw new CorruptionException(file, p, "non-zero byte in padding");
            }
        }
    }

    /** Unmaps the file. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && arena != null) {
            arena.close();
        }
    }
}

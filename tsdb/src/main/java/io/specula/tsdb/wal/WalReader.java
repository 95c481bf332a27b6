package io.specula.tsdb.wal;

import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.encoding.DataInput;
import io.specula.tsdb.encoding.Snappy;
import java.io.Closeable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Iterates the records of a sequence of WAL segments (see {@link WalFormat}), such as a WAL
 * directory, a checkpoint, or {@linkplain #openForReplay a checkpoint followed by the segments
 * after it}.
 *
 * <p>Every fragment is checked: header, page bounds, sequence of fragment types, CRC32C, and
 * Snappy decoding of compressed records. The first problem ends the iteration with a
 * {@link CorruptionException} whose {@link CorruptionException#file() file} is the segment
 * and whose {@link CorruptionException#offset() offset} is where the broken record starts:
 * everything before it is intact, which is where {@link WalRepair} cuts. A segment that ends
 * inside a record (a torn write) is reported the same way. Zstd-compressed records raise
 * {@link UnsupportedWalFormatException} instead. A segment that ends inside a page is fine
 * (the writer flushes partial pages): the rest reads as padding.
 *
 * <p>Segments are memory-mapped one at a time and unmapped when the reader moves on or is
 * closed. The record buffer is reused: {@link #record()} is valid until the next
 * {@link #next()}. Not thread-safe.
 */
public final class WalReader implements Closeable {
    private final List<Path> files;
    private final int[] indexes;
    private int current = -1;

    private Arena arena;
    private MemorySegment seg;
    private DataInput in;

    private byte[] rec = new byte[4096];
    private int recLen;
    private byte[] comp = new byte[0];
    private int compLen;
    private long recordOffset = -1;
    private final CRC32C crc = new CRC32C();
    private long records;
    private long compressedRecords;
    private IOException failure; // sticky: the position after a failure is meaningless
    private boolean closed;

    /** Where reading starts in the first file (a follower resuming mid-segment); 0 otherwise. */
    private long firstOffset;

    private WalReader(List<Path> files) {
        this.files = List.copyOf(files);
        this.indexes = new int[this.files.size()];
        for (int i = 0; i < indexes.length; i++) {
            indexes[i] = WalFormat.parseIndex(this.files.get(i).getFileName().toString());
        }
    }

    /** A reader over the given segment files, in the given order. */
    public static WalReader open(List<Path> segmentFiles) {
        return new WalReader(segmentFiles);
    }

    /**
     * A reader over one segment from byte {@code offset}, which must be where a record starts
     * (a {@link #position()} seen earlier): a follower of a live WAL reopens the segment it
     * tails there after the writer appended more.
     */
    public static WalReader openAt(Path segment, long offset) {
        WalReader r = new WalReader(List.of(segment));
        r.firstOffset = offset;
        return r;
    }

    /** A reader over all segments of {@code dir}. */
    public static WalReader open(Path dir) throws IOException {
        return open(dir, -1, -1);
    }

    /** A reader over the segments of {@code dir} with index in {@code [first, last]}; -1 leaves that end open. */
    public static WalReader open(Path dir, int first, int last) throws IOException {
        return new WalReader(segmentFiles(dir, first, last));
    }

    static List<Path> segmentFiles(Path dir, int first, int last) throws IOException {
        List<Path> out = new ArrayList<>();
        for (int i : SegmentFiles.list(dir)) {
            if ((first < 0 || i >= first) && (last < 0 || i <= last)) {
                out.add(SegmentFiles.path(dir, i));
            }
        }
        return out;
    }

    /**
     * The replay order of a WAL directory: all segments of the last checkpoint, then the WAL
     * segments after the checkpoint's index (older ones, which the checkpoint covers, are skipped).
     * A directory that does not exist yet (first start) has no records.
     *
     * @throws IOException when the first WAL segment after a checkpoint is missing
     */
    public static WalReader openForReplay(Path walDir) throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.exists(walDir)) {
            return new WalReader(files);
        }
        int from = -1;
        Optional<Checkpoint.Ref> cp = Checkpoint.last(walDir);
        if (cp.isPresent()) {
            files.addAll(segmentFiles(cp.get().dir(), -1, -1));
            from = cp.get().index() + 1;
            int[] segs = SegmentFiles.list(walDir);
            if (segs.length > 0 && segs[segs.length - 1] >= from && segs[0] > from) {
                throw new IOException(walDir + ": segment " + WalFormat.segmentName(from) + " after "
                        + cp.get().dir().getFileName() + " is missing (first is " + WalFormat.segmentName(segs[0]) + ")");
            }
        }
        files.addAll(segmentFiles(walDir, from, -1));
        return new WalReader(files);
    }

    /** The segment files this reader goes through. */
    public List<Path> files() {
        return files;
    }

    /**
     * Advances to the next record.
     *
     * @return false at the end of the last segment
     * @throws CorruptionException at the first broken record (file = segment, offset = record start)
     * @throws UnsupportedWalFormatException for a zstd-compressed record
     * @throws IOException after such an error, again on every call
     */
    public boolean next() throws IOException {
        if (closed) {
            throw new IOException("WAL reader is closed");
        }
        if (failure != null) {
            throw failure;
        }
        try {
            return advance();
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    private boolean advance() throws IOException {
        recLen = 0;
        compLen = 0;
        int fragments = 0;
        int flags = 0;
        long start = -1;
        while (true) {
            if (in == null || in.remaining() == 0) {
                if (fragments > 0) {
                    throw corrupt(start, "segment ends inside a record after " + fragments + " fragment(s): torn write");
                }
                if (!openNextSegment()) {
                    return false;
                }
                continue;
            }
            long at = in.position();
            int header = in.readByte();
            if (header == WalFormat.PAGE_TERM) {
                skipPadding(at, fragments > 0 ? start : at);
                continue;
            }
            if (fragments == 0) {
                start = at;
            }
            int type = header & WalFormat.TYPE_MASK;
            if ((header & WalFormat.UNUSED_BITS) != 0 || type > WalFormat.LAST) {
                throw corrupt(start, String.format("invalid fragment header byte 0x%02x at %d", header, at));
            }
            int pageLeft = WalFormat.PAGE_SIZE - (int) (at % WalFormat.PAGE_SIZE);
            if (pageLeft < WalFormat.HEADER_SIZE) {
                throw corrupt(start, "fragment header at " + at + " crosses a page boundary");
            }
            if (in.remaining() < WalFormat.HEADER_SIZE - 1) {
                throw corrupt(start, "segment ends inside the fragment header at " + at + ": torn write");
            }
            int len = in.readBE16();
            int sum = in.readBE32();
            if (WalFormat.HEADER_SIZE + len > pageLeft) {
                throw corrupt(start, "fragment at " + at + " of " + len + " bytes overruns its page");
            }
            if (len > in.remaining()) {
                throw corrupt(start, "segment ends inside the fragment at " + at + " (" + in.remaining() + " of "
                        + len + " bytes): torn write");
            }
            boolean first = fragments == 0;
            if (first ? type != WalFormat.FULL && type != WalFormat.FIRST : type != WalFormat.MIDDLE && type != WalFormat.LAST) {
                throw corrupt(start, "fragment at " + at + " of type " + typeName(type)
                        + (first ? " where a record must start" : " inside a record"));
            }
            // Both compression flags: a zstd fragment is refused only once its checksum proves it
            // real; garbage with that bit set (a torn tail) is corruption, which repair cuts off.
            int fl = header & (WalFormat.SNAPPY_FLAG | WalFormat.ZSTD_FLAG);
            if (!first && fl != flags) {
                throw corrupt(start, "fragment at " + at + " disagrees with the record's compression flag");
            }
            flags = fl;
            int dstOff;
            byte[] dst;
            if (fl != 0) {
                comp = ensure(comp, compLen + len);
                dst = comp;
                dstOff = compLen;
                compLen += len;
            } else {
                rec = ensure(rec, recLen + len);
                dst = rec;
                dstOff = recLen;
                recLen += len;
            }
            MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, in.position(), dst, dstOff, len);
            in.skip(len);
            crc.reset();
            crc.update(dst, dstOff, len);
            int actual = (int) crc.getValue();
            if (actual != sum) {
                throw corrupt(start, String.format("fragment at %d: checksum %08x, stored %08x", at, actual, sum));
            }
            if ((fl & WalFormat.ZSTD_FLAG) != 0) {
                throw new UnsupportedWalFormatException(file().toString(), at,
                        "zstd WAL compression not supported (record written by a newer Prometheus with "
                                + "--storage.tsdb.wal-compression-type=zstd)");
            }
            fragments++;
            if (type == WalFormat.FULL || type == WalFormat.LAST) {
                if (fl != 0) {
                    decompress(start);
                }
                recordOffset = start;
                records++;
                return true;
            }
        }
    }

    private void decompress(long start) throws CorruptionException {
        try {
            int n = Snappy.decompressedLength(comp, 0, compLen, "snappy block");
            rec = ensure(rec, n);
            recLen = Snappy.decompress(comp, 0, compLen, rec, 0, "snappy block");
        } catch (CorruptionException e) {
            throw corrupt(start, "compressed record: " + e.getMessage());
        }
        compressedRecords++;
    }

    /** Zero padding runs from a zero header byte to the page end (or the end of a short segment). */
    private void skipPadding(long at, long reportAt) throws CorruptionException {
        long end = Math.min((at / WalFormat.PAGE_SIZE + 1) * WalFormat.PAGE_SIZE, seg.byteSize());
        for (long p = at + 1; p < end; p++) {
            if (seg.get(ValueLayout.JAVA_BYTE, p) != 0) {
                throw corrupt(reportAt, "non-zero byte at " + p + " in the padding that starts at " + at);
            }
        }
        in.seek(end);
    }

    private static String typeName(int type) {
        return switch (type) {
            case WalFormat.FULL -> "full";
            case WalFormat.FIRST -> "first";
            case WalFormat.MIDDLE -> "middle";
            case WalFormat.LAST -> "last";
            default -> Integer.toString(type);
        };
    }

    private static byte[] ensure(byte[] b, int need) {
        if (need <= b.length) {
            return b;
        }
        return Arrays.copyOf(b, Math.max(need, b.length + (b.length >> 1)));
    }

    private boolean openNextSegment() throws IOException {
        unmap();
        if (current + 1 >= files.size()) {
            current = files.size();
            return false;
        }
        current++;
        Path f = files.get(current);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            long size = ch.size();
            arena = Arena.ofShared();
            seg = size == 0 ? MemorySegment.ofArray(new byte[0]) : ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
        }
        in = new DataInput(seg, f.toString());
        if (current == 0 && firstOffset > 0) {
            in.seek(Math.min(firstOffset, seg.byteSize()));
        }
        return true;
    }

    private void unmap() {
        if (arena != null) {
            arena.close();
            arena = null;
        }
        seg = null;
        in = null;
    }

    private CorruptionException corrupt(long offset, String message) {
        return new CorruptionException(file().toString(), offset, message);
    }

    /** The current record; bytes {@code [0, recordLength())}, valid until the next {@link #next()}. */
    public byte[] record() {
        return rec;
    }

    public int recordLength() {
        return recLen;
    }

    /** A copy of the current record. */
    public byte[] recordCopy() {
        return Arrays.copyOf(rec, recLen);
    }

    /** The segment file being read (of the current record, or where reading stopped); null before the first. */
    public Path file() {
        return current < 0 || files.isEmpty() ? null : files.get(Math.min(current, files.size() - 1));
    }

    /** The index of the segment being read, from its file name; -1 before the first. */
    public int segmentIndex() {
        return current < 0 || files.isEmpty() ? -1 : indexes[Math.min(current, files.size() - 1)];
    }

    /** How many files precede the one being read. */
    int filesBefore() {
        return Math.max(0, Math.min(current, files.size()));
    }

    /** Offset of the current record's first fragment in its segment. */
    public long recordOffset() {
        return recordOffset;
    }

    /** The offset just past the current record in its segment (where the next one may start); -1 before the first. */
    public long position() {
        return in == null ? -1 : in.position();
    }

    /** Records returned so far. */
    public long records() {
        return records;
    }

    /** Records returned so far that were Snappy-compressed on disk. */
    public long compressedRecords() {
        return compressedRecords;
    }

    /** Unmaps the current segment. */
    @Override
    public void close() {
        closed = true;
        unmap();
    }
}

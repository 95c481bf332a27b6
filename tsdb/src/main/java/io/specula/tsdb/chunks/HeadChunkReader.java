package io.specula.tsdb.chunks;

import static io.specula.tsdb.chunks.HeadChunkFormat.FIXED_META_SIZE;
import static io.specula.tsdb.chunks.HeadChunkFormat.HEADER_SIZE;

import io.specula.tsdb.chunkenc.Chunk;
import io.specula.tsdb.chunkenc.Encoding;
import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.encoding.DataInput;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the head chunk files ({@link HeadChunkFormat}) at startup: {@link #replay} hands every
 * chunk to the head in file order and repairs what a crash or bad disk left behind, instead
 * of failing; afterwards {@link #chunk(long)} reads chunks by reference from the memory maps.
 *
 * <p>Repair policy. A file is valid up to its first record that is torn (cut off by the end
 * of the file), fails its checksum, or is otherwise impossible; it is truncated there and
 * each such cut is reported as a {@link HeadChunkRepair}. Later files are kept: their records
 * stand on their own. A file without a valid header is deleted if it is the last one, and
 * otherwise reduced to a fresh header, so that file numbers stay contiguous as Prometheus
 * requires. What is dropped is never silent: the caller logs the returned repairs. The
 * samples of dropped chunks may still be in the WAL, which the head replays next.
 *
 * <p>{@link #replay} must run before any other use and not concurrently with it; afterwards
 * reads are thread-safe. {@link #close()} unmaps every file at once.
 */
public final class HeadChunkReader implements AutoCloseable {
    private final Path dir;
    private final long[] seqs;
    private final MappedFile[] files;
    /** Why a file's header is unusable (its slot in {@link #files} is then null), or null. */
    private final String[] headerProblems;
    private volatile boolean closed;

    private HeadChunkReader(Path dir, long[] seqs, MappedFile[] files, String[] headerProblems) {
        this.dir = dir;
        this.seqs = seqs;
        this.files = files;
        this.headerProblems = headerProblems;
    }

    /** Maps the files of {@code dir} (a missing directory has none) and checks their headers. */
    public static HeadChunkReader open(Path dir) throws IOException {
        long[] seqs = SegmentFiles.list(dir);
        MappedFile[] files = new MappedFile[seqs.length];
        String[] problems = new String[seqs.length];
        try {
            for (int i = 0; i < seqs.length; i++) {
                MappedFile f = MappedFile.map(dir.resolve(SegmentFiles.name(seqs[i])));
                problems[i] = headerProblem(f.segment());
                if (problems[i] == null) {
                    files[i] = f;
                } else {
                    f.close();
                }
            }
        } catch (IOException | RuntimeException e) {
            for (MappedFile f : files) {
                if (f != null) {
                    f.close();
                }
            }
            throw e;
        }
        return new HeadChunkReader(dir, seqs, files, problems);
    }

    private static String headerProblem(MemorySegment seg) {
        if (seg.byteSize() < HEADER_SIZE) {
            return "file of " + seg.byteSize() + " bytes is shorter than its header";
        }
        int magic = seg.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 0);
        if (magic != HeadChunkFormat.MAGIC) {
            return String.format("bad magic 0x%08X, want 0x%08X", magic, HeadChunkFormat.MAGIC);
        }
        int version = seg.get(ValueLayout.JAVA_BYTE, 4) & 0xFF;
        if (version != HeadChunkFormat.VERSION) {
            return "unsupported head chunk file version " + version;
        }
        return null;
    }

    /**
     * Visits every valid chunk of every file in order and repairs damaged files (see the class
     * comment). An exception from the visitor stops the replay and is rethrown.
     *
     * @return what was dropped, in file order; empty when every file was intact
     */
    public List<HeadChunkRepair> replay(HeadChunkVisitor visitor) throws IOException {
        ensureOpen();
        List<HeadChunkRepair> repairs = new ArrayList<>();
        for (int i = 0; i < seqs.length; i++) {
            if (files[i] == null) {
                repairs.add(repairHeader(i));
                continue;
            }
            long end = replayFile(i, visitor, repairs);
            if (end >= 0) {
                truncate(i, end);
            }
        }
        return repairs;
    }

    /** Replays file {@code i}; returns the offset to truncate it at, or -1 if it is intact. */
    private long replayFile(int i, HeadChunkVisitor visitor, List<HeadChunkRepair> repairs) throws IOException {
        MappedFile f = files[i];
        MemorySegment seg = f.segment();
        long size = f.size();
        DataInput in = new DataInput(seg, f.path().toString());
        long pos = HEADER_SIZE;
        while (pos < size) {
            try {
                if (size - pos < FIXED_META_SIZE || isEndRecord(seg, pos)) {
                    if (allZero(seg, pos, size)) {
                        return -1; // zeros of a preallocated file: the end of the data
                    }
                    throw new Damage(size - pos < FIXED_META_SIZE
                            ? "torn chunk record: " + (size - pos) + " bytes left, fewer than its fixed fields"
                            : "non-zero bytes after the zero record that ends the data");
                }
                long dataStart = checkRecord(in, pos, size);
                long dataLength = nextRecord - 4 - dataStart;
                int numSamples = dataLength >= 2 ? in.seek(dataStart).readBE16() : 0;
                in.seek(pos);
                long seriesRef = in.readBE64();
                long mint = in.readBE64();
                long maxt = in.readBE64();
                int encodingByte = in.readByte();
                visitor.chunk(seriesRef, HeadChunkFormat.ref(seqs[i], pos), mint, maxt, encodingByte, numSamples);
                pos = nextRecord;
            } catch (Damage d) {
                repairs.add(new HeadChunkRepair(f.path(), pos, size - pos, d.getMessage(), HeadChunkRepair.Action.TRUNCATED));
                return pos;
            }
        }
        return -1;
    }

    /** Set by {@link #checkRecord}: where the record after the checked one starts. Replay is single-threaded. */
    private long nextRecord;

    private static boolean isEndRecord(MemorySegment seg, long pos) {
        // A zero series ref (never handed out) with zero mint and maxt.
        return seg.get(ValueLayout.JAVA_LONG_UNALIGNED, pos) == 0
                && seg.get(ValueLayout.JAVA_LONG_UNALIGNED, pos + 8) == 0
                && seg.get(ValueLayout.JAVA_LONG_UNALIGNED, pos + 16) == 0;
    }

    /** Checks the lengths and checksum of the record at {@code pos}; returns where its data starts. */
    private long checkRecord(DataInput in, long pos, long size) throws Damage {
        try {
            in.seek(pos + FIXED_META_SIZE);
            long len = in.readUvarint();
            long dataStart = in.position();
            if (len < 0 || len > size - dataStart - 4 || len > Integer.MAX_VALUE - 64) {
                throw new Damage("torn chunk record: " + Long.toUnsignedString(len) + " data bytes and a checksum do not fit in the "
                        + (size - dataStart) + " bytes left");
            }
            int computed = in.crc32c(pos, dataStart + len);
            int stored = in.seek(dataStart + len).readBE32();
            if (computed != stored) {
                throw new Damage(String.format("chunk checksum mismatch: stored %08x, computed %08x", stored, computed));
            }
            nextRecord = dataStart + len + 4;
            return dataStart;
        } catch (CorruptionException e) {
            throw new Damage("torn chunk record: " + e.getMessage());
        }
    }

    private static boolean allZero(MemorySegment seg, long from, long to) {
        long p = from;
        for (; p + 8 <= to; p += 8) {
            if (seg.get(ValueLayout.JAVA_LONG_UNALIGNED, p) != 0) {
                return false;
            }
        }
        for (; p < to; p++) {
            if (seg.get(ValueLayout.JAVA_BYTE, p) != 0) {
                return false;
            }
        }
        return true;
    }

    /** A damaged record: the reason becomes a {@link HeadChunkRepair}. Cheap, no stack trace. */
    private static final class Damage extends Exception {
        Damage(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Cuts file {@code i} at {@code end} and maps what is left. */
    private void truncate(int i, long end) throws IOException {
        Path p = files[i].path();
        files[i].close(); // unmap before shrinking: touching a mapping past the end of its file faults
        files[i] = null;
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.truncate(end);
            ch.force(true);
        }
        files[i] = MappedFile.map(p);
    }

    private HeadChunkRepair repairHeader(int i) throws IOException {
        Path p = dir.resolve(SegmentFiles.name(seqs[i]));
        long size = Files.size(p);
        if (i == seqs.length - 1) {
            // Typically a crash right after the file was created, before its header reached disk.
            Files.delete(p);
            SegmentFiles.syncDir(dir);
            return new HeadChunkRepair(p, 0, size, headerProblems[i], HeadChunkRepair.Action.DELETED);
        }
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.truncate(0);
            ByteBuffer h = ByteBuffer.allocate(HEADER_SIZE).putInt(HeadChunkFormat.MAGIC).put((byte) HeadChunkFormat.VERSION).put(new byte[3]).flip();
            while (h.hasRemaining()) {
                ch.write(h, h.position());
            }
            ch.force(true);
        }
        files[i] = MappedFile.map(p);
        String reason = headerProblems[i];
        headerProblems[i] = null;
        return new HeadChunkRepair(p, 0, size, reason, HeadChunkRepair.Action.EMPTIED);
    }

    /** The chunk at {@code ref}, its data copied out of the mapping. The checksum was verified by {@link #replay}. */
    public Chunk chunk(long ref) throws IOException {
        ensureOpen();
        long seq = HeadChunkFormat.fileSeq(ref);
        long off = HeadChunkFormat.offset(ref);
        int i = Arrays.binarySearch(seqs, seq);
        if (i < 0 || files[i] == null) {
            throw new CorruptionException(dir.toString(), off, "head chunk reference 0x" + Long.toHexString(ref) + " names missing file " + SegmentFiles.name(seq));
        }
        MappedFile f = files[i];
        DataInput in = new DataInput(f.segment(), f.path().toString());
        if (off < HEADER_SIZE || off > f.size() - FIXED_META_SIZE) {
            throw in.corrupt(off, "head chunk offset outside the file's " + f.size() + " bytes");
        }
        int encoding = HeadChunkFormat.encoding(f.segment().get(ValueLayout.JAVA_BYTE, off + 24) & 0xFF);
        in.seek(off + FIXED_META_SIZE);
        int len = in.readUvarintInt();
        if (len > in.remaining() - 4) {
            throw in.corrupt(off, "head chunk of " + len + " bytes runs past the end of the file");
        }
        if (!Encoding.isSupported(encoding)) {
            if (Encoding.isKnown(encoding)) {
                throw new IOException(f.path() + ": offset " + off + ": " + Encoding.name(encoding) + " chunks are not supported yet");
            }
            throw in.corrupt(off + 24, "unknown chunk encoding " + encoding);
        }
        byte[] data = in.readBytes(len);
        return Chunk.fromData(encoding, data, len);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("head chunk reader of " + dir + " is closed");
        }
    }

    /** Unmaps every file. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (MappedFile f : files) {
            if (f != null) {
                f.close();
            }
        }
    }
}

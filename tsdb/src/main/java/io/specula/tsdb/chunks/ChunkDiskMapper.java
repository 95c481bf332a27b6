package io.specula.tsdb.chunks;

import static io.specula.tsdb.chunks.HeadChunkFormat.FIXED_META_SIZE;
import static io.specula.tsdb.chunks.HeadChunkFormat.HEADER_SIZE;
import static io.specula.tsdb.chunks.HeadChunkFormat.MAX_META_SIZE;

import io.specula.tsdb.chunkenc.Chunk;
import io.specula.tsdb.chunkenc.Encoding;
import io.specula.tsdb.encoding.DataInput;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The head chunk files while the head runs (Prometheus's {@code ChunkDiskMapper}): full chunks
 * are appended with a {@link HeadChunkWriter}, read back through memory maps by reference, and
 * whole files are deleted once the head no longer needs any of their chunks.
 *
 * <p><b>Opening</b> replays the existing files with {@link HeadChunkReader}, which truncates a
 * torn or corrupt tail (see {@link #repairs()}), and hands every chunk to a visitor. New chunks
 * go to new files after the highest existing one.
 *
 * <p><b>Reading.</b> A file being written is mapped at the maximum file size from the start
 * (the file grows sparsely, as Prometheus preallocates), so a chunk written later is visible
 * without remapping. Chunks still in the writer's buffer are not in the file yet: a read that
 * reaches past what was flushed flushes first. Reads verify the chunk's checksum, so a chunk
 * whose bytes never reached the file (after a write error) fails loudly instead of decoding
 * garbage. Data is copied out of the mapping, so a returned {@link Chunk} outlives everything.
 *
 * <p><b>Pinning.</b> Readers go through a {@link Pin}: a file a pin holds is neither unmapped
 * nor deleted until the pin is closed, so a truncation cannot pull a file from under a running
 * query. A head querier pins the file of every chunk reference it takes, while it holds the
 * series lock that keeps the reference valid; truncation drops references from the series
 * first and deletes files afterwards, so the pin always comes first.
 *
 * <p><b>Durability.</b> None is needed: every sample of a chunk here is also in the WAL (which
 * the head replays after these files), so a chunk lost in a crash costs replay time, not data.
 * Files are fsynced when they are completed and on {@link #close()}.
 *
 * <p>Thread-safe. Writes, truncation and pinning serialize on the mapper; reading a pinned
 * chunk that was already flushed takes no lock. A {@link Pin} itself is for one thread.
 */
public final class ChunkDiskMapper implements AutoCloseable {
    /** Smallest file size accepted: every chunk the head cuts must fit in one file. */
    public static final long MIN_FILE_SIZE = 64 * 1024;

    private final Path dir;
    private final long maxFileSize;
    private final List<HeadChunkRepair> repairs;
    /** Live files by sequence number. */
    private final TreeMap<Long, FileEntry> files = new TreeMap<>();
    /** Files truncation removed, oldest first, deleted once unpinned; in order, so no gap ever appears on disk. */
    private final ArrayDeque<FileEntry> doomed = new ArrayDeque<>();
    private HeadChunkWriter writer;
    private FileEntry active;
    /** The writer failed: its buffer state is unknown, so the next write starts a new writer and file. */
    private boolean broken;
    private boolean closed;

    private static final class FileEntry {
        final long seq;
        final MappedFile map;
        /** Latest maxt of a chunk in the file, Long.MIN_VALUE when it has none. */
        long maxt = Long.MIN_VALUE;
        /** Bytes written or buffered. */
        long end;
        /** Bytes that are in the file and visible through the map; always a record boundary. */
        volatile long readable;
        int pins;

        FileEntry(long seq, MappedFile map) {
            this.seq = seq;
            this.map = map;
        }
    }

    private ChunkDiskMapper(Path dir, long maxFileSize, List<HeadChunkRepair> repairs) {
        this.dir = dir;
        this.maxFileSize = maxFileSize;
        this.repairs = List.copyOf(repairs);
    }

    /**
     * Opens {@code dir} (created when missing): repairs and replays its files, handing every
     * intact chunk to {@code visitor} in file order.
     *
     * @param maxFileSize size at which files are cut, in [{@link #MIN_FILE_SIZE}, 4 GiB]
     */
    public static ChunkDiskMapper open(Path dir, long maxFileSize, HeadChunkVisitor visitor) throws IOException {
        if (maxFileSize < MIN_FILE_SIZE || maxFileSize > 1L << 32) {
            throw new IllegalArgumentException("head chunk file size " + maxFileSize + " outside [" + MIN_FILE_SIZE + ", 4 GiB]");
        }
        Files.createDirectories(dir);
        Map<Long, Long> maxts = new HashMap<>();
        List<HeadChunkRepair> repairs;
        try (HeadChunkReader reader = HeadChunkReader.open(dir)) {
            repairs = reader.replay((seriesRef, chunkRef, mint, maxt, encodingByte, numSamples) -> {
                maxts.merge(HeadChunkFormat.fileSeq(chunkRef), maxt, Math::max);
                visitor.chunk(seriesRef, chunkRef, mint, maxt, encodingByte, numSamples);
            });
        }
        ChunkDiskMapper m = new ChunkDiskMapper(dir, maxFileSize, repairs);
        try {
            for (long seq : SegmentFiles.list(dir)) {
                FileEntry e = new FileEntry(seq, MappedFile.map(dir.resolve(SegmentFiles.name(seq))));
                e.maxt = maxts.getOrDefault(seq, Long.MIN_VALUE);
                e.end = e.map.size();
                e.readable = e.end;
                m.files.put(seq, e);
            }
            m.writer = new HeadChunkWriter(dir, maxFileSize);
        } catch (IOException | RuntimeException e) {
            m.close();
            throw e;
        }
        return m;
    }

    /** What opening cut from damaged files; empty when all were intact. */
    public List<HeadChunkRepair> repairs() {
        return repairs;
    }

    public Path dir() {
        return dir;
    }

    /**
     * Appends a full chunk of series {@code seriesRef} covering [mint, maxt].
     *
     * @return its reference, readable through a {@link Pin} at once
     * @throws IOException when it could not be written; the caller keeps the chunk another way
     */
    public synchronized long write(long seriesRef, long mint, long maxt, Chunk chunk) throws IOException {
        ensureOpen();
        if (HEADER_SIZE + MAX_META_SIZE + (long) chunk.length() > maxFileSize) {
            throw new IOException(dir + ": chunk of " + chunk.length() + " bytes does not fit a head chunk file of " + maxFileSize);
        }
        if (broken) {
            restartWriter();
        }
        try {
            long ref = writer.write(seriesRef, mint, maxt, chunk);
            track(HeadChunkFormat.fileSeq(ref));
            active.maxt = Math.max(active.maxt, maxt);
            return ref;
        } catch (IOException | RuntimeException e) {
            broken = true;
            throw e;
        }
    }

    /** Follows the writer: maps the file it writes and completes the one it left. Caller holds the lock. */
    private void track(long seq) throws IOException {
        if (active == null || active.seq != seq) {
            if (active != null) {
                complete(active);
            }
            FileEntry e = new FileEntry(seq, MappedFile.mapGrowing(dir.resolve(SegmentFiles.name(seq)), maxFileSize));
            e.readable = HEADER_SIZE;
            files.put(seq, e);
            active = e;
        }
        active.end = writer.fileSize();
    }

    /** The writer flushed, fsynced and closed {@code e}: all of it is readable; cut the preallocated tail. */
    private void complete(FileEntry e) {
        e.readable = e.end;
        try (FileChannel ch = FileChannel.open(e.map.path(), StandardOpenOption.WRITE)) {
            // Only the zeros after the data go; no reader ever touches them, the map may stay.
            // Without this a restart would scan up to the full file size of zeros per file.
            ch.truncate(e.end);
        } catch (IOException ignored) {
            // A zero tail is valid in the format; it only costs a scan at the next start.
        }
    }

    private void restartWriter() throws IOException {
        try {
            writer.close();
        } catch (IOException ignored) {
            // Its buffer was in an unknown state anyway; the chunks it held fail their checksum on read.
        }
        active = null; // the old file stays readable as far as it was flushed
        writer = new HeadChunkWriter(dir, maxFileSize);
        broken = false;
    }

    /**
     * Deletes the oldest files whose chunks all end before {@code mint} (never the file being
     * written; deletion stops at the first file that must stay, so numbering stays contiguous
     * as Prometheus requires). A pinned file is deleted when its last pin is released. Starts
     * a new file first if the current one holds chunks, so that it can go at a later truncation.
     *
     * @return how many files were removed (some possibly still waiting for their pins)
     */
    public synchronized int truncateBefore(long mint) throws IOException {
        ensureOpen();
        if (active != null && active.end > HEADER_SIZE && !broken) {
            try {
                writer.cutNewFile();
                track(writer.currentFileSeq());
            } catch (IOException | RuntimeException e) {
                broken = true;
                throw e;
            }
        }
        int n = 0;
        while (!files.isEmpty()) {
            FileEntry e = files.firstEntry().getValue();
            if (e == active || e.maxt >= mint) {
                break;
            }
            files.pollFirstEntry();
            doomed.add(e);
            n++;
        }
        deleteUnpinned();
        return n;
    }

    /** Deletes doomed files from the oldest on, up to the first still pinned. Caller holds the lock. */
    private void deleteUnpinned() throws IOException {
        while (!doomed.isEmpty() && doomed.peekFirst().pins == 0) {
            FileEntry e = doomed.pollFirst();
            e.map.close();
            Files.deleteIfExists(e.map.path());
        }
    }

    /** Number of files on disk, those waiting for pins included. */
    public synchronized int fileCount() {
        return files.size() + doomed.size();
    }

    /** A new pin; close it when done reading (a head querier's close does). */
    public Pin pin() {
        return new Pin();
    }

    /**
     * Keeps the files of the chunk references {@link #add added} to it mapped and on disk until
     * {@link #close()}. Not thread-safe: one per query.
     */
    public final class Pin implements AutoCloseable {
        private FileEntry[] pinned = new FileEntry[4];
        private int n;
        private boolean released;

        private Pin() {
        }

        /**
         * Pins the file of {@code ref}. The caller must know {@code ref} is still in use (the head
         * holds the series lock); a file already removed is not pinned and reading it fails.
         */
        public void add(long ref) {
            long seq = HeadChunkFormat.fileSeq(ref);
            if (released || find(seq) != null) {
                return;
            }
            synchronized (ChunkDiskMapper.this) {
                FileEntry e = files.get(seq);
                if (e == null || closed) {
                    return;
                }
                e.pins++;
                if (n == pinned.length) {
                    pinned = Arrays.copyOf(pinned, n * 2);
                }
                pinned[n++] = e;
            }
        }

        private FileEntry find(long seq) {
            for (int i = 0; i < n; i++) {
                if (pinned[i].seq == seq) {
                    return pinned[i];
                }
            }
            return null;
        }

        /** The chunk at {@code ref}, whose file this pin holds; its data is a private copy. */
        public Chunk chunk(long ref) throws IOException {
            long seq = HeadChunkFormat.fileSeq(ref);
            FileEntry e = released ? null : find(seq);
            if (e == null) {
                throw new IOException(dir + ": head chunk file " + SegmentFiles.name(seq) + " is not pinned (deleted, or the pin is closed)");
            }
            long off = HeadChunkFormat.offset(ref);
            if (off >= e.readable) {
                flushFor(e);
            }
            return read(e, off);
        }

        /** Releases the files; deletes those truncation was waiting for. Idempotent. */
        @Override
        public void close() {
            if (released) {
                return;
            }
            released = true;
            synchronized (ChunkDiskMapper.this) {
                for (int i = 0; i < n; i++) {
                    pinned[i].pins--;
                }
                if (!closed) {
                    try {
                        deleteUnpinned();
                    } catch (IOException ignored) {
                        // Retried at the next truncation or release; an extra old file is harmless.
                    }
                }
            }
            pinned = null;
        }
    }

    /** Makes everything written so far readable through the map (reads of very recent chunks). */
    private synchronized void flushFor(FileEntry e) throws IOException {
        if (e == active && !broken && !closed) {
            try {
                writer.flush();
            } catch (IOException | RuntimeException ex) {
                broken = true;
                throw ex;
            }
            e.readable = e.end;
        }
    }

    private static Chunk read(FileEntry e, long off) throws IOException {
        long limit = e.readable;
        DataInput in = new DataInput(e.map.segment(), e.map.path().toString(), 0, limit);
        if (off < HEADER_SIZE || off > limit - FIXED_META_SIZE) {
            throw in.corrupt(off, "head chunk reference beyond the " + limit + " bytes written");
        }
        int encodingByte = in.seek(off + FIXED_META_SIZE - 1).readByte();
        int len = in.readUvarintInt();
        long dataStart = in.position();
        if (len > in.remaining() - 4) {
            throw in.corrupt(off, "head chunk of " + len + " bytes runs past the " + limit + " bytes written");
        }
        int computed = in.crc32c(off, dataStart + len);
        int stored = in.seek(dataStart + len).readBE32();
        if (computed != stored) {
            throw in.corrupt(off, String.format("head chunk checksum mismatch: stored %08x, computed %08x", stored, computed));
        }
        int encoding = HeadChunkFormat.encoding(encodingByte);
        if (!Encoding.isSupported(encoding)) {
            throw new IOException(e.map.path() + ": offset " + off + ": " + Encoding.name(encoding) + " chunks are not supported");
        }
        byte[] data = in.seek(dataStart).readBytes(len);
        return Chunk.fromData(encoding, data, len);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("head chunk files of " + dir + " are closed");
        }
    }

    /**
     * Flushes, fsyncs and closes the file being written, deletes files truncation was waiting
     * for and unmaps everything. Pins still open then fail their reads. Idempotent.
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        IOException err = null;
        if (writer != null) {
            try {
                writer.close();
                if (active != null && !broken) {
                    complete(active);
                }
            } catch (IOException e) {
                err = e;
            }
        }
        for (FileEntry e : files.values()) {
            e.map.close();
        }
        for (FileEntry e : doomed) {
            e.map.close();
            try {
                Files.deleteIfExists(e.map.path());
            } catch (IOException ex) {
                err = err == null ? ex : err;
            }
        }
        files.clear();
        doomed.clear();
        if (err != null) {
            throw err;
        }
    }
}

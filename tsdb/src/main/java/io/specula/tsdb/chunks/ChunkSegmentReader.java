package io.specula.tsdb.chunks;

import static io.specula.tsdb.chunks.ChunkSegmentFormat.HEADER_SIZE;

import io.specula.tsdb.chunkenc.Chunk;
import io.specula.tsdb.chunkenc.Encoding;
import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.encoding.DataInput;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads a block's chunk segment files ({@link ChunkSegmentFormat}) through memory maps: one
 * FFM mapping per file, so files of any size work and {@link #close()} unmaps them at once.
 *
 * <p>Opening checks each file's length, magic and version (cheap, no data scanned). Reading a
 * chunk checks that its length and encoding are plausible; the CRC32C is verified on demand
 * by {@link #verify(long)}, {@link #checkIntegrity()} or a {@link ChunkSegmentScanner}.
 * Bad data raises {@link CorruptionException} with the file and byte offset, never an
 * unchecked exception. A chunk of an encoding Prometheus defines but this build does not
 * decode (native histograms) raises a plain {@link IOException}.
 *
 * <p>Thread-safe for reads. Returned chunks own a copy of their bytes and stay valid after
 * close. {@link #close()} must not race with reads: the owner (a block) closes it once no
 * query uses it; a read after close throws {@link IllegalStateException}.
 */
public final class ChunkSegmentReader implements ChunkReader, AutoCloseable {
    private final Path dir;
    private final MappedFile[] files;
    private volatile boolean closed;

    private ChunkSegmentReader(Path dir, MappedFile[] files) {
        this.dir = dir;
        this.files = files;
    }

    /** Maps the segment files of {@code dir} (a block's {@code chunks} directory). */
    public static ChunkSegmentReader open(Path dir) throws IOException {
        long[] seqs = SegmentFiles.list(dir);
        MappedFile[] files = new MappedFile[seqs.length];
        try {
            for (int i = 0; i < seqs.length; i++) {
                files[i] = MappedFile.map(dir.resolve(SegmentFiles.name(seqs[i])));
                checkHeader(files[i]);
            }
        } catch (IOException | RuntimeException e) {
            for (MappedFile f : files) {
                if (f != null) {
                    f.close();
                }
            }
            throw e;
        }
        return new ChunkSegmentReader(dir, files);
    }

    private static void checkHeader(MappedFile f) throws CorruptionException {
        DataInput in = new DataInput(f.segment(), f.path().toString());
        if (f.size() < HEADER_SIZE) {
            throw in.corrupt(0, "segment file of " + f.size() + " bytes is shorter than its " + HEADER_SIZE + "-byte header");
        }
        int magic = in.readBE32();
        if (magic != ChunkSegmentFormat.MAGIC) {
            throw in.corrupt(0, String.format("bad magic 0x%08X, want 0x%08X", magic, ChunkSegmentFormat.MAGIC));
        }
        int version = in.readByte();
        if (version != ChunkSegmentFormat.VERSION) {
            throw in.corrupt(4, "unsupported chunk segment version " + version);
        }
    }

    /** Number of segment files. */
    public int segmentCount() {
        return files.length;
    }

    /** Total bytes of all segment files. */
    public long size() {
        long n = 0;
        for (MappedFile f : files) {
            n += f.size();
        }
        return n;
    }

    /**
     * The chunk at {@code ref}, with its data copied out of the mapping. The checksum is not
     * verified (see {@link #verify(long)}).
     */
    public Chunk chunk(long ref) throws IOException {
        Location loc = locate(ref);
        if (!Encoding.isDecodable(loc.encoding)) {
            throw new IOException(loc.file.path() + ": offset " + loc.offset + ": unknown chunk encoding " + Encoding.name(loc.encoding));
        }
        DataInput in = loc.input();
        byte[] data = in.seek(loc.dataStart).readBytes(loc.length);
        return Chunk.fromData(loc.encoding, data, data.length);
    }

    /**
     * The chunk at {@code ref} with its data copied into {@code scratch} when it fits (into a
     * new array otherwise; the chunk's {@link Chunk#bytes()} tells which), so that a reader
     * going through many chunks one at a time allocates no data arrays. The chunk is valid
     * until {@code scratch} is reused. The checksum is not verified.
     */
    @Override
    public Chunk chunk(long ref, byte[] scratch) throws IOException {
        Location loc = locate(ref);
        if (!Encoding.isDecodable(loc.encoding)) {
            throw new IOException(loc.file.path() + ": offset " + loc.offset + ": unknown chunk encoding " + Encoding.name(loc.encoding));
        }
        byte[] data = scratch != null && scratch.length >= loc.length ? scratch : new byte[Math.max(loc.length, 256)];
        loc.input().seek(loc.dataStart).readBytes(data, 0, loc.length);
        return Chunk.fromData(loc.encoding, data, loc.length);
    }

    /** Verifies the CRC32C of the chunk at {@code ref}. */
    public void verify(long ref) throws CorruptionException {
        locate(ref).verifyCrc();
    }

    /** Verifies every chunk of every segment: a full read of all files. */
    public void checkIntegrity() throws CorruptionException {
        ChunkSegmentScanner s = scanner();
        while (s.next()) {
            // next() verifies each checksum
        }
    }

    /** Visits every chunk of every segment in file order, verifying checksums. */
    public ChunkSegmentScanner scanner() {
        ensureOpen();
        return new ChunkSegmentScanner(this);
    }

    MappedFile file(int index) {
        ensureOpen();
        return files[index];
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("chunk segment reader of " + dir + " is closed");
        }
    }

    private Location locate(long ref) throws CorruptionException {
        ensureOpen();
        int index = ChunkSegmentFormat.segmentIndex(ref);
        if (index >= files.length) {
            throw new CorruptionException(dir.toString(), ChunkSegmentFormat.offset(ref),
                    "chunk reference 0x" + Long.toHexString(ref) + " names segment " + index + " of " + files.length);
        }
        return Location.parse(files[index], ChunkSegmentFormat.offset(ref));
    }

    /** Unmaps every file. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (MappedFile f : files) {
            f.close();
        }
    }

    /** A parsed chunk record: where its parts are and how long it is. */
    record Location(MappedFile file, long offset, int encoding, long dataStart, int length, long end) {

        static Location parse(MappedFile f, long offset) throws CorruptionException {
            DataInput in = new DataInput(f.segment(), f.path().toString());
            if (offset < HEADER_SIZE || offset >= f.size()) {
                throw in.corrupt(offset, "chunk offset outside the segment's " + f.size() + " bytes");
            }
            if (offset > 0xFFFF_FFFFL) {
                throw in.corrupt(offset, "chunk starts beyond the 4 GiB a chunk reference can address");
            }
            in.seek(offset);
            int length = in.readUvarintInt();
            int encoding = in.readByte();
            long dataStart = in.position();
            if (length > in.remaining() - ChunkSegmentFormat.CRC_SIZE || length == Integer.MAX_VALUE) {
                throw in.corrupt(offset, "chunk of " + length + " bytes runs past the end of the segment (" + f.size() + " bytes)");
            }
            if (!Encoding.isKnown(encoding)) {
                throw in.corrupt(dataStart - 1, "unknown chunk encoding " + encoding);
            }
            return new Location(f, offset, encoding, dataStart, length, dataStart + length + ChunkSegmentFormat.CRC_SIZE);
        }

        DataInput input() {
            return new DataInput(file.segment(), file.path().toString());
        }

        void verifyCrc() throws CorruptionException {
            DataInput in = input();
            int computed = in.crc32c(dataStart - 1, dataStart + length);
            int stored = in.seek(dataStart + length).readBE32();
            if (computed != stored) {
                throw in.corrupt(offset, String.format("chunk checksum mismatch: stored %08x, computed %08x", stored, computed));
            }
        }
    }
}

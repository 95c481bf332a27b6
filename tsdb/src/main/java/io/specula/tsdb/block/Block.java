package io.specula.tsdb.block;

import io.specula.model.labels.LabelsBuilder;
import io.specula.model.labels.Matcher;
import io.specula.tsdb.chunks.ChunkReader;
import io.specula.tsdb.chunks.ChunkSegmentReader;
import io.specula.tsdb.index.IndexReader;
import io.specula.tsdb.storage.ChunkQuerier;
import io.specula.tsdb.tombstones.Intervals;
import io.specula.tsdb.index.ChunkMetas;
import io.specula.tsdb.index.IndexFileReader;
import io.specula.tsdb.index.Postings;
import io.specula.tsdb.index.PostingsForMatchers;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.storage.Queryable;
import io.specula.tsdb.tombstones.Tombstones;
import io.specula.tsdb.tombstones.TombstonesFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A persistent block opened for reading: its meta, its memory-mapped index and chunk
 * segments, and its tombstones.
 *
 * <p><b>Lifetime.</b> Each {@link #querier} pins the block; {@link #close()} only marks the
 * block closed (no new queriers) and the mappings are released when the last pinned querier
 * closes, so a query running while the database drops the block (compaction, retention)
 * finishes on valid memory. Series and iterators obtained from a querier must not be used
 * after that querier is closed.
 *
 * <p><b>Thread-safety.</b> Thread-safe: any number of queriers may run concurrently, also
 * with {@link #delete}, which is serialised and publishes new tombstones atomically (queriers
 * already open keep seeing the tombstones they started with).
 *
 * <p>Opening does the cheap checks of each file (lengths, magic numbers, versions, TOC); a
 * damaged block raises an {@link IOException} (a
 * {@link io.specula.tsdb.encoding.CorruptionException} where the format is at fault) that
 * names the file and offset. {@link #verify()} reads everything and checks every checksum.
 */
public final class Block implements Queryable, AutoCloseable {
    public static final String INDEX = "index";
    public static final String CHUNKS = "chunks";

    private final Path dir;
    private final IndexFileReader index;
    private final ChunkSegmentReader chunks;
    private volatile BlockMeta meta;
    private volatile Tombstones tombstones;
    private volatile long tombstonesSize;
    private final Object lock = new Object();
    private int pins; // guarded by lock
    private boolean closing; // guarded by lock
    private boolean released; // guarded by lock

    private Block(Path dir, BlockMeta meta, IndexFileReader index, ChunkSegmentReader chunks, Tombstones tombstones) {
        this.dir = dir;
        this.meta = meta;
        this.index = index;
        this.chunks = chunks;
        this.tombstones = tombstones;
        this.tombstonesSize = fileSize(dir.resolve(TombstonesFormat.FILENAME));
    }

    /** Opens the block in {@code dir}. The caller owns the result and must close it. */
    public static Block open(Path dir) throws IOException {
        BlockMeta meta = BlockMetaFormat.read(dir);
        IndexFileReader index = null;
        ChunkSegmentReader chunks = null;
        try {
            index = IndexFileReader.open(dir.resolve(INDEX));
            chunks = ChunkSegmentReader.open(dir.resolve(CHUNKS));
            Tombstones t = TombstonesFormat.read(dir);
            return new Block(dir, meta, index, chunks, t);
        } catch (IOException | RuntimeException e) {
            if (index != null) {
                index.close();
            }
            if (chunks != null) {
                chunks.close();
            }
            throw e;
        }
    }

    public BlockMeta meta() {
        return meta;
    }

    public Path dir() {
        return dir;
    }

    /** The current deletions; an immutable snapshot. */
    public Tombstones tombstones() {
        return tombstones;
    }

    /** Bytes on disk: index, chunk segments, tombstones and meta.json. */
    public long sizeBytes() {
        return index.size() + chunks.size() + tombstonesSize + fileSize(dir.resolve(BlockMetaFormat.FILENAME));
    }

    /** The index; valid while the caller holds a pin (an open querier) or before close. */
    IndexFileReader index() {
        return index;
    }

    ChunkSegmentReader chunks() {
        return chunks;
    }

    /**
     * A querier over [mint, maxt] (inclusive) that pins the block until it is closed.
     *
     * @throws IllegalStateException if the block is closed
     */
    @Override
    public Querier querier(long mint, long maxt) {
        return new BlockQuerier(reader(), mint, maxt);
    }

    /**
     * A chunk querier over [mint, maxt] (inclusive) that pins the block until it is closed:
     * chunks wholly in range and untouched by tombstones come out as stored.
     *
     * @throws IllegalStateException if the block is closed
     */
    public ChunkQuerier chunkQuerier(long mint, long maxt) {
        return new BlockChunkQuerier(reader(), mint, maxt);
    }

    /** A reader that pins the block until closed, with the tombstones of this moment. */
    private BlockReader reader() {
        pin();
        Tombstones t = tombstones;
        BlockMeta m = meta;
        return new BlockReader() {
            private boolean closed;

            @Override
            public IndexReader index() {
                return index;
            }

            @Override
            public ChunkReader chunks() {
                return chunks;
            }

            @Override
            public Intervals tombstones(long ref) {
                return t.get(ref);
            }

            @Override
            public long minTime() {
                return m.minTime();
            }

            @Override
            public long maxTime() {
                return m.maxTime() - 1; // the meta's bound is exclusive
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    unpin();
                }
            }
        };
    }

    void pin() {
        synchronized (lock) {
            if (closing) {
                throw new IllegalStateException("block " + dir + " is closed");
            }
            pins++;
        }
    }

    void unpin() {
        synchronized (lock) {
            if (--pins == 0 && closing) {
                release();
            }
        }
    }

    /** Number of open queriers, for tests and metrics. */
    public int pinCount() {
        synchronized (lock) {
            return pins;
        }
    }

    /** Whether the mappings have been released. */
    public boolean isReleased() {
        synchronized (lock) {
            return released;
        }
    }

    /**
     * Records that the samples in [mint, maxt] of the series matching all {@code matchers}
     * (every series when none is given) are deleted: the tombstones file and meta.json are
     * rewritten atomically. Data stays on disk until the block is rewritten by the compactor.
     *
     * @return the number of series that got a new deletion interval
     */
    public int delete(long mint, long maxt, Matcher... matchers) throws IOException {
        if (maxt < mint) {
            throw new IllegalArgumentException("interval [" + mint + ", " + maxt + "] is empty");
        }
        pin();
        try {
            synchronized (this) { // one delete at a time: each merges into the latest tombstones
                Tombstones.Builder b = tombstones.toBuilder();
                int touched = 0;
                Postings p = matchers.length == 0 ? index.allPostings() : PostingsForMatchers.postings(index, matchers);
                LabelsBuilder lb = new LabelsBuilder();
                ChunkMetas metas = new ChunkMetas();
                while (p.next()) {
                    index.series(p.at(), lb, metas.clear());
                    for (int i = 0; i < metas.size(); i++) {
                        if (metas.minTime(i) <= maxt && metas.maxTime(i) >= mint) {
                            // Clamp to the series' own range, as Prometheus does: smaller files, same effect.
                            b.add(p.at(), Math.max(mint, metas.minTime(0)), Math.min(maxt, metas.maxTime(metas.size() - 1)));
                            touched++;
                            break;
                        }
                    }
                }
                if (p.err() != null) {
                    throw p.err();
                }
                if (touched == 0) {
                    return 0;
                }
                Tombstones t = b.build();
                tombstonesSize = TombstonesFormat.write(dir, t);
                BlockMeta m = meta;
                BlockMeta.Stats s = m.stats();
                BlockMeta updated = new BlockMeta(m.ulid(), m.minTime(), m.maxTime(),
                        new BlockMeta.Stats(s.numSamples(), s.numFloatSamples(), s.numHistogramSamples(), s.numSeries(), s.numChunks(), t.total()),
                        m.compaction(), m.version());
                BlockMetaFormat.write(dir, updated);
                tombstones = t;
                meta = updated;
                return touched;
            }
        } finally {
            unpin();
        }
    }

    /**
     * Hard-links the block's files into {@code <targetDir>/<ulid>} (a snapshot costs no copy:
     * block files are never modified in place, tombstones and meta.json are replaced by
     * rename, so the links keep the state of this moment). Falls back to copying where the
     * file system refuses links.
     *
     * @return the snapshot's block directory
     */
    public Path snapshot(Path targetDir) throws IOException {
        pin();
        try {
            synchronized (this) { // not in the middle of a delete's two renames
                Path dest = targetDir.resolve(meta.ulid().toString());
                Files.createDirectories(dest.resolve(CHUNKS));
                try (java.util.stream.Stream<Path> s = Files.list(dir.resolve(CHUNKS))) {
                    for (Path f : (Iterable<Path>) s::iterator) {
                        link(f, dest.resolve(CHUNKS).resolve(f.getFileName()));
                    }
                }
                for (String f : new String[] {INDEX, TombstonesFormat.FILENAME, BlockMetaFormat.FILENAME}) {
                    if (Files.exists(dir.resolve(f))) {
                        link(dir.resolve(f), dest.resolve(f));
                    }
                }
                BlockWriter.syncDir(dest.resolve(CHUNKS));
                BlockWriter.syncDir(dest);
                BlockWriter.syncDir(targetDir);
                return dest;
            }
        } finally {
            unpin();
        }
    }

    private static void link(Path from, Path to) throws IOException {
        try {
            Files.createLink(to, from);
        } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
            if (e instanceof java.nio.file.FileAlreadyExistsException) {
                throw e;
            }
            Files.copy(from, to);
        }
    }

    /** Reads every byte of the index and chunk segments and verifies all checksums. */
    public void verify() throws IOException {
        pin();
        try {
            index.verifyChecksums();
            chunks.checkIntegrity();
        } finally {
            unpin();
        }
    }

    /**
     * Stops new queriers; the mappings are released now if no querier is open, else when the
     * last one closes. Idempotent; never blocks.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closing) {
                return;
            }
            closing = true;
            if (pins == 0) {
                release();
            }
        }
    }

    private void release() {
        released = true;
        index.close();
        chunks.close();
    }

    /** Size of {@code p}, 0 when it is missing (a block without tombstones file) or unreadable. */
    private static long fileSize(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public String toString() {
        BlockMeta m = meta;
        return "Block{" + m.ulid() + " [" + m.minTime() + ", " + m.maxTime() + ")}";
    }
}

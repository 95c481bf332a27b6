package io.specula.tsdb.head;

import io.specula.tsdb.chunkenc.Chunk;
import io.specula.tsdb.chunkenc.XorChunk;
import io.specula.tsdb.chunks.ChunkDiskMapper;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the head keeps the chunks it has cut (full, immutable ones), so that a series holds
 * only a reference and the chunk's time range: in the head chunk files when the head has a
 * data directory, in memory otherwise.
 *
 * <p>A reference is either a head chunk file reference (see
 * {@link io.specula.tsdb.chunks.HeadChunkFormat}) or, with the top bit set, a slot of the
 * in-memory table. The table also takes a chunk whose write to disk failed (disk full, I/O
 * error): the chunk stays queryable and the failure is counted in {@link #writeFailures()}
 * instead of failing the commit that cut it, whose samples are already in the WAL.
 *
 * <p>Thread-safe. In-memory slots are released by truncation ({@link #release}); disk chunks
 * go with their files ({@link #truncateFiles}).
 */
final class HeadChunks implements AutoCloseable {
    /** Marks in-memory references; file references keep it clear (file numbers stay below 2^31). */
    private static final long MEMORY = 1L << 63;

    private final ChunkDiskMapper disk;
    private Chunk[] slots = new Chunk[64];
    private int[] free = new int[16];
    private int freeCount;
    private int nextSlot;
    private final AtomicLong writeFailures = new AtomicLong();
    private volatile Exception lastWriteFailure;

    /** @param disk the head chunk files, or null to keep chunks in memory */
    HeadChunks(ChunkDiskMapper disk) {
        this.disk = disk;
    }

    ChunkDiskMapper disk() {
        return disk;
    }

    /** Stores a chunk that was just cut; returns its reference. Called under the series lock. */
    long put(long seriesRef, long mint, long maxt, Chunk chunk) {
        if (disk != null) {
            try {
                long ref = disk.write(seriesRef, mint, maxt, chunk);
                if (ref >= 0) {
                    return ref;
                }
                throw new IOException("head chunk reference 0x" + Long.toHexString(ref) + " collides with in-memory references");
            } catch (IOException | RuntimeException e) {
                writeFailures.incrementAndGet();
                lastWriteFailure = e;
            }
        }
        // It stays in memory: drop the spare capacity of its buffer.
        if (chunk instanceof XorChunk x) {
            x.compact();
        } else {
            chunk = Chunk.fromData(chunk.encoding(), Arrays.copyOf(chunk.bytes(), chunk.length()), chunk.length());
        }
        return keep(chunk);
    }

    private synchronized long keep(Chunk chunk) {
        int slot;
        if (freeCount > 0) {
            slot = free[--freeCount];
        } else {
            if (nextSlot == slots.length) {
                slots = Arrays.copyOf(slots, slots.length * 2);
            }
            slot = nextSlot++;
        }
        slots[slot] = chunk;
        return MEMORY | slot;
    }

    static boolean inMemory(long ref) {
        return ref < 0;
    }

    private synchronized Chunk memory(long ref) {
        return slots[(int) (ref & ~MEMORY)];
    }

    /** Frees an in-memory chunk the head dropped; a file chunk goes with its file. */
    void release(long ref) {
        if (inMemory(ref)) {
            synchronized (this) {
                int slot = (int) (ref & ~MEMORY);
                slots[slot] = null;
                if (freeCount == free.length) {
                    free = Arrays.copyOf(free, freeCount * 2);
                }
                free[freeCount++] = slot;
            }
        }
    }

    /**
     * Reads a chunk the caller keeps referenced meanwhile (it holds the lock of a series that
     * has it), e.g. to learn a series' last value after a restart.
     */
    Chunk readNow(long ref) throws IOException {
        if (inMemory(ref)) {
            return memory(ref);
        }
        try (ChunkDiskMapper.Pin pin = disk.pin()) {
            pin.add(ref);
            return pin.chunk(ref);
        }
    }

    /** Chunks that could not be written to disk and stay in memory instead. */
    long writeFailures() {
        return writeFailures.get();
    }

    Exception lastWriteFailure() {
        return lastWriteFailure;
    }

    /** Deletes the head chunk files holding only chunks before {@code mint}. */
    void truncateFiles(long mint) throws IOException {
        if (disk != null) {
            disk.truncateBefore(mint);
        }
    }

    /** A reader for one query; see {@link Reader}. */
    Reader reader() {
        return new Reader(disk == null ? null : disk.pin());
    }

    /**
     * Reads chunks for one querier. {@link #hold} is called under the series lock for every
     * reference the querier takes, which keeps the chunk readable until {@link #close()}.
     * Not thread-safe.
     */
    final class Reader implements AutoCloseable {
        private final ChunkDiskMapper.Pin pin;

        private Reader(ChunkDiskMapper.Pin pin) {
            this.pin = pin;
        }

        /**
         * Keeps {@code ref} readable. Returns the chunk itself for an in-memory reference (its
         * slot may be reused once the series drops it), null for a file reference, which
         * {@link #chunk} reads later.
         */
        Chunk hold(long ref) {
            if (inMemory(ref)) {
                return memory(ref);
            }
            pin.add(ref);
            return null;
        }

        /** Reads a held file chunk. */
        Chunk chunk(long ref) throws IOException {
            return pin.chunk(ref);
        }

        @Override
        public void close() {
            if (pin != null) {
                pin.close();
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (disk != null) {
            disk.close();
        }
    }
}

package io.specula.tsdb.chunks;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A whole file mapped read-only into its own shared {@link Arena}, so it can be unmapped on
 * its own and at once by {@link #close()} (a {@code MappedByteBuffer} would wait for the
 * garbage collector). Sizes beyond 2 GiB work: the segment is addressed with longs.
 *
 * <p>Closing while another thread reads the segment is the owner's error; FFM then fails that
 * read with an {@link IllegalStateException} rather than touching unmapped memory.
 */
final class MappedFile implements AutoCloseable {
    private final Path path;
    private final Arena arena;
    private final MemorySegment segment;

    private MappedFile(Path path, Arena arena, MemorySegment segment) {
        this.path = path;
        this.arena = arena;
        this.segment = segment;
    }

    static MappedFile map(Path path) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            // The mapping outlives the channel; only the arena releases it.
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            return new MappedFile(path, arena, seg);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /**
     * Maps {@code path}, which is being appended to through another channel, at {@code size}
     * bytes. The mapping is read-write only because Java extends a file only for such a mapping:
     * the file grows (sparsely) to {@code size}, as Prometheus preallocates its head chunk files,
     * so chunks appended later are visible through this mapping without remapping. Nothing is
     * ever written through it.
     */
    static MappedFile mapGrowing(Path path, long size) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MemorySegment seg = ch.map(FileChannel.MapMode.READ_WRITE, 0, Math.max(size, ch.size()), arena);
            return new MappedFile(path, arena, seg);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    Path path() {
        return path;
    }

    MemorySegment segment() {
        return segment;
    }

    long size() {
        return segment.byteSize();
    }

    @Override
    public void close() {
        arena.close();
    }
}

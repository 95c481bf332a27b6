package io.specula.tsdb.chunks;

import io.specula.tsdb.chunkenc.ChunkAppender;
import io.specula.tsdb.chunkenc.XorChunk;
import io.specula.tsdb.encoding.CorruptionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/** Test helpers: seeded chunks and a look at the process's memory mappings. */
final class TestChunks {
    private TestChunks() {}

    /** A chunk of 1 to {@code maxSamples} samples of a jittery 15 s scrape of a random-walk gauge. */
    static XorChunk randomChunk(Random rnd, int maxSamples) {
        XorChunk c = XorChunk.create();
        try {
            ChunkAppender app = c.appender();
            long t = 1_700_000_000_000L + rnd.nextInt(1_000_000);
            double v = rnd.nextInt(1000);
            int n = 1 + rnd.nextInt(maxSamples);
            for (int i = 0; i < n; i++) {
                app.append(t, v);
                t += 15_000 + rnd.nextInt(11) - 5;
                v += Math.round(rnd.nextGaussian() * 100) / 100.0;
            }
        } catch (CorruptionException e) {
            throw new AssertionError(e);
        }
        return c;
    }

    static byte[] data(io.specula.tsdb.chunkenc.Chunk c) {
        return Arrays.copyOf(c.bytes(), c.length());
    }

    /** Whether {@code file} appears in /proc/self/maps (Linux); false elsewhere. */
    static boolean isMapped(Path file) throws IOException {
        Path maps = Path.of("/proc/self/maps");
        if (!Files.isReadable(maps)) {
            return false;
        }
        String name = file.toAbsolutePath().toString();
        try (var lines = Files.lines(maps)) {
            return lines.anyMatch(l -> l.endsWith(name) || l.endsWith(name + " (deleted)"));
        }
    }

    static boolean canCheckMappings() {
        return Files.isReadable(Path.of("/proc/self/maps"));
    }

    static void flipByte(Path file, long offset) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
            ch.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x5A)).rewind();
            ch.write(b, offset);
        }
    }
}

package io.specula.tsdb.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.specula.tsdb.chunkenc.Chunk;
import io.specula.tsdb.chunks.ChunkSegmentReader;
import io.specula.tsdb.chunks.ChunkSegmentScanner;
import io.specula.tsdb.chunks.HeadChunkReader;
import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.ValueType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Arbitrary bytes as a block's chunk segment file and as a head chunk file ({@code chunks_head/}):
 * opening, scanning and reading chunks succeed or fail with an {@link IOException} naming the
 * problem (a {@link CorruptionException} for bad data), never an unchecked exception; the head
 * chunk replay repairs what it cannot read instead of failing, and a second replay of the
 * repaired file finds nothing more to repair.
 */
class ChunkSegmentFuzzTest {
    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("chunks-fuzz");
            DIR.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void readSegment(byte[] data) throws IOException {
        Path blockChunks = Files.createDirectories(DIR.resolve("chunks"));
        Path file = blockChunks.resolve("000001");
        Files.write(file, data);
        try (ChunkSegmentReader r = ChunkSegmentReader.open(blockChunks)) {
            ChunkSegmentScanner s = r.scanner();
            int n = 0;
            while (s.next() && n++ < 100_000) {
                try {
                    drain(r.chunk(s.ref()));
                } catch (CorruptionException e) {
                    // refused with a position
                } catch (IOException e) {
                    // an encoding this build does not decode
                }
            }
        } catch (IOException e) {
            // refused: header or data corrupt
        }
        Files.deleteIfExists(file);

        Path head = Files.createDirectories(DIR.resolve("chunks_head"));
        Path headFile = head.resolve("000001");
        Files.write(headFile, data);
        try (HeadChunkReader r = HeadChunkReader.open(head)) {
            r.replay((seriesRef, chunkRef, mint, maxt, enc, samples) -> {
                try {
                    drain(r.chunk(chunkRef));
                } catch (IOException e) {
                    // refused with a position, or an encoding this build does not decode
                }
            });
        }
        try (HeadChunkReader r = HeadChunkReader.open(head)) {
            if (!r.replay((seriesRef, chunkRef, mint, maxt, enc, samples) -> {}).isEmpty()) {
                throw new AssertionError("a repaired head chunk file needs another repair");
            }
        }
        try (var files = Files.list(head)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
    }

    private static void drain(Chunk c) {
        SampleIterator it = c.iterator(null);
        int n = 0;
        while (it.next() != ValueType.NONE && n++ < 1 << 20) {
            it.atT();
        }
        it.err();
    }
}

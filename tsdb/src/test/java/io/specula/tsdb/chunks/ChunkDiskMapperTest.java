package io.specula.tsdb.chunks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.tsdb.chunkenc.Chunk;
import io.specula.tsdb.chunkenc.XorChunk;
import io.specula.tsdb.encoding.CorruptionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChunkDiskMapperTest {
    private static final long SIZE = ChunkDiskMapper.MIN_FILE_SIZE;

    @TempDir
    Path dir;

    private record Written(long seriesRef, long ref, long maxt, byte[] data) {}

    private static List<Written> write(ChunkDiskMapper m, Random rnd, int n, long maxtBase) throws IOException {
        List<Written> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            XorChunk c = TestChunks.randomChunk(rnd, 240);
            long maxt = maxtBase + i;
            out.add(new Written(1 + i % 7, m.write(1 + i % 7, maxt - 1, maxt, c), maxt, TestChunks.data(c)));
        }
        return out;
    }

    private static void assertReadable(ChunkDiskMapper m, List<Written> written) throws IOException {
        try (ChunkDiskMapper.Pin pin = m.pin()) {
            for (Written w : written) {
                pin.add(w.ref());
                Chunk c = pin.chunk(w.ref());
                assertThat(TestChunks.data(c)).as("chunk %x", w.ref()).isEqualTo(w.data());
            }
        }
    }

    @Test
    void write_readsBackAtOnce_acrossFiles_andAfterReopen() throws IOException {
        Random rnd = new Random(1);
        List<Written> written;
        try (ChunkDiskMapper m = ChunkDiskMapper.open(dir, SIZE, (s, r, mint, maxt, e, n) -> {})) {
            written = write(m, rnd, 600, 1000);
            assertThat(m.fileCount()).isGreaterThan(3);
            assertReadable(m, written); // the last ones are still in the writer's buffer: reading flushes
        }
        List<Long> replayed = new ArrayList<>();
        try (ChunkDiskMapper m = ChunkDiskMapper.open(dir, SIZE, (s, r, mint, maxt, e, n) -> replayed.add(r))) {
            assertThat(m.repairs()).isEmpty();
            assertThat(replayed).containsExactlyElementsOf(written.stream().map(Written::ref).toList());
            assertReadable(m, written);
            List<Written> more = write(m, rnd, 10, 5000);
            assertThat(HeadChunkFormat.fileSeq(more.getFirst().ref()))
                    .as("new chunks go to a new file").isGreaterThan(HeadChunkFormat.fileSeq(written.getLast().ref()));
            assertReadable(m, more);
        }
        // Completed files were cut to their data; nothing preallocated is left after close.
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                assertThat(Files.size(p)).isLessThan(SIZE);
            }
        }
    }

    @Test
    void truncateBefore_deletesOldestFilesInOrder_waitingForPins() throws IOException {
        Random rnd = new Random(2);
        try (ChunkDiskMapper m = ChunkDiskMapper.open(dir, SIZE, (s, r, mint, maxt, e, n) -> {})) {
            List<Written> written = write(m, rnd, 600, 1000);
            long firstSeq = HeadChunkFormat.fileSeq(written.getFirst().ref());
            Path first = dir.resolve(SegmentFiles.name(firstSeq));
            Written inFirst = written.getFirst();
            Written later = written.get(400);
            ChunkDiskMapper.Pin pin = m.pin();
            pin.add(inFirst.ref());
            int files = m.fileCount();

            int removed = m.truncateBefore(later.maxt()); // every file whose chunks all end before
            assertThat(removed).isPositive();
            assertThat(first).as("pinned: still there").exists();
            if (TestChunks.canCheckMappings()) {
                assertThat(TestChunks.isMapped(first)).isTrue();
            }
            // Files after the pinned one wait too, so that numbering never has a gap on disk.
            assertThat(m.fileCount()).isEqualTo(files + 1); // plus the new current file
            assertThat(TestChunks.data(pin.chunk(inFirst.ref()))).isEqualTo(inFirst.data());
            pin.close();
            assertThat(first).doesNotExist();
            assertThat(m.fileCount()).isEqualTo(files + 1 - removed);
            if (TestChunks.canCheckMappings()) {
                assertThat(TestChunks.isMapped(first)).as("unmapped at once").isFalse();
            }
            assertReadable(m, written.stream().filter(w -> HeadChunkFormat.fileSeq(w.ref()) >= HeadChunkFormat.fileSeq(later.ref())).toList());
            try (ChunkDiskMapper.Pin late = m.pin()) {
                late.add(inFirst.ref()); // a deleted file cannot be pinned; reading says so
                assertThatThrownBy(() -> late.chunk(inFirst.ref())).isInstanceOf(IOException.class).hasMessageContaining("not pinned");
            }
        }
    }

    @Test
    void read_ofADamagedChunk_failsItsChecksum() throws IOException {
        Random rnd = new Random(3);
        try (ChunkDiskMapper m = ChunkDiskMapper.open(dir, SIZE, (s, r, mint, maxt, e, n) -> {})) {
            Written w = write(m, rnd, 3, 1000).get(1);
            try (ChunkDiskMapper.Pin pin = m.pin()) {
                pin.add(w.ref());
                pin.chunk(w.ref()); // flushes
                TestChunks.flipByte(dir.resolve(SegmentFiles.name(HeadChunkFormat.fileSeq(w.ref()))), HeadChunkFormat.offset(w.ref()) + 30);
                assertThatThrownBy(() -> pin.chunk(w.ref())).isInstanceOf(CorruptionException.class).hasMessageContaining("checksum");
            }
        }
    }

    @Test
    void write_refusesAChunkLargerThanAFile() throws IOException {
        try (ChunkDiskMapper m = ChunkDiskMapper.open(dir, SIZE, (s, r, mint, maxt, e, n) -> {})) {
            Chunk huge = Chunk.fromData(io.specula.tsdb.chunkenc.Encoding.XOR, new byte[(int) SIZE], (int) SIZE);
            assertThatThrownBy(() -> m.write(1, 0, 1, huge)).isInstanceOf(IOException.class).hasMessageContaining("does not fit");
            assertThat(m.fileCount()).isZero();
        }
    }
}

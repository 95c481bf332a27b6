package io.specula.tsdb.chunks;

import static io.specula.tsdb.chunks.TestChunks.data;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.specula.tsdb.chunkenc.Chunk;
import io.specula.tsdb.chunkenc.Encoding;
import io.specula.tsdb.chunkenc.XorChunk;
import io.specula.tsdb.encoding.CorruptionException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkSegmentTest {
    @TempDir
    Path tmp;

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void write_matchesPromtoolBytes() throws IOException {
        // chunks/000001 of the block promtool 2.42 made from
        // "foo 1.0 1.000 / foo 2.0 1.015 / foo 3.0 1.030": header, len 0x14, encoding 1,
        // the 20 data bytes, CRC32C 4a96d7cd.
        byte[] chunkData = HEX.parseHex("0003d00f3ff00000000000000ec25fff8002d80c");
        Path dir = tmp.resolve("chunks");
        try (ChunkSegmentWriter w = new ChunkSegmentWriter(dir)) {
            assertThat(w.write(XorChunk.fromData(chunkData, chunkData.length))).isEqualTo(8L);
        }
        assertThat(HEX.formatHex(Files.readAllBytes(dir.resolve("000001"))))
                .isEqualTo("85bd40dd01000000" + "1401" + "0003d00f3ff00000000000000ec25fff8002d80c" + "4a96d7cd");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void write_thenRead_returnsEveryChunkByRef(long seed) throws IOException {
        Random rnd = new Random(seed);
        Path dir = tmp.resolve("chunks");
        List<XorChunk> chunks = new ArrayList<>();
        List<Long> refs = new ArrayList<>();
        try (ChunkSegmentWriter w = new ChunkSegmentWriter(dir)) {
            for (int i = 0; i < 500; i++) {
                XorChunk c = TestChunks.randomChunk(rnd, 120);
                chunks.add(c);
                refs.add(w.write(c));
            }
        }
        try (ChunkSegmentReader r = ChunkSegmentReader.open(dir)) {
            assertThat(r.segmentCount()).isEqualTo(1);
            for (int i = 0; i < chunks.size(); i++) {
                Chunk c = r.chunk(refs.get(i));
                assertThat(c.encoding()).isEqualTo(Encoding.XOR);
                assertThat(data(c)).isEqualTo(data(chunks.get(i)));
                r.verify(refs.get(i));
            }
            r.checkIntegrity();
            ChunkSegmentScanner s = r.scanner();
            for (int i = 0; i < chunks.size(); i++) {
                assertThat(s.next()).isTrue();
                assertThat(s.ref()).isEqualTo(refs.get(i));
                assertThat(s.dataLength()).isEqualTo(chunks.get(i).length());
                assertThat(data(s.chunk())).isEqualTo(data(chunks.get(i)));
            }
            assertThat(s.next()).isFalse();
        }
    }

    @Test
    void chunkWithScratch_reusesTheArrayWhenItFits() throws IOException {
        Random rnd = new Random(3);
        XorChunk small = TestChunks.randomChunk(rnd, 10);
        XorChunk big = TestChunks.randomChunk(rnd, 120);
        Path dir = tmp.resolve("scratch");
        long[] refs = new long[2];
        try (ChunkSegmentWriter w = new ChunkSegmentWriter(dir)) {
            refs[0] = w.write(small);
            refs[1] = w.write(big);
        }
        try (ChunkSegmentReader r = ChunkSegmentReader.open(dir)) {
            byte[] scratch = new byte[small.length()];
            var c0 = r.chunk(refs[0], scratch);
            assertThat(c0.bytes()).isSameAs(scratch);
            assertThat(data(c0)).isEqualTo(data(small));
            var c1 = r.chunk(refs[1], scratch);
            assertThat(c1.bytes()).as("too small: a new array").isNotSameAs(scratch);
            assertThat(data(c1)).isEqualTo(data(big));
            var again = r.chunk(refs[0], c1.bytes());
            assertThat(again.bytes()).isSameAs(c1.bytes());
            assertThat(data(again)).isEqualTo(data(small));
        }
    }

    @Test
    void write_smallSegmentSize_cutsFilesAndRefsCountFromZero() throws IOException {
        Random rnd = new Random(5);
        Path dir = tmp.resolve("chunks");
        long limit = 400;
        List<Long> refs = new ArrayList<>();
        List<XorChunk> chunks = new ArrayList<>();
        try (ChunkSegmentWriter w = new ChunkSegmentWriter(dir, limit)) {
            for (int i = 0; i < 60; i++) {
                XorChunk c = TestChunks.randomChunk(rnd, 200);
                chunks.add(c);
                refs.add(w.write(c));
            }
            assertThat(w.segmentCount()).isGreaterThan(3);
        }
        try (ChunkSegmentReader r = ChunkSegmentReader.open(dir)) {
            for (int i = 0; i < refs.size(); i++) {
                long ref = refs.get(i);
                Path file = dir.resolve(ChunkSegmentFormat.fileName(ChunkSegmentFormat.segmentIndex(ref)));
                long fileSize = Files.size(file);
                boolean alone = ChunkSegmentFormat.offset(ref) == ChunkSegmentFormat.HEADER_SIZE
                        && fileSize == ChunkSegmentFormat.HEADER_SIZE + chunks.get(i).length() + 1 + DataOutputs.uvarintSize(chunks.get(i).length()) + 4;
                assertThat(fileSize <= limit || alone).as("segment %s of %d bytes", file, fileSize).isTrue();
                assertThat(data(r.chunk(ref))).isEqualTo(data(chunks.get(i)));
            }
            assertThat(ChunkSegmentFormat.segmentIndex(refs.getFirst())).isZero();
            assertThat(Files.exists(dir.resolve("000001"))).isTrue();
            r.checkIntegrity();
        }
    }

    @Test
    void write_chunkLargerThanSegment_getsItsOwnSegment() throws IOException {
        Path dir = tmp.resolve("chunks");
        byte[] big = new byte[2000];
        big[1] = 0; // an empty XOR chunk with trailing bytes: the writer does not look inside
        try (ChunkSegmentWriter w = new ChunkSegmentWriter(dir, 100)) {
            assertThat(w.write(Encoding.XOR, new byte[] {0, 0}, 0, 2)).isEqualTo(ChunkSegmentFormat.ref(0, 8));
            assertThat(w.write(Encoding.XOR, big, 0, big.length)).isEqualTo(ChunkSegmentFormat.ref(1, 8));
            assertThat(w.write(Encoding.XOR, new byte[] {0, 0}, 0, 2)).isEqualTo(ChunkSegmentFormat.ref(2, 8));
        }
        try (ChunkSegmentReader r = ChunkSegmentReader.open(dir)) {
            assertThat(r.segmentCount()).isEqualTo(3);
            r.checkIntegrity();
        }
    }

    @Test
    void writer_refusesDirectoryWithSegments() throws IOException {
        Path dir = tmp.resolve("chunks");
        try (ChunkSegmentWriter w = new ChunkSegmentWriter(dir)) {
            w.write(XorChunk.create());
        }
        assertThatThrownBy(() -> new ChunkSegmentWriter(dir)).isInstanceOf(IOException.class).hasMessageContaining("already holds");
    }

    private Path writeOne(Chunk c) throws IOException {
        Path dir = tmp.resolve("chunks");
        try (ChunkSegmentWriter w = new ChunkSegmentWriter(dir)) {
            w.write(c);
        }
        return dir;
    }

    @Test
    void open_badMagic_namesFileAndOffset() throws IOException {
        Path dir = writeOne(TestChunks.randomChunk(new Random(1), 10));
        Path file = dir.resolve("000001");
        TestChunks.flipByte(file, 2);
        assertThatThrownBy(() -> ChunkSegmentReader.open(dir))
                .isInstanceOfSatisfying(CorruptionException.class, e -> {
                    assertThat(e.file()).isEqualTo(file.toString());
                    assertThat(e.offset()).isZero();
                })
                .hasMessageContaining("bad magic");
    }

    @Test
    void open_truncatedHeader_isCorruption() throws IOException {
        Path dir = tmp.resolve("chunks");
        Files.createDirectories(dir);
        Files.write(dir.resolve("000001"), new byte[] {(byte) 0x85, (byte) 0xBD});
        assertThatThrownBy(() -> ChunkSegmentReader.open(dir)).isInstanceOf(CorruptionException.class).hasMessageContaining("shorter than");
    }

    @Test
    void verify_flippedDataByte_namesFileAndChunkOffset() throws IOException {
        Random rnd = new Random(9);
        Path dir = tmp.resolve("chunks");
        long ref;
        try (ChunkSegmentWriter w = new ChunkSegmentWriter(dir)) {
            w.write(TestChunks.randomChunk(rnd, 50));
            ref = w.write(TestChunks.randomChunk(rnd, 50));
            w.write(TestChunks.randomChunk(rnd, 50));
        }
        Path file = dir.resolve("000001");
        TestChunks.flipByte(file, ChunkSegmentFormat.offset(ref) + 6); // inside the data
        try (ChunkSegmentReader r = ChunkSegmentReader.open(dir)) {
            assertThatThrownBy(() -> r.verify(ref))
                    .isInstanceOfSatisfying(CorruptionException.class, e -> {
                        assertThat(e.file()).isEqualTo(file.toString());
                        assertThat(e.offset()).isEqualTo(ChunkSegmentFormat.offset(ref));
                    })
                    .hasMessageContaining("checksum mismatch");
            assertThatThrownBy(r::checkIntegrity).isInstanceOf(CorruptionException.class).hasMessageContaining("offset " + ChunkSegmentFormat.offset(ref));
        }
    }

    @Test
    void chunk_corruptEncodingOrLength_isCorruptionNotUnchecked() throws IOException {
        Path dir = writeOne(TestChunks.randomChunk(new Random(2), 120));
        Path file = dir.resolve("000001");
        long ref = ChunkSegmentFormat.ref(0, 8);
        try (ChunkSegmentReader r = ChunkSegmentReader.open(dir)) {
            assertThatThrownBy(() -> r.chunk(ChunkSegmentFormat.ref(0, 1 << 20))).isInstanceOf(CorruptionException.class).hasMessageContaining("outside");
            assertThatThrownBy(() -> r.chunk(ChunkSegmentFormat.ref(7, 8))).isInstanceOf(CorruptionException.class).hasMessageContaining("segment 7 of 1");
        }
        // A length byte claiming far more data than the file holds.
        try (var raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(8);
            raf.write(new byte[] {(byte) 0xFF, (byte) 0xFF, 0x7F});
        }
        try (ChunkSegmentReader r = ChunkSegmentReader.open(dir)) {
            assertThatThrownBy(() -> r.chunk(ref)).isInstanceOfSatisfying(CorruptionException.class, e -> {
                assertThat(e.file()).isEqualTo(file.toString());
                assertThat(e.offset()).isEqualTo(8);
            }).hasMessageContaining("runs past the end");
        }
    }

    @Test
    void chunk_unknownEncoding_isCorruption() throws IOException {
        Path dir = tmp.resolve("chunks");
        try (ChunkSegmentWriter w = new ChunkSegmentWriter(dir)) {
            w.write(0x7F, new byte[] {0, 0}, 0, 2);
            w.write(Encoding.HISTOGRAM, new byte[] {0, 0}, 0, 2);
        }
        try (ChunkSegmentReader r = ChunkSegmentReader.open(dir)) {
            assertThatThrownBy(() -> r.chunk(ChunkSegmentFormat.ref(0, 8))).isInstanceOf(CorruptionException.class).hasMessageContaining("unknown chunk encoding 127");
            // Histogram chunks are read; a truncated one fails when iterated.
            var h = r.chunk(ChunkSegmentFormat.ref(0, 8 + 8));
            assertThat(h.encoding()).isEqualTo(Encoding.HISTOGRAM);
            var it = h.iterator(null);
            assertThat(it.next()).isEqualTo(io.specula.tsdb.storage.ValueType.NONE);
            assertThat(it.err()).hasMessageContaining("has no header");
        }
    }

    @Test
    void close_releasesMappings() throws IOException {
        assumeTrue(TestChunks.canCheckMappings(), "needs /proc/self/maps (Linux) to see mappings");
        Path dir = writeOne(TestChunks.randomChunk(new Random(3), 120));
        Path file = dir.resolve("000001");
        ChunkSegmentReader r = ChunkSegmentReader.open(dir);
        Chunk before = r.chunk(ChunkSegmentFormat.ref(0, 8));
        assertThat(TestChunks.isMapped(file)).isTrue();
        r.close();
        assertThat(TestChunks.isMapped(file)).as("unmapped at close, not at some later GC").isFalse();
        assertThatThrownBy(() -> r.chunk(ChunkSegmentFormat.ref(0, 8))).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(before.numSamples()).as("chunks handed out own their bytes").isPositive();
        Files.delete(file);
        r.close(); // idempotent
    }

    @Test
    void chunk_atOffsetBeyond2GiB_isRead() throws IOException {
        // A sparse 3 GiB segment (no disk used): a long-addressed mapping reads past 2^31.
        Path dir = tmp.resolve("chunks");
        Files.createDirectories(dir);
        Path file = dir.resolve("000001");
        XorChunk c = TestChunks.randomChunk(new Random(4), 120);
        long off = (5L << 29) + 3; // 2.5 GiB + 3
        Path other = tmp.resolve("other");
        try (ChunkSegmentWriter w = new ChunkSegmentWriter(other)) {
            w.write(c);
        }
        byte[] one = Files.readAllBytes(other.resolve("000001"));
        try (var raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(3L << 30);
            raf.write(one, 0, 8);
            raf.seek(off);
            raf.write(one, 8, one.length - 8);
        }
        try (ChunkSegmentReader r = ChunkSegmentReader.open(dir)) {
            assertThat(r.size()).isEqualTo(3L << 30);
            long ref = ChunkSegmentFormat.ref(0, off);
            r.verify(ref);
            assertThat(data(r.chunk(ref))).isEqualTo(data(c));
        }
    }

    /** Go's uvarint length, computed independently of the code under test. */
    private static final class DataOutputs {
        static int uvarintSize(long v) {
            int n = 1;
            while (v >= 0x80) {
                v >>>= 7;
                n++;
            }
            return n;
        }
    }
}

package io.specula.tsdb.chunks;

import static io.specula.tsdb.chunks.TestChunks.data;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.specula.tsdb.chunkenc.Encoding;
import io.specula.tsdb.chunkenc.XorChunk;
import io.specula.tsdb.encoding.CorruptionException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeadChunkTest {
    @TempDir
    Path tmp;

    /** One visited or written chunk. */
    record Rec(long seriesRef, long ref, long mint, long maxt, int encodingByte, int numSamples) {}

    private Path dir() {
        return tmp.resolve("chunks_head");
    }

    /** Writes {@code n} seeded chunks; returns what a replay must visit. */
    private List<Rec> write(HeadChunkWriter w, Random rnd, int n, List<byte[]> datas) throws IOException {
        List<Rec> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            XorChunk c = TestChunks.randomChunk(rnd, 120);
            long series = 1 + rnd.nextInt(1000);
            long mint = rnd.nextLong() >> 20;
            long maxt = mint + rnd.nextInt(7_200_000);
            int enc = rnd.nextInt(8) == 0 ? Encoding.XOR | HeadChunkFormat.OUT_OF_ORDER_MASK : Encoding.XOR;
            long ref = w.write(series, mint, maxt, enc, c.bytes(), 0, c.length());
            out.add(new Rec(series, ref, mint, maxt, enc, c.numSamples()));
            datas.add(data(c));
        }
        return out;
    }

    private static List<Rec> replay(HeadChunkReader r, List<HeadChunkRepair> repairs) throws IOException {
        List<Rec> seen = new ArrayList<>();
        repairs.addAll(r.replay((series, ref, mint, maxt, enc, num) -> seen.add(new Rec(series, ref, mint, maxt, enc, num))));
        return seen;
    }

    @Test
    void write_layoutMatchesFormat() throws IOException {
        byte[] chunk = HexFormat.of().parseHex("0003d00f3ff00000000000000ec25fff8002d80c");
        try (HeadChunkWriter w = new HeadChunkWriter(dir())) {
            assertThat(w.write(7, 1000, 1030, XorChunk.fromData(chunk, chunk.length))).isEqualTo(HeadChunkFormat.ref(1, 8));
        }
        byte[] file = Files.readAllBytes(dir().resolve("000001"));
        ByteBuffer expected = ByteBuffer.allocate(8 + 8 + 8 + 8 + 1 + 1 + chunk.length + 4);
        expected.putInt(0x0130BC91).put((byte) 1).put(new byte[3]) // magic, version, padding
                .putLong(7).putLong(1000).putLong(1030) // series ref, mint, maxt
                .put((byte) 1).put((byte) chunk.length).put(chunk); // encoding, len, data
        CRC32C crc = new CRC32C();
        crc.update(expected.array(), 8, expected.position() - 8); // from series ref to the end of data
        expected.putInt((int) crc.getValue());
        assertThat(HexFormat.of().formatHex(file)).isEqualTo(HexFormat.of().formatHex(expected.array()));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void replay_visitsEveryChunkInOrder(long seed) throws IOException {
        Random rnd = new Random(seed);
        List<byte[]> datas = new ArrayList<>();
        List<Rec> written;
        try (HeadChunkWriter w = new HeadChunkWriter(dir(), 2048)) {
            written = write(w, rnd, 300, datas);
            assertThat(w.currentFileSeq()).isGreaterThan(5);
        }
        List<HeadChunkRepair> repairs = new ArrayList<>();
        try (HeadChunkReader r = HeadChunkReader.open(dir())) {
            assertThat(replay(r, repairs)).containsExactlyElementsOf(written);
            assertThat(repairs).isEmpty();
            for (int i = 0; i < written.size(); i++) {
                assertThat(data(r.chunk(written.get(i).ref()))).isEqualTo(datas.get(i));
            }
        }
        for (Rec rec : written) {
            long seq = HeadChunkFormat.fileSeq(rec.ref());
            assertThat(Files.size(dir().resolve(String.format("%06d", seq)))).isLessThanOrEqualTo(2048);
        }
        assertThat(HeadChunkFormat.fileSeq(written.getFirst().ref())).as("head refs count files from 1").isEqualTo(1);
    }

    @Test
    void writer_continuesAfterExistingFiles() throws IOException {
        Random rnd = new Random(4);
        List<byte[]> datas = new ArrayList<>();
        List<Rec> all = new ArrayList<>();
        try (HeadChunkWriter w = new HeadChunkWriter(dir())) {
            all.addAll(write(w, rnd, 3, datas));
        }
        try (HeadChunkWriter w = new HeadChunkWriter(dir())) {
            List<Rec> more = write(w, rnd, 3, datas);
            assertThat(HeadChunkFormat.fileSeq(more.getFirst().ref())).isEqualTo(2);
            w.cutNewFile();
            w.cutNewFile(); // no-op until a chunk was written
            all.addAll(more);
            all.addAll(write(w, rnd, 1, datas));
            assertThat(w.currentFileSeq()).isEqualTo(3);
        }
        try (HeadChunkReader r = HeadChunkReader.open(dir())) {
            List<HeadChunkRepair> repairs = new ArrayList<>();
            assertThat(replay(r, repairs)).containsExactlyElementsOf(all);
            assertThat(repairs).isEmpty();
        }
    }

    @Test
    void replay_tornTailAtEveryLength_truncatesAndKeepsCompleteChunks() throws IOException {
        Random rnd = new Random(5);
        List<byte[]> datas = new ArrayList<>();
        List<Rec> written;
        try (HeadChunkWriter w = new HeadChunkWriter(dir())) {
            written = write(w, rnd, 4, datas);
        }
        Path file = dir().resolve("000001");
        byte[] whole = Files.readAllBytes(file);
        long lastStart = HeadChunkFormat.offset(written.getLast().ref());
        for (long len = lastStart + 1; len < whole.length; len++) {
            long cut = len;
            // A crash wrote only the first bytes of the last record.
            Files.write(file, java.util.Arrays.copyOf(whole, (int) cut));
            List<HeadChunkRepair> repairs = new ArrayList<>();
            try (HeadChunkReader r = HeadChunkReader.open(dir())) {
                assertThat(replay(r, repairs)).as("cut at %d", cut).containsExactlyElementsOf(written.subList(0, 3));
                for (int i = 0; i < 3; i++) {
                    assertThat(data(r.chunk(written.get(i).ref()))).isEqualTo(datas.get(i));
                }
            }
            boolean zeroPrefix = true;
            for (long i = lastStart; i < cut; i++) {
                zeroPrefix &= whole[(int) i] == 0;
            }
            if (zeroPrefix) {
                // The high bytes of a small series ref are zero: such a prefix cannot be told
                // from a preallocated tail (nor can Prometheus). It holds no data; it stays.
                assertThat(repairs).isEmpty();
                assertThat(Files.size(file)).isEqualTo(cut);
                continue;
            }
            assertThat(repairs).singleElement().satisfies(rep -> {
                assertThat(rep.file()).isEqualTo(file);
                assertThat(rep.offset()).isEqualTo(lastStart);
                assertThat(rep.droppedBytes()).isEqualTo(cut - lastStart);
                assertThat(rep.action()).isEqualTo(HeadChunkRepair.Action.TRUNCATED);
                assertThat(rep.reason()).containsAnyOf("torn", "checksum");
            });
            assertThat(Files.size(file)).isEqualTo(lastStart);
            try (HeadChunkReader r = HeadChunkReader.open(dir())) {
                assertThat(r.replay((a, b, c, d, e, f) -> {})).as("a repaired file replays cleanly").isEmpty();
            }
        }
    }

    @Test
    void replay_flippedByteInEarlierFile_truncatesThatFileOnlyAndKeepsLaterFiles() throws IOException {
        Random rnd = new Random(6);
        List<byte[]> datas = new ArrayList<>();
        List<Rec> written;
        try (HeadChunkWriter w = new HeadChunkWriter(dir(), 3000)) {
            written = write(w, rnd, 60, datas);
        }
        // Damage a chunk in the middle of file 2.
        List<Rec> inFile2 = written.stream().filter(r -> HeadChunkFormat.fileSeq(r.ref()) == 2).toList();
        assertThat(inFile2.size()).isGreaterThan(2);
        Rec victim = inFile2.get(1);
        Path file2 = dir().resolve("000002");
        long fileSize = Files.size(file2);
        TestChunks.flipByte(file2, HeadChunkFormat.offset(victim.ref()) + 40);
        List<Rec> expected = written.stream().filter(r -> r.ref() != victim.ref()
                && !(HeadChunkFormat.fileSeq(r.ref()) == 2 && r.ref() > victim.ref())).toList();
        List<HeadChunkRepair> repairs = new ArrayList<>();
        try (HeadChunkReader r = HeadChunkReader.open(dir())) {
            assertThat(replay(r, repairs)).containsExactlyElementsOf(expected);
        }
        assertThat(repairs).singleElement().satisfies(rep -> {
            assertThat(rep.file()).isEqualTo(file2);
            assertThat(rep.offset()).isEqualTo(HeadChunkFormat.offset(victim.ref()));
            assertThat(rep.droppedBytes()).isEqualTo(fileSize - rep.offset());
            assertThat(rep.reason()).contains("checksum mismatch");
            assertThat(rep.toString()).contains("000002", "truncated at offset " + rep.offset());
        });
    }

    @Test
    void replay_preallocatedZeros_areTheCleanEnd() throws IOException {
        Random rnd = new Random(7);
        List<Rec> written;
        try (HeadChunkWriter w = new HeadChunkWriter(dir())) {
            written = write(w, rnd, 3, new ArrayList<>());
        }
        Path file = dir().resolve("000001");
        long size = Files.size(file);
        for (long extra : new long[] {5, 24, 131_072}) { // shorter and longer than a record's fixed part
            try (var raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(size + extra); // zero-filled, as Prometheus preallocates
            }
            List<HeadChunkRepair> repairs = new ArrayList<>();
            try (HeadChunkReader r = HeadChunkReader.open(dir())) {
                assertThat(replay(r, repairs)).containsExactlyElementsOf(written);
            }
            assertThat(repairs).isEmpty();
            assertThat(Files.size(file)).as("zeros are left alone").isEqualTo(size + extra);
        }
    }

    @Test
    void replay_garbageAfterZeroRecord_isCut() throws IOException {
        Random rnd = new Random(8);
        List<Rec> written;
        try (HeadChunkWriter w = new HeadChunkWriter(dir())) {
            written = write(w, rnd, 2, new ArrayList<>());
        }
        Path file = dir().resolve("000001");
        long size = Files.size(file);
        try (var raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size + 100);
            raf.seek(size + 60);
            raf.write(42);
        }
        List<HeadChunkRepair> repairs = new ArrayList<>();
        try (HeadChunkReader r = HeadChunkReader.open(dir())) {
            assertThat(replay(r, repairs)).containsExactlyElementsOf(written);
        }
        assertThat(repairs).singleElement().satisfies(rep -> assertThat(rep.offset()).isEqualTo(size));
        assertThat(Files.size(file)).isEqualTo(size);
    }

    @Test
    void replay_emptyLastFile_isDeleted() throws IOException {
        Random rnd = new Random(9);
        List<Rec> written;
        try (HeadChunkWriter w = new HeadChunkWriter(dir())) {
            written = write(w, rnd, 2, new ArrayList<>());
        }
        Path empty = dir().resolve("000002");
        Files.write(empty, new byte[0]); // crash right after creating the next file
        List<HeadChunkRepair> repairs = new ArrayList<>();
        try (HeadChunkReader r = HeadChunkReader.open(dir())) {
            assertThat(replay(r, repairs)).containsExactlyElementsOf(written);
        }
        assertThat(repairs).singleElement().satisfies(rep -> {
            assertThat(rep.action()).isEqualTo(HeadChunkRepair.Action.DELETED);
            assertThat(rep.file()).isEqualTo(empty);
        });
        assertThat(Files.exists(empty)).isFalse();
    }

    @Test
    void replay_badHeaderInEarlierFile_emptiesItAndKeepsNumbering() throws IOException {
        Random rnd = new Random(10);
        List<Rec> written;
        try (HeadChunkWriter w = new HeadChunkWriter(dir(), 600)) {
            written = write(w, rnd, 12, new ArrayList<>());
        }
        Path file1 = dir().resolve("000001");
        long size1 = Files.size(file1);
        TestChunks.flipByte(file1, 0);
        List<HeadChunkRepair> repairs = new ArrayList<>();
        try (HeadChunkReader r = HeadChunkReader.open(dir())) {
            assertThat(replay(r, repairs)).containsExactlyElementsOf(written.stream().filter(x -> HeadChunkFormat.fileSeq(x.ref()) != 1).toList());
        }
        assertThat(repairs).singleElement().satisfies(rep -> {
            assertThat(rep.action()).isEqualTo(HeadChunkRepair.Action.EMPTIED);
            assertThat(rep.droppedBytes()).isEqualTo(size1);
            assertThat(rep.reason()).contains("bad magic");
        });
        assertThat(Files.readAllBytes(file1)).containsExactly(0x01, 0x30, 0xBC - 256, 0x91 - 256, 1, 0, 0, 0);
    }

    @Test
    void replay_missingDirectory_isEmpty() throws IOException {
        try (HeadChunkReader r = HeadChunkReader.open(dir())) {
            assertThat(r.replay((a, b, c, d, e, f) -> {
                throw new AssertionError("no chunks");
            })).isEmpty();
        }
    }

    @Test
    void chunk_badRef_isCorruption() throws IOException {
        try (HeadChunkWriter w = new HeadChunkWriter(dir())) {
            write(w, new Random(11), 1, new ArrayList<>());
        }
        try (HeadChunkReader r = HeadChunkReader.open(dir())) {
            r.replay((a, b, c, d, e, f) -> {});
            assertThatThrownBy(() -> r.chunk(HeadChunkFormat.ref(9, 8))).isInstanceOf(CorruptionException.class).hasMessageContaining("missing file 000009");
            assertThatThrownBy(() -> r.chunk(HeadChunkFormat.ref(1, 1 << 20))).isInstanceOf(CorruptionException.class).hasMessageContaining("outside");
        }
    }

    @Test
    void writer_rejectsSeriesRefZero() throws IOException {
        try (HeadChunkWriter w = new HeadChunkWriter(dir())) {
            assertThatThrownBy(() -> w.write(0, 1, 2, XorChunk.create())).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void close_releasesMappings() throws IOException {
        assumeTrue(TestChunks.canCheckMappings(), "needs /proc/self/maps (Linux) to see mappings");
        try (HeadChunkWriter w = new HeadChunkWriter(dir())) {
            write(w, new Random(12), 2, new ArrayList<>());
        }
        Path file = dir().resolve("000001");
        HeadChunkReader r = HeadChunkReader.open(dir());
        assertThat(TestChunks.isMapped(file)).isTrue();
        r.close();
        assertThat(TestChunks.isMapped(file)).isFalse();
        assertThatThrownBy(() -> r.chunk(HeadChunkFormat.ref(1, 8))).isInstanceOf(IllegalStateException.class);
    }
}

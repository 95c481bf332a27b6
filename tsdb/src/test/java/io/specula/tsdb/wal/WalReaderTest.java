package io.specula.tsdb.wal;

import static io.specula.tsdb.wal.WalFormat.PAGE_SIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.tsdb.encoding.CorruptionException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WalReaderTest {
    @TempDir
    Path dir;

    /** Records of random sizes: mostly small, some spanning pages, some compressible. */
    static List<byte[]> randomRecords(Random rnd, int n) {
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int len = switch (rnd.nextInt(10)) {
                case 0 -> 0;
                case 1 -> PAGE_SIZE - WalFormat.HEADER_SIZE; // exactly one page
                case 2 -> rnd.nextInt(3 * PAGE_SIZE);
                default -> rnd.nextInt(2000);
            };
            byte[] b = new byte[len];
            if (rnd.nextBoolean()) {
                rnd.nextBytes(b);
            } else {
                int alphabet = 1 + rnd.nextInt(8);
                for (int j = 0; j < len; j++) {
                    b[j] = (byte) rnd.nextInt(alphabet);
                }
            }
            out.add(b);
        }
        return out;
    }

    static List<byte[]> readAll(WalReader r) throws IOException {
        List<byte[]> out = new ArrayList<>();
        while (r.next()) {
            out.add(r.recordCopy());
        }
        return out;
    }

    static Stream<Arguments> configurations() {
        return Stream.of(
                Arguments.of(1, 4 * PAGE_SIZE, false),
                Arguments.of(2, 4 * PAGE_SIZE, true),
                Arguments.of(3, PAGE_SIZE, true),
                Arguments.of(4, 64 * PAGE_SIZE, false));
    }

    @ParameterizedTest(name = "seed {0}, segment {1}, snappy {2}")
    @MethodSource("configurations")
    void next_thousandsOfRecords_roundTripAcrossSegmentsAndReopens(int seed, int segmentSize, boolean snappy) throws IOException {
        Random rnd = new Random(seed);
        List<byte[]> records = randomRecords(rnd, 3000);
        WalWriter.Options options = WalWriter.Options.defaults().withSegmentSize(segmentSize).withSnappy(snappy);
        int i = 0;
        while (i < records.size()) {
            try (WalWriter w = WalWriter.open(dir, options)) { // each reopen starts a new segment
                int batchEnd = Math.min(records.size(), i + 1 + rnd.nextInt(800));
                for (; i < batchEnd; i++) {
                    byte[] r = records.get(i);
                    if (rnd.nextInt(3) == 0) {
                        w.log(r, 0, r.length);
                    } else {
                        w.append(r, 0, r.length);
                    }
                }
                if (rnd.nextBoolean()) {
                    w.nextSegment();
                }
            }
        }
        try (WalReader r = WalReader.open(dir)) {
            List<byte[]> read = readAll(r);
            assertThat(read).hasSameSizeAs(records);
            for (int k = 0; k < records.size(); k++) {
                assertThat(read.get(k)).as("record %d", k).containsExactly(records.get(k));
            }
            assertThat(r.compressedRecords() > 0).isEqualTo(snappy);
        }
    }

    @Test
    void next_partialLastPage_readsAsPadding() throws IOException {
        WalWriter w = WalWriter.open(dir);
        w.log(new byte[] {1, 2, 3}, 0, 3);
        w.log(new byte[] {4}, 0, 1);
        // no close: the segment ends inside its first page, as after a crash
        try (WalReader r = WalReader.open(dir)) {
            assertThat(readAll(r)).hasSize(2);
            assertThat(r.file()).isEqualTo(dir.resolve("00000000"));
        }
        w.close();
    }

    @Test
    void next_emptyDirectoryAndEmptySegments_noRecords() throws IOException {
        try (WalReader r = WalReader.open(dir)) {
            assertThat(r.next()).isFalse();
        }
        WalWriter.open(dir).close();
        WalWriter.open(dir).close();
        try (WalReader r = WalReader.open(dir)) {
            assertThat(r.next()).isFalse();
            assertThat(r.files()).hasSize(2);
        }
    }

    @Test
    void open_range_readsOnlyThoseSegments() throws IOException {
        try (WalWriter w = WalWriter.open(dir)) {
            for (int s = 0; s < 4; s++) {
                w.log(new byte[] {(byte) s}, 0, 1);
                w.nextSegment();
            }
        }
        try (WalReader r = WalReader.open(dir, 1, 2)) {
            List<byte[]> read = readAll(r);
            assertThat(read).hasSize(2);
            assertThat(read.get(0)).containsExactly(1);
            assertThat(read.get(1)).containsExactly(2);
        }
    }

    /** Writes records into a few small segments; returns them, the last record's start and end. */
    private List<byte[]> writeForTornTail(boolean snappy, long[] lastRecord) throws IOException {
        Random rnd = new Random(snappy ? 7 : 8);
        List<byte[]> records = randomRecords(rnd, 200);
        byte[] last = new byte[2 * PAGE_SIZE + 500]; // spans three pages: torn points hit every fragment
        for (int i = 0; i < last.length; i++) {
            last[i] = (byte) (snappy ? i % 7 : rnd.nextInt());
        }
        records.add(last);
        try (WalWriter w = WalWriter.open(dir, WalWriter.Options.defaults().withSegmentSize(8 * PAGE_SIZE).withSnappy(snappy))) {
            for (byte[] r : records) {
                w.log(r, 0, r.length);
            }
        }
        try (WalReader r = WalReader.open(dir)) {
            while (r.next()) {
                lastRecord[0] = r.recordOffset();
            }
            lastRecord[1] = r.segmentIndex();
        }
        Path seg = SegmentFiles.path(dir, (int) lastRecord[1]);
        // The record ends where the close() padding begins: the last non-zero byte + 1.
        byte[] b = Files.readAllBytes(seg);
        int end = b.length;
        while (end > 0 && b[end - 1] == 0) {
            end--;
        }
        lastRecord[2] = end;
        return records;
    }

    @ParameterizedTest(name = "snappy {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void next_tornTailAtSampledOffsets_reportsRecordStartAndRepairKeepsEarlierRecords(boolean snappy) throws IOException {
        long[] last = new long[3];
        List<byte[]> records = writeForTornTail(snappy, last);
        long start = last[0];
        int segment = (int) last[1];
        long end = last[2];
        Path seg = SegmentFiles.path(dir, segment);
        byte[] original = Files.readAllBytes(seg);
        Random rnd = new Random(99);
        List<Long> cuts = new ArrayList<>(List.of(start + 1, start + 6, start + 7, end - 1));
        for (long p = (start / PAGE_SIZE + 1) * PAGE_SIZE; p < end; p += PAGE_SIZE) {
            cuts.add(p); // exactly between two fragments of the record
            cuts.add(p + 3); // inside the next fragment's header
        }
        for (int i = 0; i < 40; i++) {
            cuts.add(start + 1 + (long) rnd.nextInt((int) (end - start - 1)));
        }
        for (long cut : cuts) {
            Files.write(seg, java.util.Arrays.copyOf(original, (int) cut));
            try (WalReader r = WalReader.open(dir)) {
                int n = 0;
                CorruptionException err = null;
                try {
                    while (r.next()) {
                        n++;
                    }
                } catch (CorruptionException e) {
                    err = e;
                }
                assertThat(err).as("cut at %d", cut).isNotNull();
                assertThat(err.file()).isEqualTo(seg.toString());
                assertThat(err.offset()).as("cut at %d: %s", cut, err.getMessage()).isEqualTo(start);
                assertThat(n).isEqualTo(records.size() - 1);
            }
        }
        // Repair the last cut: everything before the torn record stays readable.
        CorruptionException err;
        try (WalReader r = WalReader.open(dir)) {
            err = expectCorruption(r);
        }
        WalRepair.Result res = WalRepair.repair(dir, err);
        assertThat(res.segment()).isEqualTo(segment);
        assertThat(res.offset()).isEqualTo(start);
        assertThat(Files.size(seg)).isEqualTo(start);
        try (WalReader r = WalReader.open(dir)) {
            List<byte[]> read = readAll(r);
            assertThat(read).hasSize(records.size() - 1);
            for (int k = 0; k < read.size(); k++) {
                assertThat(read.get(k)).containsExactly(records.get(k));
            }
        }
        // A writer after the repair continues in a new segment.
        try (WalWriter w = WalWriter.open(dir)) {
            assertThat(w.segmentIndex()).isEqualTo(segment + 1);
            w.log(new byte[] {42}, 0, 1);
        }
        try (WalReader r = WalReader.open(dir)) {
            List<byte[]> read = readAll(r);
            assertThat(read.getLast()).containsExactly(42);
        }
    }

    private static CorruptionException expectCorruption(WalReader r) throws IOException {
        try {
            while (r.next()) {
                // skip the intact records
            }
        } catch (CorruptionException e) {
            return e;
        }
        throw new AssertionError("no corruption reported");
    }

    /** Three segments of 20 records each; returns the offset of record {@code target} in segment 1. */
    private long writeThreeSegments(int target) throws IOException {
        long offset = -1;
        try (WalWriter w = WalWriter.open(dir)) {
            for (int s = 0; s < 3; s++) {
                for (int i = 0; i < 20; i++) {
                    byte[] r = new byte[300 + i];
                    java.util.Arrays.fill(r, (byte) (s * 20 + i + 1));
                    if (s == 1 && i == target) {
                        offset = w.segmentOffset();
                    }
                    w.log(r, 0, r.length);
                }
                w.nextSegment();
            }
        }
        return offset;
    }

    private static void flipByte(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x40);
        }
    }

    @Test
    void next_corruptChecksum_reportsSegmentAndRecordStart_repairDropsLaterSegments() throws IOException {
        long offset = writeThreeSegments(5);
        Path seg1 = SegmentFiles.path(dir, 1);
        flipByte(seg1, offset + WalFormat.HEADER_SIZE + 100);
        CorruptionException err;
        try (WalReader r = WalReader.open(dir)) {
            err = expectCorruption(r);
            assertThat(r.records()).isEqualTo(25);
            assertThat(r.segmentIndex()).isEqualTo(1);
        }
        assertThat(err.file()).isEqualTo(seg1.toString());
        assertThat(err.offset()).isEqualTo(offset);
        assertThat(err.getMessage()).contains("checksum");

        long seg2Size = Files.size(SegmentFiles.path(dir, 2));
        long seg3Size = Files.size(SegmentFiles.path(dir, 3));
        long seg1Size = Files.size(seg1);
        WalRepair.Result res = WalRepair.repair(dir, err);
        assertThat(res.deletedSegments()).containsExactly(SegmentFiles.path(dir, 2), SegmentFiles.path(dir, 3));
        assertThat(res.droppedBytes()).isEqualTo(seg1Size - offset + seg2Size + seg3Size);
        assertThat(SegmentFiles.list(dir)).containsExactly(0, 1);
        try (WalReader r = WalReader.open(dir)) {
            List<byte[]> read = readAll(r);
            assertThat(read).hasSize(25);
            assertThat(read.getLast()[0]).isEqualTo((byte) 25);
        }
    }

    @Test
    void next_corruptHeaderType_reportsCorruption() throws IOException {
        long offset = writeThreeSegments(3);
        try (FileChannel ch = FileChannel.open(SegmentFiles.path(dir, 1), StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {WalFormat.MIDDLE}), offset);
        }
        try (WalReader r = WalReader.open(dir)) {
            CorruptionException e = expectCorruption(r);
            assertThat(e.offset()).isEqualTo(offset);
            assertThat(e.getMessage()).contains("type middle where a record must start");
        }
    }

    @Test
    void next_lengthOverrunningPage_reportsCorruption() throws IOException {
        long offset = writeThreeSegments(0);
        try (FileChannel ch = FileChannel.open(SegmentFiles.path(dir, 1), StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xF0}), offset + 1);
        }
        try (WalReader r = WalReader.open(dir)) {
            assertThat(expectCorruption(r).getMessage()).contains("overruns its page");
        }
    }

    @Test
    void next_nonZeroPadding_reportsCorruption() throws IOException {
        writeThreeSegments(0);
        Path seg0 = SegmentFiles.path(dir, 0);
        flipByte(seg0, PAGE_SIZE - 10); // segment 0 was padded by nextSegment()
        try (WalReader r = WalReader.open(dir)) {
            CorruptionException e = expectCorruption(r);
            assertThat(e.getMessage()).contains("padding");
            assertThat(e.file()).isEqualTo(seg0.toString());
        }
    }

    @Test
    void next_zstdRecord_unsupportedNotCorrupt() throws IOException {
        long offset = writeThreeSegments(2);
        try (FileChannel ch = FileChannel.open(SegmentFiles.path(dir, 1), StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {WalFormat.FULL | WalFormat.ZSTD_FLAG}), offset);
        }
        try (WalReader r = WalReader.open(dir)) {
            assertThatThrownBy(() -> readAll(r))
                    .isInstanceOf(UnsupportedWalFormatException.class)
                    .isNotInstanceOf(CorruptionException.class)
                    .hasMessageContaining("zstd WAL compression not supported");
        }
    }

    @Test
    void next_garbageWithZstdBit_isCorruptionNotUnsupported() throws IOException {
        // A torn tail of random bytes may have the zstd bit in its first byte; its checksum
        // cannot match, so it must be repairable corruption, not a refusal to start.
        long offset = writeThreeSegments(2);
        try (FileChannel ch = FileChannel.open(SegmentFiles.path(dir, 1), StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {WalFormat.FULL | WalFormat.ZSTD_FLAG, 0, 3, 1, 2, 3, 4, 9, 9, 9}), offset);
        }
        try (WalReader r = WalReader.open(dir)) {
            CorruptionException e = expectCorruption(r);
            assertThat(e.getMessage()).contains("checksum");
        }
    }

    @Test
    void next_corruptSnappyRecord_reportsCorruption() throws IOException {
        // A valid fragment (checksum right) whose snappy block is malformed.
        byte[] block = {0x05, 0x00, 'a', 0x01, 0x02};
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(block);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(WalFormat.HEADER_SIZE + block.length);
        b.put((byte) (WalFormat.FULL | WalFormat.SNAPPY_FLAG)).putShort((short) block.length).putInt((int) crc.getValue()).put(block);
        Files.write(dir.resolve("00000000"), b.array());
        try (WalReader r = WalReader.open(dir)) {
            CorruptionException e = expectCorruption(r);
            assertThat(e.offset()).isZero();
            assertThat(e.getMessage()).contains("compressed record").contains("copy offset 2");
        }
    }

    @Test
    void segmentFiles_gap_rejected() throws IOException {
        Files.createFile(dir.resolve("00000000"));
        Files.createFile(dir.resolve("00000002"));
        Files.createFile(dir.resolve("not-a-segment"));
        assertThatThrownBy(() -> WalReader.open(dir)).hasMessageContaining("not sequential");
    }

    @Test
    void repair_corruptionOutsideWal_refused() throws IOException {
        Files.createDirectories(dir.resolve("wal"));
        CorruptionException e = new CorruptionException(dir.resolve("checkpoint.00000001/00000000").toString(), 0, "x");
        assertThatThrownBy(() -> WalRepair.repair(dir.resolve("wal"), e)).hasMessageContaining("not a segment of");
    }
}

package io.specula.tsdb.wal;

import static io.specula.tsdb.wal.WalFormat.FIRST;
import static io.specula.tsdb.wal.WalFormat.FULL;
import static io.specula.tsdb.wal.WalFormat.HEADER_SIZE;
import static io.specula.tsdb.wal.WalFormat.LAST;
import static io.specula.tsdb.wal.WalFormat.MIDDLE;
import static io.specula.tsdb.wal.WalFormat.PAGE_SIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page and fragment layout the writer produces, checked byte by byte. */
class WalWriterTest {
    private static final int PAYLOAD = PAGE_SIZE - HEADER_SIZE; // most data one fragment carries

    @TempDir
    Path dir;

    /** A fragment as found in a segment file. */
    record Fragment(long offset, int header, int length) {
        int type() {
            return header & WalFormat.TYPE_MASK;
        }
    }

    /** Parses the fragment headers of a segment independently of WalReader. */
    static List<Fragment> fragments(Path segment) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(segment));
        List<Fragment> out = new ArrayList<>();
        int pos = 0;
        while (pos < b.limit()) {
            int h = b.get(pos) & 0xFF;
            if (h == 0) {
                pos = Math.min(b.limit(), (pos / PAGE_SIZE + 1) * PAGE_SIZE);
                continue;
            }
            int len = b.getShort(pos + 1) & 0xFFFF;
            out.add(new Fragment(pos, h, len));
            pos += HEADER_SIZE + len;
        }
        return out;
    }

    static byte[] filled(int len, int seed) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (seed + i * 31);
        }
        return b;
    }

    private static int crc(byte[] b) {
        CRC32C c = new CRC32C();
        c.update(b);
        return (int) c.getValue();
    }

    @Test
    void log_smallRecords_writesFullFragmentsAndFlushesPartialPage() throws IOException {
        WalWriter w = WalWriter.open(dir);
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        byte[] de = "de".getBytes(StandardCharsets.US_ASCII);
        w.log(abc, de);
        ByteBuffer expected = ByteBuffer.allocate(19);
        expected.put((byte) FULL).putShort((short) 3).putInt(crc(abc)).put(abc);
        expected.put((byte) FULL).putShort((short) 2).putInt(crc(de)).put(de);
        Path seg = dir.resolve("00000000");
        assertThat(Files.readAllBytes(seg)).containsExactly(expected.array());
        w.close();
        byte[] closed = Files.readAllBytes(seg);
        assertThat(closed).hasSize(PAGE_SIZE);
        for (int i = 19; i < PAGE_SIZE; i++) {
            assertThat(closed[i]).isZero();
        }
    }

    @Test
    void append_withoutFlush_writesOnlyCompletePages() throws IOException {
        try (WalWriter w = WalWriter.open(dir)) {
            w.append(new byte[100], 0, 100);
            assertThat(Files.size(dir.resolve("00000000"))).isZero();
            w.append(filled(PAGE_SIZE, 1), 0, PAGE_SIZE);
            assertThat(Files.size(dir.resolve("00000000"))).isEqualTo(PAGE_SIZE);
            w.flush();
            // The big record's first fragment filled page 0; its last one carries the 114 bytes left.
            int rest = PAGE_SIZE - (PAGE_SIZE - 107 - HEADER_SIZE);
            assertThat(Files.size(dir.resolve("00000000"))).isEqualTo(PAGE_SIZE + HEADER_SIZE + rest);
        }
    }

    @Test
    void append_recordLargerThanPage_splitsIntoFirstMiddleLast() throws IOException {
        int len = 3 * PAYLOAD + 1717;
        try (WalWriter w = WalWriter.open(dir)) {
            w.log(filled(len, 3), 0, len);
        }
        assertThat(fragments(dir.resolve("00000000"))).containsExactly(
                new Fragment(0, FIRST, PAYLOAD),
                new Fragment(PAGE_SIZE, MIDDLE, PAYLOAD),
                new Fragment(2L * PAGE_SIZE, MIDDLE, PAYLOAD),
                new Fragment(3L * PAGE_SIZE, LAST, 1717));
    }

    @Test
    void append_exactlyFittingRecord_fillsPageWithoutPadding() throws IOException {
        try (WalWriter w = WalWriter.open(dir)) {
            w.log(filled(PAYLOAD, 1), 0, PAYLOAD);
            w.log(filled(10, 2), 0, 10);
        }
        assertThat(fragments(dir.resolve("00000000"))).containsExactly(
                new Fragment(0, FULL, PAYLOAD),
                new Fragment(PAGE_SIZE, FULL, 10));
    }

    @Test
    void append_exactlyHeaderSizeLeft_padsBeforeDataButFitsEmptyRecord() throws IOException {
        int first = PAYLOAD - HEADER_SIZE; // leaves exactly 7 bytes in the page
        try (WalWriter w = WalWriter.open(dir)) {
            w.log(filled(first, 1), 0, first);
            w.log(new byte[0], 0, 0); // an empty record still fits its header
            w.log(filled(first, 1), 0, first);
            w.log(filled(5, 2), 0, 5); // no room for data: padding, then the next page
        }
        assertThat(fragments(dir.resolve("00000000"))).containsExactly(
                new Fragment(0, FULL, first),
                new Fragment(PAGE_SIZE - HEADER_SIZE, FULL, 0),
                new Fragment(PAGE_SIZE, FULL, first),
                new Fragment(2L * PAGE_SIZE, FULL, 5));
    }

    @Test
    void append_lessThanHeaderLeft_completesPageAtOnce() throws IOException {
        int len = PAYLOAD - 5; // leaves 5 bytes: no header fits
        try (WalWriter w = WalWriter.open(dir)) {
            w.append(filled(len, 1), 0, len);
            assertThat(Files.size(dir.resolve("00000000"))).isEqualTo(PAGE_SIZE); // written without flush
        }
    }

    @Test
    void append_segmentFull_cutsNewSegmentAndNeverSplitsRecords() throws IOException {
        int segmentSize = 3 * PAGE_SIZE;
        int len = 20_000;
        try (WalWriter w = WalWriter.open(dir, WalWriter.Options.defaults().withSegmentSize(segmentSize))) {
            for (int i = 0; i < 12; i++) {
                w.log(filled(len, i), 0, len);
            }
            assertThat(w.segmentIndex()).isGreaterThan(0);
        }
        int[] segs = SegmentFiles.list(dir);
        assertThat(segs.length).isGreaterThan(2);
        for (int s : segs) {
            Path p = SegmentFiles.path(dir, s);
            assertThat(Files.size(p)).isLessThanOrEqualTo(segmentSize);
            List<Fragment> f = fragments(p);
            assertThat(f.getFirst().type()).isIn(FULL, FIRST);
            assertThat(f.getLast().type()).isIn(FULL, LAST);
        }
    }

    @Test
    void append_recordLargerThanSegment_getsOversizedSegmentOfItsOwn() throws IOException {
        int segmentSize = 2 * PAGE_SIZE;
        try (WalWriter w = WalWriter.open(dir, WalWriter.Options.defaults().withSegmentSize(segmentSize))) {
            w.log(filled(100, 1), 0, 100);
            w.log(filled(200_000, 2), 0, 200_000);
            w.log(filled(100, 3), 0, 100);
        }
        assertThat(SegmentFiles.list(dir)).containsExactly(0, 1, 2);
        assertThat(Files.size(SegmentFiles.path(dir, 1))).isGreaterThan(segmentSize);
        assertThat(fragments(SegmentFiles.path(dir, 2))).containsExactly(new Fragment(0, FULL, 100));
    }

    @Test
    void open_existingSegments_startsAfterTheLast() throws IOException {
        try (WalWriter w = WalWriter.open(dir)) {
            w.log(filled(10, 1), 0, 10);
            assertThat(w.nextSegment()).isEqualTo(1);
        }
        try (WalWriter w = WalWriter.open(dir)) {
            assertThat(w.segmentIndex()).isEqualTo(2);
        }
        assertThat(SegmentFiles.list(dir)).containsExactly(0, 1, 2);
    }

    @Test
    void nextSegment_padsLastPage() throws IOException {
        try (WalWriter w = WalWriter.open(dir)) {
            w.log(filled(10, 1), 0, 10);
            w.nextSegment();
            w.log(filled(10, 1), 0, 10);
        }
        assertThat(Files.size(SegmentFiles.path(dir, 0))).isEqualTo(PAGE_SIZE);
    }

    @Test
    void snappy_compressibleRecord_setsFlagOnEveryFragment() throws IOException {
        byte[] text = "up{job=\"node\",instance=\"host:9100\"} 1\n".repeat(20_000).getBytes(StandardCharsets.US_ASCII);
        byte[] noise = new byte[200];
        new java.util.Random(1).nextBytes(noise);
        try (WalWriter w = WalWriter.open(dir, WalWriter.Options.defaults().withSnappy(true))) {
            w.log(text, noise);
        }
        List<Fragment> f = fragments(dir.resolve("00000000"));
        assertThat(f.getLast().header()).isEqualTo(FULL); // noise does not compress: stored raw
        List<Fragment> compressed = f.subList(0, f.size() - 1);
        assertThat(compressed).allSatisfy(x -> assertThat(x.header() & WalFormat.SNAPPY_FLAG).isNotZero());
        int total = compressed.stream().mapToInt(Fragment::length).sum();
        assertThat(total).isLessThan(text.length / 10);
    }

    @Test
    void syncPolicyFlush_logsAndReadsBack() throws IOException {
        try (WalWriter w = WalWriter.open(dir, WalWriter.Options.defaults().withSync(WalWriter.SyncPolicy.FLUSH)
                .withSegmentSize(PAGE_SIZE))) {
            for (int i = 0; i < 10; i++) {
                w.log(filled(20_000, i), 0, 20_000);
            }
        }
        try (WalReader r = WalReader.open(dir)) {
            int n = 0;
            while (r.next()) {
                assertThat(r.recordCopy()).containsExactly(filled(20_000, n++));
            }
            assertThat(n).isEqualTo(10);
        }
    }

    @Test
    void close_thenLog_fails() throws IOException {
        WalWriter w = WalWriter.open(dir);
        w.close();
        w.close(); // idempotent
        assertThatThrownBy(() -> w.log(new byte[1], 0, 1)).isInstanceOf(IOException.class).hasMessageContaining("closed");
    }

    @Test
    void options_segmentSizeNotPageMultiple_rejected() {
        assertThatThrownBy(() -> WalWriter.Options.defaults().withSegmentSize(PAGE_SIZE + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

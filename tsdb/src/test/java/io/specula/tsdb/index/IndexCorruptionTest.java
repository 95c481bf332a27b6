package io.specula.tsdb.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.specula.model.labels.LabelsBuilder;
import io.specula.tsdb.encoding.CorruptionException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every byte of a small index, flipped in turn: full verification must report a
 * {@link CorruptionException} naming the file and an offset inside it, and plain reading
 * must never fail with anything else.
 */
class IndexCorruptionTest {
    @TempDir
    Path dir;

    private byte[] smallIndex() throws IOException {
        return smallIndex(true);
    }

    private byte[] smallIndex(boolean labelIndices) throws IOException {
        Path file = dir.resolve("index");
        TestIndex.write(file, TestIndex.randomSeries(7, 40), labelIndices);
        return Files.readAllBytes(file);
    }

    @ParameterizedTest(name = "label indices: {0}")
    @ValueSource(booleans = {true, false})
    void verifyChecksums_anyFlippedByte_reportsFileAndOffset(boolean labelIndices) throws IOException {
        byte[] good = smallIndex(labelIndices);
        IndexFileReader.of(MemorySegment.ofArray(good), "01TEST/index").verifyChecksums();
        Random rnd = new Random(11);
        for (int pos = 0; pos < good.length; pos++) {
            byte[] bad = good.clone();
            bad[pos] ^= (byte) (1 + rnd.nextInt(255));
            try {
                IndexFileReader r = IndexFileReader.of(MemorySegment.ofArray(bad), "01TEST/index");
                r.verifyChecksums();
                fail("flipped byte at " + pos + " of " + good.length + " went unnoticed");
            } catch (CorruptionException e) {
                assertThat(e.file()).isEqualTo("01TEST/index");
                assertThat(e.offset()).as("offset for a flip at %d", pos).isBetween(0L, (long) good.length);
                assertThat(e.getMessage()).startsWith("01TEST/index: offset " + e.offset() + ": ");
            }
        }
    }

    @Test
    void reading_anyFlippedByte_failsOnlyWithCorruptionException() throws IOException {
        byte[] good = smallIndex();
        Random rnd = new Random(12);
        int detected = 0;
        for (int pos = 0; pos < good.length; pos++) {
            byte[] bad = good.clone();
            bad[pos] ^= (byte) (1 << rnd.nextInt(8));
            try {
                readEverything(IndexFileReader.of(MemorySegment.ofArray(bad), "idx"));
            } catch (CorruptionException e) {
                detected++;
                assertThat(e.file()).isEqualTo("idx");
            } catch (Throwable t) {
                throw new AssertionError("flip at " + pos + " raised " + t, t);
            }
        }
        // Flips in padding and in sections only verification reads (label indices, CRCs of
        // postings) pass plain reading; most others must be caught.
        assertThat(detected).isGreaterThan(good.length / 2);
    }

    private static void readEverything(IndexFileReader r) throws IOException {
        for (var it = r.symbols(); it.hasNext(); ) {
            it.next();
        }
        LabelsBuilder b = new LabelsBuilder();
        ChunkMetas c = new ChunkMetas();
        for (String name : r.labelNames()) {
            for (String value : r.labelValues(name)) {
                drain(r.postings(name, value));
            }
            drain(r.postingsForLabelMatching(name, "v", v -> true));
        }
        Postings all = r.allPostings();
        while (all.next()) {
            r.series(all.at(), b, c);
        }
        if (all.err() != null) {
            throw all.err();
        }
    }

    private static void drain(Postings p) throws IOException {
        while (p.next()) {
            // nothing
        }
        if (p.err() != null) {
            throw p.err();
        }
    }

    @Test
    void open_truncatedOrForeignFile_namesTheFile() throws IOException {
        Path file = dir.resolve("index");
        Files.write(file, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> IndexReader.open(file)).isInstanceOf(CorruptionException.class)
                .hasMessage(file + ": offset 0: file too small for an index: 3 bytes");
        byte[] good = smallIndex();
        Files.write(file, java.util.Arrays.copyOf(good, good.length - 1));
        assertThatThrownBy(() -> IndexReader.open(file)).isInstanceOf(CorruptionException.class)
                .hasMessageContaining(file + ": offset ");
        good[4] = 1;
        Files.write(file, good);
        assertThatThrownBy(() -> IndexReader.open(file)).hasMessageContaining("offset 4: index format version 1");
    }

    @Test
    void series_badReference_isCorruptionNotCrash() throws IOException {
        byte[] good = smallIndex();
        IndexFileReader r = IndexFileReader.of(MemorySegment.ofArray(good), "idx");
        LabelsBuilder b = new LabelsBuilder();
        ChunkMetas c = new ChunkMetas();
        for (long ref : new long[] {-1, 0, 1, Long.MAX_VALUE, 1L << 40, good.length / 16 + 1}) {
            assertThatThrownBy(() -> r.series(ref, b, c)).isInstanceOf(CorruptionException.class);
        }
    }

    @Test
    void close_releasesTheMappingDeterministically() throws IOException {
        Path file = dir.resolve("index");
        TestIndex.write(file, TestIndex.randomSeries(3, 10));
        IndexFileReader r = IndexReader.open(file);
        Postings p = r.allPostings();
        r.close();
        r.close(); // idempotent
        assertThatThrownBy(p::next).isInstanceOf(IllegalStateException.class); // unmapped, not a stale read
        Files.delete(file);
    }
}

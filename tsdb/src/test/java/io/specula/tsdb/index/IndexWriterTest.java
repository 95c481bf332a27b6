package io.specula.tsdb.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.tsdb.encoding.ByteArrayDataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexWriterTest {
    @TempDir
    Path dir;

    /** Builds the expected file byte by byte from tsdb/docs/format/index.md; CRCs from the JDK. */
    private static final class Expected {
        final ByteArrayDataOutput b = new ByteArrayDataOutput();

        Expected bytes(int... v) {
            for (int x : v) {
                b.writeByte(x);
            }
            return this;
        }

        Expected be32(int v) {
            b.writeBE32(v);
            return this;
        }

        Expected str(String s) {
            byte[] u = s.getBytes(StandardCharsets.UTF_8);
            b.writeByte(u.length);
            b.writeBytes(u);
            return this;
        }

        Expected crcFrom(int from) {
            CRC32C c = new CRC32C();
            c.update(b.array(), from, b.size() - from);
            return be32((int) c.getValue());
        }

        Expected zerosTo(int pos) {
            while (b.size() < pos) {
                b.writeByte(0);
            }
            return this;
        }

        int pos() {
            return b.size();
        }
    }

    @Test
    void write_tinyIndex_matchesHandCheckedBytes() throws IOException {
        Path file = dir.resolve("index");
        try (IndexWriter w = IndexWriter.create(file)) {
            for (String s : new String[] {"__name__", "a", "job", "up"}) {
                w.addSymbol(s);
            }
            assertThat(w.addSeries(Labels.of("__name__", "up", "job", "a"), new ChunkMetas().add(8, 1000, 2000))).isEqualTo(3);
        }

        Expected e = new Expected();
        e.be32(0xBAAAD700).bytes(2);                               // header: magic, version 2
        assertThat(e.pos()).isEqualTo(5);
        e.be32(22).be32(4).str("__name__").str("a").str("job").str("up").crcFrom(9); // symbols 0..3
        assertThat(e.pos()).isEqualTo(35);
        e.zerosTo(48);                                             // series 16-byte aligned: ID 48/16 = 3
        e.bytes(11);                                               // len
        e.bytes(2, 0, 3, 2, 1);                                    // 2 labels: __name__=up, job=a (symbol refs)
        e.bytes(1, 0xD0, 0x0F, 0xE8, 0x07, 0x08);                  // 1 chunk: mint 1000 (zig-zag), maxt-mint 1000, ref 8
        e.crcFrom(49);
        assertThat(e.pos()).isEqualTo(64);
        e.be32(12).be32(1).be32(1).be32(3).crcFrom(68);            // label index __name__: values [up]
        e.be32(12).be32(1).be32(1).be32(1).crcFrom(88);            // label index job: values [a]
        assertThat(e.pos()).isEqualTo(104);
        e.be32(8).be32(1).be32(3).crcFrom(108);                    // postings "" = "": [3]
        e.be32(8).be32(1).be32(3).crcFrom(124);                    // postings __name__="up": [3]
        e.be32(8).be32(1).be32(3).crcFrom(140);                    // postings job="a": [3]
        assertThat(e.pos()).isEqualTo(152);
        e.be32(21).be32(2);                                        // label offset table
        e.bytes(1).str("__name__").bytes(64);
        e.bytes(1).str("job").bytes(84);
        e.crcFrom(156);
        assertThat(e.pos()).isEqualTo(181);
        e.be32(31).be32(3);                                        // postings offset table
        e.bytes(2).str("").str("").bytes(104);
        e.bytes(2).str("__name__").str("up").bytes(120);
        e.bytes(2).str("job").str("a").bytes(0x88, 0x01);          // 136 as uvarint
        e.crcFrom(185);
        assertThat(e.pos()).isEqualTo(220);
        int toc = e.pos();                                         // TOC
        e.b.writeBE64(5);
        e.b.writeBE64(35);   // series: where the section starts, before padding
        e.b.writeBE64(64);
        e.b.writeBE64(152);
        e.b.writeBE64(104);
        e.b.writeBE64(181);
        e.crcFrom(toc);

        assertThat(Files.readAllBytes(file)).containsExactly(e.b.toByteArray());
        assertThat(Files.list(dir)).containsExactly(file); // temporary files gone
    }

    @Test
    void write_tinyIndex_readsBack() throws IOException {
        Path file = dir.resolve("index");
        try (IndexWriter w = IndexWriter.create(file)) {
            for (String s : new String[] {"__name__", "a", "job", "up"}) {
                w.addSymbol(s);
            }
            w.addSeries(Labels.of("__name__", "up", "job", "a"), new ChunkMetas().add(8, 1000, 2000));
        }
        try (IndexFileReader r = IndexReader.open(file)) {
            r.verifyChecksums();
            assertThat(r.labelNames()).containsExactly("__name__", "job");
            assertThat(r.labelValues("job")).containsExactly("a");
            assertThat(Postings.toArray(r.postings("job", "a"))).containsExactly(3);
            assertThat(Postings.toArray(r.allPostings())).containsExactly(3);
            LabelsBuilder b = new LabelsBuilder();
            ChunkMetas c = new ChunkMetas();
            r.series(3, b, c);
            assertThat(b.build()).isEqualTo(Labels.of("__name__", "up", "job", "a"));
            assertThat(c.size()).isEqualTo(1);
            assertThat(c.ref(0)).isEqualTo(8);
            assertThat(c.minTime(0)).isEqualTo(1000);
            assertThat(c.maxTime(0)).isEqualTo(2000);
        }
    }

    @Test
    void write_emptyIndex_isValid() throws IOException {
        Path file = dir.resolve("index");
        IndexWriter.create(file).close();
        try (IndexFileReader r = IndexReader.open(file)) {
            r.verifyChecksums();
            assertThat(r.labelNames()).isEmpty();
            assertThat(r.symbolCount()).isZero();
            assertThat(Postings.toArray(r.allPostings())).isEmpty();
            assertThat(r.labelValues("job")).isEmpty();
        }
    }

    @Test
    void addSymbol_outOfOrder_isRejectedAndWriterStaysUsable() throws IOException {
        try (IndexWriter w = IndexWriter.create(dir.resolve("index"))) {
            w.addSymbol("b");
            assertThatThrownBy(() -> w.addSymbol("a")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out-of-order");
            assertThatThrownBy(() -> w.addSymbol("b")).isInstanceOf(IllegalArgumentException.class);
            w.addSymbol("c");
        }
    }

    @Test
    void addSymbol_sortsByUtf8Bytes_notUtf16() throws IOException {
        try (IndexWriter w = IndexWriter.create(dir.resolve("index"))) {
            w.addSymbol("\uFF5E");       // U+FF5E: EF BD 9E
            w.addSymbol("\uD83D\uDE00"); // U+1F600: F0 9F 98 80, after it in UTF-8 though before it in UTF-16
        }
    }

    @Test
    void addSeries_invalidInput_isRejected() throws IOException {
        try (IndexWriter w = IndexWriter.create(dir.resolve("index"))) {
            w.addSymbol("a");
            w.addSymbol("b");
            w.addSymbol("x");
            w.addSeries(Labels.of("a", "b"), new ChunkMetas().add(100, 0, 10));
            assertThatThrownBy(() -> w.addSeries(Labels.of("a", "b"), new ChunkMetas()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out-of-order series");
            assertThatThrownBy(() -> w.addSeries(Labels.of("a", "zzz"), new ChunkMetas()))
                    .hasMessage("symbol entry for \"zzz\" does not exist");
            assertThatThrownBy(() -> w.addSeries(Labels.of("a", "x"), new ChunkMetas().add(99, 0, 10)))
                    .hasMessageContaining("unsorted chunk reference");
            assertThatThrownBy(() -> w.addSeries(Labels.of("a", "x"), new ChunkMetas().add(100, 0, 10).add(200, 10, 20)))
                    .hasMessageContaining("not higher than previous chunk maxT");
            assertThatThrownBy(() -> w.addSeries(Labels.of("a", "x"), new ChunkMetas().add(100, 10, 5)))
                    .hasMessageContaining("less than minT");
            assertThatThrownBy(() -> w.addSymbol("y")).isInstanceOf(IllegalStateException.class);
            w.addSeries(Labels.of("b", "x"), new ChunkMetas().add(100, 0, 10));
        }
        try (IndexFileReader r = IndexReader.open(dir.resolve("index"))) {
            r.verifyChecksums();
            assertThat(r.labelNames()).containsExactly("a", "b");
        }
    }

    @Test
    void abort_deletesTheFile() throws IOException {
        Path file = dir.resolve("index");
        IndexWriter w = IndexWriter.create(file);
        w.addSymbol("a");
        w.abort();
        assertThat(Files.list(dir)).isEmpty();
    }
}

package io.specula.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import io.specula.tsdb.block.Block;
import io.specula.tsdb.storage.Appender;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/** A block that cannot be opened is moved to corrupted/ and the database opens with the rest. */
class DBCorruptBlockTest {
    private static final long H = 3_600_000L;

    @TempDir
    Path dir;

    static Stream<Arguments> damages() {
        return Stream.of(
                Arguments.of("bad meta.json", (Consumer<Path>) b -> write(b.resolve("meta.json"), "{\"ulid\": 1"), "meta.json"),
                Arguments.of("missing meta.json", (Consumer<Path>) b -> delete(b.resolve("meta.json")), "meta.json"),
                Arguments.of("truncated index", (Consumer<Path>) b -> truncate(b.resolve(Block.INDEX), 100), "index"),
                Arguments.of("corrupt chunks/000001 header", (Consumer<Path>) b -> overwrite(b.resolve("chunks/000001"), 0), "000001"),
                Arguments.of("truncated chunks/000001", (Consumer<Path>) b -> truncate(b.resolve("chunks/000001"), 3), "000001"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damages")
    void open_quarantinesCorruptBlock_andKeepsTheRest(String name, Consumer<Path> damage, String mentioned) throws Exception {
        String ulid;
        try (DB db = DB.open(dir, new DB.Options(2 * H, 36 * H, 0, 0))) {
            for (long t = 0; t < 5 * H; t += 60_000) {
                Appender app = db.appender();
                for (int s = 0; s < 10; s++) {
                    app.append(0, Labels.of("__name__", "m", "s", Integer.toString(s)), t, t / 1000.0 + s);
                }
                app.commit();
            }
            assertThat(db.compact()).isEqualTo(1);
            ulid = db.blocks().getFirst().meta().ulid().toString();
        }
        damage.accept(dir.resolve(ulid));
        try (DB db = DB.open(dir, new DB.Options(2 * H, 36 * H, 0, 0))) {
            assertThat(db.blocks()).isEmpty();
            assertThat(db.corruptBlocks()).containsOnlyKeys(ulid);
            assertThat(db.corruptBlocks().get(ulid)).contains(mentioned).contains(dir.resolve("corrupted").resolve(ulid).toString());
            assertThat(dir.resolve(ulid)).doesNotExist();
            assertThat(dir.resolve("corrupted").resolve(ulid)).isDirectory();
            // The head's part (after the block) is still there: at least 3 h at 1/min per series (the WAL may still hold more).
            assertThat(DBTestSupport.counts(db, 0, 5 * H)).hasSize(10).allSatisfy((s, n) -> assertThat(n).isGreaterThanOrEqualTo(180));
        }
        try (DB db = DB.open(dir, new DB.Options(2 * H, 36 * H, 0, 0))) { // nothing to trip on any more
            assertThat(db.corruptBlocks()).isEmpty();
            assertThat(DBTestSupport.counts(db, 0, 5 * H)).hasSize(10);
        }
    }

    /** Damage inside the chunk data is not checked at open (it would read the whole block): the query that reads it fails clearly. */
    @org.junit.jupiter.api.Test
    void damagedChunkInsideOpenableBlock_failsOnlyTheQueryThatReadsIt_withFileAndOffset() throws Exception {
        try (DB db = DB.open(dir, new DB.Options(2 * H, 36 * H, 0, 0))) {
            for (long t = 0; t < 5 * H; t += 60_000) {
                Appender app = db.appender();
                for (int s = 0; s < 10; s++) {
                    app.append(0, Labels.of("__name__", "m", "s", Integer.toString(s)), t, t / 1000.0 + s);
                }
                app.commit();
            }
            db.compact();
        }
        Path block;
        try (Stream<Path> s = Files.list(dir)) {
            block = s.filter(p -> p.getFileName().toString().length() == 26).findFirst().orElseThrow();
        }
        // The first chunk starts right after the 8-byte segment header with its uvarint length: damage that.
        try (RandomAccessFile f = new RandomAccessFile(block.resolve("chunks/000001").toFile(), "rw")) {
            f.seek(9);
            f.write(0x7F);
        }
        try (DB db = DB.open(dir, new DB.Options(2 * H, 36 * H, 0, 0))) {
            assertThat(db.corruptBlocks()).isEmpty();
            assertThat(db.blocks()).hasSize(1);
            Exception err = null;
            try (var q = db.querier(0, 2 * H - 1)) {
                var set = q.select(true, null);
                while (set.next() && err == null) {
                    var it = set.at().iterator(null);
                    while (it.next() != io.specula.tsdb.storage.ValueType.NONE) {
                        // drain
                    }
                    err = it.err();
                }
            }
            assertThat(err).isNotNull().hasMessageContaining("chunks/000001").hasMessageContaining("offset 8");
        }
    }

    private static void write(Path p, String s) {
        try {
            Files.writeString(p, s);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void delete(Path p) {
        try {
            Files.delete(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void truncate(Path p, long size) {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(size);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void overwrite(Path p, long at) {
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.seek(at);
            f.write(new byte[] {0x12, 0x34, 0x56, 0x78});
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

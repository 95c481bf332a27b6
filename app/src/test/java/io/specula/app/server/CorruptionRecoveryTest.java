package io.specula.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import io.specula.tsdb.DB;
import io.specula.tsdb.storage.Appender;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real server started on a damaged data directory: it repairs or quarantines, logs one line,
 * counts it, becomes ready and serves what is left; a second start finds nothing to repair.
 */
class CorruptionRecoveryTest {
    private static final long H = 3_600_000L;
    private static final int SERIES = 10;

    @TempDir
    Path tmp;

    enum Damage {
        WAL_TAIL("prometheus_tsdb_wal_corruptions_total", "WAL corruption repaired"),
        CHUNKS_HEAD("prometheus_tsdb_mmap_chunk_corruptions_total", "Head chunk file corruption repaired"),
        BLOCK_META("specula_tsdb_blocks_quarantined_total", "Corrupt block quarantined"),
        BLOCK_INDEX_TRUNCATED("specula_tsdb_blocks_quarantined_total", "Corrupt block quarantined"),
        BLOCK_CHUNKS("specula_tsdb_blocks_quarantined_total", "Corrupt block quarantined");

        final String metric;
        final String logLine;

        Damage(String metric, String logLine) {
            this.metric = metric;
            this.logLine = logLine;
        }
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void serverStartsOnDamagedDirectory_repairsOrQuarantines_logsOnce_counts(Damage damage) throws Exception {
        Path data = tmp.resolve("data");
        long end = System.currentTimeMillis();
        String ulid = prepare(data, end);
        switch (damage) {
            case WAL_TAIL -> overwriteMiddle(lastNonEmpty(data.resolve("wal")));
            case CHUNKS_HEAD -> overwriteMiddle(lastNonEmpty(data.resolve("chunks_head")));
            case BLOCK_META -> Files.writeString(data.resolve(ulid).resolve("meta.json"), "{\"ulid\": ");
            case BLOCK_INDEX_TRUNCATED -> truncate(data.resolve(ulid).resolve("index"), 64);
            case BLOCK_CHUNKS -> overwrite(data.resolve(ulid).resolve("chunks/000001"), 0);
        }
        Path log = tmp.resolve("specula.log");
        try (ServerProcess s = ServerProcess.start(data, ServerProcess.freePort(), log, List.of())) {
            s.awaitReady(Duration.ofSeconds(60));
            assertThat(s.metric(damage.metric)).as(damage.metric).isEqualTo(1);
            // What is left is served: every series still has samples (head and WAL before the damage, or the block).
            String q = URLEncoder.encode("count(count_over_time({__name__=\"m\"}[6h]))", StandardCharsets.UTF_8);
            assertThat(s.get("/api/v1/query?query=" + q + "&time=" + end / 1000.0)).contains("\"" + SERIES + "\"]");
        }
        String first = Files.readString(log);
        assertThat(Pattern.compile(Pattern.quote(damage.logLine)).matcher(first).results().count()).as(first).isEqualTo(1);
        assertThat(first).doesNotContain("Exception").doesNotContain("\tat ");
        if (damage.name().startsWith("BLOCK")) {
            assertThat(data.resolve("corrupted").resolve(ulid)).isDirectory();
            assertThat(data.resolve(ulid)).doesNotExist();
        }
        if (damage == Damage.BLOCK_INDEX_TRUNCATED || damage == Damage.BLOCK_CHUNKS) {
            return; // the same quarantine as BLOCK_META, whose restart is checked: saves two JVM starts of CI time
        }
        // Never a crash loop: the next start has nothing left to repair.
        try (ServerProcess s = ServerProcess.start(data, ServerProcess.freePort(), log, List.of())) {
            s.awaitReady(Duration.ofSeconds(60));
            assertThat(s.metric(damage.metric)).isZero();
        }
        assertThat(Pattern.compile(Pattern.quote(damage.logLine)).matcher(Files.readString(log)).results().count()).isEqualTo(1);
    }

    /** 10 series every 15 s over the 5 h before {@code end}, blocks cut from it; returns the oldest block's ULID. */
    private static String prepare(Path data, long end) throws Exception {
        try (DB db = DB.open(data, new DB.Options(2 * H, 36 * H, 0, 0))) {
            long start = end - 5 * H;
            for (long t = start; t <= end; t += 15_000) {
                Appender app = db.appender();
                for (int i = 0; i < SERIES; i++) {
                    app.append(0, Labels.of("__name__", "m", "s", Integer.toString(i)), t, i + t / 1000.0);
                }
                app.commit();
            }
            assertThat(db.compact()).isPositive();
            return db.blocks().getFirst().meta().ulid().toString();
        }
    }

    private static Path lastNonEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("\\d+")).filter(p -> p.toFile().length() > 64)
                    .max(Comparator.comparing(p -> p.getFileName().toString())).orElseThrow(() -> new AssertionError("no segment in " + dir));
        }
    }

    private static void overwriteMiddle(Path file) throws IOException {
        overwrite(file, Files.size(file) / 2);
    }

    private static void overwrite(Path file, long at) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            byte[] junk = new byte[32];
            java.util.Arrays.fill(junk, (byte) 0xA5);
            f.write(junk);
        }
    }

    private static void truncate(Path file, long size) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
    }
}

package io.specula.tsdb.block;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import io.specula.tsdb.head.Head;
import io.specula.tsdb.storage.MergeQuerier;
import io.specula.tsdb.storage.Querier;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blocks made by Prometheus itself: the real Prometheus server is started on a data
 * directory of 2 h blocks we wrote, its compactor merges them into 6 h level-2 blocks (its
 * first compaction runs about a minute after start), and we must read those to exactly the
 * samples we wrote. Slow (~1 min); aborted with a message when Prometheus is not installed.
 */
class PrometheusCompactionInteropTest {
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final long H2 = 2 * 3600_000L;
    /** 2023-11-15T00:00:00Z: aligned to Prometheus's 6 h compaction windows. */
    private static final long T0 = 1_700_006_400_000L;

    @TempDir
    Path tmp;

    @Test
    void prometheusCompactsOurBlocks_andWeReadItsBlocks() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PROMETHEUS),
                PROMETHEUS + " not found: install Debian's 'prometheus' package to read blocks compacted by Prometheus");
        // 8 blocks over 16 h: the planner leaves the newest alone and compacts full 6 h windows before it.
        Map<Labels, List<String>> data = TestSamples.generate(new Random(21), 12, T0, 8 * H2);
        Head head = TestSamples.head(data);
        Path db = tmp.resolve("data");
        Files.createDirectories(db);
        Ulid.Generator ids = new Ulid.Generator(new Random(21));
        List<Ulid> ours = new ArrayList<>();
        for (long t = T0; t < T0 + 8 * H2; t += H2) {
            ours.add(BlockWriter.write(db, ids.next(t), t, t + H2, head.querier(Long.MIN_VALUE, Long.MAX_VALUE).select(true, null), null).ulid());
        }

        Path cfg = tmp.resolve("prometheus.yml");
        Files.writeString(cfg, "global:\n  scrape_interval: 1h\nscrape_configs: []\n");
        Path log = tmp.resolve("prometheus.log");
        Process p = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + cfg, "--storage.tsdb.path=" + db,
                "--web.listen-address=127.0.0.1:" + freePort())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        List<BlockMeta> compacted;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
            do {
                Thread.sleep(1000);
                assertThat(p.isAlive()).as("prometheus running; log:\n%s", Files.readString(log)).isTrue();
                compacted = metas(db).stream().filter(m -> m.compaction().level() == 2).toList();
            } while (compacted.size() < 2 && System.nanoTime() < deadline);
        } finally {
            p.destroy(); // SIGTERM: Prometheus finishes its compaction and closes the DB
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        assertThat(compacted).as("Prometheus compacted two 6 h windows; log:\n%s", Files.readString(log)).hasSize(2);
        for (BlockMeta m : compacted) {
            assertThat(ours).containsAll(m.compaction().sources());
            assertThat(m.compaction().sources()).hasSize(3);
        }

        List<Block> blocks = new ArrayList<>();
        try {
            for (BlockMeta m : metas(db)) {
                Block b = Block.open(db.resolve(m.ulid().toString()));
                blocks.add(b);
                b.verify();
            }
            assertThat(blocks).as("2 compacted + 2 of ours left").hasSize(4);
            List<Querier> qs = new ArrayList<>();
            for (Block b : blocks) {
                qs.add(b.querier(Long.MIN_VALUE, Long.MAX_VALUE));
            }
            try (Querier q = MergeQuerier.of(qs)) {
                assertThat(TestSamples.all(q)).isEqualTo(TestSamples.range(data, T0, T0 + 8 * H2));
            }
            for (Block b : blocks) {
                if (b.meta().compaction().level() == 2) {
                    try (Querier q = b.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
                        assertThat(TestSamples.all(q)).as("Prometheus's block alone")
                                .isEqualTo(TestSamples.range(data, b.meta().minTime(), b.meta().maxTime()));
                    }
                }
            }
        } finally {
            blocks.forEach(Block::close);
        }
    }

    /** The metas of the complete blocks in {@code db} (directories named by a ULID with a meta.json). */
    private static List<BlockMeta> metas(Path db) throws IOException {
        List<BlockMeta> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(db)) {
            for (Path d : s.sorted().toList()) {
                if (d.getFileName().toString().length() == Ulid.LENGTH && Files.exists(d.resolve(BlockMetaFormat.FILENAME))) {
                    try {
                        out.add(BlockMetaFormat.read(d));
                    } catch (IOException racingWithAWrite) {
                        // Prometheus writes meta.json into a temporary directory first; tolerate a transient view
                    }
                }
            }
        }
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

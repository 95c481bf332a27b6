package io.specula.benchmarks.tsdb;

import io.specula.model.labels.Labels;
import io.specula.tsdb.block.Block;
import io.specula.tsdb.block.BlockMeta;
import io.specula.tsdb.block.BlockWriter;
import io.specula.tsdb.block.Ulid;
import io.specula.tsdb.compact.Compactor;
import io.specula.tsdb.fileutil.FileUtil;
import io.specula.tsdb.head.Head;
import io.specula.tsdb.storage.Appender;
import io.specula.tsdb.storage.ChunkQuerier;
import io.specula.tsdb.storage.Querier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time to compact three adjacent 2 h blocks of {@code series} series (a 15 s scrape: 480
 * samples, 4 chunks of 120 per series per block) into one 6 h block with {@link Compactor#compact}
 * (leveled compaction: no overlap, no tombstones, so every chunk can be copied as it is), and
 * to cut a 2 h block from the head: {@code headToBlock} through the sample querier (decode and
 * re-encode every sample), {@code headToBlockChunks} through the chunk querier (copy the head's
 * cut chunks; what the database does). Blocks are written to /dev/shm when
 * it exists, so the disk is not what is measured.
 *
 * <p>Run: {@code bench/jmh.sh CompactionBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CompactionBenchmark {
    private static final long T0 = 1_699_999_200_000L;
    private static final long RANGE = 2 * 3600_000L;
    private static final long INTERVAL = 15_000;

    @Param({"10000"})
    public int series;

    private Path dir, out;
    private final List<Block> blocks = new ArrayList<>();
    private Head head;
    /** The same samples in a head with the 2 h chunk range a server's head has: chunks never cross a block boundary. */
    private Head alignedHead;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        Path shm = Path.of("/dev/shm");
        dir = Files.createTempDirectory(Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir")), "compact-bench");
        out = dir.resolve("out");
        Files.createDirectories(out);
        head = new Head(Long.MAX_VALUE / 4, null);
        alignedHead = new Head(RANGE, null);
        Random rnd = new Random(42);
        Appender app = head.appender();
        Appender aligned = alignedHead.appender();
        for (int s = 0; s < series; s++) {
            Labels l = Labels.of("__name__", "metric_" + (s % 10), "instance", "host-" + s, "job", "job-" + (s % 7));
            double v = rnd.nextInt(1_000_000);
            for (long t = T0; t < T0 + 3 * RANGE; t += INTERVAL) {
                app.append(0, l, t, v);
                aligned.append(0, l, t, v);
                v += rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(201);
            }
        }
        app.commit();
        aligned.commit();
        for (int b = 0; b < 3; b++) {
            long mint = T0 + b * RANGE;
            Ulid id = Ulid.random(mint, rnd);
            try (Querier q = head.querier(mint, mint + RANGE - 1)) {
                BlockWriter.write(dir, id, mint, mint + RANGE, q.select(true, null), null);
            }
            blocks.add(Block.open(dir.resolve(id.toString())));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        for (Block b : blocks) {
            b.close();
        }
        FileUtil.deleteRecursively(dir);
    }

    @TearDown(Level.Invocation)
    public void clean() throws Exception {
        FileUtil.deleteRecursively(out);
        Files.createDirectories(out);
    }

    @Benchmark
    public BlockMeta compactThreeBlocks() throws Exception {
        return Compactor.compact(out, blocks, Ulid.now());
    }

    /** What {@code DB.compact} does since the read-path unification: the head's chunks copied through a chunk querier. */
    @Benchmark
    public BlockMeta headToBlockChunks() throws Exception {
        try (ChunkQuerier q = alignedHead.inOrderChunkQuerier(T0, T0 + RANGE - 1)) {
            return BlockWriter.write(out, Ulid.now(), T0, T0 + RANGE, q.select(true, null), null);
        }
    }

    /** Samples decoded and re-encoded (what {@code DB.compact} did before the read-path unification). */
    @Benchmark
    public BlockMeta headToBlock() throws Exception {
        try (Querier q = head.inOrderQuerier(T0, T0 + RANGE - 1)) {
            return BlockWriter.write(out, Ulid.now(), T0, T0 + RANGE, q.select(true, null), null);
        }
    }
}

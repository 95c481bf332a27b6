package io.specula.tsdb;

import io.specula.model.labels.Matcher;
import io.specula.tsdb.fileutil.FileUtil;
import io.specula.tsdb.block.Block;
import io.specula.tsdb.block.BlockMeta;
import io.specula.tsdb.block.BlockWriter;
import io.specula.tsdb.block.Ulid;
import io.specula.tsdb.compact.CompactionPlanner;
import io.specula.tsdb.compact.Compactor;
import io.specula.tsdb.compact.PlannedBlock;
import io.specula.tsdb.compact.Retention;
import io.specula.tsdb.head.Head;
import io.specula.tsdb.head.HeadOptions;
import io.specula.tsdb.exemplar.CircularExemplarStorage;
import io.specula.tsdb.wal.WalWriter;
import io.specula.tsdb.storage.Appendable;
import io.specula.tsdb.storage.Appender;
import io.specula.tsdb.storage.MergeQuerier;
import io.specula.tsdb.storage.ChunkQuerier;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.storage.Queryable;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A data directory laid out as Prometheus's: {@code wal/}, {@code chunks_head/} and one
 * directory per block. Appends go to the head; {@link #compact()} cuts the head into 2h blocks
 * once it spans 1.5 chunk ranges, merges blocks with the leveled planner and applies
 * retention. Queries merge the blocks and the head.
 *
 * <p>Thread-safe: appenders and queriers may run while {@link #compact()} runs (one compaction
 * at a time). A block that cannot be opened (bad {@code meta.json}, truncated or damaged
 * {@code index}, chunk segment or tombstones) is never fatal: it is moved aside into
 * {@code <dir>/corrupted/<ULID>} (a directory Prometheus and Specula ignore, so a restart does not
 * trip on it again and nothing is deleted) and reported by {@link #corruptBlocks()}.
 */
public final class DB implements Appendable, Queryable, Closeable {
    /**
     * @param minBlockDuration the head's chunk range and the size of level-1 blocks (2h)
     * @param maxBlockDuration the largest block compaction makes (Prometheus: min(31d, retention/10))
     * @param retentionMillis time retention, 0 for none (Prometheus's default is 15d)
     * @param retentionBytes size retention, 0 for none
     * @param outOfOrderTimeWindow {@code storage.tsdb.out_of_order_time_window} in ms: how far
     *     behind the newest sample out-of-order samples are accepted; 0 (the default) for none
     * @param walCompression Snappy-compress WAL records ({@code --storage.tsdb.wal-compression})
     */
    public record Options(long minBlockDuration, long maxBlockDuration, long retentionMillis, long retentionBytes,
            long outOfOrderTimeWindow, boolean walCompression) {
        public Options(long minBlockDuration, long maxBlockDuration, long retentionMillis, long retentionBytes) {
            this(minBlockDuration, maxBlockDuration, retentionMillis, retentionBytes, 0, false);
        }

        public Options(long minBlockDuration, long maxBlockDuration, long retentionMillis, long retentionBytes,
                long outOfOrderTimeWindow) {
            this(minBlockDuration, maxBlockDuration, retentionMillis, retentionBytes, outOfOrderTimeWindow, false);
        }

        public Options withWalCompression(boolean on) {
            return new Options(minBlockDuration, maxBlockDuration, retentionMillis, retentionBytes, outOfOrderTimeWindow, on);
        }

        public static Options defaults() {
            long d = 24 * 3_600_000L;
            return new Options(Head.DEFAULT_CHUNK_RANGE, Math.min(31 * d, 15 * d / 10), 15 * d, 0);
        }

        public Options withOutOfOrderTimeWindow(long window) {
            return new Options(minBlockDuration, maxBlockDuration, retentionMillis, retentionBytes, window, walCompression);
        }
    }

    /** Where blocks that failed to open are moved, relative to the data directory. */
    public static final String CORRUPTED_DIR = "corrupted";

    /** The compaction hint Prometheus puts in meta.json of blocks made of out-of-order data. */
    public static final String OUT_OF_ORDER_HINT = "from-out-of-order";

    private final Path dir;
    private final Options options;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Head head;
    private final CompactionPlanner planner;
    private final Map<String, String> corrupt = new HashMap<>();
    private volatile List<Block> blocks = List.of();
    /** Calls of {@link #compact()} ({@code prometheus_tsdb_compactions_triggered_total}). */
    private final java.util.concurrent.atomic.LongAdder compactions = new java.util.concurrent.atomic.LongAdder();

    private DB(Path dir, Options options, FileChannel lockChannel, FileLock lock, Head head) {
        this.dir = dir;
        this.options = options;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.head = head;
        this.planner = new CompactionPlanner(CompactionPlanner.exponentialRanges(options.minBlockDuration(), options.maxBlockDuration()));
    }

    /**
     * Opens (creating it if needed) the data directory: takes its lock, removes leftovers of
     * interrupted block writes, loads the blocks and replays the head.
     *
     * @throws IOException when another process holds the directory, or the head cannot open
     */
    public static DB open(Path dir, Options options) throws IOException {
        return open(dir, options, null);
    }

    /**
     * As {@link #open(Path, Options)}, keeping exemplars in {@code exemplars} (null: none), which
     * the head's WAL replay fills and {@link #exemplars()} returns.
     */
    public static DB open(Path dir, Options options, CircularExemplarStorage exemplars) throws IOException {
        Files.createDirectories(dir);
        FileChannel ch = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            ch.close();
            throw new IOException("data directory " + dir + " is in use by another process (lock file " + dir.resolve("lock") + ")");
        }
        try {
            removeTemporaries(dir);
            List<Block> loaded = new ArrayList<>();
            Map<String, String> corrupt = new HashMap<>();
            loadBlocks(dir, loaded, corrupt);
            // Blocks of out-of-order data do not bound the head: its in-order data may still lie in their range.
            long minValid = loaded.stream().filter(b -> !b.meta().compaction().hints().contains(OUT_OF_ORDER_HINT))
                    .mapToLong(b -> b.meta().maxTime()).max().orElse(Long.MIN_VALUE);
            Head head = Head.open(dir, HeadOptions.defaults().withChunkRange(options.minBlockDuration()).withMinValidTime(minValid)
                    .withOutOfOrderTimeWindow(options.outOfOrderTimeWindow())
                    .withWal(WalWriter.Options.defaults().withSnappy(options.walCompression())), exemplars);
            DB db = new DB(dir, options, ch, lock, head);
            db.corrupt.putAll(corrupt);
            db.blocks = List.copyOf(loaded);
            db.dropReplacedAndExpired();
            return db;
        } catch (IOException | RuntimeException e) {
            lock.release();
            ch.close();
            throw e;
        }
    }

    /** The head's exemplar storage (of size 0 unless one was given to {@link #open(Path, Options, CircularExemplarStorage)}). */
    public CircularExemplarStorage exemplars() {
        return head.exemplarStorage();
    }

    private static void removeTemporaries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (Files.isDirectory(p) && name.contains(".tmp")) {
                    FileUtil.deleteRecursively(p);
                }
            }
        }
    }

    private static void loadBlocks(Path dir, List<Block> out, Map<String, String> corrupt) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                String name = p.getFileName().toString();
                if (!Files.isDirectory(p) || name.length() != Ulid.LENGTH) {
                    continue;
                }
                try {
                    Ulid.parse(name);
                } catch (IllegalArgumentException e) {
                    continue; // not a block directory
                }
                try {
                    out.add(Block.open(p));
                } catch (IOException | RuntimeException e) {
                    corrupt.put(name, quarantine(dir, p, e));
                }
            }
        }
        out.sort(Comparator.comparingLong(b -> b.meta().minTime()));
    }

    /**
     * Moves an unreadable block to {@code corrupted/<ULID>} (with a numeric suffix if that exists
     * already) so it neither fails nor confuses the next start, and keeps its bytes for inspection.
     *
     * @return what was wrong and where the block now is
     */
    private static String quarantine(Path dir, Path block, Exception cause) throws IOException {
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        Path target = dir.resolve(CORRUPTED_DIR).resolve(block.getFileName());
        for (int i = 1; Files.exists(target); i++) {
            target = dir.resolve(CORRUPTED_DIR).resolve(block.getFileName() + "." + i);
        }
        Files.createDirectories(target.getParent());
        Files.move(block, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return why + " (moved to " + target + ")";
    }

    /** How often {@link #compact()} ran since open. */
    public long compactionsTriggered() {
        return compactions.sum();
    }

    @Override
    public Appender appender() {
        return head.appender();
    }

    @Override
    public Querier querier(long mint, long maxt) throws IOException {
        List<Querier> qs = new ArrayList<>();
        for (Block b : blocks) {
            if (b.meta().maxTime() > mint && b.meta().minTime() <= maxt) {
                qs.add(b.querier(mint, maxt));
            }
        }
        qs.add(head.querier(mint, maxt));
        return MergeQuerier.of(qs);
    }

    public Head head() {
        return head;
    }

    /** The loaded blocks, oldest first. */
    public List<Block> blocks() {
        return blocks;
    }

    /**
     * Block directories that could not be opened at this open, by ULID: what was wrong and
     * where the block was moved ({@code corrupted/<ULID>}).
     */
    public Map<String, String> corruptBlocks() {
        return Map.copyOf(corrupt);
    }

    /**
     * Persists the head while it spans more than 1.5 chunk ranges (leaving the newest half range
     * for late samples, as Prometheus does); when it did, also persists all out-of-order data in
     * blocks of their own, one per block range it touches (they overlap the others; vertical
     * compaction merges them later); then merges blocks as the planner says and applies
     * retention. Call it periodically (Prometheus: every minute) and after large appends.
     *
     * @return the number of blocks written
     */
    public synchronized int compact() throws IOException {
        compactions.increment();
        int written = 0;
        boolean headCut = false;
        long range = options.minBlockDuration();
        while (head.maxTime() != Long.MIN_VALUE && head.maxTime() - head.minTime() > range * 3 / 2) {
            long mint = Math.floorDiv(head.minTime(), range) * range;
            long maxt = mint + range;
            try (ChunkQuerier q = head.inOrderChunkQuerier(mint, maxt - 1)) { // cut chunks are copied, not re-encoded
                if (BlockWriter.write(dir, Ulid.now(), mint, maxt, q.select(true, null), null) != null) {
                    written++;
                }
            }
            reload();
            head.truncate(maxt);
            headCut = true;
        }
        if (headCut) { // as Prometheus: out-of-order data is persisted whenever the head was
            written += compactOutOfOrder();
        }
        for (List<String> plan = planner.plan(planned()); !plan.isEmpty(); plan = planner.plan(planned())) {
            List<Block> group = new ArrayList<>();
            for (Block b : blocks) {
                if (plan.contains(b.meta().ulid().toString())) {
                    group.add(b);
                }
            }
            BlockMeta meta = group.size() == 1
                    ? Compactor.rewrite(dir, group.get(0), Ulid.now())
                    : Compactor.compact(dir, group, Ulid.now());
            if (meta == null) { // everything in the group was deleted: drop the parents
                for (Block b : group) {
                    delete(b);
                }
            }
            written++;
            reload();
        }
        dropReplacedAndExpired();
        return written;
    }

    /** Writes the frozen out-of-order data of the head into blocks aligned to the block range. */
    private int compactOutOfOrder() throws IOException {
        long[] range = head.freezeOutOfOrder();
        if (range == null) {
            head.finishOutOfOrderCompaction(true); // nothing frozen; still drop WBL segments of nothing
            return 0;
        }
        boolean done = false;
        int written = 0;
        try {
            long size = options.minBlockDuration();
            for (long mint = Math.floorDiv(range[0], size) * size; mint <= range[1]; mint += size) {
                long maxt = mint + size;
                Ulid ulid = Ulid.now();
                BlockMeta.Compaction c = new BlockMeta.Compaction(1, List.of(ulid), false, List.of(), false, List.of(OUT_OF_ORDER_HINT));
                try (ChunkQuerier q = head.outOfOrderChunkQuerier(mint, maxt - 1)) {
                    if (BlockWriter.write(dir, ulid, mint, maxt, q.select(true, null), c) != null) {
                        written++;
                    }
                }
            }
            reload();
            done = true;
        } finally {
            head.finishOutOfOrderCompaction(done);
        }
        return written;
    }

    /**
     * Deletes the samples in [mint, maxt] (inclusive) of the series matching all
     * {@code matchers} (every series when none is given): blocks overlapping the interval get
     * tombstones, the head gets tombstones logged to its WAL. Queries stop returning the
     * samples at once; disk space is reclaimed by {@link #cleanTombstones()} or compaction.
     */
    public synchronized void delete(long mint, long maxt, Matcher... matchers) throws IOException {
        if (maxt < mint) {
            throw new IllegalArgumentException("interval [" + mint + ", " + maxt + "] is empty");
        }
        for (Block b : blocks) {
            // Block ranges are half-open [minTime, maxTime).
            if (b.meta().minTime() <= maxt && b.meta().maxTime() > mint) {
                b.delete(mint, maxt, matchers);
            }
        }
        head.delete(mint, maxt, matchers);
    }

    /**
     * Rewrites every block that has tombstones without the deleted samples (a block left
     * empty goes away), as Prometheus's {@code clean_tombstones}; the rewritten block replaces
     * the old one.
     *
     * @return the number of blocks rewritten or removed
     */
    public synchronized int cleanTombstones() throws IOException {
        int n = 0;
        for (Block b : blocks) {
            if (b.meta().stats().numTombstones() == 0) {
                continue;
            }
            if (Compactor.rewrite(dir, b, Ulid.now()) == null) {
                delete(b);
                blocks = blocks.stream().filter(x -> x != b).toList();
            }
            n++;
        }
        if (n > 0) {
            reload(); // opens the rewritten blocks and drops the ones they replace
        }
        return n;
    }

    /**
     * Writes a snapshot of the database into {@code target} (created if needed): every block
     * hard-linked (no copy), and with {@code withHead} one more block holding the head's data
     * (in order and out of order, deletions applied), as Prometheus's admin snapshot API does.
     * The directory can be opened as a data directory or read by promtool.
     *
     * @return the number of blocks in the snapshot
     */
    public synchronized int snapshot(Path target, boolean withHead) throws IOException {
        Files.createDirectories(target);
        int n = 0;
        for (Block b : blocks) {
            b.snapshot(target);
            n++;
        }
        if (withHead) {
            long[] range = head.timeRangeAll();
            if (range != null) {
                try (ChunkQuerier q = head.chunkQuerier(range[0], range[1])) {
                    if (BlockWriter.write(target, Ulid.now(), range[0], range[1] + 1, q.select(true, null), null) != null) {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    private List<PlannedBlock> planned() {
        List<PlannedBlock> out = new ArrayList<>();
        for (Block b : blocks) {
            BlockMeta m = b.meta();
            out.add(new PlannedBlock(m.ulid().toString(), m.minTime(), m.maxTime(), m.stats().numSeries(),
                    m.stats().numTombstones(), m.compaction().failed()));
        }
        return out;
    }

    /** Re-reads the block directories: opens new blocks, then drops replaced and expired ones. */
    private void reload() throws IOException {
        Set<String> known = new HashSet<>();
        List<Block> next = new ArrayList<>(blocks);
        for (Block b : next) {
            known.add(b.meta().ulid().toString());
        }
        List<Block> found = new ArrayList<>();
        Map<String, String> bad = new HashMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String name = p.getFileName().toString();
                if (name.length() == Ulid.LENGTH && Files.isDirectory(p) && !known.contains(name) && !corrupt.containsKey(name)) {
                    try {
                        Ulid.parse(name);
                        found.add(Block.open(p));
                    } catch (IllegalArgumentException ignored) {
                        // not a block directory
                    } catch (IOException e) {
                        bad.put(name, e.getMessage());
                    }
                }
            }
        }
        corrupt.putAll(bad);
        next.addAll(found);
        next.sort(Comparator.comparingLong(b -> b.meta().minTime()));
        blocks = List.copyOf(next);
        dropReplacedAndExpired();
    }

    /** Deletes blocks that a compacted block replaces (its sources) and those beyond retention. */
    private void dropReplacedAndExpired() throws IOException {
        Set<String> replaced = new HashSet<>();
        for (Block b : blocks) { // a compacted or rewritten block names the blocks it replaces
            for (BlockMeta.BlockDesc parent : b.meta().compaction().parents()) {
                replaced.add(parent.ulid().toString());
            }
        }
        List<Retention.SizedBlock> sized = new ArrayList<>();
        for (Block b : blocks) {
            sized.add(new Retention.SizedBlock(b.meta().ulid().toString(), b.meta().maxTime(), b.sizeBytes()));
        }
        long headBytes = directorySize(dir.resolve(Head.WAL_DIR)) + directorySize(dir.resolve(Head.CHUNKS_DIR))
                + directorySize(dir.resolve(Head.WBL_DIR));
        replaced.addAll(Retention.deletable(sized, options.retentionMillis(), options.retentionBytes(), headBytes));
        if (replaced.isEmpty()) {
            return;
        }
        List<Block> keep = new ArrayList<>();
        for (Block b : blocks) {
            if (replaced.contains(b.meta().ulid().toString())) {
                delete(b);
            } else {
                keep.add(b);
            }
        }
        blocks = List.copyOf(keep);
    }

    /** Closes the block (its files stay mapped until running queriers finish) and removes its directory. */
    private static void delete(Block b) throws IOException {
        b.close();
        // Renaming first makes the deletion look atomic to a restart: a half-deleted
        // directory carries a .tmp name, which open() removes.
        Path tmp = b.dir().resolveSibling(b.dir().getFileName() + ".tmp-for-deletion");
        Files.move(b.dir(), tmp);
        FileUtil.deleteRecursively(tmp);
    }

    private static long directorySize(Path p) throws IOException {
        if (!Files.exists(p)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(p)) {
            long total = 0;
            for (Path f : s.toList()) {
                if (Files.isRegularFile(f)) {
                    total += Files.size(f);
                }
            }
            return total;
        }
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            head.close();
            for (Block b : blocks) {
                b.close();
            }
        } finally {
            lock.release();
            lockChannel.close();
        }
    }
}

package io.specula.app.tool;

import io.specula.model.labels.LabelsBuilder;
import io.specula.model.textparse.Entry;
import io.specula.model.textparse.OpenMetricsParser;
import io.specula.model.textparse.ParseException;
import io.specula.tsdb.block.BlockMeta;
import io.specula.tsdb.block.BlockWriter;
import io.specula.tsdb.block.Ulid;
import io.specula.tsdb.head.Head;
import io.specula.tsdb.storage.AppendException;
import io.specula.tsdb.storage.Appender;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns an OpenMetrics file into blocks with promtool's contract: time is cut into ranges of
 * the block duration aligned to multiples of it (2 h by default; a larger
 * {@code --max-block-duration} picks the largest of 2 h × 3^n not above it), and each range
 * with samples becomes one block whose meta covers exactly its samples
 * ([first, last + 1)). Every sample needs a timestamp; a series' samples must be in time
 * order, but, as promtool allows, the samples of different series may interleave.
 *
 * <p><b>Memory.</b> The file is read into memory (as promtool maps it) and parsed once per
 * range; only the samples of the current range are held, in a head, at a time. Not thread-safe.
 */
final class OpenMetricsBackfill {
    /** Prometheus's default (and minimum) block duration. */
    static final long DEFAULT_BLOCK_DURATION = 2 * 3600_000L;
    /** Samples per appender commit, so a range never builds one huge transaction. */
    private static final int COMMIT_EVERY = 5000;

    private final byte[] input;
    private final String source;
    private final Path outputDir;
    private final long blockDuration;
    private final PrintWriter progress;
    private final Ulid.Generator ids = new Ulid.Generator(new SecureRandom());

    /**
     * @param progress where to report progress on long runs (one line per block written when
     *     the run spans more than a few blocks), or null for silence
     */
    OpenMetricsBackfill(byte[] input, String source, Path outputDir, long maxBlockDuration, PrintWriter progress) {
        this.input = input;
        this.source = source;
        this.outputDir = outputDir;
        this.blockDuration = compatibleBlockDuration(maxBlockDuration);
        this.progress = progress;
    }

    /** The largest 2 h × 3^n (n &lt; 10) not above {@code max}; 2 h for anything smaller. */
    static long compatibleBlockDuration(long max) {
        long d = DEFAULT_BLOCK_DURATION;
        for (int i = 1; i < 10 && d * 3 <= max; i++) {
            d *= 3;
        }
        return d;
    }

    long blockDuration() {
        return blockDuration;
    }

    /** Writes the blocks; returns their metas in time order. */
    List<BlockMeta> run() throws IOException, ParseException {
        long[] range = minMax();
        List<BlockMeta> out = new ArrayList<>();
        if (range == null) {
            return out;
        }
        Files.createDirectories(outputDir);
        long first = Math.floorDiv(range[0], blockDuration) * blockDuration;
        long ranges = Math.floorDiv(range[1] - first, blockDuration) + 1;
        long started = System.nanoTime();
        int i = 0;
        for (long t = first; t <= range[1]; t += blockDuration, i++) {
            BlockMeta m = writeRange(t, t + blockDuration);
            if (m != null) {
                out.add(m);
            }
            if (progress != null && ranges > 3) {
                progress.printf("progress: range %d/%d [%s, %s) done, %d blocks, %.1fs%n", i + 1, ranges,
                        GoFormat.time(t), GoFormat.time(t + blockDuration), out.size(), (System.nanoTime() - started) / 1e9);
                progress.flush();
            }
        }
        return out;
    }

    /** Min and max sample timestamps, or null for a file without samples. */
    private long[] minMax() throws ParseException {
        long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
        OpenMetricsParser p = new OpenMetricsParser(input).allowInterleavedLabelSets();
        for (Entry e; (e = p.next()) != null; ) {
            if (e != Entry.SERIES) {
                continue;
            }
            if (!p.hasTimestamp()) {
                LabelsBuilder lb = new LabelsBuilder();
                p.labels(lb);
                throw new IllegalArgumentException(source + ":" + p.line() + ": expected timestamp for series " + lb.build() + ", got none");
            }
            min = Math.min(min, p.timestamp());
            max = Math.max(max, p.timestamp());
        }
        return min > max ? null : new long[] {min, max};
    }

    private BlockMeta writeRange(long mint, long maxt) throws IOException, ParseException {
        Head head = new Head(Long.MAX_VALUE / 4, null); // no WAL; a huge chunk range accepts any time order across series
        OpenMetricsParser p = new OpenMetricsParser(input).allowInterleavedLabelSets();
        LabelsBuilder lb = new LabelsBuilder();
        Appender app = head.appender();
        int pending = 0;
        long lo = Long.MAX_VALUE, hi = Long.MIN_VALUE;
        for (Entry e; (e = p.next()) != null; ) {
            if (e != Entry.SERIES) {
                continue;
            }
            long t = p.timestamp();
            if (t < mint || t >= maxt) {
                continue;
            }
            p.labels(lb);
            try {
                app.append(0, lb.build(), t, p.value());
            } catch (AppendException ex) {
                app.rollback();
                throw new IllegalArgumentException(source + ":" + p.line() + ": add sample: " + ex.getMessage());
            }
            lo = Math.min(lo, t);
            hi = Math.max(hi, t);
            if (++pending == COMMIT_EVERY) {
                app.commit();
                app = head.appender();
                pending = 0;
            }
        }
        app.commit();
        if (lo > hi) {
            return null;
        }
        try (var q = head.querier(lo, hi)) {
            return BlockWriter.write(outputDir, ids.next(System.currentTimeMillis()), lo, hi + 1, q.select(true, null), null);
        }
    }
}

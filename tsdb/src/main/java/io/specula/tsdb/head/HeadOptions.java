package io.specula.tsdb.head;

import io.specula.tsdb.chunks.HeadChunkFormat;
import io.specula.tsdb.wal.WalWriter;
import java.util.function.Consumer;

/**
 * How {@link Head#open} opens a head on a data directory.
 *
 * @param chunkRange span of the blocks the head is cut into, in ms (2h by default)
 * @param minValidTime samples and chunks before it are not loaded and later refused: the end
 *     of the newest persisted block, which the database passes (as Prometheus does), since
 *     what lies before it is already in blocks; {@code Long.MIN_VALUE} when there are none
 * @param wal options of the WAL writer (segment size, compression, fsync policy)
 * @param chunkFileSize size at which head chunk files are cut (128 MiB by default)
 * @param progress told of replay progress, from the opening thread; may be used for logging
 * @param outOfOrderTimeWindow how far behind the head's newest sample out-of-order samples are
 *     still accepted, in ms ({@code storage.tsdb.out_of_order_time_window}); 0 (the default)
 *     refuses them. When positive (or when a {@code wbl/} directory exists) out-of-order samples
 *     are logged to {@code wbl/} and replayed from it.
 * @param replayWorkers threads that apply replayed samples while the opening thread reads the
 *     WAL (series sharded by reference, as Prometheus does); 1 replays in the opening thread
 *     alone; 0 (the default) means one per available processor, at most 8
 */
public record HeadOptions(long chunkRange, long minValidTime, WalWriter.Options wal, long chunkFileSize,
        Consumer<ReplayProgress> progress, long outOfOrderTimeWindow, int replayWorkers) {

    public HeadOptions {
        if (chunkRange <= 0) {
            throw new IllegalArgumentException("chunk range must be positive, got " + chunkRange);
        }
        if (wal == null || progress == null) {
            throw new IllegalArgumentException("WAL options and progress listener are required");
        }
        if (replayWorkers < 0) {
            throw new IllegalArgumentException("replay workers must not be negative, got " + replayWorkers);
        }
        if (outOfOrderTimeWindow < 0) {
            throw new IllegalArgumentException("out-of-order time window must not be negative, got " + outOfOrderTimeWindow);
        }
    }

    /** 2h chunk range, no persisted blocks, default WAL options, 128 MiB head chunk files, no progress reports. */
    public static HeadOptions defaults() {
        return new HeadOptions(Head.DEFAULT_CHUNK_RANGE, Long.MIN_VALUE, WalWriter.Options.defaults(),
                HeadChunkFormat.MAX_FILE_SIZE, p -> {}, 0, 0);
    }

    public HeadOptions withChunkRange(long range) {
        return new HeadOptions(range, minValidTime, wal, chunkFileSize, progress, outOfOrderTimeWindow, replayWorkers);
    }

    public HeadOptions withMinValidTime(long t) {
        return new HeadOptions(chunkRange, t, wal, chunkFileSize, progress, outOfOrderTimeWindow, replayWorkers);
    }

    public HeadOptions withWal(WalWriter.Options options) {
        return new HeadOptions(chunkRange, minValidTime, options, chunkFileSize, progress, outOfOrderTimeWindow, replayWorkers);
    }

    public HeadOptions withChunkFileSize(long size) {
        return new HeadOptions(chunkRange, minValidTime, wal, size, progress, outOfOrderTimeWindow, replayWorkers);
    }

    public HeadOptions withOutOfOrderTimeWindow(long window) {
        return new HeadOptions(chunkRange, minValidTime, wal, chunkFileSize, progress, window, replayWorkers);
    }

    public HeadOptions withReplayWorkers(int workers) {
        return new HeadOptions(chunkRange, minValidTime, wal, chunkFileSize, progress, outOfOrderTimeWindow, workers);
    }

    /** The number of replay worker threads {@link #replayWorkers} asks for; 1 means none. */
    int effectiveReplayWorkers() {
        return replayWorkers > 0 ? replayWorkers : Math.min(8, Runtime.getRuntime().availableProcessors());
    }

    public HeadOptions withProgress(Consumer<ReplayProgress> listener) {
        return new HeadOptions(chunkRange, minValidTime, wal, chunkFileSize, listener, outOfOrderTimeWindow, replayWorkers);
    }
}

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
 */
public record HeadOptions(long chunkRange, long minValidTime, WalWriter.Options wal, long chunkFileSize,
        Consumer<ReplayProgress> progress) {

    public HeadOptions {
        if (chunkRange <= 0) {
            throw new IllegalArgumentException("chunk range must be positive, got " + chunkRange);
        }
        if (wal == null || progress == null) {
            throw new IllegalArgumentException("WAL options and progress listener are required");
        }
    }

    /** 2h chunk range, no persisted blocks, default WAL options, 128 MiB head chunk files, no progress reports. */
    public static HeadOptions defaults() {
        return new HeadOptions(Head.DEFAULT_CHUNK_RANGE, Long.MIN_VALUE, WalWriter.Options.defaults(),
                HeadChunkFormat.MAX_FILE_SIZE, p -> {});
    }

    public HeadOptions withChunkRange(long range) {
        return new HeadOptions(range, minValidTime, wal, chunkFileSize, progress);
    }

    public HeadOptions withMinValidTime(long t) {
        return new HeadOptions(chunkRange, t, wal, chunkFileSize, progress);
    }

    public HeadOptions withWal(WalWriter.Options options) {
        return new HeadOptions(chunkRange, minValidTime, options, chunkFileSize, progress);
    }

    public HeadOptions withChunkFileSize(long size) {
        return new HeadOptions(chunkRange, minValidTime, wal, size, progress);
    }

    public HeadOptions withProgress(Consumer<ReplayProgress> listener) {
        return new HeadOptions(chunkRange, minValidTime, wal, chunkFileSize, listener);
    }
}

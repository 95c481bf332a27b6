package io.specula.tsdb.head;

import io.specula.model.labels.Labels;
import io.specula.tsdb.storage.Appender;
import io.specula.tsdb.wal.WalWriter;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The process {@link HeadKillTest} kills: opens a durable head on a directory and appends
 * batches until it is killed. Batch {@code k} holds one sample at {@code k * STEP} with
 * {@link #value} for each of {@link #SERIES} series, and every {@link #WIDE_EVERY}th batch also
 * for {@link #WIDE} more, so the parent can tell exactly what must be there. The wide batches
 * make WAL records of several pages, which a kill can tear (a one-page record is written by
 * one system call and is never torn by a kill), and their series come and go with truncation.
 *
 * <p>Protocol on stdout, one line per event, each ending in " ok" so that a line cut by the
 * kill is recognisable: {@code open <last batch in the head>}, then {@code commit <k>} after
 * each {@code commit()} returned. After committing a batch that is a multiple of
 * {@link #TRUNCATE_EVERY} it truncates the head to keep the last {@link #KEEP} batches.
 *
 * <p>Usage: {@code HeadKillChild <dir>}
 */
public final class HeadKillChild {
    static final int SERIES = 20;
    static final int WIDE = 3000;
    static final int WIDE_EVERY = 100;
    static final long STEP = 15_000;
    static final int TRUNCATE_EVERY = 500;
    static final int KEEP = 300;
    static final long STALE = 0x7FF0000000000002L;

    private HeadKillChild() {
    }

    /** Small files, so that a short run crosses WAL segments and head chunk files. */
    static HeadOptions options() {
        return HeadOptions.defaults()
                .withWal(WalWriter.Options.defaults().withSegmentSize(128 * 1024))
                .withChunkFileSize(64 * 1024);
    }

    /** Series {@code [0, SERIES)} are in every batch, {@code [SERIES, SERIES + WIDE)} only in wide ones. */
    static Labels labels(int series) {
        return series < SERIES
                ? Labels.of("__name__", "kill_test", "s", Integer.toString(series))
                : Labels.of("__name__", "kill_test", "w", Integer.toString(series - SERIES));
    }

    static boolean inBatch(int series, long k) {
        return series < SERIES || k % WIDE_EVERY == 0;
    }

    /** Sample value of {@code series} in batch {@code k}; sometimes a staleness marker, which must come back bit for bit. */
    static double value(int series, long k) {
        if ((k + series) % 97 == 0) {
            return Double.longBitsToDouble(STALE);
        }
        long h = (series + 1) * 0x9E3779B97F4A7C15L ^ k * 0xBF58476D1CE4E5B9L;
        return ((h >>> 11) % 100_000) / 100.0;
    }

    /** The truncation mint after batch {@code k}, or Long.MIN_VALUE when none follows it. */
    static long truncationAfter(long k) {
        return k > 0 && k % TRUNCATE_EVERY == 0 ? (k - KEEP) * STEP : Long.MIN_VALUE;
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        try (Head head = Head.open(Path.of(args[0]), options())) {
            long k = head.maxTime() == Long.MIN_VALUE ? 0 : head.maxTime() / STEP + 1;
            out.println("open " + (k - 1) + " ok");
            out.flush();
            long[] refs = new long[SERIES + WIDE];
            while (true) {
                Appender app = head.appender();
                for (int i = 0; i < SERIES + WIDE; i++) {
                    if (inBatch(i, k)) {
                        refs[i] = app.append(refs[i], labels(i), k * STEP, value(i, k));
                    }
                }
                app.commit();
                out.println("commit " + k + " ok");
                out.flush();
                long mint = truncationAfter(k);
                if (mint != Long.MIN_VALUE) {
                    head.truncate(mint);
                }
                k++;
            }
        }
    }
}

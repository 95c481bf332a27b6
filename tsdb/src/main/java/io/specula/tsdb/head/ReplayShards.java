package io.specula.tsdb.head;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Applies replayed samples to their series on worker threads while the opening thread goes on
 * reading and decoding the WAL, as Prometheus shards its replay. Series are sharded by
 * reference, so the samples of one series reach one worker in log order; series records are
 * still handled by the opening thread, before any sample of theirs is handed out.
 *
 * <p>Samples travel in batches of primitive arrays, recycled through a free list: nothing is
 * allocated per sample. The opening thread calls {@link #add}, then {@link #finish}, which
 * waits for the workers and rethrows what failed there. Not thread-safe on the adding side.
 */
final class ReplayShards {
    private static final int BATCH = 4096;
    private static final Batch END = new Batch();

    private static final class Batch {
        final MemSeries[] series = new MemSeries[BATCH];
        final long[] ts = new long[BATCH];
        final double[] vs = new double[BATCH];
        /** A histogram sample's value (integer or float histogram, the worker's own copy); null for a float sample. */
        final Object[] hists = new Object[BATCH];
        int n;
    }

    /** What one worker applied; read after {@link #finish}. */
    static final class Totals {
        long applied, covered;
        long minT = Long.MAX_VALUE, maxT = Long.MIN_VALUE;
    }

    private final int shards;
    private final ArrayBlockingQueue<Batch>[] queues;
    private final ArrayBlockingQueue<Batch> free;
    private final Batch[] open;
    private final Thread[] workers;
    private final Totals[] totals;
    private final long chunkRange;
    private final HeadChunks chunks;
    private volatile Throwable failure;
    private boolean finished;

    @SuppressWarnings("unchecked")
    ReplayShards(int shards, long chunkRange, HeadChunks chunks) {
        this.shards = shards;
        this.chunkRange = chunkRange;
        this.chunks = chunks;
        int batches = shards * 4;
        queues = new ArrayBlockingQueue[shards];
        free = new ArrayBlockingQueue<>(batches + shards); // room for every batch, the open ones included
        for (int i = 0; i < batches; i++) {
            free.add(new Batch());
        }
        open = new Batch[shards];
        workers = new Thread[shards];
        totals = new Totals[shards];
        for (int w = 0; w < shards; w++) {
            queues[w] = new ArrayBlockingQueue<>(batches + 1);
            open[w] = new Batch();
            totals[w] = new Totals();
            int shard = w;
            workers[w] = Thread.ofPlatform().daemon().name("head-replay-" + w).start(() -> work(shard));
        }
    }

    /** Hands a sample to the worker of its series. */
    void add(MemSeries s, long t, double v) throws IOException {
        add(s, t, v, null);
    }

    /** Hands a histogram sample ({@code h} or {@code fh}, given away) to the worker of its series. */
    void addHistogram(MemSeries s, long t, io.specula.model.histogram.Histogram h,
            io.specula.model.histogram.FloatHistogram fh) throws IOException {
        add(s, t, 0, h != null ? h : fh);
    }

    private void add(MemSeries s, long t, double v, Object hist) throws IOException {
        int w = (int) (s.ref % shards);
        Batch b = open[w];
        int i = b.n;
        b.series[i] = s;
        b.ts[i] = t;
        b.vs[i] = v;
        b.hists[i] = hist;
        b.n = i + 1;
        if (b.n == BATCH) {
            try {
                queues[w].put(b);
                open[w] = free.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while replaying the WAL");
            }
        }
    }

    /** Sends what is left, waits for the workers and returns their totals. Once only. */
    Totals[] finish() throws IOException {
        if (finished) {
            throw new IllegalStateException("already finished");
        }
        finished = true;
        try {
            for (int w = 0; w < shards; w++) {
                if (open[w].n > 0) {
                    queues[w].put(open[w]);
                }
                queues[w].put(END);
            }
            for (Thread t : workers) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while replaying the WAL");
        }
        Throwable f = failure;
        if (f instanceof RuntimeException r) {
            throw r;
        }
        if (f instanceof Error e) {
            throw e;
        }
        return totals;
    }

    /** Stops the workers after a failed replay (their work is dropped); nothing when finished. */
    void abort() {
        if (!finished) {
            failure = new IllegalStateException("replay aborted");
            try {
                finish();
            } catch (IOException | RuntimeException ignored) {
                // the replay failed already; this only stops the threads
            }
        }
    }

    private void work(int shard) {
        Totals tot = totals[shard];
        ArrayBlockingQueue<Batch> q = queues[shard];
        try {
            while (true) {
                Batch b = q.take();
                if (b == END) {
                    return;
                }
                if (failure == null) {
                    try {
                        apply(b, tot);
                    } catch (RuntimeException | Error e) {
                        failure = e; // keep draining, so that the adding thread never waits forever
                    }
                }
                java.util.Arrays.fill(b.hists, 0, b.n, null);
                b.n = 0;
                free.put(b);
            }
        } catch (InterruptedException e) {
            failure = new IllegalStateException("replay worker interrupted", e);
        }
    }

    private void apply(Batch b, Totals tot) {
        for (int i = 0; i < b.n; i++) {
            MemSeries s = b.series[i];
            long t = b.ts[i];
            synchronized (s) {
                if (t <= s.maxT) {
                    tot.covered++;
                    continue;
                }
                Object hist = b.hists[i];
                if (hist == null) {
                    s.append(t, b.vs[i], chunkRange, chunks);
                } else if (hist instanceof io.specula.model.histogram.Histogram h) {
                    s.appendHistogram(t, h, null, chunkRange, chunks);
                } else {
                    s.appendHistogram(t, null, (io.specula.model.histogram.FloatHistogram) hist, chunkRange, chunks);
                }
            }
            tot.applied++;
            tot.minT = Math.min(tot.minT, t);
            tot.maxT = Math.max(tot.maxT, t);
        }
    }
}

package io.specula.remote.write;

import io.specula.remote.SnappyBlock;
import io.specula.tsdb.encoding.Snappy;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One sending lane of a queue: a bounded ring of samples (parallel arrays, no object per sample)
 * that its thread sends in batches of up to {@code max_samples_per_send}, or whatever is there
 * after {@code batch_send_deadline}. A series always goes to the same shard and a shard sends
 * one batch at a time, retrying it until it is delivered or refused, so samples of a series
 * arrive in WAL order.
 *
 * <p>{@link #enqueued()} and {@link #done()} count samples in and samples finished (sent, or
 * given up on); the queue saves a WAL position once every shard's {@code done} has reached
 * what was enqueued before it.
 */
final class Shard implements Runnable {
    private final QueueManager q;
    private final int capacity, maxPerSend;
    private final Series[] rs;
    private final long[] rt;
    private final double[] rv;
    /** Null for a float sample; a {@link HistSample} or an exemplar's {@code Labels} otherwise. */
    private final Object[] rx;
    private int head, size;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition(), notFull = lock.newCondition();
    private volatile long enqueued, done;
    private boolean draining;
    private volatile boolean stopped;
    private Thread thread;

    // The batch being sent, owned by the shard's thread.
    private final Series[] bs;
    private final long[] bt;
    private final double[] bv;
    private final Object[] bx;
    private final WriteEncoder encoder = new WriteEncoder();
    private final Snappy snappy = new Snappy();
    private byte[] compressed = new byte[0];

    Shard(QueueManager q, int index, int capacity, int maxPerSend) {
        this.q = q;
        this.capacity = Math.max(capacity, maxPerSend);
        this.maxPerSend = maxPerSend;
        rs = new Series[this.capacity];
        rt = new long[this.capacity];
        rv = new double[this.capacity];
        rx = new Object[this.capacity];
        bs = new Series[maxPerSend];
        bt = new long[maxPerSend];
        bv = new double[maxPerSend];
        bx = new Object[maxPerSend];
    }

    void start(String name) {
        thread = Thread.ofPlatform().daemon().name(name).start(this);
    }

    long enqueued() {
        return enqueued;
    }

    long done() {
        return done;
    }

    int pending() {
        return (int) (enqueued - done);
    }

    /**
     * Adds a float sample ({@code x} null), a native histogram ({@code x} a {@link HistSample}) or
     * an exemplar ({@code x} its labels, {@code v} its value), waiting while the ring is full. All
     * kinds share the ring, so a series' floats, histograms and exemplars keep their WAL order.
     */
    void offer(Series s, long t, double v, Object x) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            if (size == capacity) {
                q.enqueueRetry();
                while (size == capacity) {
                    if (stopped) {
                        throw new InterruptedException("shard stopped");
                    }
                    notFull.await(100, TimeUnit.MILLISECONDS);
                }
            }
            int i = (head + size) % capacity;
            rs[i] = s;
            rt[i] = t;
            rv[i] = v;
            rx[i] = x;
            size++;
            enqueued++;
            if (size >= maxPerSend) {
                notEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Adds the entries {@code order[from, to)} of the parallel arrays, in that order, under one
     * lock (waiting while the ring is full), as {@link #offer} adds one.
     */
    void offerAll(Series[] s, long[] t, double[] v, Object[] x, int[] order, int from, int to) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            boolean counted = false;
            for (int k = from; k < to; k++) {
                if (size == capacity) {
                    if (!counted) {
                        q.enqueueRetry();
                        counted = true;
                    }
                    notEmpty.signal();
                    while (size == capacity) {
                        if (stopped) {
                            throw new InterruptedException("shard stopped");
                        }
                        notFull.await(100, TimeUnit.MILLISECONDS);
                    }
                }
                int e = order[k];
                int i = (head + size) % capacity;
                rs[i] = s[e];
                rt[i] = t[e];
                rv[i] = v[e];
                rx[i] = x[e];
                size++;
                enqueued++;
            }
            if (size >= maxPerSend) {
                notEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Sends what is queued, then ends the thread; returns once it has (resharding). */
    void drain() throws InterruptedException {
        lock.lock();
        try {
            draining = true;
            notEmpty.signal();
        } finally {
            lock.unlock();
        }
        thread.join();
    }

    /** Ends the thread now; what was not delivered stays unacknowledged (resent after a restart). */
    void stop() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        try {
            while (!stopped) {
                int n = take();
                if (n < 0) {
                    return;
                }
                if (n > 0) {
                    q.send(this, encoder, bs, bt, bv, bx, n);
                    java.util.Arrays.fill(bs, 0, n, null);
                    java.util.Arrays.fill(bx, 0, n, null);
                    done += n;
                }
            }
        } catch (InterruptedException e) {
            // stopped
        }
    }

    /** Waits for a full batch or the deadline; -1 when drained and asked to end. */
    private int take() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long deadline = System.nanoTime() + q.batchSendDeadlineNanos();
            while (size < maxPerSend && !draining) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    if (size > 0) {
                        break;
                    }
                    deadline = System.nanoTime() + q.batchSendDeadlineNanos();
                    left = deadline - System.nanoTime();
                }
                notEmpty.awaitNanos(left);
            }
            if (size == 0) {
                return draining ? -1 : 0;
            }
            int n = Math.min(size, maxPerSend);
            for (int k = 0; k < n; k++) {
                int i = (head + k) % capacity;
                bs[k] = rs[i];
                bt[k] = rt[i];
                bv[k] = rv[i];
                bx[k] = rx[i];
                rs[i] = null;
                rx[i] = null;
            }
            head = (head + n) % capacity;
            size -= n;
            notFull.signal();
            return n;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Snappy-compresses the encoder's bytes into this shard's reused buffer ({@link #compressed()});
     * returns the length. On the shard's thread only.
     */
    int compressInto(WriteEncoder e) {
        int need = Snappy.maxCompressedLength(e.length());
        if (compressed.length < need) {
            compressed = new byte[need + need / 4];
        }
        return snappy.compress(e.buffer(), 0, e.length(), compressed, 0);
    }

    /** The buffer {@link #compressInto} wrote; valid until its next call. */
    byte[] compressed() {
        return compressed;
    }

    static byte[] compress(WriteEncoder e) {
        return SnappyBlock.encode(e.buffer(), e.length());
    }

    static long jitter(long backoffMillis) {
        return backoffMillis / 2 + ThreadLocalRandom.current().nextLong(backoffMillis / 2 + 1);
    }
}

package io.specula.tsdb.wal;

import io.specula.tsdb.encoding.ByteArrayDataOutput;
import io.specula.tsdb.encoding.Snappy;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * Appends records to a WAL directory in Prometheus's segment format (see {@link WalFormat}).
 *
 * <p>Opening never touches existing segments: writing starts in a new segment after the last
 * one, as Prometheus does, so a torn tail left by a crash stays where the reader reports it
 * (run {@link WalRepair} first when the reader found corruption).
 *
 * <p><b>Writing.</b> {@link #append} puts a record into the in-memory 32 KiB page, writing each
 * page to the segment file as soon as it is full. {@link #flush} writes the partial current
 * page; {@link #log} is append + flush, the commit of a head appender. A record larger than
 * the space left in the segment starts a new one ({@link #nextSegment}); records never span
 * segments.
 *
 * <p><b>Bound on loss.</b>
 * <ul>
 * <li>Process crash (kill -9, OOM killer, JVM crash): every record whose {@code log} or
 *     following {@code flush} returned is in the kernel's page cache and survives. Records only
 *     {@code append}ed may be lost, except those whose pages filled up and were written. At
 *     most the record being written at the moment of the crash is torn; the reader reports it
 *     as a {@link io.specula.tsdb.encoding.CorruptionException} and {@link WalRepair} cuts it off.</li>
 * <li>Machine crash or power loss: with {@link SyncPolicy#SEGMENT} (the default, as Prometheus)
 *     a segment is fsynced when it is completed, so the loss is bounded by the current segment
 *     (up to the segment size, 128 MiB by default) plus pages the kernel had not written back.
 *     With {@link SyncPolicy#FLUSH} every {@code flush}/{@code log} also fsyncs, and nothing
 *     flushed is lost, at the price of one fsync per commit.</li>
 * </ul>
 *
 * <p>Thread-safe: all methods synchronize on the writer; each record is written whole, and a
 * thread's records keep their order. After an I/O error the writer refuses further writes
 * (the page state is unknown); close it and reopen, which starts a new segment.
 */
public final class WalWriter implements Closeable {

    /** When segment data is forced to stable storage. */
    public enum SyncPolicy {
        /** fsync a segment when it is completed, in the background, and on close (Prometheus's policy). */
        SEGMENT,
        /** Also fsync on every flush: nothing flushed is lost on power failure; one fsync per commit. */
        FLUSH
    }

    /**
     * @param segmentSize size at which segments are cut, a positive multiple of the page size
     * @param snappy compress records with Snappy (a record is stored uncompressed when that is not smaller)
     * @param sync the fsync policy
     */
    public record Options(int segmentSize, boolean snappy, SyncPolicy sync) {
        public Options {
            if (segmentSize <= 0 || segmentSize % WalFormat.PAGE_SIZE != 0) {
                throw new IllegalArgumentException("segment size " + segmentSize + " is not a positive multiple of " + WalFormat.PAGE_SIZE);
            }
            if (sync == null) {
                throw new IllegalArgumentException("sync policy is null");
            }
        }

        /** 128 MiB segments, uncompressed, fsync per segment. */
        public static Options defaults() {
            return new Options(WalFormat.DEFAULT_SEGMENT_SIZE, false, SyncPolicy.SEGMENT);
        }

        public Options withSegmentSize(int size) {
            return new Options(size, snappy, sync);
        }

        public Options withSnappy(boolean on) {
            return new Options(segmentSize, on, sync);
        }

        public Options withSync(SyncPolicy policy) {
            return new Options(segmentSize, snappy, policy);
        }
    }

    private static final byte[] ZEROS = new byte[WalFormat.PAGE_SIZE];

    private final Path dir;
    private final Options options;
    private final int pagesPerSegment;
    private final ByteBuffer page = ByteBuffer.allocateDirect(WalFormat.PAGE_SIZE); // big-endian
    private final CRC32C crc = new CRC32C();
    private final Snappy snappy;
    private byte[] compressed = new byte[0];

    private FileChannel segment;
    private int segmentIndex;
    private int donePages; // complete pages written to the current segment
    private int alloc; // bytes used in the current page
    private int flushed; // bytes of the current page already written to the file

    private ExecutorService background; // fsyncs and closes completed segments
    private volatile IOException backgroundFailure;
    private IOException failure;
    private boolean closed;

    private WalWriter(Path dir, Options options) {
        this.dir = dir;
        this.options = options;
        this.pagesPerSegment = options.segmentSize() / WalFormat.PAGE_SIZE;
        this.snappy = options.snappy() ? new Snappy() : null;
    }

    /** Opens {@code dir} (created when missing) with the {@link Options#defaults() default options}. */
    public static WalWriter open(Path dir) throws IOException {
        return open(dir, Options.defaults());
    }

    /** Opens {@code dir} (created when missing) and starts a new segment after the last existing one. */
    public static WalWriter open(Path dir, Options options) throws IOException {
        Files.createDirectories(dir);
        WalWriter w = new WalWriter(dir, options);
        w.segmentIndex = SegmentFiles.last(dir) + 1;
        w.segment = createSegment(dir, w.segmentIndex);
        SegmentFiles.syncDir(dir);
        return w;
    }

    private static FileChannel createSegment(Path dir, int index) throws IOException {
        return FileChannel.open(SegmentFiles.path(dir, index),
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    public Path dir() {
        return dir;
    }

    public Options options() {
        return options;
    }

    /** The index of the segment being written. */
    public synchronized int segmentIndex() {
        return segmentIndex;
    }

    /** Bytes of the current segment, written or buffered. */
    public synchronized long segmentOffset() {
        return (long) donePages * WalFormat.PAGE_SIZE + alloc;
    }

    /** Appends one record and flushes: durable against a process crash when this returns. */
    public synchronized void log(byte[] rec, int off, int len) throws IOException {
        append(rec, off, len);
        flush();
    }

    /** Appends the records in order and flushes once. */
    public synchronized void log(byte[]... recs) throws IOException {
        for (byte[] r : recs) {
            append(r, 0, r.length);
        }
        flush();
    }

    /** Appends the records held by the outputs ({@code array()[0, size())}) in order and flushes once. */
    public synchronized void log(ByteArrayDataOutput... recs) throws IOException {
        for (ByteArrayDataOutput r : recs) {
            append(r.array(), 0, r.size());
        }
        flush();
    }

    /** Appends {@code rec[0, size())} without flushing the partial page. */
    public synchronized void append(ByteArrayDataOutput rec) throws IOException {
        append(rec.array(), 0, rec.size());
    }

    /** Appends {@code rec[off, off+len)} without flushing the partial page. */
    public synchronized void append(byte[] rec, int off, int len) throws IOException {
        checkWritable();
        byte[] data = rec;
        int dataOff = off;
        int dataLen = len;
        int flags = 0;
        if (snappy != null && len > 0) {
            int max = Snappy.maxCompressedLength(len);
            if (compressed.length < max) {
                compressed = new byte[max];
            }
            int clen = snappy.compress(rec, off, len, compressed, 0);
            // Small records often grow under Snappy; store those as they are (Prometheus does too).
            if (clen < len) {
                data = compressed;
                dataOff = 0;
                dataLen = clen;
                flags = WalFormat.SNAPPY_FLAG;
            }
        }
        try {
            if (dataLen > spaceLeftInSegment() && (donePages > 0 || alloc > 0)) {
                cutSegment();
            }
            writeFragments(data, dataOff, dataLen, flags);
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    /** Record bytes that still fit into the current segment, after fragment headers. */
    private long spaceLeftInSegment() {
        long inPage = WalFormat.PAGE_SIZE - alloc - WalFormat.HEADER_SIZE;
        return inPage + (long) (WalFormat.PAGE_SIZE - WalFormat.HEADER_SIZE) * (pagesPerSegment - donePages - 1);
    }

    private void writeFragments(byte[] data, int off, int len, int flags) throws IOException {
        int pos = 0;
        boolean first = true;
        do {
            int room = WalFormat.PAGE_SIZE - alloc;
            // A header needs 7 bytes; with exactly 7 left only an empty record fits (no empty
            // fragments that merely carry a header).
            if (room < WalFormat.HEADER_SIZE || (room == WalFormat.HEADER_SIZE && pos < len)) {
                completePage();
                room = WalFormat.PAGE_SIZE;
            }
            int n = Math.min(len - pos, room - WalFormat.HEADER_SIZE);
            boolean last = pos + n == len;
            int type = first ? (last ? WalFormat.FULL : WalFormat.FIRST) : (last ? WalFormat.LAST : WalFormat.MIDDLE);
            crc.reset();
            crc.update(data, off + pos, n);
            page.put(alloc, (byte) (type | flags));
            page.putShort(alloc + 1, (short) n);
            page.putInt(alloc + 3, (int) crc.getValue());
            page.put(alloc + WalFormat.HEADER_SIZE, data, off + pos, n);
            alloc += WalFormat.HEADER_SIZE + n;
            pos += n;
            first = false;
        } while (pos < len);
        if (WalFormat.PAGE_SIZE - alloc < WalFormat.HEADER_SIZE) {
            completePage();
        }
    }

    /** Zero-pads the current page, writes what is not yet written, starts a fresh page. */
    private void completePage() throws IOException {
        page.put(alloc, ZEROS, 0, WalFormat.PAGE_SIZE - alloc);
        write(flushed, WalFormat.PAGE_SIZE);
        donePages++;
        alloc = 0;
        flushed = 0;
    }

    private void write(int from, int to) throws IOException {
        page.limit(to).position(from);
        while (page.hasRemaining()) {
            segment.write(page);
        }
        page.clear();
    }

    /**
     * Writes the partial current page to the segment file (and fsyncs under
     * {@link SyncPolicy#FLUSH}). After it returns, every record appended so far survives a
     * crash of this process.
     */
    public synchronized void flush() throws IOException {
        checkWritable();
        try {
            if (alloc > flushed) {
                write(flushed, alloc);
                flushed = alloc;
            }
            if (options.sync() == SyncPolicy.FLUSH) {
                segment.force(false);
            }
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    /**
     * Ends the current segment (its last page zero-padded) and starts the next, so that a
     * checkpoint can cover every record logged so far.
     *
     * @return the index of the new segment
     */
    public synchronized int nextSegment() throws IOException {
        checkWritable();
        try {
            cutSegment();
        } catch (IOException e) {
            failure = e;
            throw e;
        }
        return segmentIndex;
    }

    private void cutSegment() throws IOException {
        if (alloc > 0) {
            completePage();
        }
        FileChannel prev = segment;
        segment = createSegment(dir, segmentIndex + 1);
        segmentIndex++;
        donePages = 0;
        if (options.sync() == SyncPolicy.FLUSH) {
            finishSegment(prev);
        } else {
            // The fsync of a finished 128 MiB segment can take long; do not hold up commits.
            if (background == null) {
                background = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("wal-segment-sync").factory());
            }
            background.execute(() -> {
                try {
                    finishSegment(prev);
                } catch (IOException e) {
                    if (backgroundFailure == null) {
                        backgroundFailure = e;
                    }
                }
            });
        }
    }

    private void finishSegment(FileChannel prev) throws IOException {
        try (prev) {
            prev.force(false);
        }
        SegmentFiles.syncDir(dir);
    }

    /** Forces the current segment's written pages to stable storage. */
    public synchronized void sync() throws IOException {
        checkWritable();
        segment.force(false);
    }

    /**
     * The first error of a background segment fsync, or null. Such an error does not stop the
     * writer (the data was written; only its durability against power loss is in doubt); the
     * owner should report it. {@link #close()} throws it.
     */
    public IOException backgroundFailure() {
        return backgroundFailure;
    }

    private void checkWritable() throws IOException {
        if (closed) {
            throw new IOException(dir + ": WAL writer is closed");
        }
        if (failure != null) {
            throw new IOException(dir + ": WAL writer failed earlier and accepts no more writes", failure);
        }
    }

    /** Pads and writes the current page, waits for background fsyncs, fsyncs and closes the segment. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        IOException err = null;
        try {
            if (failure == null && alloc > 0) {
                completePage();
            }
        } catch (IOException e) {
            err = e;
        }
        if (background != null) {
            background.shutdown();
            try {
                if (!background.awaitTermination(10, TimeUnit.MINUTES)) {
                    err = add(err, new IOException(dir + ": background segment fsync did not finish"));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                err = add(err, new IOException(dir + ": interrupted while waiting for segment fsync", e));
            }
        }
        try (FileChannel s = segment) {
            if (failure == null) {
                s.force(false);
            }
        } catch (IOException e) {
            err = add(err, e);
        }
        err = add(err, backgroundFailure);
        if (err != null) {
            throw err;
        }
    }

    private static IOException add(IOException first, IOException next) {
        if (first == null) {
            return next;
        }
        if (next != null && next != first) {
            first.addSuppressed(next);
        }
        return first;
    }
}

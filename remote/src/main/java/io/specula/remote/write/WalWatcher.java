package io.specula.remote.write;

import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Histogram;
import io.specula.model.labels.Labels;
import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.record.ExemplarsRecord;
import io.specula.tsdb.record.HistogramSamplesRecord;
import io.specula.tsdb.record.RecordType;
import io.specula.tsdb.record.SamplesRecord;
import io.specula.tsdb.record.SeriesRecord;
import io.specula.tsdb.wal.Checkpoint;
import io.specula.tsdb.wal.SegmentFiles;
import io.specula.tsdb.wal.WalReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a WAL directory as its writer appends to it — the last checkpoint, then every segment
 * in turn, tailing the newest — and hands series and samples to a {@link Sink}. It needs only the
 * directory (the head and an agent's WAL-only storage look the same to it).
 *
 * <p>Where sending starts: from a saved {@link WalPosition} (everything at or after it is sent,
 * series records before it are read for their labels), or, on a first start, samples newer than
 * the start time (Prometheus's rule). A position the head checkpointed away in the meantime
 * (the retention bound was hit) resumes at the checkpoint, whose samples are then sent too.
 *
 * <p>Native histograms and exemplars are sent when the queue's {@code send_native_histograms}
 * and {@code send_exemplars} say so (Prometheus's defaults: neither); records not sent are
 * counted in {@code specula_wal_watcher_records_skipped_total}. Metadata records (type 6) are
 * not sent: Prometheus 3 sends metadata from the scrape cache unless its experimental
 * {@code metadata-wal-records} feature is on. Runs on its own thread until {@link #stop()}.
 */
final class WalWatcher implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(WalWatcher.class);
    private static final long POLL_MILLIS = 100;

    /** What the watcher feeds; called from the watcher's thread only. */
    interface Sink {
        void storeSeries(long ref, Labels labels, int segment);

        /** Forgets series whose record was last seen before {@code segment} (a checkpoint at it was read). */
        void seriesReset(int segment);

        /** One float sample; may block while the queue is full. */
        void append(long ref, long t, double v) throws InterruptedException;

        /** One native-histogram sample (exactly one of h, fh set; owned by the caller: copy to keep); may block. */
        void appendHistogram(long ref, long t, long st, Histogram h, FloatHistogram fh) throws InterruptedException;

        /** One exemplar; may block. */
        void appendExemplar(long ref, long t, double v, Labels exemplarLabels) throws InterruptedException;

        /** Everything before {@code (segment, offset)} has been handed over. */
        void mark(int segment, long offset) throws InterruptedException;

        /** Called between records: the place to reshard. */
        void idle() throws InterruptedException;

        /** The newest saved position (null when none): where a watcher restarted after an error resumes. */
        WalPosition saved();
    }

    private final Path walDir;
    private final String consumer;
    private final Sink sink;
    private final RemoteWriteMetrics metrics;
    private WalPosition resumeAt;
    private final long startTime;
    private volatile boolean stopped;
    private volatile Thread thread;
    private volatile int currentSegment = -1;
    private int lastCheckpoint = -1;
    private final SeriesRecord seriesRec = new SeriesRecord();
    private final SamplesRecord samplesRec = new SamplesRecord();
    private final HistogramSamplesRecord histRec = new HistogramSamplesRecord();
    private final ExemplarsRecord exemplarsRec = new ExemplarsRecord();
    private final boolean sendHistograms, sendExemplars;
    private long lastMark;

    /**
     * @param resumeAt where to resume sending, or null for samples newer than {@code startTime}
     */
    WalWatcher(Path walDir, String consumer, Sink sink, RemoteWriteMetrics metrics, WalPosition resumeAt, long startTime,
            boolean sendHistograms, boolean sendExemplars) {
        this.sendHistograms = sendHistograms;
        this.sendExemplars = sendExemplars;
        this.walDir = walDir;
        this.consumer = consumer;
        this.sink = sink;
        this.metrics = metrics;
        this.resumeAt = resumeAt;
        this.startTime = startTime;
    }

    void start() {
        thread = Thread.ofPlatform().daemon().name("wal-watcher-" + consumer).start(this);
    }

    void stop() {
        stopped = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The segment being read, -1 before the first. */
    int currentSegment() {
        return currentSegment;
    }

    @Override
    public void run() {
        while (!stopped) {
            try {
                watch();
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (stopped) {
                    return;
                }
                LOG.warn("remote write WAL watcher {}: restarting from the checkpoint after an error", consumer, e);
                sleep(1000);
                if (sink.saved() != null) {
                    resumeAt = sink.saved(); // not the start position: what was delivered since is not resent
                }
            }
        }
    }

    private void watch() throws IOException, InterruptedException {
        while (!stopped && !Files.isDirectory(walDir)) {
            sleepPoll();
        }
        Optional<Checkpoint.Ref> cp = Checkpoint.last(walDir);
        int first;
        if (cp.isPresent()) {
            Checkpoint.Ref c = cp.get();
            // Behind the checkpoint (held segments were released past the bound): its samples are
            // the only copy left of what was not sent, so send them.
            boolean sendAll = resumeAt != null && resumeAt.segment() <= c.index();
            if (sendAll) {
                LOG.warn("remote write {}: saved WAL position {} was checkpointed away; resuming at {} "
                        + "(samples older than the checkpoint's are lost)", consumer, resumeAt, c.dir().getFileName());
            }
            readCheckpoint(c, sendAll);
            first = c.index() + 1;
        } else {
            int[] segs = SegmentFiles.list(walDir);
            first = segs.length == 0 ? 0 : segs[0];
        }
        // Segments before a resume point are read too: their series records name later samples' refs.
        int seg = first;
        while (!stopped) {
            Path file = SegmentFiles.path(walDir, seg);
            if (!Files.exists(file)) {
                int last = SegmentFiles.last(walDir);
                if (last < seg) {
                    sleepPoll(); // not created yet
                    continue;
                }
                Optional<Checkpoint.Ref> now = Checkpoint.last(walDir);
                if (now.isPresent() && now.get().index() >= seg) {
                    LOG.warn("remote write {}: WAL segment {} was removed before it was read; rereading from {}",
                            consumer, seg, now.get().dir().getFileName());
                    return; // start over from the newer checkpoint
                }
                throw new IOException("WAL segment " + seg + " is missing");
            }
            currentSegment = seg;
            metrics.walCurrentSegment.labelValues(consumer).set(seg);
            tailSegment(seg, file);
            seg++;
            checkNewCheckpoint();
        }
    }

    /** Reads segment {@code seg} to its end, following it while it is the newest. */
    private void tailSegment(int seg, Path file) throws IOException, InterruptedException {
        long offset = 0;
        while (!stopped) {
            boolean newerExists = SegmentFiles.last(walDir) > seg;
            long before = offset;
            offset = readFrom(seg, file, offset, newerExists);
            if (newerExists) {
                return; // segment complete (read after the next one appeared) and read through
            }
            if (offset == before) {
                sink.mark(seg, offset);
                sink.idle();
                sleepPoll();
            }
        }
    }

    /** Reads records from {@code offset}; returns the offset after the last complete record. */
    private long readFrom(int seg, Path file, long offset, boolean complete) throws IOException, InterruptedException {
        try (WalReader r = WalReader.openAt(file, offset)) {
            while (!stopped) {
                boolean more;
                try {
                    more = r.next();
                } catch (CorruptionException e) {
                    if (!complete) {
                        return offset; // the writer is mid-record: read it once it is whole
                    }
                    metrics.walDecodeFailures.labelValues(consumer).inc();
                    LOG.warn("remote write {}: WAL segment {} is damaged at {}: {}; continuing with the next segment",
                            consumer, seg, e.offset(), e.getMessage());
                    return offset;
                }
                if (!more) {
                    return offset;
                }
                handle(r, seg, r.recordOffset(), true);
                offset = r.position();
                long now = System.nanoTime();
                if (now - lastMark > 200_000_000L) {
                    lastMark = now;
                    sink.mark(seg, offset);
                    sink.idle();
                }
            }
        } catch (NoSuchFileException e) {
            return offset;
        }
        return offset;
    }

    private void readCheckpoint(Checkpoint.Ref c, boolean sendSamples) throws IOException, InterruptedException {
        try (WalReader r = WalReader.open(c.dir())) {
            while (r.next()) {
                handle(r, c.index(), -1, sendSamples);
            }
        } catch (NoSuchFileException e) {
            throw new IOException("checkpoint " + c.dir() + " was replaced while it was read", e);
        }
        lastCheckpoint = c.index();
    }

    /** After moving to a new segment: a newer checkpoint means older series can be forgotten. */
    private void checkNewCheckpoint() throws IOException, InterruptedException {
        Optional<Checkpoint.Ref> cp = Checkpoint.last(walDir);
        if (cp.isEmpty() || cp.get().index() <= lastCheckpoint) {
            return;
        }
        try {
            readCheckpoint(cp.get(), false);
            sink.seriesReset(cp.get().index());
        } catch (IOException e) {
            LOG.debug("remote write {}: checkpoint changed while read: {}", consumer, e.getMessage());
        }
    }

    /**
     * One record. {@code offset} is the record's start (-1 in a checkpoint), which decides
     * whether its samples are sent when resuming from a saved position.
     */
    private void handle(WalReader r, int seg, long offset, boolean mayTail) throws IOException, InterruptedException {
        byte[] rec = r.record();
        int len = r.recordLength();
        RecordType type = RecordType.of(rec, len);
        metrics.walRecordsRead.labelValues(consumer, typeName(type)).inc();
        try {
            switch (type) {
                case SERIES -> {
                    seriesRec.decode(rec, len);
                    for (int i = 0; i < seriesRec.size(); i++) {
                        sink.storeSeries(seriesRec.ref(i), seriesRec.labels(i), seg);
                    }
                    seriesRec.clear();
                }
                case SAMPLES, SAMPLES_V2 -> {
                    if (!mayTail || delivered(seg, offset)) {
                        return;
                    }
                    samplesRec.decode(rec, len);
                    boolean preTailing = false;
                    for (int i = 0; i < samplesRec.size(); i++) {
                        long t = samplesRec.t(i);
                        if (resumeAt == null && t <= startTime) {
                            continue;
                        }
                        preTailing = true;
                        sink.append(samplesRec.ref(i), t, samplesRec.v(i));
                    }
                    if (preTailing && resumeAt != null) {
                        metrics.walSamplesPreTailing.labelValues(consumer).inc();
                    }
                }
                case HISTOGRAM_SAMPLES, FLOAT_HISTOGRAM_SAMPLES, CUSTOM_BUCKETS_HISTOGRAM_SAMPLES,
                     CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES, HISTOGRAM_SAMPLES_V2, FLOAT_HISTOGRAM_SAMPLES_V2 -> {
                    if (!sendHistograms) {
                        metrics.walRecordsSkipped.labelValues(consumer, typeName(type)).inc();
                        return;
                    }
                    if (!mayTail || delivered(seg, offset)) {
                        return;
                    }
                    histRec.decode(rec, len);
                    boolean flt = histRec.isFloat();
                    for (int i = 0; i < histRec.size(); i++) {
                        long t = histRec.t(i);
                        if (resumeAt == null && t <= startTime) {
                            continue;
                        }
                        sink.appendHistogram(histRec.ref(i), t, histRec.st(i), flt ? null : histRec.histogram(i),
                                flt ? histRec.floatHistogram(i) : null);
                    }
                }
                case EXEMPLARS -> {
                    if (!sendExemplars) {
                        metrics.walRecordsSkipped.labelValues(consumer, typeName(type)).inc();
                        return;
                    }
                    if (!mayTail || delivered(seg, offset)) {
                        return;
                    }
                    exemplarsRec.decode(rec, len);
                    for (int i = 0; i < exemplarsRec.size(); i++) {
                        long t = exemplarsRec.t(i);
                        if (resumeAt == null && t <= startTime) {
                            continue;
                        }
                        sink.appendExemplar(exemplarsRec.ref(i), t, exemplarsRec.v(i), exemplarsRec.labels(i));
                    }
                }
                case METADATA, TOMBSTONES, MIN_VALID_TIME, MMAP_MARKERS -> {
                    // Storage-only records; metadata is not sent from the WAL (see the class comment).
                }
                default -> metrics.walRecordsSkipped.labelValues(consumer, typeName(type)).inc();
            }
        } catch (CorruptionException e) {
            metrics.walDecodeFailures.labelValues(consumer).inc();
            LOG.warn("remote write {}: cannot decode a {} record in segment {}: {}", consumer, typeName(type), seg, e.getMessage());
        }
    }

    /** Whether the record at {@code (seg, offset)} was delivered before a restart (offset -1: a checkpoint's). */
    private boolean delivered(int seg, long offset) {
        return resumeAt != null && offset >= 0 && resumeAt.covers(seg, offset);
    }

    private static String typeName(RecordType t) {
        return t.name().toLowerCase(Locale.ROOT);
    }

    private void sleepPoll() throws InterruptedException {
        if (stopped) {
            throw new InterruptedException();
        }
        Thread.sleep(POLL_MILLIS);
    }

    private void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            stopped = true;
        }
    }
}

package io.specula.tsdb.agent;

import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Histogram;
import io.specula.model.labels.Labels;
import io.specula.tsdb.record.ExemplarsRecord;
import io.specula.tsdb.record.HistogramSamplesRecord;
import io.specula.tsdb.encoding.ByteArrayDataOutput;
import io.specula.tsdb.record.RecordType;
import io.specula.tsdb.record.SamplesRecord;
import io.specula.tsdb.record.SeriesRecord;
import io.specula.tsdb.storage.AppendException;
import io.specula.tsdb.storage.Appendable;
import io.specula.tsdb.storage.Appender;
import io.specula.tsdb.wal.Checkpoint;
import io.specula.tsdb.wal.SegmentFiles;
import io.specula.tsdb.wal.WalReader;
import io.specula.tsdb.wal.WalWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Agent mode's storage ({@code --agent}): a write-ahead log and nothing else, as Prometheus's
 * {@code tsdb/agent}. Series get references kept in memory (labels and the newest timestamp,
 * no samples); every commit writes a series record for new series, then samples, native-histogram
 * (types 7–10, 12, 13) and exemplar records to the WAL in {@code <dir>/wal}, in the TSDB's record
 * format, so a WAL watcher (remote write) can
 * follow it. There are no blocks and no queries. {@link #truncate(long)} checkpoints the
 * segments older than the newest, dropping series not written since {@code mint}, and deletes
 * them. Thread-safe: appenders may run concurrently; a commit logs under the WAL's lock.
 */
public final class AgentStorage implements Appendable, Closeable {
    /** A series the agent knows: its reference and the newest timestamp written. */
    private static final class Entry {
        final long ref;
        final Labels labels;
        volatile long lastTs;
        /** The newest exemplar written, to drop a scrape's repeat of it (as Prometheus's agent). */
        volatile Labels lastExemplarLabels;
        volatile long lastExemplarTs;
        volatile double lastExemplarValue;
        volatile boolean lastExemplarHasTs;

        Entry(long ref, Labels labels, long lastTs) {
            this.ref = ref;
            this.labels = labels;
            this.lastTs = lastTs;
        }
    }

    private final Path walDir;
    private final WalWriter wal;
    private final WalWriter.Options walOptions;
    private final Map<Labels, Entry> byLabels = new ConcurrentHashMap<>();
    private final Map<Long, Entry> byRef = new ConcurrentHashMap<>();
    private final AtomicLong nextRef = new AtomicLong(1);
    private final AtomicLong samplesAppended = new AtomicLong();
    private final Object truncateLock = new Object();
    /** The oldest segment a WAL reader (remote write) still needs; {@link Integer#MAX_VALUE} = none. */
    private volatile java.util.function.IntSupplier walHold = () -> Integer.MAX_VALUE;

    private AgentStorage(Path walDir, WalWriter wal, WalWriter.Options walOptions) {
        this.walDir = walDir;
        this.wal = wal;
        this.walOptions = walOptions;
    }

    /**
     * Opens (creating) the agent's storage in {@code dir}; an existing WAL is replayed for its
     * series, so references stay stable across restarts and a watcher can resume.
     */
    public static AgentStorage open(Path dir, WalWriter.Options walOptions) throws IOException {
        Path walDir = dir.resolve("wal");
        Files.createDirectories(walDir);
        AgentStorage s = new AgentStorage(walDir, null, walOptions);
        s.replay();
        return new AgentStorage(walDir, WalWriter.open(walDir, walOptions), walOptions).adopt(s);
    }

    private AgentStorage adopt(AgentStorage replayed) {
        byLabels.putAll(replayed.byLabels);
        byRef.putAll(replayed.byRef);
        nextRef.set(replayed.nextRef.get());
        return this;
    }

    private void replay() throws IOException {
        SeriesRecord series = new SeriesRecord();
        SamplesRecord samples = new SamplesRecord();
        HistogramSamplesRecord histograms = new HistogramSamplesRecord();
        try (WalReader r = WalReader.openForReplay(walDir)) {
            while (r.next()) {
                byte[] rec = r.record();
                int len = r.recordLength();
                RecordType type = RecordType.of(rec, len);
                if (type == RecordType.SERIES) {
                    series.decode(rec, len);
                    for (int i = 0; i < series.size(); i++) {
                        Entry e = new Entry(series.ref(i), series.labels(i), Long.MIN_VALUE);
                        Entry old = byLabels.putIfAbsent(e.labels, e);
                        byRef.put(e.ref, old != null ? old : e);
                        nextRef.accumulateAndGet(e.ref + 1, Math::max);
                    }
                } else if (type == RecordType.SAMPLES) {
                    samples.decode(rec, len);
                    for (int i = 0; i < samples.size(); i++) {
                        Entry e = byRef.get(samples.ref(i));
                        if (e != null && samples.t(i) > e.lastTs) {
                            e.lastTs = samples.t(i);
                        }
                    }
                } else if (HistogramSamplesRecord.isHistogramRecord(rec, len)) {
                    histograms.decode(rec, len);
                    for (int i = 0; i < histograms.size(); i++) {
                        Entry e = byRef.get(histograms.ref(i));
                        if (e != null && histograms.t(i) > e.lastTs) {
                            e.lastTs = histograms.t(i);
                        }
                    }
                }
            }
        }
    }

    public Path walDir() {
        return walDir;
    }

    /** Series the agent keeps references for. */
    public int numSeries() {
        return byLabels.size();
    }

    /** Samples written since the start. */
    public long samplesAppended() {
        return samplesAppended.get();
    }

    @Override
    public Appender appender() {
        return new AgentAppender();
    }

    /**
     * Lets the remote-write queues hold segments they have not sent: truncation never removes
     * a segment at or after {@code keepFrom} (the sender bounds the hold so a dead receiver
     * cannot fill the disk).
     */
    public void setWalHold(java.util.function.IntSupplier keepFrom) {
        this.walHold = keepFrom;
    }

    /**
     * Starts a new segment and checkpoints every one before it, keeping the series written at or after
     * {@code mint} and the samples not older than it, deletes those segments and forgets the
     * series left behind. Prometheus's agent calls this every {@code --storage.agent.wal-truncate-frequency}.
     *
     * @return how many segments were removed
     */
    public int truncate(long mint) throws IOException {
        synchronized (truncateLock) {
            int[] segs = SegmentFiles.list(walDir);
            if (segs.length == 0) {
                return 0;
            }
            // A new segment first, so that a quiet agent's WAL does not keep one old segment forever.
            int last = wal.nextSegment();
            int to = Math.min(last - 1, walHold.getAsInt() - 1);
            if (to < segs[0]) {
                return 0;
            }
            Checkpoint.create(walDir, segs[0], to, ref -> {
                Entry e = byRef.get(ref);
                return e != null && e.lastTs >= mint;
            }, mint, walOptions);
            int removed = SegmentFiles.deleteBefore(walDir, to + 1);
            Checkpoint.deleteBefore(walDir, to);
            byRef.values().removeIf(e -> e.lastTs < mint);
            byLabels.values().removeIf(e -> !byRef.containsKey(e.ref));
            return removed;
        }
    }

    @Override
    public void close() throws IOException {
        wal.close();
    }

    /**
     * Buffers one transaction's new series, samples, histograms and exemplars; commit logs them
     * in one write (series first, so a reader knows every ref it meets).
     */
    private final class AgentAppender implements Appender {
        private final SeriesRecord newSeries = new SeriesRecord();
        private long[] refs = new long[64];
        private long[] ts = new long[64];
        private double[] vs = new double[64];
        private int n;
        // Histograms: few per scrape, so plain arrays of copies.
        private long[] hRefs = new long[8], hSts = new long[8], hTs = new long[8];
        private Histogram[] hs = new Histogram[8];
        private FloatHistogram[] fhs = new FloatHistogram[8];
        private int nh;
        private boolean hasSt;
        private ExemplarsRecord exemplars;
        private final java.util.BitSet exemplarHasTs = new java.util.BitSet();

        private Entry series(long ref, Labels labels) {
            Entry e = ref != 0 ? byRef.get(ref) : null;
            if (e == null || (labels != null && !labels.equals(e.labels))) {
                e = byLabels.get(labels);
                if (e == null) {
                    Entry created = new Entry(nextRef.getAndIncrement(), labels, Long.MIN_VALUE);
                    e = byLabels.putIfAbsent(labels, created);
                    if (e == null) {
                        e = created;
                        byRef.put(e.ref, e);
                        newSeries.add(e.ref, labels);
                    }
                }
            }
            return e;
        }

        @Override
        public long append(long ref, Labels labels, long t, double v) throws AppendException {
            Entry e = series(ref, labels);
            if (t < e.lastTs) {
                throw new AppendException(AppendException.Reason.OUT_OF_ORDER);
            }
            if (n == refs.length) {
                refs = java.util.Arrays.copyOf(refs, n * 2);
                ts = java.util.Arrays.copyOf(ts, n * 2);
                vs = java.util.Arrays.copyOf(vs, n * 2);
            }
            refs[n] = e.ref;
            ts[n] = t;
            vs[n] = v;
            n++;
            return e.ref;
        }

        @Override
        public long appendHistogram(long ref, Labels labels, long st, long t, Histogram h, FloatHistogram fh)
                throws AppendException {
            Entry e = series(ref, labels);
            if (t < e.lastTs) {
                throw new AppendException(AppendException.Reason.OUT_OF_ORDER);
            }
            if (nh == hRefs.length) {
                int c = nh * 2;
                hRefs = java.util.Arrays.copyOf(hRefs, c);
                hSts = java.util.Arrays.copyOf(hSts, c);
                hTs = java.util.Arrays.copyOf(hTs, c);
                hs = java.util.Arrays.copyOf(hs, c);
                fhs = java.util.Arrays.copyOf(fhs, c);
            }
            hRefs[nh] = e.ref;
            hSts[nh] = st;
            hTs[nh] = t;
            hs[nh] = h == null ? null : h.copy();
            fhs[nh] = h == null ? fh.copy() : null;
            hasSt |= st != 0;
            nh++;
            return e.ref;
        }

        @Override
        public void appendExemplar(long ref, Labels labels, Labels exemplarLabels, long t, double v) throws AppendException {
            appendExemplar(ref, labels, exemplarLabels, true, t, v);
        }

        @Override
        public void appendExemplar(long ref, Labels labels, Labels exemplarLabels, boolean explicitTime, long t, double v)
                throws AppendException {
            Entry e = byRef.get(ref);
            if (e == null) {
                e = series(0, labels);
            }
            int runes = 0;
            for (int i = 0; i < exemplarLabels.size(); i++) {
                runes += exemplarLabels.name(i).codePointCount(0, exemplarLabels.name(i).length())
                        + exemplarLabels.value(i).codePointCount(0, exemplarLabels.value(i).length());
            }
            if (runes > 128) {
                throw new AppendException(AppendException.Reason.EXEMPLAR_LABEL_LENGTH);
            }
            // A scrape repeats the newest exemplar until a new one is observed: log it once.
            // Without a time of its own on either, equal labels and value make a repeat (Prometheus's Exemplar.Equals).
            boolean timed = explicitTime || e.lastExemplarHasTs;
            if (exemplarLabels.equals(e.lastExemplarLabels) && v == e.lastExemplarValue && (!timed || t == e.lastExemplarTs)) {
                return;
            }
            if (exemplars == null) {
                exemplars = new ExemplarsRecord();
            }
            exemplars.add(e.ref, t, v, exemplarLabels);
            exemplarHasTs.set(exemplars.size() - 1, explicitTime);
        }

        @Override
        public void commit() throws IOException {
            int ne = exemplars == null ? 0 : exemplars.size();
            if (newSeries.size() == 0 && n == 0 && nh == 0 && ne == 0) {
                return;
            }
            java.util.List<ByteArrayDataOutput> recs = new java.util.ArrayList<>(3 + HistogramSamplesRecord.MAX_BATCH_RECORDS);
            if (newSeries.size() > 0) {
                ByteArrayDataOutput s = new ByteArrayDataOutput();
                newSeries.encode(s);
                recs.add(s);
            }
            if (n > 0) {
                ByteArrayDataOutput r = new ByteArrayDataOutput();
                SamplesRecord.encode(r, refs, ts, vs, n);
                recs.add(r);
            }
            if (nh > 0) {
                ByteArrayDataOutput[] outs = new ByteArrayDataOutput[HistogramSamplesRecord.MAX_BATCH_RECORDS];
                for (int i = 0; i < outs.length; i++) {
                    outs[i] = new ByteArrayDataOutput();
                }
                int k = HistogramSamplesRecord.encodeBatch(outs, hRefs, hasSt ? hSts : null, hTs, hs, fhs, nh);
                recs.addAll(java.util.Arrays.asList(outs).subList(0, k));
            }
            if (ne > 0) {
                ByteArrayDataOutput x = new ByteArrayDataOutput();
                exemplars.encode(x);
                recs.add(x);
            }
            wal.log(recs.toArray(new ByteArrayDataOutput[0]));
            for (int i = 0; i < n; i++) {
                Entry e = byRef.get(refs[i]);
                if (e != null && ts[i] > e.lastTs) {
                    e.lastTs = ts[i];
                }
            }
            for (int i = 0; i < nh; i++) {
                Entry e = byRef.get(hRefs[i]);
                if (e != null && hTs[i] > e.lastTs) {
                    e.lastTs = hTs[i];
                }
            }
            for (int i = 0; i < ne; i++) { // the newest logged, for the repeat check of later scrapes
                Entry e = byRef.get(exemplars.ref(i));
                if (e != null) {
                    e.lastExemplarLabels = exemplars.labels(i);
                    e.lastExemplarTs = exemplars.t(i);
                    e.lastExemplarValue = exemplars.v(i);
                    e.lastExemplarHasTs = exemplarHasTs.get(i);
                }
            }
            samplesAppended.addAndGet(n + nh);
            rollback();
        }

        @Override
        public void rollback() {
            n = 0;
            java.util.Arrays.fill(hs, 0, nh, null);
            java.util.Arrays.fill(fhs, 0, nh, null);
            nh = 0;
            hasSt = false;
            if (exemplars != null) {
                exemplars.clear();
                exemplarHasTs.clear();
            }
            newSeries.clear();
        }
    }
}

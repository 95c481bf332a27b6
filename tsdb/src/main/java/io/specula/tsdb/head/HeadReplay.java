package io.specula.tsdb.head;

import io.specula.model.labels.SymbolTable;
import io.specula.tsdb.chunkenc.Encoding;
import io.specula.tsdb.chunks.ChunkDiskMapper;
import io.specula.tsdb.chunks.HeadChunkFormat;
import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.exemplar.CircularExemplarStorage;
import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Histogram;
import io.specula.tsdb.record.ExemplarsRecord;
import io.specula.tsdb.record.HistogramSamplesRecord;
import io.specula.tsdb.record.MetadataRecord;
import io.specula.tsdb.record.SamplesRecord;
import io.specula.tsdb.record.SeriesRecord;
import io.specula.tsdb.record.TombstonesRecord;
import io.specula.tsdb.wal.Checkpoint;
import io.specula.tsdb.wal.WalReader;
import io.specula.tsdb.wal.WalRepair;
import io.specula.tsdb.wal.WalReplay;
import io.specula.tsdb.wal.WalWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Opens a head on a data directory, in Prometheus's order: the head chunk files first (each
 * chunk is remembered by series reference), then the WAL, last checkpoint first. A series
 * record creates the series under its logged reference and attaches its chunks from disk; a
 * sample goes straight into memory unless a chunk from disk already covers its time. Nothing
 * is written back to the WAL; new appends go to a new segment.
 *
 * <p>A damaged tail is cut off where the damage starts: of a head chunk file by
 * {@link ChunkDiskMapper#open}, of the checkpoint or the last readable WAL segment by
 * {@link WalRepair}. Everything replayed before the damage stays, which is exactly what the
 * repaired files hold, so a second start replays the same. One use, one thread.
 */
final class HeadReplay {
    private final Path dataDir;
    private final HeadOptions options;
    private final long minValidTime;

    /** Chunks from disk by series reference, three longs each: chunk reference, mint, maxt. */
    private final Map<Long, long[]> mapped = new HashMap<>();
    private long maxMappedSeriesRef;
    private long mappedChunks, droppedMappedChunks;

    private Head head;
    /** Worker threads applying samples; null when the opening thread applies them itself. */
    private ReplayShards shards;
    private long maxSeriesRef;
    private int segmentsDone, segmentsTotal, segmentsReported;
    private long records, series, samples, covered, beforeMinValid, unknown, skippedRecords, oooSamples, tombstoneCount;
    private long minT = Long.MAX_VALUE, maxT = Long.MIN_VALUE;

    private final CircularExemplarStorage exemplarStorage;

    private HeadReplay(Path dataDir, HeadOptions options, CircularExemplarStorage exemplarStorage) {
        this.dataDir = dataDir;
        this.options = options;
        this.exemplarStorage = exemplarStorage;
        this.minValidTime = options.minValidTime();
    }

    static Head open(Path dataDir, HeadOptions options) throws IOException {
        return new HeadReplay(dataDir, options, null).run();
    }

    static Head open(Path dataDir, HeadOptions options, CircularExemplarStorage exemplars) throws IOException {
        return new HeadReplay(dataDir, options, exemplars).run();
    }

    private Head run() throws IOException {
        long start = System.nanoTime();
        Path chunksDir = dataDir.resolve(Head.CHUNKS_DIR);
        Path walDir = dataDir.resolve(Head.WAL_DIR);
        ChunkDiskMapper disk = ChunkDiskMapper.open(chunksDir, options.chunkFileSize(), this::mappedChunk);
        WalWriter wal = null;
        try {
            options.progress().accept(new ReplayProgress(ReplayProgress.Phase.HEAD_CHUNKS, chunksDir, 1, 1));
            head = new Head(options.chunkRange(), new HeadChunks(disk), options.minValidTime(), options.outOfOrderTimeWindow());
            if (exemplarStorage != null) {
                head.useExemplarStorage(exemplarStorage);
            }

            Optional<Checkpoint.Ref> cp = Checkpoint.last(walDir);
            WalReader checkpoint = cp.isPresent() ? WalReader.open(cp.get().dir()) : WalReader.open(List.of());
            // Segments a checkpoint covers may survive a crash between checkpoint and deletion: skip them.
            WalReader segments = Files.isDirectory(walDir)
                    ? WalReader.open(walDir, cp.map(c -> c.index() + 1).orElse(-1), -1) : WalReader.open(List.of());
            segmentsTotal = checkpoint.files().size() + segments.files().size();
            int workers = options.effectiveReplayWorkers();
            shards = workers > 1 ? new ReplayShards(workers, options.chunkRange(), head.chunks) : null;
            WalRepair.Result checkpointRepair = cp.isPresent() ? replay(checkpoint, cp.get().dir()) : null;
            WalRepair.Result walRepair = replay(segments, walDir);
            if (shards != null) {
                for (ReplayShards.Totals t : shards.finish()) {
                    samples += t.applied;
                    covered += t.covered;
                    minT = Math.min(minT, t.minT);
                    maxT = Math.max(maxT, t.maxT);
                }
            }
            if (segmentsReported < segmentsTotal || segmentsTotal == 0) {
                // After a repair (or with no WAL at all) the reader did not get to say it finished.
                options.progress().accept(new ReplayProgress(ReplayProgress.Phase.WAL, walDir, segmentsTotal, segmentsTotal));
            }

            // Out-of-order samples last, as Prometheus does: their series are known by now.
            Path wblDir = dataDir.resolve(Head.WBL_DIR);
            boolean hasWbl = Files.isDirectory(wblDir);
            WalRepair.Result wblRepair = null;
            if (hasWbl) {
                try (WalReader r = WalReader.open(wblDir, -1, -1)) {
                    WalReplay.replay(r, symbols, new WblHandler());
                } catch (CorruptionException e) {
                    wblRepair = WalRepair.repair(wblDir, e);
                }
            }

            for (long[] left : mapped.values()) {
                droppedMappedChunks += left.length / 3; // their series is gone
            }
            mapped.clear();
            series -= head.replayed(Math.max(maxSeriesRef, maxMappedSeriesRef), minT, maxT);
            wal = WalWriter.open(walDir, options.wal());
            head.attachWal(wal);
            if (hasWbl || options.outOfOrderTimeWindow() > 0) {
                WalWriter w = WalWriter.open(wblDir, options.wal());
                head.attachWbl(w);
            }
            head.replayReport = new ReplayReport(disk.repairs(), mappedChunks, droppedMappedChunks, segmentsDone, records,
                    series, samples, covered, beforeMinValid, unknown, checkpointRepair, walRepair, skippedRecords,
                    oooSamples, tombstoneCount, wblRepair, Duration.ofNanos(System.nanoTime() - start));
            return head;
        } catch (IOException | RuntimeException e) {
            if (shards != null) {
                shards.abort();
            }
            try {
                if (wal != null) {
                    wal.close();
                }
                disk.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Visitor of the head chunk files. */
    private void mappedChunk(long seriesRef, long chunkRef, long mint, long maxt, int encodingByte, int numSamples) {
        maxMappedSeriesRef = Math.max(maxMappedSeriesRef, seriesRef);
        if (HeadChunkFormat.isOutOfOrder(encodingByte) || !Encoding.isSupported(HeadChunkFormat.encoding(encodingByte))
                || maxt < minValidTime) {
            droppedMappedChunks++;
            return;
        }
        long[] list = mapped.get(seriesRef);
        int n = list == null ? 0 : list.length;
        list = list == null ? new long[3] : Arrays.copyOf(list, n + 3);
        list[n] = chunkRef;
        list[n + 1] = mint;
        list[n + 2] = maxt;
        mapped.put(seriesRef, list);
    }

    /**
     * Replays one reader; on damage, truncates {@code dir}'s segment there (deleting later ones)
     * and returns what the repair did, else null.
     */
    private WalRepair.Result replay(WalReader reader, Path dir) throws IOException {
        int before = segmentsDone;
        try (reader) {
            WalReplay.Stats stats = WalReplay.replay(reader, symbols, new Handler(before));
            skippedRecords += stats.skippedHistogramRecords() + stats.skippedOtherRecords();
            segmentsDone = before + reader.files().size();
            return null;
        } catch (CorruptionException e) {
            WalRepair.Result r = WalRepair.repair(dir, e);
            segmentsDone = before + reader.files().size();
            return r;
        }
    }

    /** Interns label strings of replayed series: series of one target share most of them. */
    private final SymbolTable symbols = new SymbolTable();

    private final class Handler implements WalReplay.Handler {
        private final int before;
        private final boolean[] created = new boolean[1];

        Handler(int before) {
            this.before = before;
        }

        @Override
        public void series(SeriesRecord r) {
            records++;
            for (int i = 0; i < r.size(); i++) {
                long ref = r.ref(i);
                maxSeriesRef = Math.max(maxSeriesRef, ref);
                MemSeries s = head.replaySeries(ref, r.labels(i), created);
                long[] chunks = mapped.remove(ref);
                if (!created[0]) {
                    // A repeated record, or the labels live under another reference (then an alias).
                    droppedMappedChunks += chunks == null ? 0 : chunks.length / 3;
                    continue;
                }
                series++;
                remember(ref, s);
                if (chunks != null) {
                    attach(s, chunks);
                }
            }
        }

        @Override
        public void samples(SamplesRecord r) throws IOException {
            records++;
            long[] refs = r.refs();
            long[] ts = r.timestamps();
            double[] vs = r.values();
            long[] sts = r.startTimes(); // null for plain samples records
            for (int i = 0; i < r.size(); i++) {
                long t = ts[i];
                long ref = refs[i];
                long st = sts == null ? 0 : sts[i];
                // The common case after a clean restart: a chunk from disk holds the sample.
                // Decided from a dense array, without touching the series object.
                boolean dense = ref > 0 && ref < denseSeries.length;
                if (dense && t <= denseMapped[(int) ref] && denseSeries[(int) ref] != null) {
                    covered++;
                    // Chunk files keep no start times: the WAL restores them for such samples too.
                    startTime(denseSeries[(int) ref], t, st);
                    continue;
                }
                MemSeries s = dense ? denseSeries[(int) ref] : null;
                if (s == null) {
                    s = head.replayTarget(ref); // an alias, or a reference beyond the dense arrays
                    if (s == null) {
                        unknown++;
                        continue;
                    }
                }
                if (t < minValidTime) {
                    beforeMinValid++;
                    continue;
                }
                startTime(s, t, st);
                if (shards != null) {
                    shards.add(s, t, vs[i]);
                    continue;
                }
                synchronized (s) {
                    if (t <= s.maxT) {
                        covered++;
                        continue;
                    }
                    s.append(t, vs[i], head.chunkRange, head.chunks);
                }
                samples++;
                minT = Math.min(minT, t);
                maxT = Math.max(maxT, t);
            }
        }

        /** Histogram samples, with the rules of {@link #samples} (chunks from disk cover them too). */
        @Override
        public boolean histograms(HistogramSamplesRecord r) throws IOException {
            records++;
            boolean floats = r.isFloat();
            for (int i = 0; i < r.size(); i++) {
                long t = r.t(i);
                long ref = r.ref(i);
                boolean dense = ref > 0 && ref < denseSeries.length;
                MemSeries s = dense ? denseSeries[(int) ref] : null;
                if (s != null && t <= denseMapped[(int) ref]) {
                    covered++;
                    startTime(s, t, r.st(i));
                    continue;
                }
                if (s == null) {
                    s = head.replayTarget(ref);
                    if (s == null) {
                        unknown++;
                        continue;
                    }
                }
                if (t < minValidTime) {
                    beforeMinValid++;
                    continue;
                }
                startTime(s, t, r.st(i));
                Histogram h = floats ? null : r.histogram(i);
                FloatHistogram fh = floats ? r.floatHistogram(i) : null;
                if (shards != null) {
                    // The record's objects are reused by the next decode: the worker gets copies.
                    shards.addHistogram(s, t, h == null ? null : h.copy(), fh == null ? null : fh.copy());
                    continue;
                }
                synchronized (s) {
                    if (t <= s.maxT) {
                        covered++;
                        continue;
                    }
                    s.appendHistogram(t, h, fh, head.chunkRange, head.chunks);
                }
                samples++;
                minT = Math.min(minT, t);
                maxT = Math.max(maxT, t);
            }
            return true;
        }

        @Override
        public void tombstones(TombstonesRecord r) {
            records++;
            for (int i = 0; i < r.size(); i++) {
                MemSeries s = head.replayTarget(r.ref(i));
                if (s != null && r.mint(i) <= r.maxt(i)) {
                    head.addTombstone(s.ref, r.mint(i), r.maxt(i));
                    tombstoneCount++;
                }
            }
        }

        @Override
        public void metadata(MetadataRecord r) {
            records++;
        }

        @Override
        public void exemplars(ExemplarsRecord r) {
            records++;
            head.exemplars.replay(r, head);
        }

        @Override
        public void segmentDone(Path file, int done, int total) {
            segmentsDone = before + done;
            segmentsReported = segmentsDone;
            options.progress().accept(new ReplayProgress(ReplayProgress.Phase.WAL, file, segmentsDone, segmentsTotal));
        }
    }

    /**
     * Records a replayed sample's start time (0 = none). Free for series without start times;
     * only the replay thread calls it, so the unlocked check reads a field only it writes.
     */
    private static void startTime(MemSeries s, long t, long st) {
        if (st != 0 || s.hasStartTimes()) {
            synchronized (s) {
                s.putStartTime(t, st);
            }
        }
    }

    /** Replays the WBL: its samples records go to the series' out-of-order chunks, whatever their time. */
    private final class WblHandler implements WalReplay.Handler {
        @Override
        public boolean histograms(HistogramSamplesRecord r) {
            for (int i = 0; i < r.size(); i++) {
                MemSeries s = head.replayTarget(r.ref(i));
                if (s == null) {
                    unknown++;
                    continue;
                }
                synchronized (s) {
                    if (s.insertOutOfOrderHistogram(r.t(i), r.isFloat() ? null : r.histogram(i), r.isFloat() ? r.floatHistogram(i) : null)) {
                        oooSamples++;
                        head.hadOutOfOrder = true;
                        s.putStartTime(r.t(i), r.st(i));
                    }
                }
            }
            return true;
        }

        @Override
        public void samples(SamplesRecord r) {
            long[] refs = r.refs();
            long[] ts = r.timestamps();
            double[] vs = r.values();
            for (int i = 0; i < r.size(); i++) {
                MemSeries s = head.replayTarget(refs[i]);
                if (s == null) {
                    unknown++;
                    continue;
                }
                synchronized (s) {
                    if (s.insertOutOfOrder(ts[i], vs[i])) {
                        oooSamples++;
                        head.hadOutOfOrder = true;
                        s.putStartTime(ts[i], r.st(i));
                    }
                }
            }
        }
    }

    /** Largest reference kept in the dense arrays; Prometheus numbers series from 1 without gaps. */
    private static final int DENSE_LIMIT = 1 << 26;
    /** Series by reference, and the end of their chunks from disk, for references below {@link #DENSE_LIMIT}. */
    private MemSeries[] denseSeries = new MemSeries[1024];
    private long[] denseMapped = filled(1024);

    private static long[] filled(int n) {
        long[] a = new long[n];
        Arrays.fill(a, Long.MIN_VALUE);
        return a;
    }

    private void remember(long ref, MemSeries s) {
        if (ref <= 0 || ref >= DENSE_LIMIT) {
            return;
        }
        int i = (int) ref;
        if (i >= denseSeries.length) {
            int cap = Math.max(i + 1, (int) Math.min(DENSE_LIMIT, denseSeries.length * 2L));
            denseSeries = Arrays.copyOf(denseSeries, cap);
            int old = denseMapped.length;
            denseMapped = Arrays.copyOf(denseMapped, cap);
            Arrays.fill(denseMapped, old, cap, Long.MIN_VALUE);
        }
        denseSeries[i] = s;
        denseMapped[i] = Long.MIN_VALUE;
    }

    /** Attaches chunks from disk in time order, leaving out any that overlaps its predecessor. */
    private void attach(MemSeries s, long[] chunks) {
        int n = chunks.length / 3;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(chunks[a * 3 + 1], chunks[b * 3 + 1]));
        long prevMax = Long.MIN_VALUE;
        synchronized (s) {
            for (int k : order) {
                long mint = chunks[k * 3 + 1], maxt = chunks[k * 3 + 2];
                if (mint <= prevMax || maxt < mint) {
                    droppedMappedChunks++;
                    continue;
                }
                s.addMapped(chunks[k * 3], mint, maxt);
                prevMax = maxt;
                if (s.ref < denseMapped.length) {
                    denseMapped[(int) s.ref] = maxt;
                }
                mappedChunks++;
                minT = Math.min(minT, mint);
                maxT = Math.max(maxT, maxt);
            }
        }
    }
}

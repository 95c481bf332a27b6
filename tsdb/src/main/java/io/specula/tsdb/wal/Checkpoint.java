package io.specula.tsdb.wal;

import io.specula.tsdb.fileutil.FileUtil;
import io.specula.model.labels.SymbolTable;
import io.specula.tsdb.encoding.ByteArrayDataOutput;
import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.record.ExemplarsRecord;
import io.specula.tsdb.record.HistogramSamplesRecord;
import io.specula.tsdb.record.MetadataRecord;
import io.specula.tsdb.record.RecordType;
import io.specula.tsdb.record.SamplesRecord;
import io.specula.tsdb.record.SeriesRecord;
import io.specula.tsdb.record.TombstonesRecord;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongPredicate;

/**
 * WAL checkpoints, as Prometheus makes them when the head is truncated: the records of
 * segments {@code [from, to]} (and of the previous checkpoint) that the head still needs,
 * rewritten into {@code wal/checkpoint.<to>}, a segment directory of its own. After that the
 * covered segments and older checkpoints can go ({@link SegmentFiles#deleteBefore},
 * {@link #deleteBefore}). Replay reads the last checkpoint, then the segments after its index
 * ({@link WalReader#openForReplay}).
 *
 * <p>What a checkpoint keeps: series records of the references the caller keeps (the series
 * still in the head); samples, exemplars with {@code t >= mint}; tombstones whose interval
 * reaches {@code mint}; the latest metadata of each kept series; histogram samples with
 * {@code t >= mint}, each record in its own type. Unknown records are dropped and counted.
 *
 * <p>The checkpoint is written to {@code checkpoint.<to>.tmp}, fsynced, and renamed into place,
 * so a crash leaves either the old state or the complete checkpoint; leftover {@code .tmp}
 * directories are deleted by the next checkpoint.
 */
public final class Checkpoint {

    /** A checkpoint directory and the index of the last segment it covers. */
    public record Ref(Path dir, int index) {
    }

    /** Counts of records' entries seen and dropped while building a checkpoint. */
    public record Stats(long totalSeries, long droppedSeries, long totalSamples, long droppedSamples,
            long totalTombstones, long droppedTombstones, long totalExemplars, long droppedExemplars,
            long totalMetadata, long droppedMetadata, long droppedOtherRecords) {
    }

    private Checkpoint() {
    }

    /** The checkpoint with the highest index in {@code walDir}, if any (temporary ones ignored). */
    public static Optional<Ref> last(Path walDir) throws IOException {
        List<Ref> all = list(walDir);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getLast());
    }

    /** All checkpoints of {@code walDir}, by ascending index. */
    public static List<Ref> list(Path walDir) throws IOException {
        TreeMap<Integer, Ref> refs = new TreeMap<>();
        if (!Files.isDirectory(walDir)) {
            return List.of();
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(walDir, WalFormat.CHECKPOINT_PREFIX + "*")) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                int index = WalFormat.parseIndex(name.substring(WalFormat.CHECKPOINT_PREFIX.length()));
                if (index < 0) {
                    continue; // checkpoint.N.tmp and strangers
                }
                if (!Files.isDirectory(p)) {
                    throw new IOException(p + ": checkpoint is not a directory");
                }
                refs.put(index, new Ref(p, index));
            }
        }
        return List.copyOf(refs.values());
    }

    /** Deletes the checkpoints with an index below {@code index}; returns how many. */
    public static int deleteBefore(Path walDir, int index) throws IOException {
        int n = 0;
        for (Ref r : list(walDir)) {
            if (r.index() >= index) {
                break;
            }
            FileUtil.deleteRecursively(r.dir());
            n++;
        }
        return n;
    }

    /**
     * Builds {@code checkpoint.<to>} from the last checkpoint (when there is one, {@code from}
     * moves to just after it) and the segments {@code [from, to]}.
     *
     * @param keep which series references the head still has
     * @param mint samples, exemplars and tombstones before it are dropped
     * @param options of the checkpoint's writer (Snappy as the WAL's)
     * @throws IOException also when the segments cannot be read entirely: a checkpoint with
     *     a hole could not be repaired later
     */
    public static Stats create(Path walDir, int from, int to, LongPredicate keep, long mint, WalWriter.Options options)
            throws IOException {
        List<Path> files = new ArrayList<>();
        Optional<Ref> previous = last(walDir);
        if (previous.isPresent()) {
            int next = previous.get().index() + 1;
            if (from > next) {
                throw new IOException(walDir + ": checkpoint from segment " + from + " leaves a gap after "
                        + previous.get().dir().getFileName());
            }
            from = next;
            files.addAll(WalReader.segmentFiles(previous.get().dir(), -1, -1));
        }
        files.addAll(WalReader.segmentFiles(walDir, from, to));
        deleteTemporary(walDir);

        Path target = walDir.resolve(WalFormat.checkpointName(to));
        Path tmp = walDir.resolve(WalFormat.checkpointName(to) + WalFormat.TMP_SUFFIX);
        Stats stats;
        try {
            try (WalWriter out = WalWriter.open(tmp, options.withSync(WalWriter.SyncPolicy.SEGMENT));
                    WalReader in = WalReader.open(files)) {
                stats = new Filter(keep, mint).copy(in, out);
            }
            SegmentFiles.syncDir(tmp);
            if (Files.exists(target)) {
                FileUtil.deleteRecursively(target);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            SegmentFiles.syncDir(walDir);
        } catch (IOException | RuntimeException e) {
            try {
                FileUtil.deleteRecursively(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return stats;
    }

    private record Meta(int type, String unit, String help) {
    }

    /** Decodes, filters and re-encodes records; one instance per checkpoint. */
    private static final class Filter {
        private final LongPredicate keep;
        private final long mint;
        // Labels of dropped series are garbage at once; interning keeps kept ones compact.
        private final SymbolTable symbols = new SymbolTable();
        private final SeriesRecord series = new SeriesRecord(symbols);
        private final SamplesRecord samples = new SamplesRecord();
        private final HistogramSamplesRecord histograms = new HistogramSamplesRecord();
        private final ByteArrayDataOutput[] histogramBufs = new ByteArrayDataOutput[HistogramSamplesRecord.MAX_BATCH_RECORDS];
        private final TombstonesRecord tombstones = new TombstonesRecord();
        private final ExemplarsRecord exemplars = new ExemplarsRecord(symbols);
        private final MetadataRecord metadata = new MetadataRecord(symbols);
        private final TreeMap<Long, Meta> latestMetadata = new TreeMap<>();
        private final ByteArrayDataOutput buf = new ByteArrayDataOutput(1 << 16);
        private long totalSeries, droppedSeries, totalSamples, droppedSamples, totalTombstones, droppedTombstones,
                totalExemplars, droppedExemplars, totalMetadata, droppedMetadata, droppedOther;

        Filter(LongPredicate keep, long mint) {
            this.keep = keep;
            this.mint = mint;
        }

        Stats copy(WalReader in, WalWriter out) throws IOException {
            while (in.next()) {
                byte[] rec = in.record();
                int len = in.recordLength();
                RecordType type = RecordType.of(rec, len);
                buf.reset();
                try {
                    switch (type) {
                        case SERIES -> {
                            series.decode(rec, len);
                            int n = series.size();
                            series.retain(keep);
                            totalSeries += n;
                            droppedSeries += n - series.size();
                            if (series.size() > 0) {
                                series.encode(buf);
                            }
                        }
                        case SAMPLES, SAMPLES_V2 -> { // v2 stays v2: encode() keeps the start times
                            samples.decode(rec, len);
                            int n = samples.size();
                            samples.removeBefore(mint);
                            totalSamples += n;
                            droppedSamples += n - samples.size();
                            if (samples.size() > 0) {
                                samples.encode(buf);
                            }
                        }
                        case HISTOGRAM_SAMPLES, FLOAT_HISTOGRAM_SAMPLES, CUSTOM_BUCKETS_HISTOGRAM_SAMPLES,
                             CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES, HISTOGRAM_SAMPLES_V2, FLOAT_HISTOGRAM_SAMPLES_V2 -> {
                            histograms.decode(rec, len);
                            int n = histograms.size();
                            histograms.removeBefore(mint);
                            totalSamples += n;
                            droppedSamples += n - histograms.size();
                            if (histograms.size() > 0) {
                                if (histogramBufs[0] == null) {
                                    for (int i = 0; i < histogramBufs.length; i++) {
                                        histogramBufs[i] = new ByteArrayDataOutput(1024);
                                    }
                                }
                                int k = histograms.encode(histogramBufs);
                                for (int i = 0; i < k; i++) {
                                    out.append(histogramBufs[i]);
                                }
                            }
                        }
                        case TOMBSTONES -> {
                            tombstones.decode(rec, len);
                            int n = tombstones.size();
                            tombstones.removeBefore(mint);
                            totalTombstones += n;
                            droppedTombstones += n - tombstones.size();
                            if (tombstones.size() > 0) {
                                tombstones.encode(buf);
                            }
                        }
                        case EXEMPLARS -> {
                            exemplars.decode(rec, len);
                            int n = exemplars.size();
                            exemplars.removeBefore(mint);
                            totalExemplars += n;
                            droppedExemplars += n - exemplars.size();
                            if (exemplars.size() > 0) {
                                exemplars.encode(buf);
                            }
                        }
                        case METADATA -> {
                            metadata.decode(rec, len);
                            totalMetadata += metadata.size();
                            for (int i = 0; i < metadata.size(); i++) {
                                if (keep.test(metadata.ref(i))) {
                                    latestMetadata.put(metadata.ref(i),
                                            new Meta(metadata.type(i), metadata.unit(i), metadata.help(i)));
                                }
                            }
                        }
                        default -> droppedOther++;
                    }
                } catch (CorruptionException e) {
                    throw new CorruptionException(in.file().toString(), in.recordOffset(),
                            "undecodable " + type.name().toLowerCase(Locale.ROOT) + " record: " + e.getMessage());
                }
                if (buf.size() > 0) {
                    out.append(buf);
                }
            }
            if (!latestMetadata.isEmpty()) {
                metadata.clear();
                latestMetadata.forEach((ref, m) -> metadata.add(ref, m.type(), m.unit(), m.help()));
                buf.reset();
                metadata.encode(buf);
                out.append(buf);
            }
            // Only the latest entry per kept series survives; everything else counts as dropped.
            droppedMetadata = totalMetadata - latestMetadata.size();
            return new Stats(totalSeries, droppedSeries, totalSamples, droppedSamples, totalTombstones, droppedTombstones,
                    totalExemplars, droppedExemplars, totalMetadata, droppedMetadata, droppedOther);
        }
    }

    /** Deletes {@code checkpoint.*.tmp} directories left by an interrupted checkpoint. */
    static void deleteTemporary(Path walDir) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(walDir,
                WalFormat.CHECKPOINT_PREFIX + "*" + WalFormat.TMP_SUFFIX)) {
            for (Path p : ds) {
                FileUtil.deleteRecursively(p);
            }
        }
    }
}

package io.specula.tsdb.wal;

import io.specula.model.labels.SymbolTable;
import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.record.ExemplarsRecord;
import io.specula.tsdb.record.HistogramSamplesRecord;
import io.specula.tsdb.record.MetadataRecord;
import io.specula.tsdb.record.RecordType;
import io.specula.tsdb.record.SamplesRecord;
import io.specula.tsdb.record.SeriesRecord;
import io.specula.tsdb.record.TombstonesRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads a WAL in replay order (last checkpoint, then the segments after it) and hands each
 * decoded record to a {@link Handler}. The record objects passed to the handler are reused:
 * their contents are valid only during the call.
 *
 * <p>Samples and samples-v2 records (Prometheus 3's, with start timestamps) both go to
 * {@link Handler#samples}; the six histogram sample records go to {@link Handler#histograms}.
 * Histogram records a handler does not take, and unknown types, are skipped and counted in
 * {@link Stats}; the caller
 * should log a warning when {@link Stats#skippedHistogramRecords()} or
 * {@link Stats#skippedOtherRecords()} is not zero.
 *
 * <p>A record that passes its checksum but does not decode is reported as a
 * {@link CorruptionException} at that record's segment and offset, like a torn record, so
 * that {@link WalRepair} can cut there.
 */
public final class WalReplay {

    /** Receives the records of a replay, in WAL order. Every method is optional. */
    public interface Handler {
        default void series(SeriesRecord r) throws IOException {
        }

        default void samples(SamplesRecord r) throws IOException {
        }

        /**
         * A histogram samples record (7, 8, 9, 10, 12 or 13).
         *
         * @return false when the handler keeps no histograms (the record counts as skipped)
         */
        default boolean histograms(HistogramSamplesRecord r) throws IOException {
            return false;
        }

        default void tombstones(TombstonesRecord r) throws IOException {
        }

        default void exemplars(ExemplarsRecord r) throws IOException {
        }

        default void metadata(MetadataRecord r) throws IOException {
        }

        /** Progress: {@code done} of {@code total} segment files have been read; {@code file} is the last one. */
        default void segmentDone(Path file, int done, int total) {
        }
    }

    /** What a replay read. Entry counts (series, samples, …) add up the entries of all records. */
    public record Stats(long records, long series, long samples, long tombstones, long exemplars, long metadata,
            long skippedHistogramRecords, long skippedOtherRecords, long compressedRecords, int segments,
            long histogramSamples) {
    }

    private WalReplay() {
    }

    /** One reusable decoder per record type Specula reads. */
    private static final class Records {
        final SeriesRecord series;
        final SamplesRecord samples = new SamplesRecord(1024);
        final HistogramSamplesRecord histograms = new HistogramSamplesRecord();
        final TombstonesRecord tombstones = new TombstonesRecord();
        final ExemplarsRecord exemplars;
        final MetadataRecord metadata;

        Records(SymbolTable symbols) {
            series = new SeriesRecord(symbols);
            exemplars = new ExemplarsRecord(symbols);
            metadata = new MetadataRecord(symbols);
        }

        void decode(RecordType type, byte[] rec, int len) throws CorruptionException {
            switch (type) {
                case SERIES -> series.decode(rec, len);
                case SAMPLES, SAMPLES_V2 -> samples.decode(rec, len);
                case TOMBSTONES -> tombstones.decode(rec, len);
                case EXEMPLARS -> exemplars.decode(rec, len);
                case METADATA -> metadata.decode(rec, len);
                case HISTOGRAM_SAMPLES, FLOAT_HISTOGRAM_SAMPLES, CUSTOM_BUCKETS_HISTOGRAM_SAMPLES,
                     CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES, HISTOGRAM_SAMPLES_V2, FLOAT_HISTOGRAM_SAMPLES_V2 ->
                        histograms.decode(rec, len);
                default -> {
                    // skipped and counted by the caller
                }
            }
        }
    }

    /** Replays {@code walDir}; decoded label strings are interned through {@code symbols} (may be null). */
    public static Stats replay(Path walDir, SymbolTable symbols, Handler handler) throws IOException {
        try (WalReader reader = WalReader.openForReplay(walDir)) {
            return replay(reader, symbols, handler);
        }
    }

    /** Replays the records of {@code reader} (not closed here). */
    public static Stats replay(WalReader reader, SymbolTable symbols, Handler handler) throws IOException {
        Records r = new Records(symbols);
        long records = 0, nSeries = 0, nSamples = 0, nTombstones = 0, nExemplars = 0, nMetadata = 0;
        long histograms = 0, other = 0, nHistograms = 0;
        int total = reader.files().size();
        Path file = null;
        while (reader.next()) {
            if (reader.file() != file) {
                if (file != null) {
                    // Files before the current one are done (including empty ones skipped over).
                    handler.segmentDone(file, reader.filesBefore(), total);
                }
                file = reader.file();
            }
            records++;
            byte[] rec = reader.record();
            int len = reader.recordLength();
            RecordType type = RecordType.of(rec, len);
            try {
                r.decode(type, rec, len);
            } catch (CorruptionException e) {
                throw new CorruptionException(reader.file().toString(), reader.recordOffset(),
                        "undecodable " + type.name().toLowerCase(Locale.ROOT) + " record: " + e.getMessage());
            }
            switch (type) {
                case SERIES -> {
                    nSeries += r.series.size();
                    handler.series(r.series);
                }
                case SAMPLES, SAMPLES_V2 -> {
                    nSamples += r.samples.size();
                    handler.samples(r.samples);
                }
                case TOMBSTONES -> {
                    nTombstones += r.tombstones.size();
                    handler.tombstones(r.tombstones);
                }
                case EXEMPLARS -> {
                    nExemplars += r.exemplars.size();
                    handler.exemplars(r.exemplars);
                }
                case METADATA -> {
                    nMetadata += r.metadata.size();
                    handler.metadata(r.metadata);
                }
                default -> {
                    if (type.isHistogram()) {
                        nHistograms += r.histograms.size();
                        if (!handler.histograms(r.histograms)) {
                            histograms++;
                        }
                    } else {
                        other++;
                    }
                }
            }
        }
        if (total > 0) {
            handler.segmentDone(reader.files().getLast(), total, total);
        }
        return new Stats(records, nSeries, nSamples, nTombstones, nExemplars, nMetadata, histograms, other,
                reader.compressedRecords(), total, nHistograms);
    }
}

package io.specula.tsdb.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.record.ExemplarsRecord;
import io.specula.tsdb.record.MetadataRecord;
import io.specula.tsdb.record.RecordType;
import io.specula.tsdb.record.SamplesRecord;
import io.specula.tsdb.record.SeriesRecord;
import io.specula.tsdb.record.TombstonesRecord;

/**
 * WAL record bytes as a corrupt segment could hand them to replay: each decoder (series,
 * samples and samples v2, tombstones, exemplars, metadata) decodes them or refuses with a
 * {@link CorruptionException}, never another exception and never an allocation beyond the
 * record's size. The first byte is overwritten with each decoder's type so that every input
 * reaches every decoder.
 */
class WalRecordFuzzTest {
    private final SeriesRecord series = new SeriesRecord();
    private final SamplesRecord samples = new SamplesRecord();
    private final TombstonesRecord tombstones = new TombstonesRecord();
    private final ExemplarsRecord exemplars = new ExemplarsRecord();
    private final MetadataRecord metadata = new MetadataRecord();

    @FuzzTest(maxDuration = "10s")
    void decode(byte[] data) {
        byte[] rec = new byte[Math.max(1, data.length)];
        System.arraycopy(data, 0, rec, 0, data.length);
        rec[0] = (byte) RecordType.SERIES.code();
        try {
            series.decode(rec, rec.length);
            for (int i = 0; i < series.size(); i++) {
                series.ref(i);
                series.labels(i).size();
            }
        } catch (CorruptionException expected) {
            // refused with a position
        }
        for (RecordType t : new RecordType[] {RecordType.SAMPLES, RecordType.SAMPLES_V2}) {
            rec[0] = (byte) t.code();
            try {
                samples.decode(rec, rec.length);
                for (int i = 0; i < samples.size(); i++) {
                    samples.ref(i);
                    samples.t(i);
                    samples.v(i);
                }
            } catch (CorruptionException expected) {
                // refused with a position
            }
        }
        rec[0] = (byte) RecordType.TOMBSTONES.code();
        try {
            tombstones.decode(rec, rec.length);
            for (int i = 0; i < tombstones.size(); i++) {
                tombstones.ref(i);
                tombstones.mint(i);
                tombstones.maxt(i);
            }
        } catch (CorruptionException expected) {
            // refused with a position
        }
        rec[0] = (byte) RecordType.EXEMPLARS.code();
        try {
            exemplars.decode(rec, rec.length);
            for (int i = 0; i < exemplars.size(); i++) {
                exemplars.labels(i).size();
            }
        } catch (CorruptionException expected) {
            // refused with a position
        }
        rec[0] = (byte) RecordType.METADATA.code();
        try {
            metadata.decode(rec, rec.length);
        } catch (CorruptionException expected) {
            // refused with a position
        }
    }
}

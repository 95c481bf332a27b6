package io.specula.tsdb.head;

import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.tsdb.encoding.ByteArrayDataOutput;
import io.specula.tsdb.exemplar.CircularExemplarStorage;
import io.specula.tsdb.exemplar.CircularExemplarStorage.Status;
import io.specula.tsdb.record.ExemplarsRecord;
import io.specula.tsdb.storage.AppendException;
import io.specula.tsdb.wal.WalWriter;
import java.io.IOException;
import java.util.Arrays;

/**
 * The head's exemplars, as Prometheus's head keeps them: an appender checks each exemplar
 * against the {@link CircularExemplarStorage} and buffers it ({@link Batch}); at commit, after
 * the samples, the batch becomes one exemplars record in the WAL and then goes into the
 * storage (where a check may still refuse it, as when another appender stored a newer one
 * meanwhile). Replay puts the WAL's exemplars back. With a storage of size 0 (the feature off)
 * exemplars are accepted and dropped, as Prometheus does. Thread-safe (the storage is).
 */
final class HeadExemplars {
    final CircularExemplarStorage storage;

    HeadExemplars(CircularExemplarStorage storage) {
        this.storage = storage;
    }

    /** The exemplars one appender has buffered: the record's columns plus series and time origin. Not thread-safe. */
    static final class Batch {
        final ExemplarsRecord record = new ExemplarsRecord();
        Labels[] series = new Labels[8];
        boolean[] explicit = new boolean[8];

        void add(MemSeries s, Labels exemplarLabels, boolean explicitTime, long t, double v) {
            int n = record.size();
            if (n == series.length) {
                series = Arrays.copyOf(series, n * 2);
                explicit = Arrays.copyOf(explicit, n * 2);
            }
            series[n] = s.labels;
            explicit[n] = explicitTime;
            record.add(s.ref, t, v, exemplarLabels);
        }
    }

    /**
     * Checks an exemplar of series {@code ref} (or of {@code labels} when the reference is
     * unknown) and adds it to {@code batch}, made when null; returns the batch.
     *
     * @throws AppendException for an out-of-order exemplar or one with too long labels
     * @throws IllegalArgumentException when no series has that reference or those labels
     */
    Batch buffer(Batch batch, Head head, long ref, Labels labels, Labels exemplarLabels, boolean explicitTime, long t,
            double v) throws AppendException {
        if (!storage.enabled()) {
            return batch; // the feature is off: accepted and dropped
        }
        MemSeries s = ref != 0 ? head.series.byRef(ref) : null;
        if (s == null && labels != null) {
            s = head.series.byLabels(labels);
        }
        if (s == null) {
            throw new IllegalArgumentException("unknown HeadSeriesRef when trying to add exemplar: " + ref);
        }
        Labels el = withoutEmpty(exemplarLabels);
        switch (storage.validate(s.labels, el, t, explicitTime, v)) {
            case OK -> { }
            case OUT_OF_ORDER -> throw new AppendException(AppendException.Reason.OUT_OF_ORDER_EXEMPLAR);
            case LABEL_LENGTH -> throw new AppendException(AppendException.Reason.EXEMPLAR_LABEL_LENGTH);
            case DUPLICATE, DISABLED -> {
                return batch; // a resend, or disabled meanwhile: no error, not kept
            }
        }
        if (batch == null) {
            batch = new Batch();
        }
        batch.add(s, el, explicitTime, t, v);
        return batch;
    }

    private static Labels withoutEmpty(Labels l) {
        for (int i = 0; i < l.size(); i++) {
            if (l.value(i).isEmpty()) {
                LabelsBuilder b = new LabelsBuilder();
                l.forEach((n, val) -> {
                    if (!val.isEmpty()) {
                        b.set(n, val);
                    }
                });
                return b.build();
            }
        }
        return l;
    }

    /**
     * Logs {@code batch} (null: nothing) to {@code wal} (null: no log) as one exemplars record,
     * then stores its exemplars; those the storage now refuses are dropped, as in Prometheus.
     */
    void commit(Batch batch, WalWriter wal) throws IOException {
        if (batch == null || batch.record.size() == 0) {
            return;
        }
        ExemplarsRecord r = batch.record;
        if (wal != null) {
            ByteArrayDataOutput out = new ByteArrayDataOutput(64 + r.size() * 48);
            r.encode(out);
            wal.log(out);
        }
        for (int i = 0; i < r.size(); i++) {
            storage.add(batch.series[i], r.labels(i), r.t(i), batch.explicit[i], r.v(i));
        }
    }

    /** Replay: stores a WAL record's exemplars (their times now count as explicit, as in Prometheus); returns how many. */
    int replay(ExemplarsRecord r, Head head) {
        if (!storage.enabled()) {
            return 0;
        }
        int added = 0;
        for (int i = 0; i < r.size(); i++) {
            MemSeries s = head.replayTarget(r.ref(i));
            if (s != null && storage.add(s.labels, r.labels(i), r.t(i), true, r.v(i)) == Status.OK) {
                added++;
            }
        }
        return added;
    }
}

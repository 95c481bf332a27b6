package io.specula.tsdb.storage;

import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Histogram;

/**
 * Iterates the samples of one series in timestamp order, handing out primitives.
 *
 * <p>{@link #next()} and {@link #seek(long)} return a {@link ValueType} constant;
 * {@link #atT()} is valid on any sample, {@link #atV()} only on a FLOAT sample,
 * {@link #atHistogram} only on a HISTOGRAM one and {@link #atFloatHistogram} on either histogram
 * type. On a decoding error the iterator returns {@link ValueType#NONE} and {@link #err()} says
 * why. A series may change value type from one sample to the next (a float series that turns
 * into a histogram series), so readers switch on every returned tag.
 *
 * <p>A sample may carry a start timestamp (Prometheus 3's "start time", OpenMetrics'
 * created timestamp: when the counter behind it last started from zero), read with
 * {@link #atST()}. Most series have none; {@link #hasStartTimestamps()} lets a reader skip the
 * per-sample call for them. Not thread-safe. Iterators are reusable through {@code iterator(reuse)} methods.
 */
public interface SampleIterator {
    /** Advances to the next sample. */
    int next();

    /**
     * Advances to the first sample with timestamp {@code >= t}; stays put if the current
     * sample already qualifies. Never moves backwards.
     */
    int seek(long t);

    long atT();

    double atV();

    /**
     * The current integer histogram, written into {@code reuse} (its arrays reused where the
     * sizes fit) or into a new one when {@code reuse} is null. The result belongs to the
     * caller: the iterator keeps no reference to it. Custom bucket bounds may be shared
     * between samples and must not be written to.
     *
     * @throws UnsupportedOperationException if the iterator is not on a HISTOGRAM sample
     */
    default Histogram atHistogram(Histogram reuse) {
        throw new UnsupportedOperationException("atHistogram on a " + getClass().getSimpleName());
    }

    /**
     * The current histogram (integer or float) as a float histogram, with the ownership rules
     * of {@link #atHistogram}.
     *
     * @throws UnsupportedOperationException if the iterator is not on a histogram sample
     */
    default FloatHistogram atFloatHistogram(FloatHistogram reuse) {
        throw new UnsupportedOperationException("atFloatHistogram on a " + getClass().getSimpleName());
    }

    /** The start timestamp (ms) of the current sample, 0 when unknown. Valid like {@link #atT()}. */
    default long atST() {
        return 0;
    }

    /**
     * Whether {@link #atST()} may return anything but 0 during this iteration; when false a
     * reader need not call it. Fixed for the iterator's lifetime.
     */
    default boolean hasStartTimestamps() {
        return false;
    }

    /** The error that ended iteration early, or null. */
    Exception err();

    /** An iterator with no samples. */
    SampleIterator EMPTY = new SampleIterator() {
        @Override
        public int next() {
            return ValueType.NONE;
        }

        @Override
        public int seek(long t) {
            return ValueType.NONE;
        }

        @Override
        public long atT() {
            throw new IllegalStateException("empty iterator");
        }

        @Override
        public double atV() {
            throw new IllegalStateException("empty iterator");
        }

        @Override
        public Exception err() {
            return null;
        }
    };
}

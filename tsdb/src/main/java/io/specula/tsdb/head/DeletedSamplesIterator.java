package io.specula.tsdb.head;

import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.ValueType;
import io.specula.tsdb.tombstones.Intervals;

/**
 * Hides the samples of a series that fall in its deleted intervals (head tombstones). A sample
 * inside an interval makes the iterator seek past the interval's end, so a large deletion
 * costs one seek, not one step per deleted sample.
 */
final class DeletedSamplesIterator implements SampleIterator {
    private final SampleIterator in;
    private final Intervals deleted;

    DeletedSamplesIterator(SampleIterator in, Intervals deleted) {
        this.in = in;
        this.deleted = deleted;
    }

    @Override
    public int next() {
        return skipDeleted(in.next());
    }

    @Override
    public int seek(long t) {
        return skipDeleted(in.seek(t));
    }

    private int skipDeleted(int type) {
        while (type != ValueType.NONE) {
            int i = deleted.indexOf(in.atT());
            if (i < 0) {
                return type;
            }
            long end = deleted.maxt(i);
            if (end == Long.MAX_VALUE) {
                return ValueType.NONE;
            }
            type = in.seek(end + 1);
        }
        return type;
    }

    @Override
    public long atT() {
        return in.atT();
    }

    @Override
    public double atV() {
        return in.atV();
    }

    @Override
    public long atST() {
        return in.atST();
    }

    @Override
    public boolean hasStartTimestamps() {
        return in.hasStartTimestamps();
    }

    @Override
    public io.specula.model.histogram.Histogram atHistogram(io.specula.model.histogram.Histogram reuse) {
        return in.atHistogram(reuse);
    }

    @Override
    public io.specula.model.histogram.FloatHistogram atFloatHistogram(io.specula.model.histogram.FloatHistogram reuse) {
        return in.atFloatHistogram(reuse);
    }

    @Override
    public Exception err() {
        return in.err();
    }
}

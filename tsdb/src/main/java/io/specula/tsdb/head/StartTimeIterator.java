package io.specula.tsdb.head;

import io.specula.tsdb.storage.SampleIterator;

/**
 * Adds start timestamps to a series' sample iterator, from the {@link StartTimes} copy the
 * query took. Only series that have start timestamps get one; the others are read through
 * their plain iterator, whose {@link #atST()} is always 0.
 */
final class StartTimeIterator implements SampleIterator {
    final SampleIterator in;
    private final StartTimes.Cursor cursor;

    StartTimeIterator(SampleIterator in, StartTimes startTimes) {
        this.in = in;
        this.cursor = startTimes.new Cursor();
    }

    @Override
    public int next() {
        return in.next();
    }

    @Override
    public int seek(long t) {
        return in.seek(t);
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
        return cursor.at(in.atT());
    }

    @Override
    public boolean hasStartTimestamps() {
        return true;
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

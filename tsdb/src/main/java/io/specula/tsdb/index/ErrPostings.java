package io.specula.tsdb.index;

import java.io.IOException;

/** Postings that report an error and nothing else. */
final class ErrPostings implements Postings {
    private final IOException err;

    ErrPostings(IOException err) {
        this.err = err;
    }

    @Override
    public boolean next() {
        return false;
    }

    @Override
    public boolean seek(long v) {
        return false;
    }

    @Override
    public long at() {
        throw new IllegalStateException("failed postings");
    }

    @Override
    public IOException err() {
        return err;
    }
}

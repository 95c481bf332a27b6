package io.specula.tsdb.index;

import java.io.IOException;

/** The references of one postings list that are not in another. */
final class WithoutPostings implements Postings {
    private final Postings full;
    private final Postings drop;
    private boolean dropDone;

    WithoutPostings(Postings full, Postings drop) {
        this.full = full;
        this.drop = drop;
    }

    @Override
    public boolean next() {
        return full.next() && skipDropped();
    }

    @Override
    public boolean seek(long v) {
        return full.seek(v) && skipDropped();
    }

    /** Advances {@code full} past references that {@code drop} holds. */
    private boolean skipDropped() {
        while (true) {
            if (dropDone) {
                return true;
            }
            long cur = full.at();
            if (!drop.seek(cur)) {
                dropDone = true;
                return drop.err() == null; // a failed drop list must not let everything through
            }
            if (drop.at() != cur) {
                return true;
            }
            if (!full.next()) {
                return false;
            }
        }
    }

    @Override
    public long at() {
        return full.at();
    }

    @Override
    public IOException err() {
        return full.err() != null ? full.err() : drop.err();
    }
}

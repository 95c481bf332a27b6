package io.specula.tsdb.head;

import io.specula.tsdb.index.Postings;
import java.io.IOException;
import org.roaringbitmap.PeekableIntIterator;
import org.roaringbitmap.RoaringBitmap;

/** Postings over a bitmap of head series references the caller owns (a copy taken under the postings lock). */
final class BitmapPostings implements Postings {
    private final PeekableIntIterator it;
    private long at = -1;

    BitmapPostings(RoaringBitmap refs) {
        this.it = refs.getIntIterator();
    }

    @Override
    public boolean next() {
        if (it.hasNext()) {
            at = Integer.toUnsignedLong(it.next());
            return true;
        }
        return false;
    }

    @Override
    public boolean seek(long v) {
        if (at >= v) {
            return true;
        }
        if (v > 0xFFFF_FFFFL) {
            return false;
        }
        it.advanceIfNeeded((int) v);
        return next();
    }

    @Override
    public long at() {
        return at;
    }

    @Override
    public IOException err() {
        return null;
    }
}

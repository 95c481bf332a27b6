package io.specula.model.histogram;

/**
 * Walks the buckets of a {@link FloatHistogram} with their bounds, handing out primitives:
 * after {@link #next()} returns true, the public fields describe the current bucket. Bounds
 * follow Prometheus: for exponential schemas a positive bucket is {@code (lower, upper]} and a
 * negative one {@code [lower, upper)}; the zero bucket is {@code [-threshold, threshold]}; a
 * custom bucket is {@code (lower, upper]} except the first, which includes its lower bound.
 *
 * <p>Reads the histogram's arrays directly: do not change the histogram while iterating.
 * Reusable through {@link FloatHistogram#positiveBuckets(BucketIterator)} and friends.
 */
public final class BucketIterator {
    static final int POSITIVE = 0;
    static final int NEGATIVE = 1;
    static final int ALL = 2;

    public double lower;
    public double upper;
    public boolean lowerInclusive;
    public boolean upperInclusive;
    public double count;
    /** The bucket's index in its schema (0 for the zero bucket). */
    public int index;

    private FloatHistogram h;
    private int mode;
    // Position in one side's spans and buckets.
    private int[] spans;
    private double[] buckets;
    private int spanK;
    private int inSpan;
    private int bucketI;
    private int idx;
    // ALL: negative buckets are visited from the highest index down, so they are collected first.
    private int[] negIdx = new int[0];
    private double[] negCnt = new double[0];
    private int negPos;
    private int stage; // ALL: 0 negative, 1 zero, 2 positive, 3 done

    BucketIterator reset(FloatHistogram h, int mode) {
        this.h = h;
        this.mode = mode;
        switch (mode) {
            case POSITIVE -> startSide(h.positiveSpans, h.positiveBuckets);
            case NEGATIVE -> startSide(h.negativeSpans, h.negativeBuckets);
            default -> {
                int n = h.negativeBuckets.length;
                if (negIdx.length < n) {
                    negIdx = new int[n];
                    negCnt = new double[n];
                }
                negIdx = Spans.indexes(h.negativeSpans, negIdx);
                System.arraycopy(h.negativeBuckets, 0, negCnt, 0, n);
                negPos = n;
                stage = 0;
            }
        }
        return this;
    }

    private void startSide(int[] spans, double[] buckets) {
        this.spans = spans;
        this.buckets = buckets;
        spanK = 0;
        inSpan = 0;
        bucketI = 0;
        idx = spans.length > 0 ? spans[0] : 0;
    }

    public boolean next() {
        if (mode != ALL) {
            return nextInSide(mode == POSITIVE);
        }
        switch (stage) {
            case 0:
                if (negPos > 0) {
                    negPos--;
                    setBucket(negIdx[negPos], negCnt[negPos], false);
                    return true;
                }
                stage = 1;
                // fall through
            case 1:
                stage = 2;
                startSide(h.positiveSpans, h.positiveBuckets);
                if (h.zeroCount > 0) {
                    lower = -h.zeroThreshold;
                    upper = h.zeroThreshold;
                    lowerInclusive = true;
                    upperInclusive = true;
                    count = h.zeroCount;
                    index = 0;
                    return true;
                }
                // fall through
            case 2:
                if (nextInSide(true)) {
                    return true;
                }
                stage = 3;
                return false;
            default:
                return false;
        }
    }

    private boolean nextInSide(boolean positive) {
        while (spanK < spans.length && inSpan >= spans[spanK + 1]) {
            spanK += 2;
            inSpan = 0;
            if (spanK < spans.length) {
                idx += spans[spanK];
            }
        }
        if (spanK >= spans.length) {
            return false;
        }
        setBucket(idx, buckets[bucketI], positive);
        idx++;
        inSpan++;
        bucketI++;
        return true;
    }

    private void setBucket(int i, double c, boolean positive) {
        index = i;
        count = c;
        double up = Schemas.bound(i, h.schema, h.customValues);
        double lo = Schemas.bound(i - 1, h.schema, h.customValues);
        if (positive) {
            upper = up;
            lower = lo;
        } else {
            lower = -up;
            upper = -lo;
        }
        if (Schemas.isCustomBuckets(h.schema)) {
            lowerInclusive = i == 0;
            upperInclusive = true;
        } else {
            lowerInclusive = lower < 0;
            upperInclusive = upper > 0;
        }
    }
}

package io.specula.model.histogram;

import io.specula.model.exposition.GoFloat;
import io.specula.model.value.StaleNaN;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A native histogram with float counts: what PromQL computes with (rates, sums and scaling give
 * fractional counts) and what float-histogram chunks store. Bucket counts are absolute.
 *
 * <p>A mutable value with public fields, like Prometheus's struct, so that iterators can fill a
 * caller's instance ({@code atFloatHistogram(reuse)}) without allocating per sample. The arrays
 * are exactly as long as the layout needs; an operation that changes the layout replaces them,
 * and no method writes into an array it did not allocate unless documented (the in-place
 * operations {@link #mul}, {@link #div} and {@link #add} change the receiver). Not thread-safe.
 */
public final class FloatHistogram {
    static final double[] NO_DOUBLES = new double[0];

    /** One of the {@link CounterResetHint} constants. */
    public int counterResetHint;
    public int schema;
    public double zeroThreshold;
    public double zeroCount;
    public double count;
    /** Sum of observations; the staleness marker when the whole sample is a stale marker. */
    public double sum;
    public int[] positiveSpans = Spans.NONE;
    public int[] negativeSpans = Spans.NONE;
    public double[] positiveBuckets = NO_DOUBLES;
    public double[] negativeBuckets = NO_DOUBLES;
    /** Upper bounds of the custom buckets (schema -53) without the implicit +Inf; empty otherwise. */
    public double[] customValues = NO_DOUBLES;

    public FloatHistogram() {}

    /** The histogram stale marker: no buckets, the staleness NaN as sum. */
    public static FloatHistogram staleMarker() {
        FloatHistogram h = new FloatHistogram();
        h.sum = StaleNaN.VALUE;
        return h;
    }

    public boolean isStale() {
        return StaleNaN.is(sum);
    }

    public boolean usesCustomBuckets() {
        return Schemas.isCustomBuckets(schema);
    }

    /** A deep copy (custom values are shared: they are never written in place). */
    public FloatHistogram copy() {
        return copyInto(new FloatHistogram());
    }

    /** Copies this histogram into {@code dst}, reusing its arrays where the sizes fit; returns {@code dst}. */
    public FloatHistogram copyInto(FloatHistogram dst) {
        dst.counterResetHint = counterResetHint;
        dst.schema = schema;
        dst.zeroThreshold = zeroThreshold;
        dst.zeroCount = zeroCount;
        dst.count = count;
        dst.sum = sum;
        dst.positiveSpans = copyInts(positiveSpans, dst.positiveSpans);
        dst.negativeSpans = copyInts(negativeSpans, dst.negativeSpans);
        dst.positiveBuckets = copyDoubles(positiveBuckets, dst.positiveBuckets);
        dst.negativeBuckets = copyDoubles(negativeBuckets, dst.negativeBuckets);
        dst.customValues = customValues;
        return dst;
    }

    static int[] copyInts(int[] src, int[] dst) {
        if (src.length == 0) {
            return Spans.NONE;
        }
        if (dst == null || dst.length != src.length || dst == Spans.NONE) {
            return src.clone();
        }
        System.arraycopy(src, 0, dst, 0, src.length);
        return dst;
    }

    static double[] copyDoubles(double[] src, double[] dst) {
        if (src.length == 0) {
            return NO_DOUBLES;
        }
        if (dst == null || dst.length != src.length) {
            return src.clone();
        }
        System.arraycopy(src, 0, dst, 0, src.length);
        return dst;
    }

    /** A copy in {@code targetSchema}, which must not have a higher resolution than this one's. */
    public FloatHistogram copyToSchema(int targetSchema) {
        FloatHistogram c = copy();
        if (targetSchema != schema) {
            c.reduceResolution(targetSchema);
        }
        return c;
    }

    /** Multiplies all counts and the sum by {@code factor}, in place; returns this. */
    public FloatHistogram mul(double factor) {
        zeroCount *= factor;
        count *= factor;
        sum *= factor;
        for (int i = 0; i < positiveBuckets.length; i++) {
            positiveBuckets[i] *= factor;
        }
        for (int i = 0; i < negativeBuckets.length; i++) {
            negativeBuckets[i] *= factor;
        }
        return this;
    }

    /**
     * Divides all counts and the sum by {@code divisor}, in place; returns this. By 0 the
     * buckets are dropped (as in Prometheus) and count, sum and zero bucket become infinite/NaN.
     */
    public FloatHistogram div(double divisor) {
        zeroCount /= divisor;
        count /= divisor;
        sum /= divisor;
        if (divisor == 0) {
            positiveSpans = Spans.NONE;
            negativeSpans = Spans.NONE;
            positiveBuckets = NO_DOUBLES;
            negativeBuckets = NO_DOUBLES;
            return this;
        }
        for (int i = 0; i < positiveBuckets.length; i++) {
            positiveBuckets[i] /= divisor;
        }
        for (int i = 0; i < negativeBuckets.length; i++) {
            negativeBuckets[i] /= divisor;
        }
        return this;
    }

    /** Flag in the result of {@link #add}/{@link #sub}: a counter-reset hint collided with a not-reset hint. */
    public static final int COUNTER_RESET_COLLISION = 1;
    /** Flag in the result of {@link #add}/{@link #sub}: custom bucket bounds differed and were intersected. */
    public static final int CUSTOM_BOUNDS_RECONCILED = 2;

    /**
     * Adds {@code other} to this histogram in place. Differences in zero threshold are
     * reconciled (the wider zero bucket wins), a lower schema of either side wins, and custom
     * bucket bounds that differ are reduced to the bounds both have. {@code other} is not
     * changed. Returns a set of the flags {@link #COUNTER_RESET_COLLISION} and
     * {@link #CUSTOM_BOUNDS_RECONCILED}.
     *
     * @throws HistogramException if one side has custom buckets and the other exponential ones
     */
    public int add(FloatHistogram other) {
        return addScaled(other, 1);
    }

    /** Like {@link #add} but subtracts {@code other}. */
    public int sub(FloatHistogram other) {
        return addScaled(other, -1);
    }

    private int addScaled(FloatHistogram other, double factor) {
        if (usesCustomBuckets() != other.usesCustomBuckets()) {
            throw new HistogramException(HistogramException.Kind.INCOMPATIBLE_SCHEMA);
        }
        int flags = adjustCounterResetHint(other) ? COUNTER_RESET_COLLISION : 0;
        if (usesCustomBuckets()) {
            count += factor * other.count;
            sum += factor * other.sum;
            if (Schemas.customBoundsMatch(customValues, other.customValues)) {
                mergeSide(true, other, factor, 0);
            } else {
                double[] common = intersect(customValues, other.customValues);
                remapCustom(common);
                FloatHistogram o = other.copy();
                o.remapCustom(common);
                mergeSide(true, o, factor, 0);
                flags |= CUSTOM_BOUNDS_RECONCILED;
            }
            return flags;
        }
        if (other.schema < schema) {
            reduceResolution(other.schema);
        }
        double otherZeroCount = reconcileZeroBuckets(other);
        zeroCount += factor * otherZeroCount;
        count += factor * other.count;
        sum += factor * other.sum;
        mergeSide(true, other, factor, zeroThreshold);
        mergeSide(false, other, factor, zeroThreshold);
        return flags;
    }

    /** Prometheus's rules for the hint of a sum; returns whether a reset and a not-reset collided. */
    private boolean adjustCounterResetHint(FloatHistogram other) {
        int a = counterResetHint;
        int b = other.counterResetHint;
        if (a == b || a == CounterResetHint.GAUGE) {
            return false;
        }
        if (b == CounterResetHint.GAUGE) {
            counterResetHint = CounterResetHint.GAUGE;
            return false;
        }
        if (a == CounterResetHint.UNKNOWN) {
            return false;
        }
        counterResetHint = CounterResetHint.UNKNOWN;
        return b != CounterResetHint.UNKNOWN;
    }

    private void mergeSide(boolean positive, FloatHistogram other, double factor, double skipUpTo) {
        int[] mySpans = positive ? positiveSpans : negativeSpans;
        double[] mine = positive ? positiveBuckets : negativeBuckets;
        int[] oSpans = positive ? other.positiveSpans : other.negativeSpans;
        double[] theirs = positive ? other.positiveBuckets : other.negativeBuckets;
        if (theirs.length == 0 && oSpans.length == 0) {
            return;
        }
        if (other.schema == schema && Arrays.equals(mySpans, oSpans) && skipUpTo == 0) {
            // Same layout, the common case of one series over time: add in place.
            for (int i = 0; i < mine.length; i++) {
                mine[i] += factor * theirs[i];
            }
            return;
        }
        BucketList a = BucketList.of(mySpans, mine, schema, schema, 0);
        BucketList b = new BucketList(theirs.length);
        b.addAll(oSpans, theirs, other.schema, schema, skipUpTo, factor);
        BucketList m = a.merge(b);
        if (positive) {
            positiveSpans = m.spans();
            positiveBuckets = m.counts();
        } else {
            negativeSpans = m.spans();
            negativeBuckets = m.counts();
        }
    }

    private static double[] intersect(double[] a, double[] b) {
        double[] out = new double[Math.min(a.length, b.length)];
        int n = 0;
        int i = 0;
        int j = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                out[n++] = a[i];
                i++;
                j++;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** Moves every custom bucket into the bucket of {@code bounds} (a subset of this one's bounds) that contains it. */
    private void remapCustom(double[] bounds) {
        BucketList l = new BucketList(positiveBuckets.length);
        int b = 0;
        int idx = 0;
        int target = 0;
        for (int k = 0; k < positiveSpans.length; k += 2) {
            idx += positiveSpans[k];
            for (int j = 0; j < positiveSpans[k + 1]; j++, idx++, b++) {
                double upper = idx < customValues.length ? customValues[idx] : Double.POSITIVE_INFINITY;
                while (target < bounds.length && bounds[target] < upper) {
                    target++;
                }
                if (l.n > 0 && l.idx[l.n - 1] == target) {
                    l.cnt[l.n - 1] += positiveBuckets[b];
                } else {
                    l.append(target, positiveBuckets[b]);
                }
            }
        }
        positiveSpans = l.spans();
        positiveBuckets = l.counts();
        customValues = bounds;
    }

    /**
     * Makes this histogram's zero threshold and {@code other}'s agree on the larger one
     * (widened further if it falls inside a populated bucket), moving this histogram's buckets
     * inside it into its zero bucket. Returns what {@code other}'s zero count would be with the
     * agreed threshold; {@code other} is not changed.
     */
    private double reconcileZeroBuckets(FloatHistogram other) {
        double otherZeroCount = other.zeroCount;
        double otherThreshold = other.zeroThreshold;
        while (otherThreshold != zeroThreshold) {
            if (zeroThreshold > otherThreshold) {
                double[] r = other.zeroCountForLargerThreshold(zeroThreshold);
                otherZeroCount = r[0];
                otherThreshold = r[1];
            }
            if (otherThreshold > zeroThreshold) {
                double[] r = zeroCountForLargerThreshold(otherThreshold);
                zeroCount = r[0];
                zeroThreshold = r[1];
                trimBucketsInZeroBucket();
            }
        }
        return otherZeroCount;
    }

    /**
     * {count, threshold}: the zero count this histogram would have with the larger threshold,
     * and that threshold, raised to a bucket's bound where it would cut a populated bucket.
     */
    double[] zeroCountForLargerThreshold(double larger) {
        if (larger == zeroThreshold) {
            return new double[] {zeroCount, larger};
        }
        BucketIterator it = new BucketIterator();
        outer:
        while (true) {
            double c = zeroCount;
            it.reset(this, BucketIterator.POSITIVE);
            while (it.next()) {
                if (it.lower >= larger) {
                    break;
                }
                c += it.count;
                if (it.upper > larger) {
                    if (it.count != 0) {
                        larger = it.upper;
                    }
                    break;
                }
            }
            it.reset(this, BucketIterator.NEGATIVE);
            while (it.next()) {
                if (it.upper <= -larger) {
                    break;
                }
                c += it.count;
                if (it.lower < -larger) {
                    if (it.count != 0) {
                        larger = -it.lower;
                        continue outer;
                    }
                    break;
                }
            }
            return new double[] {c, larger};
        }
    }

    /** Removes buckets now inside the zero bucket (their counts already moved there). */
    private void trimBucketsInZeroBucket() {
        BucketIterator it = new BucketIterator().reset(this, BucketIterator.POSITIVE);
        for (int i = 0; it.next() && it.lower < zeroThreshold; i++) {
            positiveBuckets[i] = 0;
        }
        it.reset(this, BucketIterator.NEGATIVE);
        for (int i = 0; it.next() && it.upper > -zeroThreshold; i++) {
            negativeBuckets[i] = 0;
        }
        compact(0);
    }

    /**
     * Removes empty buckets and regroups spans: non-empty buckets at most
     * {@code maxEmptyBuckets} indexes apart share a span (the gap stored as empty buckets),
     * others get spans of their own. In place; returns this.
     */
    public FloatHistogram compact(int maxEmptyBuckets) {
        if (isCompact(positiveSpans, positiveBuckets, maxEmptyBuckets)
                && isCompact(negativeSpans, negativeBuckets, maxEmptyBuckets)) {
            return this;
        }
        Object[] p = compactSide(positiveSpans, positiveBuckets, maxEmptyBuckets);
        positiveSpans = (int[]) p[0];
        positiveBuckets = (double[]) p[1];
        Object[] n = compactSide(negativeSpans, negativeBuckets, maxEmptyBuckets);
        negativeSpans = (int[]) n[0];
        negativeBuckets = (double[]) n[1];
        return this;
    }

    private Object[] compactSide(int[] spans, double[] buckets, int maxEmpty) {
        BucketList l = BucketList.of(spans, buckets, schema, schema, 0);
        l.compact(maxEmpty);
        Object[] r = l.compactLayout(maxEmpty);
        if (((double[]) r[1]).length == 0) {
            r[0] = Spans.NONE;
            r[1] = NO_DOUBLES;
        }
        return r;
    }

    /** Cheap check: no empty bucket, no empty span, no gap small enough to merge. */
    static boolean isCompact(int[] spans, double[] buckets, int maxEmpty) {
        for (double b : buckets) {
            if (b == 0) {
                return false;
            }
        }
        for (int k = 0; k < spans.length; k += 2) {
            if ((k > 0 && spans[k] <= maxEmpty) || spans[k + 1] == 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Lowers the resolution to {@code targetSchema} (≤ the current schema), merging buckets,
     * in place; returns this. Custom-bucket histograms are left unchanged.
     *
     * @throws IllegalArgumentException if the target has a higher resolution
     */
    public FloatHistogram reduceResolution(int targetSchema) {
        if (usesCustomBuckets() || targetSchema == schema) {
            return this;
        }
        if (targetSchema > schema) {
            throw new IllegalArgumentException("cannot reduce resolution from schema " + schema + " to " + targetSchema);
        }
        BucketList p = BucketList.of(positiveSpans, positiveBuckets, schema, targetSchema, 0);
        BucketList n = BucketList.of(negativeSpans, negativeBuckets, schema, targetSchema, 0);
        positiveSpans = p.spans();
        positiveBuckets = p.counts();
        negativeSpans = n.spans();
        negativeBuckets = n.counts();
        schema = targetSchema;
        return this;
    }

    /**
     * Whether this histogram, following {@code previous} in a counter series, starts after a
     * counter reset: its hint says so, or its count, zero bucket or any bucket went down, or
     * the resolution went up, or the zero bucket got narrower. Custom buckets with different
     * bounds are compared at the bounds both have.
     */
    public boolean detectReset(FloatHistogram previous) {
        if (counterResetHint == CounterResetHint.COUNTER_RESET) {
            return true;
        }
        if (counterResetHint == CounterResetHint.NOT_COUNTER_RESET) {
            return false;
        }
        if (count < previous.count) {
            return true;
        }
        if (usesCustomBuckets() || previous.usesCustomBuckets()) {
            if (usesCustomBuckets() != previous.usesCustomBuckets()) {
                return true;
            }
            if (!Schemas.customBoundsMatch(customValues, previous.customValues)) {
                // Different bounds: compare the buckets both map onto at the bounds they share.
                double[] common = intersect(customValues, previous.customValues);
                FloatHistogram cur = copy();
                cur.remapCustom(common);
                FloatHistogram prev = previous.copy();
                prev.remapCustom(common);
                return bucketWentDown(cur.positiveSpans, cur.positiveBuckets, prev.positiveSpans, prev.positiveBuckets,
                        prev.schema);
            }
        }
        if (schema > previous.schema) {
            return true;
        }
        if (zeroThreshold < previous.zeroThreshold) {
            return true;
        }
        double[] z = previous.zeroCountForLargerThreshold(zeroThreshold);
        if (z[1] != zeroThreshold) {
            return true; // the threshold cuts a populated bucket of the previous histogram
        }
        if (zeroCount < z[0]) {
            return true;
        }
        return bucketWentDown(positiveSpans, positiveBuckets, previous.positiveSpans, previous.positiveBuckets, previous.schema)
                || bucketWentDown(negativeSpans, negativeBuckets, previous.negativeSpans, previous.negativeBuckets, previous.schema);
    }

    private boolean bucketWentDown(int[] spans, double[] buckets, int[] prevSpans, double[] prevBuckets, int prevSchema) {
        BucketList cur = BucketList.of(spans, buckets, schema, schema, zeroThreshold);
        BucketList prev = BucketList.of(prevSpans, prevBuckets, prevSchema, schema, zeroThreshold);
        int j = 0;
        for (int i = 0; i < prev.n; i++) {
            while (j < cur.n && cur.idx[j] < prev.idx[i]) {
                j++;
            }
            double c = j < cur.n && cur.idx[j] == prev.idx[i] ? cur.cnt[j] : 0;
            if (c < prev.cnt[i]) {
                return true;
            }
        }
        return false;
    }

    /**
     * Exact equality as Prometheus's {@code Equals}: same schema, threshold, counts, sum
     * (NaN sums compare by bits) and custom bounds, and the same buckets with the same counts;
     * spans may be split differently. The counter-reset hint is not compared.
     */
    public boolean equals(FloatHistogram o) {
        if (o == null) {
            return false;
        }
        if (schema != o.schema || zeroThreshold != o.zeroThreshold || zeroCount != o.zeroCount || count != o.count
                || !(sum == o.sum || Double.doubleToRawLongBits(sum) == Double.doubleToRawLongBits(o.sum))) {
            return false;
        }
        if (usesCustomBuckets() && !Schemas.customBoundsMatch(customValues, o.customValues)) {
            return false;
        }
        return Spans.sameLayout(positiveSpans, o.positiveSpans) && Arrays.equals(positiveBuckets, o.positiveBuckets)
                && Spans.sameLayout(negativeSpans, o.negativeSpans) && Arrays.equals(negativeBuckets, o.negativeBuckets);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatHistogram f && equals(f);
    }

    @Override
    public int hashCode() {
        return Double.hashCode(count) * 31 + Double.hashCode(sum);
    }

    /**
     * Checks the histogram's consistency with Prometheus's rules and messages: spans against
     * buckets, no negative bucket, schema-specific fields. Unlike {@link Histogram#validate}
     * the count is not checked against the buckets (Prometheus's FloatHistogram.Validate).
     *
     * @throws HistogramException naming the first problem
     */
    public void validate() {
        if (usesCustomBuckets()) {
            Validation.customBounds(customValues, positiveSpans, positiveBuckets.length);
            if (zeroCount != 0) {
                throw new HistogramException(HistogramException.Kind.CUSTOM_BUCKETS_ZERO_COUNT);
            }
            if (zeroThreshold != 0) {
                throw new HistogramException(HistogramException.Kind.CUSTOM_BUCKETS_ZERO_THRESHOLD);
            }
            if (negativeSpans.length > 0) {
                throw new HistogramException(HistogramException.Kind.CUSTOM_BUCKETS_NEGATIVE_SPANS);
            }
            if (negativeBuckets.length > 0) {
                throw new HistogramException(HistogramException.Kind.CUSTOM_BUCKETS_NEGATIVE_BUCKETS);
            }
        } else {
            if (!Schemas.isExponential(schema)) {
                throw HistogramException.invalidSchema(schema);
            }
            if (customValues.length > 0) {
                throw new HistogramException(HistogramException.Kind.EXPONENTIAL_CUSTOM_BOUNDS);
            }
            Validation.spans(negativeSpans, negativeBuckets.length, "negative side");
            Validation.spans(positiveSpans, positiveBuckets.length, "positive side");
        }
        // Negative bucket counts are refused; the count is not compared with the buckets' sum,
        // as in Prometheus: float rounding would refuse valid histograms.
        Validation.floatBuckets(negativeBuckets, "negative side");
        Validation.floatBuckets(positiveBuckets, "positive side");
    }

    /** A positive-bucket iterator (reusing {@code reuse} if not null), lowest index first. */
    public BucketIterator positiveBuckets(BucketIterator reuse) {
        return (reuse != null ? reuse : new BucketIterator()).reset(this, BucketIterator.POSITIVE);
    }

    /** A negative-bucket iterator, lowest index (closest to zero) first. */
    public BucketIterator negativeBuckets(BucketIterator reuse) {
        return (reuse != null ? reuse : new BucketIterator()).reset(this, BucketIterator.NEGATIVE);
    }

    /**
     * All buckets in order of their bounds: negative buckets from -Inf upwards, the zero
     * bucket if it holds observations, then positive buckets.
     */
    public BucketIterator allBuckets(BucketIterator reuse) {
        return (reuse != null ? reuse : new BucketIterator()).reset(this, BucketIterator.ALL);
    }

    /**
     * Prometheus's {@code String()}: {@code {count:6, sum:9, [-2,-1):1, [-0.001,0.001]:2, (1,2]:3}},
     * empty buckets left out.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{count:").append(GoFloat.format(count)).append(", sum:").append(GoFloat.format(sum));
        List<String> neg = new ArrayList<>();
        BucketIterator it = negativeBuckets(null);
        while (it.next()) {
            if (it.count != 0) {
                neg.add(bucketString(it.lower, it.upper, it.lowerInclusive, it.upperInclusive, formatV(it.count)));
            }
        }
        for (int i = neg.size() - 1; i >= 0; i--) {
            sb.append(", ").append(neg.get(i));
        }
        if (zeroCount != 0) {
            sb.append(", ").append(bucketString(-zeroThreshold, zeroThreshold, true, true, formatV(zeroCount)));
        }
        it = positiveBuckets(it);
        while (it.next()) {
            if (it.count != 0) {
                sb.append(", ").append(bucketString(it.lower, it.upper, it.lowerInclusive, it.upperInclusive, formatV(it.count)));
            }
        }
        return sb.append('}').toString();
    }

    static String bucketString(double lower, double upper, boolean lowerInclusive, boolean upperInclusive, String count) {
        return (lowerInclusive ? "[" : "(") + GoFloat.format(lower) + "," + GoFloat.format(upper) + (upperInclusive ? "]" : ")") + ":" + count;
    }

    /** Go's {@code %v} of a float64: like {@code %g} but exponent form only below 1e-4 or from 1e21. */
    static String formatV(double v) {
        if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
            return GoFloat.format(v);
        }
        double a = Math.abs(v);
        if (a >= 1e-4 && a < 1e21) {
            return GoFloat.formatF(v);
        }
        return GoFloat.formatE(v, 'e');
    }
}

package io.specula.model.histogram;

import java.util.Arrays;

/**
 * Scratch list of (bucket index, count) pairs in ascending index order: the working form for
 * operations that change a histogram's layout (add, reduce resolution, compact), which then
 * rebuild spans from it. Package-private; not thread-safe.
 */
final class BucketList {
    int[] idx;
    double[] cnt;
    int n;

    BucketList(int capacity) {
        idx = new int[Math.max(capacity, 4)];
        cnt = new double[Math.max(capacity, 4)];
    }

    void clear() {
        n = 0;
    }

    void append(int index, double count) {
        if (n == idx.length) {
            idx = Arrays.copyOf(idx, n * 2);
            cnt = Arrays.copyOf(cnt, n * 2);
        }
        idx[n] = index;
        cnt[n] = count;
        n++;
    }

    /**
     * Appends the buckets of one side of a histogram as they fall into {@code targetSchema}
     * (counts of merged buckets summed), leaving out leading buckets whose upper bound is at or
     * below {@code skipUpTo} (exponential schemas only: they are inside a wider zero bucket).
     * {@code deltas} says whether {@code buckets} holds deltas (integer histograms).
     */
    static BucketList of(int[] spans, double[] buckets, int schema, int targetSchema, double skipUpTo) {
        BucketList l = new BucketList(buckets.length);
        l.addAll(spans, buckets, schema, targetSchema, skipUpTo, 1);
        return l;
    }

    void addAll(int[] spans, double[] buckets, int schema, int targetSchema, double skipUpTo, double factor) {
        boolean skipping = skipUpTo > 0 && !Schemas.isCustomBuckets(targetSchema);
        int b = 0;
        int origIdx = 0;
        for (int k = 0; k < spans.length; k += 2) {
            origIdx += spans[k];
            int len = spans[k + 1];
            for (int l = 0; l < len; l++, origIdx++, b++) {
                int t = Schemas.targetIndex(origIdx, schema, targetSchema);
                if (skipping) {
                    if (Schemas.exponentialBound(t, targetSchema) <= skipUpTo) {
                        continue;
                    }
                    skipping = false;
                }
                double c = buckets[b] * factor;
                if (n > 0 && idx[n - 1] == t) {
                    cnt[n - 1] += c;
                } else {
                    append(t, c);
                }
            }
        }
    }

    /** Index-wise sum of this list and {@code o} (both ascending), into a new list. */
    BucketList merge(BucketList o) {
        BucketList r = new BucketList(n + o.n);
        int i = 0;
        int j = 0;
        while (i < n || j < o.n) {
            if (j == o.n || (i < n && idx[i] < o.idx[j])) {
                r.append(idx[i], cnt[i]);
                i++;
            } else if (i == n || o.idx[j] < idx[i]) {
                r.append(o.idx[j], o.cnt[j]);
                j++;
            } else {
                r.append(idx[i], cnt[i] + o.cnt[j]);
                i++;
                j++;
            }
        }
        return r;
    }

    int[] spans() {
        Spans.Builder sb = new Spans.Builder();
        for (int i = 0; i < n; i++) {
            sb.add(idx[i]);
        }
        return sb.build();
    }

    double[] counts() {
        return Arrays.copyOf(cnt, n);
    }

    /**
     * Drops empty buckets and regroups: two non-empty buckets share a span (with explicit empty
     * buckets between them) when at most {@code maxEmptyBuckets} indexes lie between them, the
     * result of Prometheus's {@code Compact}.
     */
    void compact(int maxEmptyBuckets) {
        int w = 0;
        for (int i = 0; i < n; i++) {
            if (cnt[i] != 0) {
                idx[w] = idx[i];
                cnt[w] = cnt[i];
                w++;
            }
        }
        n = w;
    }

    /** Spans and counts after {@link #compact}: gaps of up to {@code maxEmpty} filled with zeros. */
    Object[] compactLayout(int maxEmpty) {
        Spans.Builder sb = new Spans.Builder();
        double[] out = new double[n + gapFill(maxEmpty)];
        int o = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                int gap = idx[i] - idx[i - 1] - 1;
                if (gap > 0 && gap <= maxEmpty) {
                    for (int g = 1; g <= gap; g++) {
                        sb.add(idx[i - 1] + g);
                        out[o++] = 0;
                    }
                }
            }
            sb.add(idx[i]);
            out[o++] = cnt[i];
        }
        return new Object[] {sb.build(), out};
    }

    private int gapFill(int maxEmpty) {
        int extra = 0;
        for (int i = 1; i < n; i++) {
            int gap = idx[i] - idx[i - 1] - 1;
            if (gap > 0 && gap <= maxEmpty) {
                extra += gap;
            }
        }
        return extra;
    }
}

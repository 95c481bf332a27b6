package io.specula.model.histogram;

import java.util.Arrays;

/**
 * Bucket spans, stored flat as {@code int[]}: {@code spans[2k]} is the offset of span {@code k}
 * and {@code spans[2k+1]} its length. The first offset is the index of the span's first
 * bucket; each later offset counts the buckets skipped since the previous span ended (never
 * negative in a valid histogram). A flat array keeps a histogram at a handful of objects.
 */
public final class Spans {
    private Spans() {}

    /** No spans. Shared: never write into it. */
    public static final int[] NONE = new int[0];

    /** Spans from {@code offset, length} pairs. */
    public static int[] of(int... offsetLengthPairs) {
        if ((offsetLengthPairs.length & 1) != 0) {
            throw new IllegalArgumentException("spans need offset/length pairs");
        }
        return offsetLengthPairs.length == 0 ? NONE : offsetLengthPairs.clone();
    }

    public static int count(int[] spans) {
        return spans.length >>> 1;
    }

    public static int offset(int[] spans, int k) {
        return spans[2 * k];
    }

    public static int length(int[] spans, int k) {
        return spans[2 * k + 1];
    }

    /** Total number of buckets the spans describe. */
    public static int bucketCount(int[] spans) {
        int n = 0;
        for (int k = 1; k < spans.length; k += 2) {
            n += spans[k];
        }
        return n;
    }

    /**
     * The absolute bucket index of every bucket, in order, into {@code out} (grown if needed).
     * Returns the array written.
     */
    public static int[] indexes(int[] spans, int[] out) {
        int n = bucketCount(spans);
        if (out == null || out.length < n) {
            out = new int[n];
        }
        int idx = 0;
        int j = 0;
        for (int k = 0; k < spans.length; k += 2) {
            idx += spans[k];
            for (int l = 0; l < spans[k + 1]; l++) {
                out[j++] = idx++;
            }
        }
        return out;
    }

    /**
     * Whether two span lists describe the same buckets. Spans of length zero and splits at
     * offset zero do not matter ({@code [0,2]} equals {@code [0,1],[0,1]}).
     */
    public static boolean sameLayout(int[] a, int[] b) {
        if (Arrays.equals(a, b)) {
            return true;
        }
        int na = bucketCount(a);
        if (na != bucketCount(b)) {
            return false;
        }
        int[] ia = indexes(a, null);
        int[] ib = indexes(b, null);
        return Arrays.equals(ia, 0, na, ib, 0, na);
    }

    /** Go's {@code %v} of a {@code []Span}, e.g. {@code [{0 2} {1 1}]}. */
    static String toString(int[] spans) {
        StringBuilder sb = new StringBuilder("[");
        for (int k = 0; k < spans.length; k += 2) {
            if (k > 0) {
                sb.append(' ');
            }
            sb.append('{').append(spans[k]).append(' ').append(spans[k + 1]).append('}');
        }
        return sb.append(']').toString();
    }

    /**
     * Builds spans from ascending bucket indexes, one bucket at a time; adjacent indexes share
     * a span. Reusable after {@link #reset()}.
     */
    static final class Builder {
        private int[] spans = new int[8];
        private int size; // ints used
        private int last;

        void reset() {
            size = 0;
        }

        void add(int idx) {
            if (size == 0) {
                push(idx);
            } else if (idx == last + 1) {
                spans[size - 1]++;
            } else {
                push(idx - last - 1);
            }
            last = idx;
        }

        private void push(int offset) {
            if (size + 2 > spans.length) {
                spans = Arrays.copyOf(spans, spans.length * 2);
            }
            spans[size++] = offset;
            spans[size++] = 1;
        }

        int[] build() {
            return size == 0 ? NONE : Arrays.copyOf(spans, size);
        }
    }
}

package io.specula.model.labels;

import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * An immutable set of label name/value pairs, sorted by name, without empty values.
 *
 * <p>The representation is one array of alternating names and values. Names and values
 * are usually interned by whoever builds the set (the head, the parsers' symbol tables),
 * so a series costs one array plus the strings that are unique to it.
 *
 * <p>As in Prometheus, a label with an empty value is the same as an absent label:
 * {@link #get(String)} returns {@code ""} for both. Instances are thread-safe.
 */
public final class Labels implements Comparable<Labels> {
    /** The label that holds the metric name. */
    public static final String METRIC_NAME = "__name__";

    public static final Labels EMPTY = new Labels(new String[0]);

    private final String[] kv;

    /** Takes ownership of {@code kv}, which must already be sorted, deduplicated and free of empty values. */
    Labels(String[] kv) {
        this.kv = kv;
    }

    /**
     * Builds a label set from alternating names and values, in any order.
     *
     * @throws IllegalArgumentException for an odd number of arguments or a duplicate name
     */
    public static Labels of(String... nameValues) {
        if ((nameValues.length & 1) != 0) {
            throw new IllegalArgumentException("labels need name/value pairs, got " + nameValues.length + " strings");
        }
        LabelsBuilder b = new LabelsBuilder();
        for (int i = 0; i < nameValues.length; i += 2) {
            if (b.has(nameValues[i])) {
                throw new IllegalArgumentException("duplicate label name " + nameValues[i]);
            }
            b.set(nameValues[i], nameValues[i + 1]);
        }
        return b.build();
    }

    public int size() {
        return kv.length >> 1;
    }

    public boolean isEmpty() {
        return kv.length == 0;
    }

    public String name(int i) {
        return kv[i << 1];
    }

    public String value(int i) {
        return kv[(i << 1) + 1];
    }

    /** The value of label {@code name}, or {@code ""} when there is none. */
    public String get(String name) {
        int i = indexOf(name);
        return i < 0 ? "" : kv[(i << 1) + 1];
    }

    public boolean has(String name) {
        return indexOf(name) >= 0;
    }

    /** The value of {@code __name__}, or {@code ""}. */
    public String metricName() {
        // __name__ sorts before every legacy label name that starts with a letter, so it is
        // nearly always first; the general lookup covers names such as "_a" or "A".
        if (kv.length > 0 && kv[0].equals(METRIC_NAME)) {
            return kv[1];
        }
        return get(METRIC_NAME);
    }

    /** Index of {@code name} among the pairs, or a negative number. */
    public int indexOf(String name) {
        int lo = 0, hi = size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = kv[mid << 1].compareTo(name);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < kv.length; i += 2) {
            action.accept(kv[i], kv[i + 1]);
        }
    }

    /** A builder initialised with these labels. */
    public LabelsBuilder toBuilder() {
        return new LabelsBuilder().reset(this);
    }

    /** These labels without {@code __name__}. */
    public Labels withoutMetricName() {
        int i = indexOf(METRIC_NAME);
        if (i < 0) {
            return this;
        }
        String[] out = new String[kv.length - 2];
        System.arraycopy(kv, 0, out, 0, i << 1);
        System.arraycopy(kv, (i << 1) + 2, out, i << 1, kv.length - (i << 1) - 2);
        return new Labels(out);
    }

    /**
     * A 64-bit hash of all pairs, stable across runs and JVMs (it does not depend on
     * {@link String#hashCode()}), for sharding and the head's series map. Not equal to
     * Prometheus's xxhash of the UTF-8 bytes: nothing outside a Specula process sees it.
     */
    public long hash() {
        long h = 0x9E3779B97F4A7C15L ^ kv.length;
        for (String s : kv) {
            h = mixString(h, s);
            h = mix(h, 0xFF);
        }
        return finish(h);
    }

    /**
     * Prometheus's {@code labels.Hash()}: XXH64 of every name and value in order, each followed
     * by a 0xFF byte. Slower than {@link #hash()}; for where Prometheus's exact value shows
     * ({@code limit_ratio}'s choice of series).
     */
    public long prometheusHash() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(64);
        for (String s : kv) {
            out.writeBytes(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.write(0xFF);
        }
        byte[] b = out.toByteArray();
        return XxHash64.hash(b, 0, b.length);
    }

    /** The hash of only the labels named in {@code names} (sorted), as used by {@code by (…)} grouping. */
    public long hashFor(String[] names) {
        long h = 0x9E3779B97F4A7C15L;
        for (String n : names) {
            int i = indexOf(n);
            if (i >= 0) {
                h = mixString(h, n);
                h = mix(h, 0xFF);
                h = mixString(h, kv[(i << 1) + 1]);
                h = mix(h, 0xFF);
            }
        }
        return finish(h);
    }

    private static long mixString(long h, String s) {
        int n = s.length(), i = 0;
        // Four UTF-16 units per multiply: label text is short, so the loop is the whole cost.
        for (; i + 4 <= n; i += 4) {
            long w = s.charAt(i) | (long) s.charAt(i + 1) << 16 | (long) s.charAt(i + 2) << 32 | (long) s.charAt(i + 3) << 48;
            h = mix(h, w);
        }
        for (; i < n; i++) {
            h = mix(h, s.charAt(i));
        }
        return mix(h, n);
    }

    private static long mix(long h, long w) {
        h ^= w * 0xC2B2AE3D27D4EB4FL;
        h = Long.rotateLeft(h, 31) * 0x9E3779B97F4A7C15L;
        return h;
    }

    private static long finish(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        return h ^ (h >>> 33);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof Labels other && Arrays.equals(kv, other.kv));
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(kv);
    }

    /**
     * Orders as Prometheus's {@code labels.Compare}: pair by pair, names then values, shorter
     * first, comparing strings by their UTF-8 bytes (the order of the index file), not by
     * Java's UTF-16 units.
     */
    @Override
    public int compareTo(Labels o) {
        int n = Math.min(kv.length, o.kv.length);
        for (int i = 0; i < n; i++) {
            int c = compareUtf8(kv[i], o.kv[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(kv.length, o.kv.length);
    }

    /**
     * Compares as the UTF-8 encodings would, i.e. by code point. UTF-16 order differs only
     * where a surrogate (a code point above U+FFFF) meets a char in U+E000..U+FFFF.
     */
    public static int compareUtf8(String a, String b) {
        if (a == b) {
            return 0; // label names and interned values are often the same instance
        }
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i), y = b.charAt(i);
            if (x != y) {
                boolean sx = Character.isSurrogate(x), sy = Character.isSurrogate(y);
                if (sx != sy && (x >= 0xE000 || y >= 0xE000)) {
                    return sx ? 1 : -1; // the surrogate stands for a larger code point
                }
                return x - y;
            }
        }
        return a.length() - b.length();
    }

    /** Prometheus's form: {@code {__name__="up", job="node"}}, names quoted when not legacy-valid. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(kv.length * 12 + 2).append('{');
        for (int i = 0; i < kv.length; i += 2) {
            if (i > 0) {
                sb.append(", ");
            }
            if (LabelNames.isValidLegacyLabelName(kv[i])) {
                sb.append(kv[i]);
            } else {
                LabelNames.appendQuoted(sb, kv[i]);
            }
            sb.append('=');
            LabelNames.appendQuoted(sb, kv[i + 1]);
        }
        return sb.append('}').toString();
    }
}

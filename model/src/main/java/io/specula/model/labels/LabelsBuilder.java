package io.specula.model.labels;

import java.util.Arrays;

/**
 * A reusable, mutable label set that produces {@link Labels}.
 *
 * <p>Pairs are kept in insertion order and sorted once by {@link #build()}; exposition
 * formats almost always list labels sorted already, so build() checks the order in one pass
 * and sorts only when it must.
 * {@link #set} replaces an existing name; an empty value deletes the label at build time.
 * Not thread-safe: one builder per thread, reset between uses.
 */
public final class LabelsBuilder {
    private String[] kv = new String[16];
    private int n; // number of strings used in kv (twice the pair count)

    public LabelsBuilder reset() {
        Arrays.fill(kv, 0, n, null);
        n = 0;
        return this;
    }

    public LabelsBuilder reset(Labels base) {
        reset();
        for (int i = 0; i < base.size(); i++) {
            add(base.name(i), base.value(i));
        }
        return this;
    }

    /** Sets {@code name} to {@code value}, replacing an earlier value. */
    public LabelsBuilder set(String name, String value) {
        for (int i = 0; i < n; i += 2) {
            if (kv[i].equals(name)) {
                kv[i + 1] = value;
                return this;
            }
        }
        return add(name, value);
    }

    /**
     * Appends a pair without looking for an earlier one with the same name. For parsers that
     * check duplicates themselves (see {@link #firstDuplicateName()}).
     */
    public LabelsBuilder add(String name, String value) {
        if (n == kv.length) {
            kv = Arrays.copyOf(kv, n * 2);
        }
        kv[n++] = name;
        kv[n++] = value;
        return this;
    }

    /** Removes {@code name}; no-op when absent. */
    public LabelsBuilder delete(String name) {
        for (int i = 0; i < n; i += 2) {
            if (kv[i].equals(name)) {
                System.arraycopy(kv, i + 2, kv, i, n - i - 2);
                kv[--n] = null;
                kv[--n] = null;
                return this;
            }
        }
        return this;
    }

    /** The current value of {@code name}, or {@code ""}. */
    public String get(String name) {
        for (int i = 0; i < n; i += 2) {
            if (kv[i].equals(name)) {
                return kv[i + 1];
            }
        }
        return "";
    }

    public boolean has(String name) {
        for (int i = 0; i < n; i += 2) {
            if (kv[i].equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** Number of pairs currently held (including ones with empty values). */
    public int size() {
        return n >> 1;
    }

    public String name(int i) {
        return kv[i << 1];
    }

    public String value(int i) {
        return kv[(i << 1) + 1];
    }

    /** Keeps only the pairs whose name satisfies {@code keep}. */
    public LabelsBuilder retain(java.util.function.Predicate<String> keep) {
        int w = 0;
        for (int r = 0; r < n; r += 2) {
            if (keep.test(kv[r])) {
                kv[w++] = kv[r];
                kv[w++] = kv[r + 1];
            }
        }
        Arrays.fill(kv, w, n, null);
        n = w;
        return this;
    }

    /** The first name that occurs twice (in insertion order), or null. */
    public String firstDuplicateName() {
        if (n <= 32) { // typical label sets: a quadratic scan beats hashing
            for (int i = 2; i < n; i += 2) {
                for (int j = 0; j < i; j += 2) {
                    if (kv[i].equals(kv[j])) {
                        return kv[i];
                    }
                }
            }
            return null;
        }
        java.util.Set<String> seen = new java.util.HashSet<>(n);
        for (int i = 0; i < n; i += 2) {
            if (!seen.add(kv[i])) {
                return kv[i];
            }
        }
        return null;
    }

    /** A sorted, immutable copy without empty values. The builder stays usable. */
    public Labels build() {
        int pairs = 0;
        boolean sorted = true;
        String last = null;
        for (int i = 0; i < n; i += 2) {
            if (!kv[i + 1].isEmpty()) {
                if (last != null && last.compareTo(kv[i]) > 0) {
                    sorted = false;
                }
                last = kv[i];
                pairs++;
            }
        }
        if (pairs == 0) {
            return Labels.EMPTY;
        }
        String[] out = new String[pairs * 2];
        int w = 0;
        for (int i = 0; i < n; i += 2) {
            if (!kv[i + 1].isEmpty()) {
                out[w++] = kv[i];
                out[w++] = kv[i + 1];
            }
        }
        // Exposition formats and Labels.toBuilder() nearly always give sorted input: then no sort at all.
        return new Labels(sorted ? out : sortPairs(out, pairs));
    }

    private static String[] sortPairs(String[] kv, int pairs) {
        Integer[] order = new Integer[pairs];
        for (int i = 0; i < pairs; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> kv[a << 1].compareTo(kv[b << 1])); // stable: equal names keep their order
        String[] out = new String[kv.length];
        for (int i = 0; i < pairs; i++) {
            out[i << 1] = kv[order[i] << 1];
            out[(i << 1) + 1] = kv[(order[i] << 1) + 1];
        }
        return out;
    }
}

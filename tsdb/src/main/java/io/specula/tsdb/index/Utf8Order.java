package io.specula.tsdb.index;

import io.specula.model.labels.Labels;
import java.util.Comparator;

/**
 * The order of the on-disk index: strings compared byte by byte in UTF-8, as Go compares
 * strings. It equals code point order, and differs from {@link String#compareTo} (UTF-16
 * units) only between supplementary characters and U+E000..U+FFFF. Symbols, label values
 * and series must be sorted this way for binary searches over the file to be right.
 */
public final class Utf8Order {
    private Utf8Order() {}

    /** {@link #compare(String, String)} as a comparator. */
    public static final Comparator<String> STRINGS = Utf8Order::compare;

    /** {@link #compare(Labels, Labels)} as a comparator. */
    public static final Comparator<Labels> LABELS = Utf8Order::compare;

    /** Compares as Go compares the UTF-8 bytes of {@code a} and {@code b}. */
    public static int compare(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i), y = b.charAt(i);
            if (x != y) {
                if (x >= 0xD800 && y >= 0xD800) {
                    // Surrogates (supplementary characters) must sort above U+E000..U+FFFF.
                    return fixup(x) - fixup(y);
                }
                return x - y;
            }
        }
        return a.length() - b.length();
    }

    private static int fixup(char c) {
        return c >= 0xE000 ? c - 0x800 : c + 0x2000;
    }

    /**
     * Prometheus's {@code labels.Compare}: pair by pair, name then value, in byte order;
     * a label set that is a prefix of another sorts first.
     */
    public static int compare(Labels a, Labels b) {
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            int c = compare(a.name(i), b.name(i));
            if (c != 0) {
                return c;
            }
            c = compare(a.value(i), b.value(i));
            if (c != 0) {
                return c;
            }
        }
        return a.size() - b.size();
    }
}

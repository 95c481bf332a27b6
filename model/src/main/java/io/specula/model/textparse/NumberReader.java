package io.specula.model.textparse;

import java.nio.charset.StandardCharsets;

/**
 * Reads the numbers of the exposition formats from bytes, without building a String in the
 * common case.
 *
 * <p>Accepted syntax is that of Go's {@code strconv.ParseFloat} as Prometheus uses it (which is
 * also OpenMetrics' {@code number}): an optional sign and decimal digits with an optional point
 * and exponent ({@code 1}, {@code -1.5}, {@code .5}, {@code 5.}, {@code 1e-3}, {@code 1E+05}),
 * {@code inf}/{@code infinity} with an optional sign and {@code nan} without one, both in any
 * case. Hexadecimal floats and underscores are refused, as Prometheus refuses them. A decimal
 * literal whose value overflows a double is an error ("value out of range"), as in Go.
 *
 * <p>Results are always correctly rounded: the fast path covers literals with at most 15
 * significant digits and a decimal exponent within ±22, where one multiplication or division
 * of two exactly representable doubles is exact up to the final rounding (Clinger's fast path);
 * everything else goes to {@link Double#parseDouble}. Exposition bodies are dominated by
 * integers and short decimals, so the fallback is rare.
 *
 * <p>One instance per parser; not thread-safe. After {@link #read} returns false,
 * {@link #error()} says why.
 */
final class NumberReader {
    private static final double[] POW10 = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    };
    private static final long[] LONG_POW10 = {
        1L, 10L, 100L, 1000L, 10000L, 100000L, 1000000L, 10000000L, 100000000L, 1000000000L,
        10000000000L, 100000000000L, 1000000000000L, 10000000000000L, 100000000000000L, 1000000000000000L,
    };
    private static final long MAX_EXACT = 1L << 53;

    private double value;
    private boolean special; // inf or nan spelled out
    private String error;

    /** The number read by the last successful {@link #read}. */
    double value() {
        return value;
    }

    /** Whether the last number was spelled as inf/infinity/nan rather than with digits. */
    boolean special() {
        return special;
    }

    /** Why the last {@link #read} failed. */
    String error() {
        return error;
    }

    /**
     * Reads [s, e) as a whole. Returns false (see {@link #error()}) if it is not a number or
     * overflows.
     */
    boolean read(byte[] b, int s, int e) {
        special = false;
        if (s >= e) {
            return fail("empty number");
        }
        int i = s;
        boolean neg = false;
        byte c = b[i];
        if (c == '+' || c == '-') {
            neg = c == '-';
            i++;
            if (i == e) {
                return fail("sign without digits");
            }
            c = b[i];
        }
        if ((c | 0x20) == 'i') {
            if (matchesIgnoreCase(b, i, e, "inf") || matchesIgnoreCase(b, i, e, "infinity")) {
                value = neg ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                special = true;
                return true;
            }
            return fail("not a number");
        }
        if ((c | 0x20) == 'n') {
            // Go takes "nan" only without a sign.
            if (i == s && matchesIgnoreCase(b, i, e, "nan")) {
                value = Double.NaN;
                special = true;
                return true;
            }
            return fail("not a number");
        }

        long mant = 0;
        int digits = 0; // significant digits held in mant
        int exp10 = 0; // value = mant * 10^exp10 (before the exponent part)
        boolean slow = false;
        boolean sawDigit = false;
        boolean sawDot = false;
        for (; i < e; i++) {
            c = b[i];
            if (c >= '0' && c <= '9') {
                sawDigit = true;
                int d = c - '0';
                if (mant == 0 && d == 0) {
                    if (sawDot) {
                        exp10--; // a leading zero after the point only moves the point
                    }
                    continue;
                }
                if (digits < 15) {
                    mant = mant * 10 + d;
                    digits++;
                    if (sawDot) {
                        exp10--;
                    }
                } else if (d != 0) {
                    slow = true; // a 16th significant digit: leave it to the exact slow path
                } else if (!sawDot) {
                    exp10++; // a zero past the 15th digit in the integer part scales by ten
                }
            } else if (c == '.' && !sawDot) {
                sawDot = true;
            } else {
                break;
            }
        }
        if (!sawDigit) {
            return fail("not a number");
        }
        if (i < e) {
            c = b[i];
            if ((c | 0x20) != 'e') {
                return fail(c == '_' || c == 'p' || c == 'P' || c == 'x' || c == 'X'
                        ? "unsupported character in number"
                        : "not a number");
            }
            i++;
            boolean eneg = false;
            if (i < e && (b[i] == '+' || b[i] == '-')) {
                eneg = b[i] == '-';
                i++;
            }
            if (i == e || !Bytes.isDigit(b[i])) {
                return fail("exponent without digits");
            }
            int x = 0;
            for (; i < e && Bytes.isDigit(b[i]); i++) {
                if (x < 100_000) {
                    x = x * 10 + (b[i] - '0'); // far beyond any double; saturate
                }
            }
            if (i < e) {
                return fail("not a number");
            }
            exp10 += eneg ? -x : x;
        }

        double v;
        if (mant == 0 && !slow) {
            v = 0.0;
        } else if (!slow && exp10 >= 0 && exp10 <= 22) {
            v = mant * POW10[exp10];
        } else if (!slow && exp10 < 0 && exp10 >= -22) {
            v = mant / POW10[-exp10];
        } else if (!slow && exp10 > 22 && exp10 - 22 < LONG_POW10.length
                && mant <= MAX_EXACT / LONG_POW10[exp10 - 22]) {
            // Shift the excess exponent into the mantissa while it stays exact.
            v = (mant * LONG_POW10[exp10 - 22]) * 1e22;
        } else {
            try {
                v = Double.parseDouble(new String(b, s, e - s, StandardCharsets.ISO_8859_1));
            } catch (NumberFormatException ex) {
                return fail("not a number"); // unreachable: the syntax was checked above
            }
            v = Math.abs(v);
        }
        if (Double.isInfinite(v)) {
            return fail("value out of range");
        }
        value = neg ? -v : v;
        return true;
    }

    private static boolean matchesIgnoreCase(byte[] b, int s, int e, String lower) {
        if (e - s != lower.length()) {
            return false;
        }
        for (int k = 0; k < lower.length(); k++) {
            if ((b[s + k] | 0x20) != lower.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private boolean fail(String why) {
        error = why;
        return false;
    }
}

package io.specula.web.api;

import io.specula.model.labels.Labels;
import java.util.Collection;
import java.util.Map;

/**
 * A small JSON writer that produces the bytes Prometheus's Go encoder produces: strings escaped
 * as Go's {@code encoding/json} does with HTML escaping on ({@code <} as {@code \u003c}),
 * sample values as quoted strings in Prometheus's float layout, timestamps as seconds with
 * millisecond fraction. Separators are implicit: every {@code name}/{@code value}/{@code begin…}
 * call inserts the comma its container needs.
 *
 * <p>Not thread-safe; one instance per response. Appending a double reuses a scratch builder,
 * so rendering a matrix allocates nothing per point beyond the output itself.
 */
public final class Json {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Output is handed to {@link #sink} in pieces of about this size, so big answers are never held whole. */
    private static final int FLUSH_CHARS = 64 << 10;

    private final StringBuilder out;
    private final java.io.Writer sink;
    private final StringBuilder scratch = new StringBuilder(32);
    private final byte[] digits = new byte[32];
    /** One flag per open container: whether it already holds an element. */
    private boolean[] hasElement = new boolean[16];
    private int depth;
    /** True right after a name was written: the next value needs no comma. */
    private boolean afterName;

    public Json() {
        this(new StringBuilder(256));
    }

    public Json(StringBuilder out) {
        this.out = out;
        this.sink = null;
    }

    /** A writer that streams to {@code sink}; call {@link #flush()} at the end. */
    public Json(java.io.Writer sink) {
        this.out = new StringBuilder(FLUSH_CHARS + 1024);
        this.sink = sink;
    }

    /** Hands what is buffered to the sink (no-op without one). */
    public void flush() {
        if (sink != null && !out.isEmpty()) {
            try {
                sink.write(out.toString());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            out.setLength(0);
        }
    }

    public StringBuilder buffer() {
        return out;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void separate() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (depth > 0) {
            if (hasElement[depth - 1]) {
                out.append(',');
            }
            hasElement[depth - 1] = true;
        }
    }

    private void open(char c) {
        separate();
        out.append(c);
        if (depth == hasElement.length) {
            hasElement = java.util.Arrays.copyOf(hasElement, depth * 2);
        }
        hasElement[depth++] = false;
    }

    public Json beginObject() {
        open('{');
        return this;
    }

    public Json endObject() {
        depth--;
        out.append('}');
        return this;
    }

    public Json beginArray() {
        open('[');
        return this;
    }

    public Json endArray() {
        depth--;
        out.append(']');
        if (sink != null && out.length() >= FLUSH_CHARS) {
            flush();
        }
        return this;
    }

    /** Writes an object member's name; the next call writes its value. */
    public Json name(String name) {
        separate();
        quote(name);
        out.append(':');
        afterName = true;
        return this;
    }

    public Json value(String s) {
        separate();
        if (s == null) {
            out.append("null");
        } else {
            quote(s);
        }
        return this;
    }

    public Json value(boolean b) {
        separate();
        out.append(b);
        return this;
    }

    public Json value(long n) {
        separate();
        out.append(n);
        return this;
    }

    /** A JSON number as Go's {@code encoding/json} writes a float64 (NaN/Inf are not JSON: written as null). */
    public Json number(double v) {
        separate();
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            out.append("null");
        } else {
            appendFloat(v, true);
        }
        return this;
    }

    public Json nullValue() {
        separate();
        out.append("null");
        return this;
    }

    /** A sample value: a quoted string, {@code "NaN"}, {@code "+Inf"}, {@code "1e+21"}, {@code "0.5"}. */
    public Json sampleValue(double v) {
        separate();
        out.append('"');
        if (Double.isNaN(v)) {
            out.append("NaN");
        } else if (Double.isInfinite(v)) {
            out.append(v > 0 ? "+Inf" : "-Inf");
        } else {
            appendFloat(v, false);
        }
        out.append('"');
        return this;
    }

    /** A timestamp in ms as Prometheus writes it: seconds, then the fraction without trailing zeros. */
    public Json timestamp(long ms) {
        separate();
        if (ms < 0) {
            out.append('-');
            ms = -ms;
        }
        out.append(ms / 1000);
        long frac = ms % 1000;
        if (frac != 0) {
            // Three digits with trailing zeros cut: .5, .05, .123 (Prometheus writes 1700000060.12).
            out.append('.').append((char) ('0' + frac / 100));
            if (frac % 100 != 0) {
                out.append((char) ('0' + frac / 10 % 10));
                if (frac % 10 != 0) {
                    out.append((char) ('0' + frac % 10));
                }
            }
        }
        return this;
    }

    /** A label set as an object, names in label order. */
    public Json labels(Labels l) {
        beginObject();
        for (int i = 0; i < l.size(); i++) {
            name(l.name(i)).value(l.value(i));
        }
        return endObject();
    }

    public Json strings(Collection<String> values) {
        beginArray();
        for (String s : values) {
            value(s);
        }
        return endArray();
    }

    /** A string map; pass a sorted map to get Go's key order. */
    public Json stringMap(Map<String, String> m) {
        beginObject();
        m.forEach((k, v) -> name(k).value(v));
        return endObject();
    }

    /** Copies already-encoded JSON as the next value. */
    public Json raw(String json) {
        separate();
        out.append(json);
        return this;
    }

    private void quote(String s) {
        out.append('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> unicodeEscape(c);
                default -> {
                    if (c < 0x20) {
                        unicodeEscape(c);
                    } else if (Character.isSurrogate(c)) {
                        // A lone surrogate is invalid UTF-8 in Go: written as U+FFFD.
                        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                            out.append(c).append(s.charAt(++i));
                        } else {
                            out.append("\\ufffd");
                        }
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private void unicodeEscape(char c) {
        out.append("\\u").append(HEX[c >> 12 & 15]).append(HEX[c >> 8 & 15]).append(HEX[c >> 4 & 15]).append(HEX[c & 15]);
    }

    /**
     * Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}, or {@code 'e'} when |v| is below 1e-6
     * or at least 1e21 (the cut-offs of Go's JSON encoder, which Prometheus also uses for sample
     * values). {@code encodingJson} additionally shortens {@code e-07} to {@code e-7} as
     * {@code encoding/json} does for plain numbers.
     */
    void appendFloat(double v, boolean encodingJson) {
        appendFloat(v, encodingJson, false);
    }

    /** A scalar's value: Go's {@code 'f'} layout at every magnitude, as Prometheus writes scalars. */
    public Json scalarValue(double v) {
        separate();
        out.append('"');
        if (Double.isNaN(v)) {
            out.append("NaN");
        } else if (Double.isInfinite(v)) {
            out.append(v > 0 ? "+Inf" : "-Inf");
        } else {
            appendFloat(v, false, true);
        }
        out.append('"');
        return this;
    }

    private void appendFloat(double v, boolean encodingJson, boolean alwaysPlain) {
        if (v == 0) {
            out.append(Double.doubleToRawLongBits(v) < 0 ? "-0" : "0");
            return;
        }
        if (v < 0) {
            out.append('-');
            v = -v;
        }
        // Shortest round-trip digits from the JDK (exact since JDK 19), then Go's layout.
        scratch.setLength(0);
        if (v < Double.MIN_NORMAL) {
            // The JDK may give one digit too many for subnormals (4.9E-324); Go's digits are shortest.
            scratch.append(io.specula.model.exposition.GoFloat.format(v));
        } else {
            scratch.append(v);
        }
        int nd = 0, dp = 0, exp = 0;
        boolean leading = true, point = false;
        int len = scratch.length();
        for (int i = 0; i < len; i++) {
            char c = scratch.charAt(i);
            if (c == '.') {
                dp = nd;
                point = true;
            } else if (c == 'E' || c == 'e') {
                exp = Integer.parseInt(scratch, scratch.charAt(i + 1) == '+' ? i + 2 : i + 1, len, 10);
                break;
            } else if (leading && c == '0') {
                if (point) {
                    dp--; // a zero after the point before any digit shifts the point
                }
            } else {
                leading = false;
                digits[nd++] = (byte) (c - '0');
            }
        }
        if (!point) {
            dp = nd;
        }
        while (nd > 1 && digits[nd - 1] == 0) {
            nd--;
        }
        int decimalExp = dp + exp; // value = 0.d1d2... * 10^decimalExp
        if (!alwaysPlain && (v < 1e-6 || v >= 1e21)) {
            out.append((char) ('0' + digits[0]));
            if (nd > 1) {
                out.append('.');
                for (int i = 1; i < nd; i++) {
                    out.append((char) ('0' + digits[i]));
                }
            }
            int e = decimalExp - 1;
            out.append('e').append(e < 0 ? '-' : '+');
            e = Math.abs(e);
            if (e < 10 && !encodingJson) {
                out.append('0');
            }
            out.append(e);
            return;
        }
        if (decimalExp <= 0) {
            out.append("0.");
            for (int i = 0; i < -decimalExp; i++) {
                out.append('0');
            }
            for (int i = 0; i < nd; i++) {
                out.append((char) ('0' + digits[i]));
            }
        } else if (decimalExp >= nd) {
            for (int i = 0; i < nd; i++) {
                out.append((char) ('0' + digits[i]));
            }
            for (int i = nd; i < decimalExp; i++) {
                out.append('0');
            }
        } else {
            for (int i = 0; i < nd; i++) {
                if (i == decimalExp) {
                    out.append('.');
                }
                out.append((char) ('0' + digits[i]));
            }
        }
    }
}

package io.specula.promql.parser;

import io.specula.model.histogram.FloatHistogram;
import io.specula.model.labels.Labels;
import io.specula.model.value.StaleNaN;
import java.util.Arrays;

/**
 * One series line of a PromQL test script ({@code load} bodies and expected results):
 * {@code metric{labels} 1 2 _x3 0+10x5 stale {{schema:0 sum:5}}}, with the value sequence
 * expanded to one position per sample slot.
 *
 * <p>Read the expansion through {@link #size()}, {@link #kind(int)}, {@link #value(int)}. A native
 * histogram position has kind {@link Kind#HISTOGRAM}, value NaN, the histogram in
 * {@link #histogram(int)} ({@link HistogramNotation}; {@code {{a}}+{{b}}x3} adds {@code b} at
 * each step) and the item's raw text in {@link #histogramText(int)}. A start-timestamp line ({@code metric{...}@st -30s _})
 * has {@link #isStartTimestamps()} set and each value is an offset in ms. Immutable.
 */
public final class SeriesDescription {
    /** What a position of the sequence holds. */
    public enum Kind { VALUE, OMITTED, STALE, HISTOGRAM }

    private final Labels labels;
    private final boolean startTimestamps;
    private final Kind[] kinds;
    private final double[] values;
    private final String[] histograms;
    private final FloatHistogram[] parsed;
    private final int size;

    private SeriesDescription(Labels labels, boolean startTimestamps, Builder b) {
        this.labels = labels;
        this.startTimestamps = startTimestamps;
        this.size = b.size;
        this.kinds = Arrays.copyOf(b.kinds, b.size);
        this.values = Arrays.copyOf(b.values, b.size);
        this.histograms = b.hasHistograms ? Arrays.copyOf(b.histograms, b.size) : null;
        this.parsed = b.hasHistograms ? Arrays.copyOf(b.parsed, b.size) : null;
    }

    /** Parses a whole series line: the label set, then the value sequence. */
    public static SeriesDescription parse(String line) throws ParseException {
        int end = metricEnd(line);
        Labels labels = PromQLParser.parseMetric(line.substring(0, end));
        boolean st = line.startsWith("@st", end);
        if (st) {
            end += 3;
        }
        if (end < line.length() && !Lexer.isSpace(line.charAt(end))) {
            throw new ParseException(line, new PositionRange(end, end + 1),
                    "unexpected character in series sequence: " + GoStrings.quoteRune(line.codePointAt(end)));
        }
        Builder b = new Builder();
        new ValueScanner(line, end, st, b).run();
        return new SeriesDescription(labels, st, b);
    }

    /** Expands a bare value sequence such as {@code 0+10x5 _ stale} (no label set). */
    public static SeriesDescription parseValues(String sequence) throws ParseException {
        Builder b = new Builder();
        new ValueScanner(sequence, 0, false, b).run();
        return new SeriesDescription(Labels.EMPTY, false, b);
    }

    /** Where the label-set part of a series line ends: after the name and the matching brace. */
    private static int metricEnd(String line) {
        int i = 0;
        int n = line.length();
        while (i < n && Lexer.isSpace(line.charAt(i))) {
            i++;
        }
        while (i < n && (Lexer.isAlphaNumeric(line.charAt(i)) || line.charAt(i) == ':')) {
            i++;
        }
        if (i < n && line.charAt(i) == '{' && !(i + 1 < n && line.charAt(i + 1) == '{')) {
            i++;
            while (i < n && line.charAt(i) != '}') {
                char c = line.charAt(i);
                if (c == '"' || c == '\'' || c == '`') {
                    i++;
                    while (i < n && line.charAt(i) != c) {
                        if (line.charAt(i) == '\\' && c != '`') {
                            i++;
                        }
                        i++;
                    }
                }
                i++;
            }
            i = Math.min(n, i + 1);
        }
        return i;
    }

    public Labels labels() {
        return labels;
    }

    /** True for an {@code @st} line whose values are start-timestamp offsets in ms. */
    public boolean isStartTimestamps() {
        return startTimestamps;
    }

    public int size() {
        return size;
    }

    public Kind kind(int i) {
        return kinds[i];
    }

    /** The float at position i: NaN for omitted and histogram positions, the stale NaN for STALE. */
    public double value(int i) {
        return values[i];
    }

    /** The raw {@code {{...}}} item text of a HISTOGRAM position, else null. */
    public String histogramText(int i) {
        return histograms == null ? null : histograms[i];
    }

    /** The histogram at a HISTOGRAM position (shared: do not modify), else null. */
    public FloatHistogram histogram(int i) {
        return parsed == null ? null : parsed[i];
    }

    /** Whether any position is a native histogram. */
    public boolean hasHistograms() {
        return histograms != null;
    }

    /** Growable parallel arrays. */
    static final class Builder {
        Kind[] kinds = new Kind[16];
        double[] values = new double[16];
        String[] histograms = new String[16];
        FloatHistogram[] parsed = new FloatHistogram[16];
        boolean hasHistograms;
        int size;

        void add(Kind k, double v, String hist) {
            add(k, v, hist, null);
        }

        void add(Kind k, double v, String hist, FloatHistogram h) {
            if (size == kinds.length) {
                int cap = size * 2;
                kinds = Arrays.copyOf(kinds, cap);
                values = Arrays.copyOf(values, cap);
                histograms = Arrays.copyOf(histograms, cap);
                parsed = Arrays.copyOf(parsed, cap);
            }
            kinds[size] = k;
            values[size] = v;
            histograms[size] = hist;
            parsed[size] = h;
            if (hist != null) {
                hasHistograms = true;
            }
            size++;
        }
    }

    /** Scans the items of a value sequence. */
    private static final class ValueScanner {
        private static final int MAX_REPEAT = 10_000_000;
        private final String s;
        private final boolean durations;
        private final Builder out;
        private int pos;

        ValueScanner(String s, int pos, boolean durations, Builder out) {
            this.s = s;
            this.pos = pos;
            this.durations = durations;
            this.out = out;
        }

        private ParseException error(int at, String msg) {
            return new ParseException(s, new PositionRange(at, Math.min(s.length(), at + 1)), msg);
        }

        void run() throws ParseException {
            while (true) {
                while (pos < s.length() && Lexer.isSpace(s.charAt(pos))) {
                    pos++;
                }
                if (pos >= s.length()) {
                    return;
                }
                int start = pos;
                item();
                if (pos < s.length() && !Lexer.isSpace(s.charAt(pos))) {
                    throw error(pos, "unexpected character in series sequence: "
                            + GoStrings.quoteRune(s.codePointAt(pos)) + " in item starting at column " + (start + 1));
                }
            }
        }

        private boolean at(String prefix) {
            return s.startsWith(prefix, pos);
        }

        private void item() throws ParseException {
            double nan = Double.NaN;
            if (at("_")) {
                pos++;
                long n = 1;
                if (at("x")) {
                    pos++;
                    n = repeat();
                }
                for (long i = 0; i < n; i++) {
                    out.add(Kind.OMITTED, nan, null);
                }
                return;
            }
            if (!durations && at("stale") && (pos + 5 == s.length() || Lexer.isSpace(s.charAt(pos + 5)))) {
                pos += 5;
                out.add(Kind.STALE, StaleNaN.VALUE, null);
                return;
            }
            if (!durations && at("{{")) {
                int start = pos;
                skipHistogram();
                FloatHistogram h = HistogramNotation.parse(s.substring(start, pos));
                FloatHistogram step = null;
                boolean minus = false;
                long n = 0;
                if (at("x")) {
                    pos++;
                    n = repeat();
                } else if (at("+{{") || at("-{{")) {
                    minus = s.charAt(pos) == '-';
                    pos++;
                    int stepStart = pos;
                    skipHistogram();
                    step = HistogramNotation.parse(s.substring(stepStart, pos));
                    if (!at("x")) {
                        throw error(pos, "expected \"x\" and a repetition count after a histogram increment");
                    }
                    pos++;
                    n = repeat();
                }
                String text = s.substring(start, pos);
                FloatHistogram cur = h;
                for (long i = 0; i <= n; i++) {
                    out.add(Kind.HISTOGRAM, nan, text, cur);
                    if (step != null) {
                        cur = cur.copy();
                        if (minus) {
                            cur.sub(step);
                        } else {
                            cur.add(step);
                        }
                    }
                }
                return;
            }
            double a = number();
            if (at("x")) {
                pos++;
                long n = repeat();
                for (long i = 0; i <= n; i++) {
                    out.add(Kind.VALUE, a, null);
                }
                return;
            }
            if (at("+") || at("-")) {
                double b = number();
                if (!at("x")) {
                    throw error(pos, "expected \"x\" and a repetition count after an increment");
                }
                pos++;
                long n = repeat();
                for (long i = 0; i <= n; i++) {
                    out.add(Kind.VALUE, a, null);
                    a += b;
                }
                return;
            }
            out.add(Kind.VALUE, a, null);
        }

        private void skipHistogram() throws ParseException {
            int close = s.indexOf("}}", pos + 2);
            if (close < 0) {
                throw error(pos, "histogram description incomplete: missing \"}}\"");
            }
            pos = close + 2;
        }

        private long repeat() throws ParseException {
            int start = pos;
            while (pos < s.length() && Lexer.isDigit(s.charAt(pos))) {
                pos++;
            }
            if (start == pos) {
                throw error(start, "invalid repetition in series values: missing count after \"x\"");
            }
            long n;
            try {
                n = Long.parseLong(s.substring(start, pos));
            } catch (NumberFormatException e) {
                throw error(start, "invalid repetition in series values: " + s.substring(start, pos));
            }
            if (n > MAX_REPEAT) {
                throw error(start, "invalid repetition in series values: " + n + " is too many");
            }
            return n;
        }

        /** A signed float (or, on {@code @st} lines, a signed duration in ms). */
        private double number() throws ParseException {
            int start = pos;
            boolean neg = false;
            if (at("+") || at("-")) {
                neg = s.charAt(pos) == '-';
                pos++;
            }
            int bodyStart = pos;
            if (durations) {
                while (pos < s.length() && Lexer.isAlphaNumeric(s.charAt(pos)) && !(s.charAt(pos) == 'x'
                        && pos > bodyStart && pos + 1 < s.length() && Lexer.isDigit(s.charAt(pos + 1))
                        && !Lexer.isDigit(s.charAt(pos - 1)))) {
                    pos++;
                }
                try {
                    long ms = GoNumbers.parseDurationMs(s.substring(bodyStart, pos));
                    return neg ? -ms : ms;
                } catch (IllegalArgumentException e) {
                    throw error(start, e.getMessage());
                }
            }
            if (pos < s.length() && Lexer.isAlpha(s.charAt(pos))) {
                while (pos < s.length() && Lexer.isAlpha(s.charAt(pos)) && s.charAt(pos) != 'x') {
                    pos++;
                }
            } else {
                while (pos < s.length()) {
                    char c = s.charAt(pos);
                    if (Lexer.isDigit(c) || c == '.' || c == '_') {
                        pos++;
                    } else if ((c == 'e' || c == 'E') && pos > bodyStart) {
                        pos++;
                        if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                            pos++;
                        }
                    } else {
                        break;
                    }
                }
            }
            String text = s.substring(bodyStart, pos);
            if (text.isEmpty()) {
                throw error(start, "unexpected character in series sequence: "
                        + (pos < s.length() ? GoStrings.quoteRune(s.codePointAt(pos)) : "end of input"));
            }
            try {
                double v = GoNumbers.parseNumber(text);
                return neg ? -v : v;
            } catch (NumberFormatException e) {
                throw error(start, "bad number syntax: " + GoStrings.quote(s.substring(start, pos)));
            }
        }
    }
}

package io.specula.app.tool;

import io.specula.model.exposition.GoFloat;
import io.specula.model.labels.Labels;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Text exactly as promtool (Go) prints it, so that our tool output can be diffed against
 * promtool's: {@code %g} floats, {@code strconv.Quote}, {@code labels.String()},
 * {@code time.Duration.String()} and {@code text/tabwriter} columns. Stateless.
 */
final class GoFormat {
    private GoFormat() {}

    /** Go's {@code %g} of a float64 ({@code strconv.FormatFloat(v, 'g', -1, 64)}). */
    static String g(double v) {
        return GoFloat.format(v);
    }

    /** Go's {@code strconv.FormatFloat(v, 'f', -1, 64)}: shortest round-trip digits, never an exponent. */
    static String f(double v) {
        return GoFloat.formatF(v);
    }

    /** Go's {@code strconv.Quote}: double quotes, Go escapes, non-printable runes as \x, \\u or \\U. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case 7 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 11 -> sb.append("\\v");
                default -> {
                    if (c < 0x20 || c == 0x7F) {
                        sb.append(String.format("\\x%02x", c));
                    } else if (c >= 0x80 && !printable(c)) {
                        sb.append(c < 0x10000 ? String.format("\\u%04x", c) : String.format("\\U%08x", c));
                    } else {
                        sb.appendCodePoint(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** An approximation of Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and U+0020. */
    private static boolean printable(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
                    Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }

    /** Prometheus's {@code labels.Labels.String()}: {@code {a="1", b="2"}}. */
    static String labels(Labels l) {
        StringBuilder sb = new StringBuilder(64).append('{');
        for (int i = 0; i < l.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(l.name(i)).append('=').append(quote(l.value(i)));
        }
        return sb.append('}').toString();
    }

    /** Go's {@code time.Duration.String()} of a whole number of milliseconds, e.g. {@code 2h0m0s}, {@code 1.5s}, {@code 250ms}. */
    static String durationMillis(long ms) {
        if (ms == 0) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        if (ms < 0) {
            sb.append('-');
            ms = -ms;
        }
        if (ms < 1000) {
            return sb.append(ms).append("ms").toString();
        }
        long h = ms / 3_600_000, m = ms / 60_000 % 60, s = ms / 1000 % 60, frac = ms % 1000;
        if (h > 0) {
            sb.append(h).append('h');
        }
        if (h > 0 || m > 0) {
            sb.append(m).append('m');
        }
        sb.append(s);
        if (frac > 0) {
            String f = String.format("%03d", frac);
            sb.append('.').append(f.replaceAll("0+$", ""));
        }
        return sb.append('s').toString();
    }

    /**
     * A millisecond timestamp as promtool's {@code -r} prints it: {@code time.Unix(ms/1000, 0).UTC()},
     * i.e. whole seconds (truncated toward zero), e.g. {@code 2023-11-14 22:00:00 +0000 UTC}.
     */
    static String time(long ms) {
        Instant t = Instant.ofEpochSecond(ms / 1000);
        return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC).format(t) + " +0000 UTC";
    }

    /**
     * {@code units.Base2Bytes.String()} (alecthomas/units), as promtool prints sizes with -r:
     * every non-zero base-1024 digit with its unit, largest first, e.g. {@code 1KiB512B}.
     */
    static String base2Bytes(long n) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        if (n == 0) {
            return "0B";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < units.length && n != 0; i++) {
            if (n % 1024 != 0) {
                sb.insert(0, (n % 1024) + units[i]);
            }
            n /= 1024;
        }
        return sb.toString();
    }

    /**
     * Columns as promtool's {@code tabwriter.NewWriter(w, 13, 0, 2, ' ', 0)} lays them out when
     * every row has the same number of cells: each cell but the last padded to its column's
     * widest cell plus two spaces, and to at least 13 characters.
     */
    static String table(List<String[]> rows) {
        int cols = rows.isEmpty() ? 0 : rows.get(0).length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            for (int c = 0; c < cols - 1; c++) {
                width[c] = Math.max(width[c], r[c].codePointCount(0, r[c].length()));
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            for (int c = 0; c < cols; c++) {
                sb.append(r[c]);
                if (c < cols - 1) {
                    sb.append(" ".repeat(Math.max(width[c] + 2, 13) - r[c].codePointCount(0, r[c].length())));
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}

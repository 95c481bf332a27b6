package io.specula.model.textparse;

import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.model.labels.SymbolTable;
import java.util.Arrays;
import java.util.Objects;

/**
 * The Prometheus text exposition format 0.0.4 ({@code text/plain}), accepting exactly what
 * Prometheus 3's scrape parser accepts, quirks included.
 *
 * <p>Accepted, as by Prometheus: blank lines; blanks (spaces and tabs) before a line, between
 * the tokens of a sample and inside the braces; a missing comma between labels and a trailing
 * comma; no blank between the closing brace and the value; Prometheus 3's quoted UTF-8 names
 * ({@code {"my.metric", "a.b"="c"}}, {@code # TYPE "my.metric" gauge}); any comment line;
 * {@code # HELP}/{@code # TYPE} with any blanks after {@code #}; {@code untyped} (reported as
 * {@link MetricType#UNKNOWN}); values in Go's float syntax ({@code NaN}, {@code +Inf},
 * {@code -inf}, {@code Infinity}, {@code 1e3}, …); an optional int64 millisecond timestamp;
 * raw line feeds inside label values and quoted names. Refused, as by Prometheus: a carriage
 * return anywhere outside label values and help text (CRLF bodies fail: the CR becomes part of
 * the value), hexadecimal floats, underscores in numbers, negative timestamps, types other than
 * counter, gauge, histogram, summary and untyped, invalid UTF-8 in label values and help text.
 * A NUL byte where a line or a {@code #}-comment starts ends the input, as in Prometheus; NUL
 * bytes inside label values and help text are kept.
 *
 * <p>Beyond Prometheus's parser, this one also refuses what Prometheus's scrape loop refuses
 * right after parsing anyway (failing the whole scrape there): empty or invalid UTF-8 quoted
 * metric and label names. Duplicate label names are not checked here (nor by Prometheus's
 * parser); {@link LabelsBuilder#firstDuplicateName()} finds them.
 *
 * <p>As Prometheus 3 does, {@link #labels(LabelsBuilder)} normalizes the value of {@code le}
 * while the last {@code # TYPE} line said histogram and of {@code quantile} while it said
 * summary ({@code le="1"} becomes {@code le="1.0"}), so that every exposition format names
 * the same series.
 *
 * <p>Workload: scrape bodies of mostly ASCII sample lines with a few short labels and integer
 * or short decimal values. {@link #next()} scans each byte once, keeps offsets into the input
 * and allocates nothing for such lines (see {@link NumberReader} for the value fast path).
 *
 * <p>Not thread-safe. The input array must not change while it is parsed; if it does not end
 * with a line feed the parser works on a copy with one appended.
 */
public final class PromTextParser implements Parser {
    /** Prometheus's {@code value.NormalNaN}: the NaN a scraped sample carries (never the stale marker). */
    static final double NORMAL_NAN = Double.longBitsToDouble(0x7ff8000000000001L);

    private static final int LABEL_FIELDS = 5; // name start, name end, quoted (0/1), value start, value end

    private final byte[] b;
    private final int start;
    /** Exclusive end; b[end - 1] is always a line feed, which bounds every scanning loop. */
    private final int end;
    private final NumberReader num = new NumberReader();

    private int pos;
    private int line = 1;
    private boolean done;
    private ParseException failure;

    private Entry entry;
    private int entryPos;
    private int entryLine;
    private int pendingLines; // line feeds inside quoted strings of the current entry

    private int seriesStart;
    private int seriesEnd;
    private int nameStart;
    private int nameEnd;
    private boolean nameQuoted;
    private int[] labelOffs = new int[LABEL_FIELDS * 8];
    private int labelCount;
    private double value;
    /** Series text offered by {@link #expect} for the next sample line, and its line feeds. */
    private byte[] expected;
    private int expectedLineFeeds;
    /** Whether the current series is the expected text; whether its name and labels were lexed. */
    private boolean matched;
    private boolean lexed;
    private boolean hasTimestamp;
    private long timestamp;

    private int metaStart;
    private int metaEnd;
    private boolean metaQuoted;
    private int textStart;
    private int textEnd;
    private MetricType type;
    /** Type of the last TYPE line, whichever family it named: Prometheus normalizes le/quantile by it. */
    private MetricType lastType;

    public PromTextParser(byte[] buf) {
        this(buf, 0, buf.length);
    }

    public PromTextParser(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len > 0 && buf[off + len - 1] == '\n') {
            b = buf;
            start = off;
            end = off + len;
        } else {
            b = Arrays.copyOfRange(buf, off, off + len + 1);
            b[len] = '\n';
            start = 0;
            end = len + 1;
        }
        pos = start;
    }

    @Override
    public Entry next() throws ParseException {
        if (failure != null) {
            throw failure;
        }
        if (done) {
            return null;
        }
        entry = null;
        for (;;) {
            if (pos >= end) {
                done = true;
                return null;
            }
            entryPos = pos;
            entryLine = line;
            pendingLines = 0;
            int p = skipBlanks(pos);
            byte c = b[p];
            if (c == '\n') {
                pos = p + 1;
                line++;
                continue;
            }
            if (c == 0) {
                // Prometheus's lexer reads a NUL where a token starts as the end of the input.
                done = true;
                return null;
            }
            if (c == '#') {
                return comment(p);
            }
            if (c == '{' || Bytes.is(c, Bytes.METRIC_START)) {
                return series(p);
            }
            throw error(p, "expected a metric name, '{' or '#' at the start of the line, got " + describe(p));
        }
    }

    private Entry comment(int p) throws ParseException {
        int q = p + 1;
        byte c = b[q];
        if (c != ' ' && c != '\t') {
            // "#text": Prometheus's lexer scans it in its initial state, where a NUL ends the input.
            for (; ; q++) {
                c = b[q];
                if (c == '\n') {
                    return commentEntry(p, q);
                }
                if (c == 0) {
                    done = true;
                    return null;
                }
            }
        }
        q = skipBlanks(q);
        if (b[q] == 0) {
            done = true; // as above: NUL where the comment's first token starts
            return null;
        }
        int k = keyword(q, "HELP");
        if (k >= 0) {
            return metadata(Entry.HELP, k);
        }
        k = keyword(q, "TYPE");
        if (k >= 0) {
            return metadata(Entry.TYPE, k);
        }
        // Any other comment. In this lexer state Prometheus skips NUL bytes, so it runs to the line end.
        return commentEntry(p, Bytes.indexOfNewline(b, q, end));
    }

    private Entry commentEntry(int p, int nl) {
        textStart = p;
        textEnd = nl;
        pos = nl + 1;
        line++;
        return entry = Entry.COMMENT;
    }

    /**
     * Matches {@code HELP} or {@code TYPE} plus at least one blank at q, skipping NUL bytes after
     * the first letter as Prometheus's lexer does there. Returns the position after the blanks,
     * or -1.
     */
    private int keyword(int q, String kw) {
        int i = q;
        for (int k = 0; k < 4; k++) {
            if (b[i] != kw.charAt(k)) {
                return -1;
            }
            i++;
            while (b[i] == 0) {
                i++;
            }
        }
        if (b[i] != ' ' && b[i] != '\t') {
            return -1; // "# HELP\n" or "# HELPER": a plain comment
        }
        while (b[i] == ' ' || b[i] == '\t' || b[i] == 0) {
            i++;
        }
        return i;
    }

    private Entry metadata(Entry kind, int q) throws ParseException {
        byte c = b[q];
        int r;
        if (c == '"') {
            int close = scanQuoted(q);
            if (close < 0) {
                throw error(q, "expected metric name after " + kind + ", got an unterminated quoted name");
            }
            metaStart = q + 1;
            metaEnd = close;
            metaQuoted = true;
            r = close + 1;
        } else if (Bytes.is(c, Bytes.METRIC_START)) {
            r = Bytes.skip(b, q + 1, end, Bytes.METRIC_CHAR);
            metaStart = q;
            metaEnd = r;
            metaQuoted = false;
        } else {
            throw error(q, "expected metric name after " + kind + ", got " + describe(q));
        }
        int nl = Bytes.indexOfNewline(b, r, end);
        // Prometheus takes the rest of the line minus its first byte (the separator) as the
        // text; a rest of only blanks is no text at all.
        if (r == nl) {
            textStart = textEnd = nl;
        } else if (b[r] == 0) {
            throw error(r, "expected a blank or end of line after the metric name, got " + describe(r));
        } else if ((b[r] == ' ' || b[r] == '\t') && blanksOnly(r, nl)) {
            textStart = textEnd = nl;
        } else {
            textStart = r + 1;
            textEnd = nl;
        }
        if (kind == Entry.TYPE) {
            type = textType(textStart, textEnd);
            if (type == null) {
                throw error(textStart, "invalid metric type " + Bytes.quote(b, textStart, textEnd)
                        + ", expected counter, gauge, histogram, summary or untyped");
            }
            lastType = type;
        } else if (!Bytes.isValidUtf8(b, textStart, textEnd)) {
            throw error(textStart, "help text is not valid UTF-8");
        }
        pos = nl + 1;
        line += 1 + pendingLines;
        return entry = kind;
    }

    private boolean blanksOnly(int s, int e) {
        for (int i = s; i < e; i++) {
            byte c = b[i];
            if (c != ' ' && c != '\t' && c != 0) {
                return false;
            }
        }
        return true;
    }

    private MetricType textType(int s, int e) {
        if (Bytes.equalsAscii(b, s, e, "counter")) {
            return MetricType.COUNTER;
        }
        if (Bytes.equalsAscii(b, s, e, "gauge")) {
            return MetricType.GAUGE;
        }
        if (Bytes.equalsAscii(b, s, e, "histogram")) {
            return MetricType.HISTOGRAM;
        }
        if (Bytes.equalsAscii(b, s, e, "summary")) {
            return MetricType.SUMMARY;
        }
        if (Bytes.equalsAscii(b, s, e, "untyped")) {
            return MetricType.UNKNOWN;
        }
        return null;
    }

    private Entry series(int p) throws ParseException {
        seriesStart = p;
        byte[] x = expected;
        expected = null;
        int r;
        if (x != null && isExpectedAt(x, p)) {
            // The series text an earlier input had, which lexed then: its labels are lexed only if asked for.
            r = p + x.length;
            matched = true;
            lexed = false;
            pendingLines += expectedLineFeeds;
        } else {
            matched = false;
            lexed = true;
            r = seriesText(p);
        }
        seriesEnd = r;
        return sample(r);
    }

    /**
     * Whether the series text at {@code p} is {@code x} and ends where lexing it would end:
     * a label block ends at its '}'; a bare metric name must not go on or be followed by one.
     */
    private boolean isExpectedAt(byte[] x, int p) {
        int len = x.length;
        if (len == 0 || p + len >= end || !Arrays.equals(x, 0, len, b, p, p + len)) {
            return false;
        }
        if (x[len - 1] == '}') {
            return true;
        }
        return !Bytes.is(b[p + len], Bytes.METRIC_CHAR) && b[skipBlanks(p + len)] != '{';
    }

    /** Lexes the metric name and label block of the series at {@code p}; returns the position after them. */
    private int seriesText(int p) throws ParseException {
        nameStart = -1;
        labelCount = 0;
        int r;
        if (b[p] == '{') {
            r = labels(p + 1);
            if (nameStart < 0) {
                throw error(p, "metric name missing: a series that starts with '{' must name its metric"
                        + " with a quoted string inside the braces");
            }
        } else {
            r = Bytes.skip(b, p + 1, end, Bytes.METRIC_CHAR);
            nameStart = p;
            nameEnd = r;
            nameQuoted = false;
            int s = skipBlanks(r);
            if (b[s] == '{') {
                r = labels(s + 1);
            }
        }
        return r;
    }

    /** The value and optional timestamp after the series text, which ends at {@code r}. */
    private Entry sample(int r) throws ParseException {
        int v = skipBlanks(r);
        byte c = b[v];
        if (c == '\n' || c == '{' || c == 0) {
            throw error(v, "expected value after metric, got " + describe(v));
        }
        int ve = v + 1;
        for (c = b[ve]; c != ' ' && c != '\t' && c != '\n' && c != '{' && c != 0; c = b[++ve]) {
            // the value token: Prometheus's [^{ \t\n]+ (NUL ends it too); the final line feed bounds it
        }
        if (!num.read(b, v, ve)) {
            throw error(v, "invalid value " + Bytes.quote(b, v, ve) + ": " + num.error());
        }
        double val = num.value();
        value = val != val ? NORMAL_NAN : val;

        int t = skipBlanks(ve);
        c = b[t];
        if (c == '\n') {
            hasTimestamp = false;
            pos = t + 1;
        } else if (Bytes.isDigit(c)) {
            long ts = 0;
            boolean overflow = false;
            int te = t;
            for (; Bytes.isDigit(b[te]); te++) {
                int d = b[te] - '0';
                if (ts > (Long.MAX_VALUE - d) / 10) {
                    overflow = true;
                } else {
                    ts = ts * 10 + d;
                }
            }
            if (overflow) {
                throw error(t, "timestamp " + Bytes.quote(b, t, te) + " out of range");
            }
            int z = skipBlanks(te);
            if (b[z] != '\n') {
                throw error(z, "expected end of line after timestamp, got " + describe(z));
            }
            hasTimestamp = true;
            timestamp = ts;
            pos = z + 1;
        } else {
            throw error(t, "expected timestamp or end of line after value, got " + describe(t));
        }
        line += 1 + pendingLines;
        return entry = Entry.SERIES;
    }

    /** Parses the label pairs after a '{' and returns the position after the closing '}'. */
    private int labels(int p) throws ParseException {
        for (;;) {
            p = skipBlanks(p);
            byte c = b[p];
            if (c == '}') {
                return p + 1;
            }
            int ns;
            int ne;
            boolean quoted;
            if (Bytes.is(c, Bytes.LABEL_START)) {
                ns = p;
                ne = Bytes.skip(b, p + 1, end, Bytes.LABEL_CHAR);
                quoted = false;
                p = ne;
            } else if (c == '"') {
                int close = scanQuoted(p);
                if (close < 0) {
                    throw error(p, "expected label name, got an unterminated quoted string");
                }
                ns = p + 1;
                ne = close;
                quoted = true;
                p = close + 1;
            } else {
                throw error(p, "expected label name or '}', got " + describe(p));
            }
            int q = skipBlanks(p);
            c = b[q];
            if (quoted && (c == ',' || c == '}')) {
                // A quoted string on its own names the metric (Prometheus 3).
                if (nameStart >= 0) {
                    throw error(ns - 1, "metric name already set, got a second one " + Bytes.quote(b, ns - 1, ne + 1));
                }
                checkQuotedName(ns, ne, "metric name");
                nameStart = ns;
                nameEnd = ne;
                nameQuoted = true;
                if (c == '}') {
                    return q + 1;
                }
                p = q + 1;
                continue;
            }
            if (c != '=') {
                throw error(q, "expected '=' after label name, got " + describe(q));
            }
            if (quoted) {
                checkQuotedName(ns, ne, "label name");
            }
            q++;
            if (b[q] == ' ' || b[q] == '\t') {
                // Blanks before a label value; in this lexer state Prometheus also skips NULs.
                do {
                    q++;
                } while (b[q] == ' ' || b[q] == '\t' || b[q] == 0);
            }
            if (b[q] != '"') {
                throw error(q, "expected label value, got " + describe(q));
            }
            int vs = q + 1;
            int i = vs;
            boolean nonAscii = false;
            // Hot loop: label values are short and mostly ASCII; one pass decides the end, the
            // escapes to honour later, whether UTF-8 needs checking and the line count.
            for (;;) {
                if (i >= end) {
                    throw error(q, "expected label value, got an unterminated quoted string");
                }
                c = b[i];
                if (c == '"') {
                    break;
                }
                if (c == '\\') {
                    i++;
                    while (i < end && b[i] == 0) {
                        i++;
                    }
                    if (i >= end || b[i] == '\n') {
                        throw error(i - 1, "invalid escape at end of line in label value");
                    }
                    if (b[i] < 0) {
                        nonAscii = true;
                    }
                } else if (c < 0) {
                    nonAscii = true;
                } else if (c == '\n') {
                    pendingLines++; // the text format allows raw line feeds in label values
                }
                i++;
            }
            if (nonAscii && !Bytes.isValidUtf8(b, vs, i)) {
                throw error(vs, "invalid UTF-8 in label value " + Bytes.quote(b, vs - 1, i + 1));
            }
            addLabel(ns, ne, quoted, vs, i);
            p = skipBlanks(i + 1);
            if (b[p] == ',') {
                p++;
            }
        }
    }

    private void checkQuotedName(int s, int e, String what) throws ParseException {
        if (s == e) {
            throw error(s - 1, "empty " + what);
        }
        if (!Bytes.allAscii(b, s, e) && !Bytes.isValidUtf8(b, s, e)) {
            throw error(s - 1, what + " is not valid UTF-8");
        }
    }

    private void addLabel(int ns, int ne, boolean quoted, int vs, int ve) {
        int at = labelCount * LABEL_FIELDS;
        if (at + LABEL_FIELDS > labelOffs.length) {
            labelOffs = Arrays.copyOf(labelOffs, labelOffs.length * 2);
        }
        labelOffs[at] = ns;
        labelOffs[at + 1] = ne;
        labelOffs[at + 2] = quoted ? 1 : 0;
        labelOffs[at + 3] = vs;
        labelOffs[at + 4] = ve;
        labelCount++;
    }

    /**
     * Index of the closing quote of the quoted name opened at q, or -1. As in Prometheus: any
     * byte but NUL, and a backslash escapes any byte but NUL and line feed; raw line feeds are
     * allowed (and counted).
     */
    private int scanQuoted(int q) {
        int lines = 0;
        for (int i = q + 1; i < end; i++) {
            byte c = b[i];
            if (c == '"') {
                pendingLines += lines;
                return i;
            }
            if (c == 0) {
                return -1;
            }
            if (c == '\\') {
                i++;
                if (i >= end || b[i] == 0 || b[i] == '\n') {
                    return -1;
                }
            } else if (c == '\n') {
                lines++;
            }
        }
        return -1;
    }

    private int skipBlanks(int p) {
        while (b[p] == ' ' || b[p] == '\t') {
            p++;
        }
        return p;
    }

    private String describe(int p) {
        return Bytes.describe(b, p, end);
    }

    private ParseException error(int at, String message) {
        int ln = entryLine;
        for (int i = entryPos; i < at && i < end; i++) {
            if (b[i] == '\n') {
                ln++;
            }
        }
        int ls = Math.min(at, end);
        while (ls > start && b[ls - 1] != '\n') {
            ls--;
        }
        failure = new ParseException(ln, at - ls + 1, message);
        done = true;
        return failure;
    }

    // ---- accessors ----

    @Override
    public byte[] seriesBytes() {
        return b;
    }

    @Override
    public int seriesOffset() {
        return seriesStart;
    }

    @Override
    public int seriesLength() {
        return seriesEnd - seriesStart;
    }

    @Override
    public void labels(LabelsBuilder into, SymbolTable symbols) {
        if (entry != Entry.SERIES) {
            throw new IllegalStateException("labels() needs a SERIES entry, the current entry is " + entry);
        }
        if (!lexed) {
            int lines = pendingLines;
            try {
                seriesText(seriesStart);
            } catch (ParseException e) { // the contract of expect(): text that lexed before lexes again
                throw new IllegalStateException("series text offered to expect() does not lex", e);
            } finally {
                pendingLines = lines;
            }
            lexed = true;
        }
        into.reset();
        into.add(Labels.METRIC_NAME, nameQuoted ? Bytes.unescape(b, nameStart, nameEnd, symbols) : Bytes.utf8(b, nameStart, nameEnd, symbols));
        boolean normalize = lastType == MetricType.HISTOGRAM || lastType == MetricType.SUMMARY;
        for (int i = 0; i < labelCount; i++) {
            int at = i * LABEL_FIELDS;
            int ns = labelOffs[at];
            int ne = labelOffs[at + 1];
            String name = labelOffs[at + 2] != 0 ? Bytes.unescape(b, ns, ne, symbols) : Bytes.utf8(b, ns, ne, symbols);
            String val = Bytes.unescape(b, labelOffs[at + 3], labelOffs[at + 4], symbols);
            if (normalize) {
                val = normalizeFloatLabel(num, lastType, name, val);
            }
            into.add(name, val);
        }
    }

    /**
     * Prometheus 3's rewrite of {@code le} (histograms) and {@code quantile} (summaries) values
     * into the OpenMetrics float form, when they parse as a number.
     */
    static String normalizeFloatLabel(NumberReader num, MetricType t, String name, String val) {
        boolean applies = (t == MetricType.HISTOGRAM && name.equals("le"))
                || (t == MetricType.SUMMARY && name.equals("quantile"));
        if (!applies || val.isEmpty()) {
            return val;
        }
        byte[] vb = val.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (!num.read(vb, 0, vb.length)) {
            return val;
        }
        return FloatFormat.formatOpenMetrics(num.value());
    }

    @Override
    public void expect(byte[] series, int lineFeeds) {
        expected = series;
        expectedLineFeeds = lineFeeds;
    }

    @Override
    public boolean matchedExpected() {
        return entry == Entry.SERIES && matched;
    }

    @Override
    public double value() {
        return value;
    }

    @Override
    public boolean hasTimestamp() {
        return hasTimestamp;
    }

    @Override
    public long timestamp() {
        return timestamp;
    }

    /** The text format has no exemplars: always false. */
    @Override
    public boolean exemplar(Exemplar into) {
        return false;
    }

    /** The text format has no created timestamps: always false. */
    @Override
    public boolean hasCreatedTimestamp() {
        return false;
    }

    @Override
    public long createdTimestamp() {
        return 0;
    }

    @Override
    public String metricFamily() {
        return metaQuoted ? Bytes.unescape(b, metaStart, metaEnd) : Bytes.ascii(b, metaStart, metaEnd);
    }

    @Override
    public MetricType type() {
        return type;
    }

    /**
     * HELP: the help text with {@code \\} and {@code \n} unescaped (the text format has no other
     * escapes there). COMMENT: the whole comment line as written, starting with {@code #}.
     */
    @Override
    public String text() {
        if (entry == Entry.HELP) {
            return Bytes.unescapeHelp(b, textStart, textEnd);
        }
        return Bytes.utf8(b, textStart, textEnd);
    }

    @Override
    public int line() {
        return entryLine;
    }
}

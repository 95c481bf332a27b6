package io.specula.model.textparse;

import java.util.Arrays;

/**
 * Scans one OpenMetrics sample line (strict syntax, no family rules) into offsets and
 * primitives. The {@link OpenMetricsParser} keeps one for the current line and a second one for
 * its created-timestamp lookahead.
 *
 * <p>Names and values are ranges: in the input when written without escapes, else in
 * {@link #scratch} holding the unescaped bytes (the flags say which), so that every comparison
 * downstream is a plain byte comparison. A failed {@link #scan} leaves {@link #errPos} and
 * {@link #errMsg} set instead of throwing, so the lookahead can stop quietly.
 *
 * <p>Relies on the input ending with a line feed: no loop runs past one. Not thread-safe.
 */
final class OpenMetricsLine {
    static final int IN_SCRATCH_NAME = 1;
    static final int IN_SCRATCH_VALUE = 2;
    static final int QUOTED_NAME = 4;
    /** Per label: name start, name end, value start, value end, flags, position of the item. */
    private static final int F = 6;

    static final int MAX_EXEMPLAR_CHARS = 128;

    private final byte[] b;
    private final int end;
    final NumberReader num = new NumberReader();

    byte[] scratch = new byte[64];
    private int scratchLen;

    // ---- result of the last successful scan ----
    int lineStart;
    int next; // position after the line feed
    int seriesStart;
    int seriesEnd;
    int nameStart;
    int nameEnd;
    boolean nameInScratch;
    int[] lab = new int[F * 8];
    int labelCount;
    int[] ord = new int[8]; // label indices sorted by name, after sortLabels()
    private int[] tmp = new int[8];
    double value;
    int valueStart;
    boolean hasTs;
    double tsSeconds;
    long tsMillis;
    int tsStart;
    boolean hasExemplar;
    int exemplarStart;
    int[] elab = new int[F * 4];
    int exemplarLabelCount;
    double exemplarValue;
    boolean exemplarHasTs;
    long exemplarTsMillis;

    // ---- failure of the last scan ----
    int errPos;
    String errMsg;

    // quoted(): the unescaped range of the string just scanned
    private int qs;
    private int qe;
    private boolean qInScratch;

    OpenMetricsLine(byte[] b, int end) {
        this.b = b;
        this.end = end;
    }

    byte[] nameArr() {
        return nameInScratch ? scratch : b;
    }

    byte[] labelNameArr(int i) {
        return (lab[i * F + 4] & IN_SCRATCH_NAME) != 0 ? scratch : b;
    }

    int labelNameStart(int i) {
        return lab[i * F];
    }

    int labelNameEnd(int i) {
        return lab[i * F + 1];
    }

    byte[] labelValueArr(int i) {
        return (lab[i * F + 4] & IN_SCRATCH_VALUE) != 0 ? scratch : b;
    }

    int labelValueStart(int i) {
        return lab[i * F + 2];
    }

    int labelValueEnd(int i) {
        return lab[i * F + 3];
    }

    /** Where the label's item starts in the input (for messages). */
    int labelPos(int i) {
        return lab[i * F + 5];
    }

    String labelName(int i) {
        return labelName(i, null);
    }

    String labelValue(int i) {
        return labelValue(i, null);
    }

    String labelName(int i, io.specula.model.labels.SymbolTable symbols) {
        return Bytes.utf8(labelNameArr(i), labelNameStart(i), labelNameEnd(i), symbols);
    }

    String labelValue(int i, io.specula.model.labels.SymbolTable symbols) {
        return Bytes.utf8(labelValueArr(i), labelValueStart(i), labelValueEnd(i), symbols);
    }

    String exemplarLabelName(int i) {
        int at = i * F;
        return Bytes.utf8((elab[at + 4] & IN_SCRATCH_NAME) != 0 ? scratch : b, elab[at], elab[at + 1]);
    }

    String exemplarLabelValue(int i) {
        int at = i * F;
        return Bytes.utf8((elab[at + 4] & IN_SCRATCH_VALUE) != 0 ? scratch : b, elab[at + 2], elab[at + 3]);
    }

    /** Index of the label whose (unescaped) name equals [s, e) of {@code a}, or -1. */
    int findLabel(byte[] a, int s, int e) {
        for (int i = 0; i < labelCount; i++) {
            if (Arrays.equals(labelNameArr(i), labelNameStart(i), labelNameEnd(i), a, s, e)) {
                return i;
            }
        }
        return -1;
    }

    int findLabel(byte[] asciiName) {
        return findLabel(asciiName, 0, asciiName.length);
    }

    /**
     * Scans the sample line starting at p (a metric name or '{'). Returns false, with
     * {@link #errPos} and {@link #errMsg} set, on a syntax error.
     */
    boolean scan(int p) {
        lineStart = p;
        scratchLen = 0;
        labelCount = 0;
        exemplarLabelCount = 0;
        nameStart = -1;
        hasTs = false;
        tsSeconds = 0;
        tsMillis = 0;
        hasExemplar = false;
        seriesStart = p;
        if (b[p] == '{') {
            int r = labels(p + 1, false);
            if (r < 0) {
                return false;
            }
            if (nameStart < 0) {
                return fail(p, "metric name missing: a sample that starts with '{' must name its metric"
                        + " with a quoted string inside the braces");
            }
            p = r;
        } else {
            int ne = Bytes.skip(b, p + 1, end, Bytes.METRIC_CHAR);
            nameStart = p;
            nameEnd = ne;
            nameInScratch = false;
            p = ne;
            if (b[p] == '{') {
                int r = labels(p + 1, false);
                if (r < 0) {
                    return false;
                }
                p = r;
            } else if (b[p] != ' ') {
                return fail(p, "expected '{' or a space after the metric name, got " + describe(p));
            }
        }
        seriesEnd = p;
        if (b[p] != ' ') {
            return fail(p, "expected a space and the value after the labels, got " + describe(p));
        }
        p++;
        int ve = token(p);
        if (ve == p) {
            return fail(p, "expected value after a single space, got " + describe(p));
        }
        if (!num.read(b, p, ve)) {
            return fail(p, "invalid value " + Bytes.quote(b, p, ve) + ": " + num.error());
        }
        value = num.value();
        valueStart = p;
        p = ve;
        if (b[p] == '\n') {
            next = p + 1;
            return true;
        }
        p++; // the space
        if (b[p] != '#') {
            int te = token(p);
            if (te == p) {
                return fail(p, "expected timestamp or exemplar after a single space, got " + describe(p));
            }
            if (!timestamp(p, te, "timestamp")) {
                return false;
            }
            hasTs = true;
            tsSeconds = num.value();
            tsMillis = (long) (tsSeconds * 1000.0);
            tsStart = p;
            p = te;
            if (b[p] == '\n') {
                next = p + 1;
                return true;
            }
            p++;
            if (b[p] != '#') {
                return fail(p, "expected '# ' and an exemplar, or end of line after the timestamp, got " + describe(p));
            }
        }
        return exemplar(p);
    }

    private boolean exemplar(int p) {
        exemplarStart = p;
        if (b[p + 1] != ' ') {
            return fail(p + 1, "expected a space after the '#' of an exemplar, got " + describe(p + 1));
        }
        if (b[p + 2] != '{') {
            return fail(p + 2, "expected '{' starting the exemplar labels, got " + describe(p + 2));
        }
        int r = labels(p + 3, true);
        if (r < 0) {
            return false;
        }
        int chars = 0;
        for (int i = 0; i < exemplarLabelCount; i++) {
            int at = i * F;
            byte[] na = (elab[at + 4] & IN_SCRATCH_NAME) != 0 ? scratch : b;
            byte[] va = (elab[at + 4] & IN_SCRATCH_VALUE) != 0 ? scratch : b;
            chars += Bytes.codePoints(na, elab[at], elab[at + 1]) + Bytes.codePoints(va, elab[at + 2], elab[at + 3]);
            for (int j = 0; j < i; j++) {
                int bt = j * F;
                byte[] nb = (elab[bt + 4] & IN_SCRATCH_NAME) != 0 ? scratch : b;
                if (Arrays.equals(na, elab[at], elab[at + 1], nb, elab[bt], elab[bt + 1])) {
                    return fail(elab[at + 5], "duplicate exemplar label name " + Bytes.quote(na, elab[at], elab[at + 1]));
                }
            }
        }
        if (chars > MAX_EXEMPLAR_CHARS) {
            return fail(p + 2, "exemplar labels have " + chars + " characters, more than the "
                    + MAX_EXEMPLAR_CHARS + " OpenMetrics allows");
        }
        p = r;
        if (b[p] != ' ') {
            return fail(p, "expected a space and the exemplar value after the exemplar labels, got " + describe(p));
        }
        p++;
        int ve = token(p);
        if (ve == p) {
            return fail(p, "expected exemplar value after a single space, got " + describe(p));
        }
        if (!num.read(b, p, ve)) {
            return fail(p, "invalid exemplar value " + Bytes.quote(b, p, ve) + ": " + num.error());
        }
        exemplarValue = num.value();
        exemplarHasTs = false;
        p = ve;
        if (b[p] != '\n') {
            p++;
            int te = token(p);
            if (te == p) {
                return fail(p, "expected exemplar timestamp after a single space, got " + describe(p));
            }
            if (!timestamp(p, te, "exemplar timestamp")) {
                return false;
            }
            exemplarHasTs = true;
            exemplarTsMillis = (long) (num.value() * 1000.0);
            p = te;
            if (b[p] != '\n') {
                return fail(p, "expected end of line after the exemplar timestamp, got " + describe(p));
            }
        }
        hasExemplar = true;
        next = p + 1;
        return true;
    }

    /** A timestamp is a real number in seconds: no NaN, no infinities. */
    private boolean timestamp(int s, int e, String what) {
        if (!num.read(b, s, e)) {
            return fail(s, "invalid " + what + " " + Bytes.quote(b, s, e) + ": " + num.error());
        }
        if (num.special()) {
            return fail(s, "invalid " + what + " " + Bytes.quote(b, s, e) + ": must be a finite number of seconds");
        }
        return true;
    }

    /** End of the token at p: the next space or line feed. */
    private int token(int p) {
        while (b[p] != ' ' && b[p] != '\n') {
            p++;
        }
        return p;
    }

    /**
     * Parses label pairs after '{' and returns the position after '}', or -1. OpenMetrics
     * syntax: no blanks, no trailing comma. As in Prometheus 3, a quoted string without '='
     * names the metric (sample labels only).
     */
    private int labels(int p, boolean exemplar) {
        if (b[p] == '}') {
            return p + 1;
        }
        for (;;) {
            int item = p;
            byte c = b[p];
            int ns;
            int ne;
            int flags = 0;
            if (Bytes.is(c, Bytes.LABEL_START)) {
                ns = p;
                ne = Bytes.skip(b, p + 1, end, Bytes.LABEL_CHAR);
                p = ne;
            } else if (c == '"') {
                int close = quoted(p);
                if (close < 0) {
                    return -1;
                }
                p = close + 1;
                if (!exemplar && (b[p] == ',' || b[p] == '}')) {
                    if (nameStart >= 0) {
                        return failInt(item, "metric name already set, got a second one " + Bytes.quote(b, item, p));
                    }
                    if (qs == qe) {
                        return failInt(item, "empty metric name");
                    }
                    nameStart = qs;
                    nameEnd = qe;
                    nameInScratch = qInScratch;
                    if (b[p] == '}') {
                        return p + 1;
                    }
                    p++;
                    continue;
                }
                if (qs == qe) {
                    return failInt(item, "empty label name");
                }
                ns = qs;
                ne = qe;
                flags = QUOTED_NAME | (qInScratch ? IN_SCRATCH_NAME : 0);
            } else {
                return failInt(p, "expected label name, got " + describe(p)
                        + (c == '}' ? " (OpenMetrics allows no trailing comma)" : ""));
            }
            if (b[p] != '=') {
                return failInt(p, "expected '=' after label name, got " + describe(p));
            }
            p++;
            if (b[p] != '"') {
                return failInt(p, "expected label value in double quotes, got " + describe(p));
            }
            int close = quoted(p);
            if (close < 0) {
                return -1;
            }
            if (qInScratch) {
                flags |= IN_SCRATCH_VALUE;
            }
            add(exemplar, ns, ne, qs, qe, flags, item);
            p = close + 1;
            c = b[p];
            if (c == ',') {
                p++;
                continue;
            }
            if (c == '}') {
                return p + 1;
            }
            return failInt(p, "expected ',' or '}' after label value, got " + describe(p));
        }
    }

    private void add(boolean exemplar, int ns, int ne, int vs, int ve, int flags, int item) {
        int[] a = exemplar ? elab : lab;
        int n = exemplar ? exemplarLabelCount : labelCount;
        int at = n * F;
        if (at + F > a.length) {
            a = Arrays.copyOf(a, a.length * 2);
            if (exemplar) {
                elab = a;
            } else {
                lab = a;
            }
        }
        a[at] = ns;
        a[at + 1] = ne;
        a[at + 2] = vs;
        a[at + 3] = ve;
        a[at + 4] = flags;
        a[at + 5] = item;
        if (exemplar) {
            exemplarLabelCount++;
        } else {
            labelCount++;
        }
    }

    /**
     * Scans the quoted string opening at p and returns the index of its closing quote, or -1.
     * Sets {@link #qs}, {@link #qe}, {@link #qInScratch} to its unescaped content. Any valid UTF-8
     * but a raw line feed; a backslash escapes the next byte ({@code \\}, {@code \"}, {@code \n}
     * are decoded, others kept as written).
     */
    private int quoted(int p) {
        int i = p + 1;
        boolean escaped = false;
        boolean nonAscii = false;
        for (;;) {
            byte c = b[i];
            if (c == '"') {
                break;
            }
            if (c == '\n') {
                return failInt(p, "unterminated quoted string");
            }
            if (c == '\\') {
                i++;
                if (b[i] == '\n') {
                    return failInt(i - 1, "unterminated quoted string: backslash at end of line");
                }
                escaped = true;
                if (b[i] < 0) {
                    nonAscii = true;
                }
            } else if (c < 0) {
                nonAscii = true;
            }
            i++;
        }
        if (nonAscii && !Bytes.isValidUtf8(b, p + 1, i)) {
            return failInt(p + 1, "invalid UTF-8 in quoted string " + Bytes.quote(b, p, i + 1));
        }
        if (escaped) {
            int need = scratchLen + (i - p - 1);
            if (need > scratch.length) {
                scratch = Arrays.copyOf(scratch, Math.max(scratch.length * 2, need));
            }
            qs = scratchLen;
            qe = Bytes.unescapeInto(b, p + 1, i, scratch, scratchLen, true);
            scratchLen = qe;
            qInScratch = true;
        } else {
            qs = p + 1;
            qe = i;
            qInScratch = false;
        }
        return i;
    }

    /** Scans a quoted metric name for a metadata line; same rules as {@link #quoted}. */
    int quotedName(int p) {
        scratchLen = 0;
        return quoted(p);
    }

    int quotedStart() {
        return qs;
    }

    int quotedEnd() {
        return qe;
    }

    boolean quotedInScratch() {
        return qInScratch;
    }

    /**
     * Fills {@link #ord} with the label indices sorted by name (unsigned bytes, which is also
     * code point order). Insertion sort for the usual handful of labels, which usually arrive
     * sorted; merge sort beyond, so a line with very many labels stays O(n log n).
     */
    void sortLabels() {
        int n = labelCount;
        if (ord.length < n) {
            ord = new int[Math.max(n, ord.length * 2)];
            tmp = new int[ord.length];
        }
        for (int i = 0; i < n; i++) {
            ord[i] = i;
        }
        if (n <= 16) {
            for (int i = 1; i < n; i++) {
                int x = ord[i];
                int j = i - 1;
                while (j >= 0 && compareNames(ord[j], x) > 0) {
                    ord[j + 1] = ord[j];
                    j--;
                }
                ord[j + 1] = x;
            }
            return;
        }
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n - width; lo += 2 * width) {
                int mid = lo + width;
                int hi = Math.min(lo + 2 * width, n);
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    tmp[k++] = compareNames(ord[i], ord[j]) <= 0 ? ord[i++] : ord[j++];
                }
                while (i < mid) {
                    tmp[k++] = ord[i++];
                }
                while (j < hi) {
                    tmp[k++] = ord[j++];
                }
                System.arraycopy(tmp, lo, ord, lo, hi - lo);
            }
        }
    }

    int compareNames(int x, int y) {
        return Arrays.compareUnsigned(labelNameArr(x), labelNameStart(x), labelNameEnd(x),
                labelNameArr(y), labelNameStart(y), labelNameEnd(y));
    }

    private String describe(int p) {
        return Bytes.describe(b, p, end);
    }

    private boolean fail(int at, String msg) {
        errPos = at;
        errMsg = msg;
        return false;
    }

    // fail() as an int for the scanning helpers
    private int failInt(int at, String msg) {
        fail(at, msg);
        return -1;
    }
}

package io.specula.model.textparse;

import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.model.labels.SymbolTable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * OpenMetrics 1.0 text ({@code application/openmetrics-text}), validated strictly: it accepts
 * every positive and refuses every negative case of the OpenMetrics parser test corpus.
 *
 * <p>Line syntax as the spec's ABNF: single spaces between tokens, no blank lines, no comments
 * (every {@code #} line is TYPE, HELP, UNIT or the final {@code # EOF}, which must come exactly
 * once, last), no blanks or trailing comma in braces, label values in double quotes with
 * {@code \\}, {@code \"}, {@code \n} escapes, timestamps and exemplar timestamps as float
 * seconds (converted to milliseconds as Prometheus does, truncating {@code seconds * 1000}).
 * As in Prometheus 3, metric and label names may also be quoted UTF-8 strings, the metric name
 * then inside the braces ({@code {"my.metric",a="b"}}).
 *
 * <p>Family rules, checked as the lines stream past: TYPE, HELP and UNIT at most once per family
 * and before its samples; a family's samples contiguous and no family (or a name derived from
 * one, such as {@code a_created} of counter {@code a}) repeated; sample names limited to the
 * suffixes of the family's type; the label sets of a family not interleaved, and within one
 * label set either all samples or none with a timestamp, not going backwards; counter-like
 * values ({@code _total}, {@code _count}, {@code _sum}, {@code _bucket}, {@code _gcount}) neither
 * NaN nor negative ({@code _gsum} not NaN); histograms with increasing {@code le}, non-decreasing
 * bucket counts, a {@code +Inf} bucket spelled so, {@code _count} equal to it and present
 * exactly when {@code _sum}/{@code _gsum} is, no {@code _sum} with negative buckets and a
 * negative {@code _gsum} only with them; summary quantiles in [0, 1] and not negative; stateset
 * values 0 or 1 under a label named after the family; info values 1; units that suffix the
 * family name and only on types that may have one; exemplars only on counter {@code _total}
 * and histogram {@code _bucket} samples, with at most 128 characters of label names and values.
 *
 * <p>{@code _created} samples are returned as ordinary series, as Prometheus does by default.
 * In addition, {@link #hasCreatedTimestamp()} and {@link #createdTimestamp()} give, for the
 * samples of counters ({@code _total}), summaries and histograms, the {@code _created} value of
 * the same label set in milliseconds, looking ahead within that label set's lines when the
 * created line has not been seen yet (once per label set, so parsing stays linear).
 *
 * <p>Workload: scrape bodies whose families hold many label sets of a few short labels each.
 * Per sample, {@link #next()} scans the line once, sorts the label indices (usually already in
 * order) and compares a byte key of the label set with the previous one; it allocates nothing
 * except when a table has to grow. A new label set costs one 8-byte slot (hash and line
 * offset) in a table at most half full, so memory stays about the size of the input.
 *
 * <p>Not thread-safe. The input array must not change while it is parsed; if it does not end
 * with a line feed the parser works on a copy with one appended.
 */
public final class OpenMetricsParser implements Parser {
    // Sample name suffixes, by code; the type masks below are sets of these codes.
    private static final int S_NONE = 0;
    private static final int S_TOTAL = 1;
    private static final int S_CREATED = 2;
    private static final int S_COUNT = 3;
    private static final int S_SUM = 4;
    private static final int S_BUCKET = 5;
    private static final int S_GCOUNT = 6;
    private static final int S_GSUM = 7;
    private static final int S_INFO = 8;
    private static final String[] SUFFIX = {"", "_total", "_created", "_count", "_sum", "_bucket", "_gcount", "_gsum", "_info"};
    private static final int COUNTER_LIKE = 1 << S_TOTAL | 1 << S_SUM | 1 << S_COUNT | 1 << S_BUCKET | 1 << S_GCOUNT;

    private static final byte[] LE = {'l', 'e'};
    private static final byte[] QUANTILE = "quantile".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PLUS_INF = "+Inf".getBytes(StandardCharsets.US_ASCII);
    private static final byte KEY_NAME_END = (byte) 0xFF; // never in UTF-8
    private static final byte KEY_VALUE_END = (byte) 0xFE; // never in UTF-8

    private static final MetricType[] TYPES = MetricType.values();

    private static final int CT_UNKNOWN = 0;
    private static final int CT_FOUND = 1;
    private static final int CT_NONE = 2;

    private final byte[] b;
    private final int start;
    private final int end;
    /** Whether the final line feed was added by us (the input did not end with one). */
    private final boolean appendedNewline;
    private final OpenMetricsLine cur;
    private OpenMetricsLine ahead;
    private final NumberReader num = new NumberReader();

    private int pos;
    private int line = 1;
    private boolean done;
    private ParseException failure;

    private Entry entry;
    private int entryPos;
    private int entryLine;
    private MetricType type; // of the current TYPE entry
    private int textStart;
    private int textEnd;

    // ---- the current family ----
    private final ByteBuf fam = new ByteBuf();
    private boolean famActive;
    private MetricType famType; // null until TYPE; UNKNOWN for a family started by a sample
    private boolean famHasType;
    private boolean famHasHelp;
    private boolean famHasUnit;
    private boolean famUnitNonEmpty;
    private int famSamples;
    private int sfx; // suffix code of the current sample within its family
    /** Families ended so far, with their type's ordinal, for the name clash rules. */
    private final ByteKeySet families = new ByteKeySet();
    /**
     * Label sets seen in the current family, as an open-addressing table of the 32-bit hash of
     * each set's key and the offset (+1) of the first line that had it: 8 bytes per slot and no
     * copy of the key, which is rebuilt from that line when a hash matches.
     */
    private int[] groupLine = new int[64];
    private int[] groupHash = new int[64];
    private int groupCount;
    private OpenMetricsLine verify;
    private final ByteBuf verifyKey = new ByteBuf();
    private ByteBuf key = new ByteBuf();
    private ByteBuf prevKey = new ByteBuf();
    private final ByteBuf aheadKey = new ByteBuf();
    private final ByteBuf nameBuf = new ByteBuf();
    private boolean havePrev;
    private boolean prevHasTs;
    private double prevTs;
    private int ctState;
    private long ctMillis;

    // ---- the current histogram run: consecutive samples of one label set and timestamp ----
    private boolean runActive;
    private boolean runHasTs;
    private double runTs;
    private int runLastLine;
    private boolean runHasBucket;
    private double runLe;
    private double runBucketValue;
    private boolean runNegBuckets;
    private boolean runHasCount;
    private double runCount;
    private int runCountLine;
    private int runCountCol;
    private boolean runHasSum;
    private int runSumLine;
    private boolean runHasGsum;
    private boolean runNegGsum;
    private int runGsumLine;

    private LabelsBuilder exemplarLabels;
    private boolean allowInterleaved;

    public OpenMetricsParser(byte[] buf) {
        this(buf, 0, buf.length);
    }

    public OpenMetricsParser(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len > 0 && buf[off + len - 1] == '\n') {
            b = buf;
            start = off;
            end = off + len;
            appendedNewline = false;
        } else {
            b = Arrays.copyOfRange(buf, off, off + len + 1);
            b[len] = '\n';
            start = 0;
            end = len + 1;
            appendedNewline = true;
        }
        pos = start;
        cur = new OpenMetricsLine(b, end);
    }

    /**
     * Accepts samples of one label set interleaved with other label sets of the same family. The
     * OpenMetrics spec forbids it, but Prometheus's parser does not check it, so promtool's
     * backfill takes an export written in time order (which interleaves every series).
     */
    public OpenMetricsParser allowInterleavedLabelSets() {
        allowInterleaved = true;
        return this;
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
        int p = pos;
        entryPos = p;
        entryLine = line;
        if (p >= end || (p == end - 1 && appendedNewline)) {
            throw error(p, "unexpected end of input, expected \"# EOF\" as the last line");
        }
        byte c = b[p];
        if (c == '#') {
            return hashLine(p);
        }
        if (c == '{' || Bytes.is(c, Bytes.METRIC_START)) {
            return sample(p);
        }
        if (c == '\n') {
            throw error(p, "blank lines are not allowed in OpenMetrics");
        }
        throw error(p, "expected a metric name, '{' or '#' at the start of the line, got " + Bytes.describe(b, p, end));
    }

    // ---- metadata and EOF ----

    private Entry hashLine(int p) throws ParseException {
        if (b[p + 1] != ' ') {
            throw error(p + 1, "expected a space after '#' (OpenMetrics has no comments), got "
                    + Bytes.describe(b, p + 1, end));
        }
        int k = p + 2;
        if (startsWith(k, "EOF")) {
            int q = k + 3;
            if (b[q] != '\n') {
                throw error(q, "expected end of line after \"# EOF\", got " + Bytes.describe(b, q, end));
            }
            if (q + 1 != end) {
                throw error(q + 1, "unexpected content after \"# EOF\"");
            }
            endFamily();
            line++;
            done = true;
            return null;
        }
        Entry kind;
        if (startsWith(k, "TYPE ")) {
            kind = Entry.TYPE;
        } else if (startsWith(k, "HELP ")) {
            kind = Entry.HELP;
        } else if (startsWith(k, "UNIT ")) {
            kind = Entry.UNIT;
        } else if (startsWith(k, "TYPE") || startsWith(k, "HELP") || startsWith(k, "UNIT")) {
            throw error(k + 4, "expected a single space and the metric name after " + Bytes.ascii(b, k, k + 4)
                    + ", got " + Bytes.describe(b, k + 4, end));
        } else {
            throw error(k, "expected TYPE, HELP, UNIT or EOF after \"# \", got " + Bytes.describe(b, k, end));
        }
        int q = k + 5;
        byte[] na;
        int ns;
        int ne;
        int r;
        if (b[q] == '"') {
            int close = cur.quotedName(q);
            if (close < 0) {
                throw error(cur.errPos, cur.errMsg);
            }
            na = cur.quotedInScratch() ? cur.scratch : b;
            ns = cur.quotedStart();
            ne = cur.quotedEnd();
            if (ns == ne) {
                throw error(q, "empty metric name");
            }
            r = close + 1;
        } else if (Bytes.is(b[q], Bytes.METRIC_START)) {
            na = b;
            ns = q;
            ne = Bytes.skip(b, q + 1, end, Bytes.METRIC_CHAR);
            r = ne;
        } else {
            throw error(q, "expected metric name after " + kind + ", got " + Bytes.describe(b, q, end));
        }
        if (b[r] != ' ') {
            throw error(r, "expected a single space and the " + (kind == Entry.TYPE ? "type" : kind == Entry.HELP ? "help text" : "unit")
                    + " after the metric name, got " + Bytes.describe(b, r, end));
        }
        int ts = r + 1;
        int nl = Bytes.indexOfNewline(b, ts, end);

        if (famActive && fam.equalsRange(na, ns, ne)) {
            if (famSamples > 0) {
                throw error(p, kind + " line for " + famName() + " after its samples: metadata must come first");
            }
        } else {
            endFamily();
            startFamily(na, ns, ne, null, p);
        }
        switch (kind) {
            case TYPE -> {
                if (famHasType) {
                    throw error(p, "second TYPE line for " + famName());
                }
                MetricType t = typeWord(ts, nl);
                famType = t;
                famHasType = true;
                checkTypeClashes(t, p);
                if (famUnitNonEmpty && (t == MetricType.INFO || t == MetricType.STATESET)) {
                    throw error(ts, t.text() + " " + famName() + " must not have a unit");
                }
                type = t;
            }
            case HELP -> {
                if (famHasHelp) {
                    throw error(p, "second HELP line for " + famName());
                }
                if (!Bytes.isValidUtf8(b, ts, nl)) {
                    throw error(ts, "help text is not valid UTF-8");
                }
                famHasHelp = true;
            }
            default -> {
                if (famHasUnit) {
                    throw error(p, "second UNIT line for " + famName());
                }
                int bad = Bytes.skip(b, ts, nl, Bytes.METRIC_CHAR);
                if (bad < nl) {
                    throw error(bad, "invalid character in unit, got " + Bytes.describe(b, bad, end));
                }
                if (nl > ts) {
                    if (!fam.endsWithUnit(b, ts, nl)) {
                        throw error(ts, "unit " + Bytes.quote(b, ts, nl) + " is not a suffix of the metric name "
                                + famName() + " (expected the name to end with \"_" + Bytes.ascii(b, ts, nl) + "\")");
                    }
                    if (famType == MetricType.INFO || famType == MetricType.STATESET) {
                        throw error(ts, famType.text() + " " + famName() + " must not have a unit");
                    }
                    famUnitNonEmpty = true;
                }
                famHasUnit = true;
            }
        }
        textStart = ts;
        textEnd = nl;
        pos = nl + 1;
        line++;
        return entry = kind;
    }

    private MetricType typeWord(int s, int e) throws ParseException {
        for (MetricType t : MetricType.values()) {
            if (Bytes.equalsAscii(b, s, e, t.text())) {
                return t;
            }
        }
        if (Bytes.equalsAscii(b, s, e, "untyped")) {
            throw error(s, "invalid metric type \"untyped\": OpenMetrics calls it \"unknown\"");
        }
        throw error(s, "invalid metric type " + Bytes.quote(b, s, e) + ", expected counter, gauge, histogram,"
                + " gaugehistogram, summary, info, stateset or unknown");
    }

    private boolean startsWith(int p, String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            if (b[p + i] != ascii.charAt(i)) {
                return false; // a line feed differs from every letter, so p + i never passes it
            }
        }
        return true;
    }

    // ---- families ----

    private void startFamily(byte[] a, int s, int e, MetricType t, int linePos) throws ParseException {
        fam.set(a, s, e);
        famActive = true;
        famType = t;
        famHasType = false;
        famHasHelp = false;
        famHasUnit = false;
        famUnitNonEmpty = false;
        famSamples = 0;
        clearGroups();
        havePrev = false;
        runActive = false;
        ctState = CT_UNKNOWN;
        String earlier = clash(fam.a, 0, fam.n);
        if (earlier != null) {
            if (earlier.equals(famNameRaw())) {
                throw error(linePos, "metric family " + famName() + " appears again: the lines of a family"
                        + " must be contiguous and a family must not be repeated");
            }
            throw error(linePos, "metric name " + famName() + " clashes with the earlier family " + Bytes.quote(earlier));
        }
    }

    /** Checks the names a TYPE adds to the family (e.g. a_total, a_created) against earlier families. */
    private void checkTypeClashes(MetricType t, int linePos) throws ParseException {
        int mask = namesMask(t);
        for (int code = 1; code < SUFFIX.length; code++) {
            if ((mask & (1 << code)) == 0) {
                continue;
            }
            nameBuf.set(fam.a, 0, fam.n);
            nameBuf.appendAscii(SUFFIX[code]);
            String earlier = clash(nameBuf.a, 0, nameBuf.n);
            if (earlier != null) {
                throw error(linePos, "name " + Bytes.quote(nameBuf.a, 0, nameBuf.n) + " of " + t.text() + " " + famName()
                        + " clashes with the earlier family " + Bytes.quote(earlier));
            }
        }
    }

    /**
     * The earlier family whose names include [s, e) of {@code a}, or null. A family owns its
     * name plus the suffixes of its type (counter a: a, a_total, a_created).
     */
    private String clash(byte[] a, int s, int e) {
        for (int code = 0; code < SUFFIX.length; code++) {
            String sf = SUFFIX[code];
            int baseEnd = e - sf.length();
            if (code != S_NONE && (baseEnd <= s || !Bytes.equalsAscii(a, baseEnd, e, sf))) {
                continue;
            }
            int t = families.get(a, s, baseEnd - s);
            if (t >= 0 && (namesMask(TYPES[t]) & (1 << code)) != 0) {
                return Bytes.utf8(a, s, baseEnd);
            }
        }
        return null;
    }

    private void endFamily() throws ParseException {
        if (!famActive) {
            return;
        }
        if (runActive) {
            finishRun();
        }
        MetricType t = famType == null ? MetricType.UNKNOWN : famType;
        families.add(fam.a, 0, fam.n, t.ordinal());
        famActive = false;
    }

    /** Sample suffixes a type allows. */
    private static int allowedMask(MetricType t) {
        if (t == null) {
            return 1 << S_NONE;
        }
        return switch (t) {
            case COUNTER -> 1 << S_TOTAL | 1 << S_CREATED;
            case SUMMARY -> 1 << S_NONE | 1 << S_COUNT | 1 << S_SUM | 1 << S_CREATED;
            case HISTOGRAM -> 1 << S_COUNT | 1 << S_SUM | 1 << S_BUCKET | 1 << S_CREATED;
            case GAUGE_HISTOGRAM -> 1 << S_GCOUNT | 1 << S_GSUM | 1 << S_BUCKET;
            case INFO -> 1 << S_INFO;
            default -> 1 << S_NONE;
        };
    }

    /** Names a family of the type owns: its sample suffixes and its bare name. */
    private static int namesMask(MetricType t) {
        return allowedMask(t) | 1 << S_NONE;
    }

    /** The suffix code if [s, e) names a sample of the current family, else -1. */
    private int suffixIn(byte[] a, int s, int e) {
        if (!famActive || e - s < fam.n || !Arrays.equals(a, s, s + fam.n, fam.a, 0, fam.n)) {
            return -1;
        }
        int mask = allowedMask(famType);
        for (int code = 0; code < SUFFIX.length; code++) {
            if ((mask & (1 << code)) != 0 && Bytes.equalsAscii(a, s + fam.n, e, SUFFIX[code])) {
                return code;
            }
        }
        return -1;
    }

    // ---- samples ----

    private Entry sample(int p) throws ParseException {
        OpenMetricsLine l = cur;
        if (!l.scan(p)) {
            throw error(l.errPos, l.errMsg);
        }
        byte[] na = l.nameArr();
        int code = suffixIn(na, l.nameStart, l.nameEnd);
        if (code < 0) {
            if (famActive && fam.equalsRange(na, l.nameStart, l.nameEnd)) {
                throw error(p, "sample " + famName() + " is not valid in " + famType.text() + " family "
                        + famName() + ", expected " + allowedNames());
            }
            endFamily();
            startFamily(na, l.nameStart, l.nameEnd, MetricType.UNKNOWN, p);
            code = S_NONE;
        }
        sfx = code;
        famSamples++;
        checkSample(p);
        pos = l.next;
        line++;
        return entry = Entry.SERIES;
    }

    private String allowedNames() {
        StringBuilder sb = new StringBuilder();
        int mask = allowedMask(famType);
        for (int code = 0; code < SUFFIX.length; code++) {
            if ((mask & (1 << code)) != 0) {
                if (!sb.isEmpty()) {
                    sb.append(" or ");
                }
                sb.append(Bytes.quote(famNameRaw() + SUFFIX[code]));
            }
        }
        return sb.toString();
    }

    private void checkSample(int p) throws ParseException {
        OpenMetricsLine l = cur;
        MetricType t = famType == null ? MetricType.UNKNOWN : famType;
        boolean histogram = t == MetricType.HISTOGRAM || t == MetricType.GAUGE_HISTOGRAM;

        l.sortLabels();
        for (int i = 1; i < l.labelCount; i++) {
            if (l.compareNames(l.ord[i - 1], l.ord[i]) == 0) {
                int second = Math.max(l.ord[i - 1], l.ord[i]);
                throw error(l.labelPos(second), "duplicate label name " + Bytes.quote(l.labelName(second)));
            }
        }

        int excluded = excludedLabel(l, t, sfx);
        double le = 0;
        if (t == MetricType.STATESET && excluded < 0) {
            throw error(p, "stateset sample must have a label named " + famName() + " holding its state");
        }
        if (histogram && sfx == S_BUCKET) {
            if (excluded < 0) {
                throw error(p, "histogram bucket without an \"le\" label");
            }
            le = floatLabel(l, excluded, "le");
            if (le != le) {
                throw error(l.labelPos(excluded), "invalid le value \"NaN\"");
            }
            if (le == Double.POSITIVE_INFINITY && !Arrays.equals(l.labelValueArr(excluded), l.labelValueStart(excluded),
                    l.labelValueEnd(excluded), PLUS_INF, 0, PLUS_INF.length)) {
                throw error(l.labelPos(excluded), "the le value of the +Inf bucket must be written \"+Inf\", got "
                        + Bytes.quote(l.labelValue(excluded)));
            }
        } else if (t == MetricType.SUMMARY && sfx == S_NONE) {
            if (excluded < 0) {
                throw error(p, "summary quantile sample without a \"quantile\" label");
            }
            double q = floatLabel(l, excluded, "quantile");
            if (!(q >= 0 && q <= 1)) {
                throw error(l.labelPos(excluded), "quantile " + Bytes.quote(l.labelValue(excluded)) + " is not between 0 and 1");
            }
        }

        // Label sets ("groups") must not interleave; within one, timestamps all or none, ascending.
        buildKey(l, excluded, t == MetricType.INFO, key);
        boolean sameGroup = havePrev && key.equalsBuf(prevKey);
        if (sameGroup) {
            if (l.hasTs != prevHasTs) {
                throw error(l.hasTs ? l.tsStart : p, "samples of one label set must all have a timestamp or none");
            }
            if (l.hasTs && t != MetricType.INFO && l.tsSeconds < prevTs) {
                throw error(l.tsStart, "timestamp goes backwards within the label set");
            }
        } else {
            if (!allowInterleaved && groupSeen(key, p)) {
                throw error(p, "samples of label set " + describeKey(key) + " of " + famName()
                        + " are not contiguous: they are interleaved with other label sets");
            }
            ctState = CT_UNKNOWN;
        }
        ByteBuf swap = prevKey;
        prevKey = key;
        key = swap;
        havePrev = true;
        prevHasTs = l.hasTs;
        prevTs = l.tsSeconds;

        double v = l.value;
        if (t == MetricType.STATESET && v != 0 && v != 1) {
            throw error(l.valueStart, "stateset values must be 0 or 1");
        }
        if (t == MetricType.INFO && v != 1) {
            throw error(l.valueStart, "info values must be 1");
        }
        if (t == MetricType.SUMMARY && sfx == S_NONE && v < 0) {
            throw error(l.valueStart, "quantile values must not be negative");
        }
        if (v != v && ((COUNTER_LIKE | 1 << S_GSUM) & (1 << sfx)) != 0) {
            throw error(l.valueStart, SUFFIX[sfx] + " values must not be NaN");
        }
        if (v < 0 && (COUNTER_LIKE & (1 << sfx)) != 0) {
            throw error(l.valueStart, SUFFIX[sfx] + " values must not be negative");
        }
        if (histogram) {
            histogramSample(l, sameGroup, le, v);
        }
        if (l.hasExemplar && !(histogram && sfx == S_BUCKET) && !(t == MetricType.COUNTER && sfx == S_TOTAL)) {
            throw error(l.exemplarStart, "exemplars are only allowed on counter _total and histogram _bucket samples");
        }
        if (sfx == S_CREATED) {
            ctState = Double.isFinite(v) ? CT_FOUND : CT_NONE;
            ctMillis = (long) (v * 1000.0);
        }
    }

    /** Adds the label set with this key, first seen on the line at {@code lineStart}; true if it was there already. */
    private boolean groupSeen(ByteBuf k, int lineStart) {
        int h = (int) ByteKeySet.hash(k.a, 0, k.n);
        int mask = groupLine.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            int o = groupLine[i];
            if (o == 0) {
                groupLine[i] = lineStart + 1;
                groupHash[i] = h;
                if (++groupCount * 2 > groupLine.length) {
                    growGroups();
                }
                return false;
            }
            if (groupHash[i] == h && keyOfLine(o - 1).equalsBuf(k)) {
                return true;
            }
        }
    }

    /** The group key of the (valid, already parsed) sample line at p, rebuilt by scanning it again. */
    private ByteBuf keyOfLine(int p) {
        if (verify == null) {
            verify = new OpenMetricsLine(b, end);
        }
        verify.scan(p);
        int code = suffixIn(verify.nameArr(), verify.nameStart, verify.nameEnd);
        MetricType t = famType == null ? MetricType.UNKNOWN : famType;
        verify.sortLabels();
        buildKey(verify, excludedLabel(verify, t, code), t == MetricType.INFO, verifyKey);
        return verifyKey;
    }

    private void growGroups() {
        int[] oldLine = groupLine;
        int[] oldHash = groupHash;
        groupLine = new int[oldLine.length * 2];
        groupHash = new int[oldLine.length * 2];
        int mask = groupLine.length - 1;
        for (int j = 0; j < oldLine.length; j++) {
            if (oldLine[j] != 0) {
                int i = oldHash[j] & mask;
                while (groupLine[i] != 0) {
                    i = (i + 1) & mask;
                }
                groupLine[i] = oldLine[j];
                groupHash[i] = oldHash[j];
            }
        }
    }

    private void clearGroups() {
        if (groupLine.length > 64 && groupLine.length > 8 * groupCount) {
            // Sized for an earlier, larger family: start small rather than wipe it for every family.
            groupLine = new int[64];
            groupHash = new int[64];
        } else if (groupCount > 0) {
            java.util.Arrays.fill(groupLine, 0);
        }
        groupCount = 0;
    }

    /** The label left out of the group key: le of buckets, quantile of quantiles, the state label. */
    private int excludedLabel(OpenMetricsLine l, MetricType t, int code) {
        if ((t == MetricType.HISTOGRAM || t == MetricType.GAUGE_HISTOGRAM) && code == S_BUCKET) {
            return l.findLabel(LE);
        }
        if (t == MetricType.SUMMARY && code == S_NONE) {
            return l.findLabel(QUANTILE);
        }
        if (t == MetricType.STATESET) {
            return l.findLabel(fam.a, 0, fam.n);
        }
        return -1;
    }

    private double floatLabel(OpenMetricsLine l, int i, String what) throws ParseException {
        if (!num.read(l.labelValueArr(i), l.labelValueStart(i), l.labelValueEnd(i))) {
            throw error(l.labelPos(i), "invalid " + what + " value " + Bytes.quote(l.labelValue(i)) + ": " + num.error());
        }
        return num.value();
    }

    /**
     * Writes the group key of a sample into {@code into}: its labels but the excluded one, sorted
     * by name, each as name 0xFF value 0xFE (bytes UTF-8 never contains). Info samples all share
     * the empty key.
     */
    private static void buildKey(OpenMetricsLine l, int excluded, boolean empty, ByteBuf into) {
        into.n = 0;
        if (empty) {
            return;
        }
        for (int k = 0; k < l.labelCount; k++) {
            int i = l.ord[k];
            if (i == excluded) {
                continue;
            }
            into.append(l.labelNameArr(i), l.labelNameStart(i), l.labelNameEnd(i));
            into.append(KEY_NAME_END);
            into.append(l.labelValueArr(i), l.labelValueStart(i), l.labelValueEnd(i));
            into.append(KEY_VALUE_END);
        }
    }

    private static String describeKey(ByteBuf k) {
        StringBuilder sb = new StringBuilder("{");
        int s = 0;
        for (int i = 0; i < k.n; i++) {
            if (k.a[i] == KEY_NAME_END) {
                if (sb.length() > 1) {
                    sb.append(',');
                }
                sb.append(Bytes.utf8(k.a, s, i)).append('=');
                s = i + 1;
            } else if (k.a[i] == KEY_VALUE_END) {
                sb.append(Bytes.quote(k.a, s, i));
                s = i + 1;
            }
        }
        return sb.append('}').toString();
    }

    private void histogramSample(OpenMetricsLine l, boolean sameGroup, double le, double v) throws ParseException {
        boolean newRun = !runActive || !sameGroup || l.hasTs != runHasTs || (l.hasTs && l.tsSeconds != runTs);
        if (newRun) {
            if (runActive) {
                finishRun();
            }
            runActive = true;
            runHasTs = l.hasTs;
            runTs = l.tsSeconds;
            runHasBucket = false;
            runBucketValue = 0;
            runNegBuckets = false;
            runHasCount = false;
            runHasSum = false;
            runHasGsum = false;
            runNegGsum = false;
        }
        runLastLine = entryLine;
        switch (sfx) {
            case S_BUCKET -> {
                if (runHasBucket && le <= runLe) {
                    throw error(l.labelPos(l.findLabel(LE)), "histogram buckets must be in increasing order of le");
                }
                if (v < runBucketValue) {
                    throw error(l.valueStart, "histogram bucket counts must not decrease as le increases");
                }
                runHasBucket = true;
                runLe = le;
                runBucketValue = v;
                if (le < 0) {
                    runNegBuckets = true;
                }
            }
            case S_COUNT, S_GCOUNT -> {
                runHasCount = true;
                runCount = v;
                runCountLine = entryLine;
                runCountCol = l.valueStart - entryPos + 1;
            }
            case S_SUM -> {
                runHasSum = true;
                runSumLine = entryLine;
            }
            case S_GSUM -> {
                runHasGsum = true;
                runGsumLine = entryLine;
                if (v < 0) {
                    runNegGsum = true;
                }
            }
            default -> {
                // _created: no histogram rule
            }
        }
    }

    private void finishRun() throws ParseException {
        runActive = false;
        boolean gauge = famType == MetricType.GAUGE_HISTOGRAM;
        String count = gauge ? "_gcount" : "_count";
        if (!runHasBucket || runLe != Double.POSITIVE_INFINITY) {
            throw errorAt(runLastLine, 1, (gauge ? "gaugehistogram " : "histogram ") + famName()
                    + " has no le=\"+Inf\" bucket for this label set");
        }
        if (runHasCount && runCount != runBucketValue) {
            throw errorAt(runCountLine, runCountCol, count + " " + fmt(runCount) + " does not match the +Inf bucket "
                    + fmt(runBucketValue));
        }
        if (runHasSum && !runHasCount) {
            throw errorAt(runSumLine, 1, "_sum without _count");
        }
        if (runHasGsum && !runHasCount) {
            throw errorAt(runGsumLine, 1, "_gsum without _gcount");
        }
        if (!runHasSum && !runHasGsum && runHasCount) {
            throw errorAt(runCountLine, 1, count + " without " + (gauge ? "_gsum" : "_sum"));
        }
        if (runNegBuckets && runHasSum) {
            throw errorAt(runSumLine, 1, "_sum is not allowed in a histogram with negative buckets");
        }
        if (!runNegBuckets && runNegGsum) {
            throw errorAt(runGsumLine, 1, "a negative _gsum needs negative buckets");
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    // ---- created timestamps ----

    private boolean ctEligible() {
        if (famType == null) {
            return false;
        }
        return switch (famType) {
            case COUNTER -> sfx == S_TOTAL;
            case SUMMARY -> sfx == S_NONE || sfx == S_SUM || sfx == S_COUNT;
            case HISTOGRAM -> sfx == S_BUCKET || sfx == S_SUM || sfx == S_COUNT;
            default -> false;
        };
    }

    /**
     * Scans the following lines of the current label set for its {@code _created} sample. Stops
     * at the first line that is not a sample of this family and label set, so each label set is
     * scanned at most once.
     */
    private void lookAhead() {
        ctState = CT_NONE;
        if (ahead == null) {
            ahead = new OpenMetricsLine(b, end);
        }
        MetricType t = famType;
        int q = pos;
        while (q < end) {
            byte c = b[q];
            if (c != '{' && !Bytes.is(c, Bytes.METRIC_START)) {
                return;
            }
            if (!ahead.scan(q)) {
                return;
            }
            int code = suffixIn(ahead.nameArr(), ahead.nameStart, ahead.nameEnd);
            if (code < 0) {
                return;
            }
            ahead.sortLabels();
            buildKey(ahead, excludedLabel(ahead, t, code), false, aheadKey);
            if (!aheadKey.equalsBuf(prevKey)) {
                return;
            }
            if (code == S_CREATED) {
                if (Double.isFinite(ahead.value)) {
                    ctState = CT_FOUND;
                    ctMillis = (long) (ahead.value * 1000.0);
                }
                return;
            }
            q = ahead.next;
        }
    }

    // ---- errors ----

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
        return errorAt(ln, at - ls + 1, message);
    }

    private ParseException errorAt(int ln, int col, String message) {
        failure = new ParseException(ln, col, message);
        done = true;
        return failure;
    }

    private String famNameRaw() {
        return Bytes.utf8(fam.a, 0, fam.n);
    }

    private String famName() {
        return Bytes.quote(fam.a, 0, fam.n);
    }

    // ---- accessors ----

    @Override
    public byte[] seriesBytes() {
        return b;
    }

    @Override
    public int seriesOffset() {
        return cur.seriesStart;
    }

    @Override
    public int seriesLength() {
        return cur.seriesEnd - cur.seriesStart;
    }

    /**
     * As Prometheus 3 does, the value of {@code le} in histograms and of {@code quantile} in
     * summaries is rewritten in the OpenMetrics float form ({@code le="1"} becomes
     * {@code le="1.0"}).
     */
    @Override
    public void labels(LabelsBuilder into, SymbolTable symbols) {
        if (entry != Entry.SERIES) {
            throw new IllegalStateException("labels() needs a SERIES entry, the current entry is " + entry);
        }
        OpenMetricsLine l = cur;
        into.reset();
        into.add(Labels.METRIC_NAME, Bytes.utf8(l.nameArr(), l.nameStart, l.nameEnd, symbols));
        boolean normalize = famType == MetricType.HISTOGRAM || famType == MetricType.SUMMARY;
        for (int i = 0; i < l.labelCount; i++) {
            String name = l.labelName(i, symbols);
            String val = l.labelValue(i, symbols);
            if (normalize) {
                val = PromTextParser.normalizeFloatLabel(num, famType, name, val);
            }
            into.add(name, val);
        }
    }

    @Override
    public double value() {
        double v = cur.value;
        return v != v ? PromTextParser.NORMAL_NAN : v;
    }

    @Override
    public boolean hasTimestamp() {
        return cur.hasTs;
    }

    @Override
    public long timestamp() {
        return cur.tsMillis;
    }

    @Override
    public boolean exemplar(Exemplar into) {
        if (entry != Entry.SERIES || !cur.hasExemplar) {
            return false;
        }
        if (exemplarLabels == null) {
            exemplarLabels = new LabelsBuilder();
        }
        exemplarLabels.reset();
        for (int i = 0; i < cur.exemplarLabelCount; i++) {
            exemplarLabels.add(cur.exemplarLabelName(i), cur.exemplarLabelValue(i));
        }
        into.labels = exemplarLabels.build();
        double v = cur.exemplarValue;
        into.value = v != v ? PromTextParser.NORMAL_NAN : v;
        into.hasTimestamp = cur.exemplarHasTs;
        into.timestamp = cur.exemplarHasTs ? cur.exemplarTsMillis : 0;
        return true;
    }

    @Override
    public boolean hasCreatedTimestamp() {
        if (entry != Entry.SERIES || !ctEligible()) {
            return false;
        }
        if (ctState == CT_UNKNOWN) {
            lookAhead();
        }
        return ctState == CT_FOUND;
    }

    @Override
    public long createdTimestamp() {
        return hasCreatedTimestamp() ? ctMillis : 0;
    }

    /**
     * TYPE, HELP, UNIT: the family the line describes. Also on a SERIES entry: the family the
     * sample belongs to (its name without the type's suffix), which lint rules can use.
     */
    @Override
    public String metricFamily() {
        return famNameRaw();
    }

    @Override
    public MetricType type() {
        return type;
    }

    /** HELP: the text with {@code \\}, {@code \"} and {@code \n} unescaped. UNIT: the unit. */
    @Override
    public String text() {
        return entry == Entry.HELP ? Bytes.unescape(b, textStart, textEnd) : Bytes.utf8(b, textStart, textEnd);
    }

    @Override
    public int line() {
        return entryLine;
    }

    /** A growable byte string, reused. */
    static final class ByteBuf {
        byte[] a = new byte[64];
        int n;

        void set(byte[] src, int s, int e) {
            n = 0;
            append(src, s, e);
        }

        void append(byte[] src, int s, int e) {
            int len = e - s;
            if (n + len > a.length) {
                a = Arrays.copyOf(a, Math.max(a.length * 2, n + len));
            }
            System.arraycopy(src, s, a, n, len);
            n += len;
        }

        void append(byte x) {
            if (n == a.length) {
                a = Arrays.copyOf(a, a.length * 2);
            }
            a[n++] = x;
        }

        void appendAscii(String s) {
            for (int i = 0; i < s.length(); i++) {
                append((byte) s.charAt(i));
            }
        }

        boolean equalsRange(byte[] src, int s, int e) {
            return Arrays.equals(a, 0, n, src, s, e);
        }

        boolean equalsBuf(ByteBuf o) {
            return Arrays.equals(a, 0, n, o.a, 0, o.n);
        }

        /** Whether this name ends with "_" + unit. */
        boolean endsWithUnit(byte[] src, int s, int e) {
            int len = e - s;
            return n >= len + 1 && a[n - len - 1] == '_' && Arrays.equals(a, n - len, n, src, s, e);
        }
    }
}

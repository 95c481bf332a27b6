package io.specula.pushgateway;

import io.specula.model.exposition.proto.Bucket;
import io.specula.model.exposition.proto.Counter;
import io.specula.model.exposition.proto.Gauge;
import io.specula.model.exposition.proto.Histogram;
import io.specula.model.exposition.proto.LabelPair;
import io.specula.model.exposition.proto.Metric;
import io.specula.model.exposition.proto.MetricFamily;
import io.specula.model.exposition.proto.MetricType;
import io.specula.model.exposition.proto.Quantile;
import io.specula.model.exposition.proto.Summary;
import io.specula.model.exposition.proto.Untyped;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Text format 0.0.4 into metric families, with the semantics and error texts of the Go
 * library's text parser, which is what the Pushgateway runs on a pushed body (not Prometheus's
 * scrape parser, which differs in what it accepts and how it words refusals):
 *
 * <ul>
 *   <li>samples are grouped by family; {@code _sum}/{@code _count}/{@code _bucket} samples join
 *       a summary or histogram declared before them, and samples of one summary or histogram
 *       series with the same labels (besides {@code quantile}/{@code le}) form one metric;
 *   <li>a sample without {@code # TYPE} makes its family untyped; a TYPE line after samples,
 *       a second HELP line and an unknown type are errors;
 *   <li>every line, the last included, must end with a newline;
 *   <li>families without samples are dropped.
 * </ul>
 *
 * <p>Errors read {@code text format parsing error in line N: …}. Single-use, not thread-safe.
 */
final class TextFormatParser {
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern SPECIAL = Pattern.compile("(?i)[+-]?(inf|infinity)|nan");
    private static final int EOF = -1;

    private final byte[] in;
    private int pos;
    private int cur;
    private int line;
    private final ByteArrayOutputStream token = new ByteArrayOutputStream();

    /** Families under construction, by name, in order of appearance. */
    private final Map<String, Family> families = new LinkedHashMap<>();
    private Family mf;
    private MetricBuilder metric;
    private boolean isSummaryCount, isSummarySum, isHistogramCount, isHistogramSum;
    private TreeMap<String, String> currentLabels;
    private double currentQuantile, currentBucket;
    private LabelPair.Builder currentPair;

    private TextFormatParser(byte[] in) {
        this.in = in;
    }

    /** Parses {@code body}; the map is keyed by family name. */
    static Map<String, MetricFamily> parse(byte[] body) throws PushException {
        return new TextFormatParser(body).run();
    }

    private static final class Family {
        final String name;
        String help;
        MetricType type;
        final List<MetricBuilder> metrics = new ArrayList<>();
        final Map<String, MetricBuilder> bySignature = new HashMap<>();

        Family(String name) {
            this.name = name;
        }
    }

    /** A metric as the parser fills it: summaries and histograms get values from several lines. */
    private static final class MetricBuilder {
        final Metric.Builder m = Metric.newBuilder();
        Summary.Builder summary;
        Histogram.Builder histogram;

        Metric build() {
            if (summary != null) {
                m.setSummary(summary);
            }
            if (histogram != null) {
                m.setHistogram(histogram);
            }
            return m.build();
        }
    }

    private final class Stop extends RuntimeException {
        Stop() {
            super(null, null, false, false);
        }
    }

    private String error;

    private Map<String, MetricFamily> run() throws PushException {
        try {
            while (startOfLine()) {
                // one line per iteration
            }
        } catch (Stop s) {
            // error or premature end set below
        }
        if (error == null && cur == EOF && !atCleanEnd) {
            error = "unexpected end of input stream";
        }
        if (error != null) {
            throw new PushException(400, "text format parsing error in line " + line + ": " + error);
        }
        Map<String, MetricFamily> out = new LinkedHashMap<>();
        for (Family f : families.values()) {
            if (f.metrics.isEmpty()) {
                continue;
            }
            MetricFamily.Builder b = MetricFamily.newBuilder().setName(f.name).setType(f.type);
            if (f.help != null) {
                b.setHelp(f.help);
            }
            for (MetricBuilder m : f.metrics) {
                b.addMetric(m.build());
            }
            out.put(f.name, b.build());
        }
        return out;
    }

    private boolean atCleanEnd;

    private void fail(String msg) {
        error = msg;
        throw new Stop();
    }

    private void read() {
        cur = pos < in.length ? in[pos++] & 0xff : EOF;
    }

    /** Reads the next byte; at the end of the input, stops with "unexpected end of input stream". */
    private void readOrStop() {
        read();
        if (cur == EOF) {
            throw new Stop();
        }
    }

    private static boolean blank(int b) {
        return b == ' ' || b == '\t';
    }

    private void skipBlankTab() {
        do {
            readOrStop();
        } while (blank(cur));
    }

    private void skipBlankTabIfCurrentBlankTab() {
        if (blank(cur)) {
            skipBlankTab();
        }
    }

    private String tokenString() {
        return token.toString(StandardCharsets.UTF_8);
    }

    private boolean startOfLine() {
        line++;
        do {
            read();
        } while (blank(cur));
        if (cur == EOF) {
            atCleanEnd = true;
            return false;
        }
        if (cur == '#') {
            startComment();
            return true;
        }
        if (cur == '\n') {
            return true;
        }
        readingMetricName();
        return true;
    }

    private void startComment() {
        skipBlankTab();
        if (cur == '\n') {
            return;
        }
        readTokenUntilWhitespace();
        if (cur == '\n') {
            return;
        }
        String keyword = tokenString();
        if (!keyword.equals("HELP") && !keyword.equals("TYPE")) {
            while (cur != '\n') {
                readOrStop();
            }
            return;
        }
        skipBlankTab();
        readTokenAsName(true);
        if (cur == '\n') {
            return;
        }
        if (!blank(cur)) {
            fail("invalid metric name in comment");
        }
        setOrCreateCurrentFamily();
        skipBlankTab();
        if (cur == '\n') {
            return;
        }
        if (keyword.equals("HELP")) {
            if (mf.help != null) {
                fail("second HELP line for metric name " + GoQuote.string(mf.name));
            }
            readTokenUntilNewline(true);
            mf.help = tokenString();
        } else {
            if (mf.type != null) {
                fail("second TYPE line for metric name " + GoQuote.string(mf.name) + ", or TYPE reported after samples");
            }
            readTokenUntilNewline(false);
            String t = tokenString();
            MetricType type = switch (t.toUpperCase(Locale.ROOT)) {
                case "COUNTER" -> MetricType.COUNTER;
                case "GAUGE" -> MetricType.GAUGE;
                case "SUMMARY" -> MetricType.SUMMARY;
                case "UNTYPED" -> MetricType.UNTYPED;
                case "HISTOGRAM" -> MetricType.HISTOGRAM;
                case "GAUGE_HISTOGRAM" -> MetricType.GAUGE_HISTOGRAM;
                default -> null;
            };
            if (type == null) {
                fail("unknown metric type " + GoQuote.string(t));
            }
            mf.type = type;
        }
    }

    private void readingMetricName() {
        readTokenAsName(true);
        if (token.size() == 0) {
            fail("invalid metric name");
        }
        setOrCreateCurrentFamily();
        if (mf.type == null) {
            mf.type = MetricType.UNTYPED;
        }
        metric = new MetricBuilder();
        skipBlankTabIfCurrentBlankTab();
        // readingLabels
        if (isSummaryOrHistogram()) {
            currentLabels = new TreeMap<>();
            currentLabels.put("__name__", mf.name);
            currentQuantile = Double.NaN;
            currentBucket = Double.NaN;
        }
        if (cur == '{') {
            labels();
        }
        readingValue();
    }

    private boolean isSummaryOrHistogram() {
        return mf.type == MetricType.SUMMARY || mf.type == MetricType.HISTOGRAM;
    }

    private void labels() {
        Set<String> seen = new HashSet<>();
        while (true) {
            // startLabelName
            skipBlankTab();
            if (cur == '}') {
                skipBlankTab();
                return;
            }
            readTokenAsName(false);
            if (token.size() == 0) {
                fail("invalid label name for metric " + GoQuote.string(mf.name));
            }
            String name = tokenString();
            currentPair = LabelPair.newBuilder().setName(name);
            if (name.equals("__name__")) {
                fail("label name \"__name__\" is reserved");
            }
            boolean special = (mf.type == MetricType.SUMMARY && name.equals("quantile"))
                    || (mf.type == MetricType.HISTOGRAM && name.equals("le"));
            skipBlankTabIfCurrentBlankTab();
            if (cur != '=') {
                fail("expected '=' after label name, found " + GoQuote.rune(cur));
            }
            if (!special && !seen.add(name)) {
                fail("duplicate label names for metric " + GoQuote.string(mf.name));
            }
            // startLabelValue
            skipBlankTab();
            if (cur != '"') {
                fail("expected '\"' at start of label value, found " + GoQuote.rune(cur));
            }
            byte[] raw = readTokenAsLabelValue();
            if (!GoQuote.validUtf8(raw)) {
                fail("invalid label value " + GoQuote.bytes(raw));
            }
            String value = new String(raw, StandardCharsets.UTF_8);
            currentPair.setValue(value);
            if (!special) {
                metric.m.addLabel(currentPair);
            }
            if (mf.type == MetricType.SUMMARY) {
                if (name.equals("quantile")) {
                    currentQuantile = parseFloat(value, "expected float as value for 'quantile' label, got " + GoQuote.string(value));
                } else {
                    currentLabels.put(name, value);
                }
            }
            if (mf.type == MetricType.HISTOGRAM) {
                if (name.equals("le")) {
                    currentBucket = parseFloat(value, "expected float as value for 'le' label, got " + GoQuote.string(value));
                } else {
                    currentLabels.put(name, value);
                }
            }
            skipBlankTab();
            if (cur == ',') {
                continue;
            }
            if (cur == '}') {
                skipBlankTab();
                return;
            }
            fail("unexpected end of label value " + GoQuote.string(value));
        }
    }

    private void readingValue() {
        if (isSummaryOrHistogram()) {
            String sig = currentLabels.toString();
            MetricBuilder existing = mf.bySignature.get(sig);
            if (existing != null) {
                metric = existing;
            } else {
                mf.bySignature.put(sig, metric);
                mf.metrics.add(metric);
            }
        } else {
            mf.metrics.add(metric);
        }
        readTokenUntilWhitespace();
        String v = tokenString();
        double value = parseFloat(v, "expected float as value, got " + GoQuote.string(v));
        switch (mf.type) {
            case COUNTER -> metric.m.setCounter(Counter.newBuilder().setValue(value));
            case GAUGE -> metric.m.setGauge(Gauge.newBuilder().setValue(value));
            case UNTYPED -> metric.m.setUntyped(Untyped.newBuilder().setValue(value));
            case SUMMARY -> {
                if (metric.summary == null) {
                    metric.summary = Summary.newBuilder();
                }
                if (isSummaryCount) {
                    metric.summary.setSampleCount(goUint64(value));
                } else if (isSummarySum) {
                    metric.summary.setSampleSum(value);
                } else if (!Double.isNaN(currentQuantile)) {
                    metric.summary.addQuantile(Quantile.newBuilder().setQuantile(currentQuantile).setValue(value));
                }
            }
            case HISTOGRAM -> {
                if (metric.histogram == null) {
                    metric.histogram = Histogram.newBuilder();
                }
                if (isHistogramCount) {
                    metric.histogram.setSampleCount(goUint64(value));
                } else if (isHistogramSum) {
                    metric.histogram.setSampleSum(value);
                } else if (!Double.isNaN(currentBucket)) {
                    metric.histogram.addBucket(Bucket.newBuilder().setUpperBound(currentBucket).setCumulativeCount(goUint64(value)));
                }
            }
            default -> fail("unexpected type for metric name " + GoQuote.string(mf.name));
        }
        if (cur == '\n') {
            return;
        }
        // startTimestamp
        skipBlankTab();
        readTokenUntilWhitespace();
        String ts = tokenString();
        long t;
        try {
            if (!ts.matches("[+-]?\\d+")) {
                throw new NumberFormatException();
            }
            t = Long.parseLong(ts.startsWith("+") ? ts.substring(1) : ts);
        } catch (NumberFormatException e) {
            fail("expected integer as timestamp, got " + GoQuote.string(ts));
            return;
        }
        metric.m.setTimestampMs(t);
        readTokenUntilNewline(false);
        if (token.size() > 0) {
            fail("spurious string after timestamp: " + GoQuote.string(tokenString()));
        }
    }

    /** Go's float64 → uint64 conversion for the values in range (negative and NaN become 0 here). */
    private static long goUint64(double v) {
        if (!(v > 0)) {
            return 0;
        }
        if (v >= 0x1p64) {
            return -1L;
        }
        if (v >= 0x1p63) {
            return (long) (v - 0x1p63) | Long.MIN_VALUE;
        }
        return (long) v;
    }

    /** Go's {@code strconv.ParseFloat} with the text parser's extra refusal of {@code p}, {@code P} and {@code _}. */
    private double parseFloat(String s, String errorMessage) {
        if (DECIMAL.matcher(s).matches()) {
            double d = Double.parseDouble(s);
            if (!Double.isInfinite(d)) {
                return d;
            }
        } else if (SPECIAL.matcher(s).matches()) {
            String l = s.toLowerCase(Locale.ROOT);
            if (l.equals("nan")) {
                return Double.NaN;
            }
            return l.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        fail(errorMessage);
        return 0;
    }

    private void setOrCreateCurrentFamily() {
        isSummaryCount = isSummarySum = isHistogramCount = isHistogramSum = false;
        String name = tokenString();
        mf = families.get(name);
        if (mf != null) {
            return;
        }
        String summaryName = name.length() > 6 && name.endsWith("_count") ? name.substring(0, name.length() - 6)
                : name.length() > 4 && name.endsWith("_sum") ? name.substring(0, name.length() - 4) : name;
        mf = families.get(summaryName);
        if (mf != null && mf.type == MetricType.SUMMARY) {
            isSummaryCount = name.length() > 6 && name.endsWith("_count");
            isSummarySum = name.length() > 4 && name.endsWith("_sum");
            return;
        }
        String histogramName = name.length() > 7 && name.endsWith("_bucket") ? name.substring(0, name.length() - 7) : summaryName;
        mf = families.get(histogramName);
        if (mf != null && mf.type == MetricType.HISTOGRAM) {
            isHistogramCount = name.length() > 6 && name.endsWith("_count");
            isHistogramSum = name.length() > 4 && name.endsWith("_sum");
            return;
        }
        mf = new Family(name);
        families.put(name, mf);
    }

    private void readTokenUntilWhitespace() {
        token.reset();
        while (cur != EOF && !blank(cur) && cur != '\n') {
            token.write(cur);
            read();
        }
        if (cur == EOF) {
            throw new Stop();
        }
    }

    private void readTokenUntilNewline(boolean escapes) {
        token.reset();
        boolean escaped = false;
        while (cur != EOF) {
            if (escapes && escaped) {
                switch (cur) {
                    case '\\' -> token.write('\\');
                    case 'n' -> token.write('\n');
                    default -> fail("invalid escape sequence '\\" + new String(Character.toChars(cur)) + "'");
                }
                escaped = false;
            } else if (cur == '\n') {
                return;
            } else if (cur == '\\' && escapes) {
                escaped = true;
            } else {
                token.write(cur);
            }
            read();
        }
        throw new Stop();
    }

    /** Metric names may contain colons, label names may not. */
    private void readTokenAsName(boolean metricName) {
        token.reset();
        if (!nameStart(cur, metricName)) {
            return;
        }
        while (true) {
            token.write(cur);
            readOrStop();
            if (!nameStart(cur, metricName) && !(cur >= '0' && cur <= '9')) {
                return;
            }
        }
    }

    private static boolean nameStart(int b, boolean metricName) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '_' || (metricName && b == ':');
    }

    private byte[] readTokenAsLabelValue() {
        token.reset();
        boolean escaped = false;
        while (true) {
            readOrStop();
            if (escaped) {
                switch (cur) {
                    case '"', '\\' -> token.write(cur);
                    case 'n' -> token.write('\n');
                    default -> fail("invalid escape sequence '\\" + new String(Character.toChars(cur)) + "'");
                }
                escaped = false;
                continue;
            }
            switch (cur) {
                case '"' -> {
                    return token.toByteArray();
                }
                case '\n' -> fail("label value " + GoQuote.bytes(token.toByteArray()) + " contains unescaped new-line");
                case '\\' -> escaped = true;
                default -> token.write(cur);
            }
        }
    }
}

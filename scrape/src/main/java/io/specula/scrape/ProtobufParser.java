package io.specula.scrape;

import com.google.protobuf.CodedInputStream;
import io.specula.model.exposition.proto.Bucket;
import io.specula.model.exposition.proto.BucketSpan;
import io.specula.model.exposition.proto.LabelPair;
import io.specula.model.exposition.proto.Metric;
import io.specula.model.exposition.proto.MetricFamily;
import io.specula.model.histogram.CounterResetHint;
import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Histogram;
import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.model.labels.SymbolTable;
import io.specula.model.textparse.Entry;
import io.specula.model.textparse.Exemplar;
import io.specula.model.textparse.FloatFormat;
import io.specula.model.textparse.MetricType;
import io.specula.model.textparse.ParseException;
import io.specula.model.textparse.Parser;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A {@link Parser} over the delimited protobuf exposition ({@code io.prometheus.client.MetricFamily}
 * messages, each after its varint length), yielding what Prometheus 3's protobuf parser yields:
 *
 * <ul>
 *   <li>per family: HELP (when not empty), TYPE, UNIT (when not empty), then its samples;
 *   <li>counter, gauge, untyped: one float sample named after the family;
 *   <li>summary: {@code _count}, {@code _sum}, then one {@code {quantile="…"}} sample per quantile;
 *   <li>histogram and gauge histogram: the native histogram ({@link #isHistogram()}) when native
 *       scraping is on and the message carries one (spans, a zero threshold or a zero count);
 *       the classic series {@code _count}, {@code _sum}, {@code _bucket{le="…"}} (with
 *       {@code +Inf} added when missing) when no native histogram was yielded or
 *       {@code always_scrape_classic_histograms} asks for them too.
 * </ul>
 *
 * <p>{@code le} and {@code quantile} values are written as Prometheus 3 normalizes them
 * ({@code 1.0}, not {@code 1}). The series key ({@link #seriesBytes}) is the name and label pairs
 * in a private binary form: the scrape cache needs it unique per series, nothing more.
 * Exemplars: the counter's, a bucket's on its {@code _bucket} sample, and for a native histogram
 * its exemplar list (or else its buckets' exemplars), one per {@link #exemplar} call.
 *
 * <p>Each message is decoded into its generated objects (one family at a time, bounded by the
 * body, itself bounded by {@code body_size_limit}). Not thread-safe.
 */
final class ProtobufParser implements Parser, HistogramSource {
    private static final int HELP = 0, TYPE = 1, UNIT = 2, SAMPLES = 3;
    private static final double[] NO_DOUBLES = new double[0];
    /** Field positions inside a summary or histogram metric, as in Prometheus: native, count, sum, then buckets/quantiles. */
    private static final int NATIVE = -3, COUNT = -2, SUM = -1;

    private final byte[] buf;
    private final int end;
    private final boolean scrapeNative;
    private final boolean keepClassic;
    private int pos;
    private int messages;

    private MetricFamily family;
    private String name;
    private String nameCount, nameSum, nameBucket;
    private int state;
    private int metricIndex;
    private Metric metric;
    /** Position inside the current metric: {@link #NATIVE}, {@link #COUNT}, {@link #SUM}, or a bucket/quantile index. */
    private int field;
    /** Whether the current histogram metric yielded a native histogram (so classic series are optional). */
    private boolean nativeYielded;
    /** The current sample. */
    private String sampleName;
    private String extraName, extraValue;
    private double value;
    private int exemplarCursor;
    private ParseException failed;

    private byte[] key = new byte[256];
    private int keyLength;

    private final Histogram histogram = new Histogram();
    private final FloatHistogram floatHistogram = new FloatHistogram();
    private boolean isFloatHistogram;
    private final LabelsBuilder exemplarLabels = new LabelsBuilder();

    /**
     * @param scrapeNative whether native histograms are yielded ({@code scrape_native_histograms})
     * @param keepClassic whether a histogram's classic series are yielded beside its native one
     *     ({@code always_scrape_classic_histograms})
     */
    ProtobufParser(byte[] buf, int off, int len, boolean scrapeNative, boolean keepClassic) {
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
        this.scrapeNative = scrapeNative;
        this.keepClassic = keepClassic;
    }

    @Override
    public Entry next() throws ParseException {
        if (failed != null) {
            throw failed;
        }
        try {
            return advance();
        } catch (ParseException e) {
            failed = e;
            throw e;
        }
    }

    private Entry advance() throws ParseException {
        while (true) {
            if (family == null) {
                if (pos >= end) {
                    return null;
                }
                readFamily();
                state = HELP;
            }
            switch (state) {
                case HELP -> {
                    state = TYPE;
                    if (!family.getHelp().isEmpty()) {
                        return Entry.HELP;
                    }
                }
                case TYPE -> {
                    state = UNIT;
                    return Entry.TYPE;
                }
                case UNIT -> {
                    state = SAMPLES;
                    metricIndex = -1;
                    metric = null;
                    if (!family.getUnit().isEmpty()) {
                        return Entry.UNIT;
                    }
                }
                default -> {
                    if (nextSample()) {
                        return Entry.SERIES;
                    }
                    family = null;
                }
            }
        }
    }

    private void readFamily() throws ParseException {
        messages++;
        long length = 0;
        int shift = 0;
        while (true) {
            if (pos >= end) {
                throw error("unexpected end of input in the length of message " + messages);
            }
            byte b = buf[pos++];
            length |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                break;
            }
            shift += 7;
            if (shift > 63) {
                throw error("malformed length of message " + messages);
            }
        }
        if (length < 0 || length > end - pos) { // a 10-byte varint can be negative
            throw error("message " + messages + " of " + length + " bytes runs past the end of the body (" + (end - pos) + " bytes left)");
        }
        try {
            family = MetricFamily.parseFrom(CodedInputStream.newInstance(buf, pos, (int) length));
        } catch (java.io.IOException e) { // InvalidProtocolBufferException, for a byte array
            throw error("invalid protobuf message " + messages + ": " + e.getMessage());
        }
        pos += (int) length;
        name = family.getName();
        if (name.isEmpty()) {
            throw error("metric family " + messages + " has no name");
        }
        nameCount = name + "_count";
        nameSum = name + "_sum";
        nameBucket = name + "_bucket";
    }

    private ParseException error(String message) {
        return new ParseException(messages, 0, message);
    }

    /** Moves to the next sample of the family; false when the family is done. */
    private boolean nextSample() throws ParseException {
        io.specula.model.exposition.proto.MetricType type = family.getType();
        boolean composite = type == io.specula.model.exposition.proto.MetricType.SUMMARY
                || type == io.specula.model.exposition.proto.MetricType.HISTOGRAM
                || type == io.specula.model.exposition.proto.MetricType.GAUGE_HISTOGRAM;
        while (true) {
            if (metric != null && composite && advanceField(type)) {
                exemplarCursor = 0;
                return true;
            }
            metricIndex++;
            if (metricIndex >= family.getMetricCount()) {
                metric = null;
                return false;
            }
            metric = family.getMetric(metricIndex);
            extraName = null;
            exemplarCursor = 0;
            if (!composite) {
                sampleName = name;
                value = switch (type) {
                    case COUNTER -> metric.getCounter().getValue();
                    case GAUGE -> metric.getGauge().getValue();
                    default -> metric.getUntyped().getValue();
                };
                fillKey();
                return true;
            }
            field = NATIVE - 1;
            nativeYielded = false;
        }
    }

    /** Steps {@link #field} to the next sample of a summary or histogram metric; false when it has no more. */
    private boolean advanceField(io.specula.model.exposition.proto.MetricType type) throws ParseException {
        extraName = null;
        field++;
        if (type == io.specula.model.exposition.proto.MetricType.SUMMARY) {
            var s = metric.getSummary();
            if (field == NATIVE) {
                field = COUNT;
            }
            switch (field) {
                case COUNT -> {
                    sampleName = nameCount;
                    value = s.getSampleCount();
                }
                case SUM -> {
                    sampleName = nameSum;
                    value = s.getSampleSum();
                }
                default -> {
                    if (field >= s.getQuantileCount()) {
                        return false;
                    }
                    sampleName = name;
                    extraName = "quantile";
                    extraValue = FloatFormat.formatOpenMetrics(s.getQuantile(field).getQuantile());
                    value = s.getQuantile(field).getValue();
                }
            }
            fillKey();
            return true;
        }
        var h = metric.getHistogram();
        if (field == NATIVE) {
            if (scrapeNative && isNative(h)) {
                nativeYielded = true;
                sampleName = name;
                fillHistogram(h, type == io.specula.model.exposition.proto.MetricType.GAUGE_HISTOGRAM);
                fillKey();
                return true;
            }
            field = COUNT;
        }
        if (nativeYielded && !keepClassic) {
            return false;
        }
        double count = h.getSampleCountFloat() > 0 ? h.getSampleCountFloat() : unsigned(h.getSampleCount());
        int buckets = h.getBucketCount();
        switch (field) {
            case COUNT -> {
                sampleName = nameCount;
                value = count;
            }
            case SUM -> {
                sampleName = nameSum;
                value = h.getSampleSum();
            }
            default -> {
                boolean infWritten = buckets > 0 && h.getBucket(buckets - 1).getUpperBound() == Double.POSITIVE_INFINITY;
                if (field > buckets || (field == buckets && infWritten)) {
                    return false;
                }
                sampleName = nameBucket;
                extraName = "le";
                if (field == buckets) {
                    extraValue = "+Inf";
                    value = count;
                } else {
                    Bucket b = h.getBucket(field);
                    extraValue = FloatFormat.formatOpenMetrics(b.getUpperBound());
                    value = b.getCumulativeCountFloat() > 0 ? b.getCumulativeCountFloat() : unsigned(b.getCumulativeCount());
                }
            }
        }
        fillKey();
        return true;
    }

    private static double unsigned(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }

    /** Whether the message carries a native histogram, as Prometheus decides it. */
    static boolean isNative(io.specula.model.exposition.proto.Histogram h) {
        return h.getPositiveSpanCount() > 0 || h.getNegativeSpanCount() > 0 || h.getZeroThreshold() > 0
                || h.getZeroCount() > 0 || h.getZeroCountFloat() > 0;
    }

    private void fillHistogram(io.specula.model.exposition.proto.Histogram h, boolean gauge) throws ParseException {
        int hint = gauge ? CounterResetHint.GAUGE : CounterResetHint.UNKNOWN;
        isFloatHistogram = h.getSampleCountFloat() > 0 || h.getZeroCountFloat() > 0;
        if (isFloatHistogram) {
            FloatHistogram f = floatHistogram;
            f.counterResetHint = hint;
            f.schema = h.getSchema();
            f.zeroThreshold = h.getZeroThreshold();
            f.zeroCount = h.getZeroCountFloat();
            f.count = h.getSampleCountFloat();
            f.sum = h.getSampleSum();
            f.positiveSpans = spans(h.getPositiveSpanList());
            f.negativeSpans = spans(h.getNegativeSpanList());
            f.positiveBuckets = doubles(h.getPositiveCountList());
            f.negativeBuckets = doubles(h.getNegativeCountList());
            f.customValues = NO_DOUBLES;
        } else {
            Histogram i = histogram;
            i.counterResetHint = hint;
            i.schema = h.getSchema();
            i.zeroThreshold = h.getZeroThreshold();
            i.zeroCount = h.getZeroCount();
            i.count = h.getSampleCount();
            i.sum = h.getSampleSum();
            i.positiveSpans = spans(h.getPositiveSpanList());
            i.negativeSpans = spans(h.getNegativeSpanList());
            i.positiveBuckets = longs(h.getPositiveDeltaList());
            i.negativeBuckets = longs(h.getNegativeDeltaList());
            i.customValues = NO_DOUBLES;
        }
    }

    private static int[] spans(List<BucketSpan> spans) {
        int[] out = new int[spans.size() * 2];
        for (int k = 0; k < spans.size(); k++) {
            out[2 * k] = spans.get(k).getOffset();
            out[2 * k + 1] = spans.get(k).getLength();
        }
        return out;
    }

    private static long[] longs(List<Long> l) {
        long[] out = new long[l.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = l.get(k);
        }
        return out;
    }

    private static double[] doubles(List<Double> l) {
        double[] out = new double[l.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = l.get(k);
        }
        return out;
    }

    // ---- the series key: tag, name, then label pairs, each string followed by 0xFF ----

    private void fillKey() {
        keyLength = 0;
        putByte((byte) (field == NATIVE ? 'h' : 'f'));
        putString(sampleName);
        for (int k = 0; k < metric.getLabelCount(); k++) {
            LabelPair lp = metric.getLabel(k);
            putString(lp.getName());
            putString(lp.getValue());
        }
        if (extraName != null) {
            putString(extraName);
            putString(extraValue);
        }
    }

    private void putByte(byte b) {
        if (keyLength == key.length) {
            key = java.util.Arrays.copyOf(key, key.length * 2);
        }
        key[keyLength++] = b;
    }

    private void putString(String s) {
        int n = s.length();
        for (int k = 0; k < n; k++) {
            char c = s.charAt(k);
            if (c >= 0x80) {
                for (byte b : s.substring(k).getBytes(StandardCharsets.UTF_8)) {
                    putByte(b);
                }
                break;
            }
            putByte((byte) c);
        }
        putByte((byte) 0xFF); // never part of UTF-8
    }

    @Override
    public byte[] seriesBytes() {
        return key;
    }

    @Override
    public int seriesOffset() {
        return 0;
    }

    @Override
    public int seriesLength() {
        return keyLength;
    }

    @Override
    public void labels(LabelsBuilder into, SymbolTable symbols) {
        if (metric == null) {
            throw new IllegalStateException("not at a sample");
        }
        into.reset();
        into.add(Labels.METRIC_NAME, intern(symbols, sampleName));
        for (int k = 0; k < metric.getLabelCount(); k++) {
            LabelPair lp = metric.getLabel(k);
            into.add(intern(symbols, lp.getName()), intern(symbols, lp.getValue()));
        }
        if (extraName != null) {
            into.add(extraName, intern(symbols, extraValue));
        }
    }

    private static String intern(SymbolTable symbols, String s) {
        return symbols == null ? s : symbols.intern(s);
    }

    @Override
    public double value() {
        return value;
    }

    /** Whether the current sample is a native histogram: read it with {@link #histogram()} or {@link #floatHistogram()}. */
    @Override
    public boolean isHistogram() {
        return field == NATIVE && metric != null;
    }

    /** The current native histogram with integer counts, or null when its counts are floats. Reused by the next sample. */
    @Override
    public Histogram histogram() {
        return isFloatHistogram ? null : histogram;
    }

    /** The current native histogram with float counts, or null when its counts are integers. Reused by the next sample. */
    @Override
    public FloatHistogram floatHistogram() {
        return isFloatHistogram ? floatHistogram : null;
    }

    @Override
    public boolean hasTimestamp() {
        return metric.hasTimestampMs();
    }

    @Override
    public long timestamp() {
        return metric.getTimestampMs();
    }

    /**
     * The current sample's exemplar; for a native histogram, each call yields the next one of its
     * exemplars until it returns false.
     */
    @Override
    public boolean exemplar(Exemplar into) {
        io.specula.model.exposition.proto.Exemplar e = null;
        switch (family.getType()) {
            case COUNTER -> {
                if (exemplarCursor++ == 0 && metric.getCounter().hasExemplar()) {
                    e = metric.getCounter().getExemplar();
                }
            }
            case HISTOGRAM, GAUGE_HISTOGRAM -> {
                var h = metric.getHistogram();
                if (field == NATIVE) {
                    if (h.getExemplarsCount() > 0) {
                        if (exemplarCursor < h.getExemplarsCount()) {
                            e = h.getExemplars(exemplarCursor++);
                        }
                    } else {
                        while (exemplarCursor < h.getBucketCount() && e == null) {
                            Bucket b = h.getBucket(exemplarCursor++);
                            e = b.hasExemplar() ? b.getExemplar() : null;
                        }
                    }
                } else if (field >= 0 && field < h.getBucketCount() && exemplarCursor++ == 0 && h.getBucket(field).hasExemplar()) {
                    e = h.getBucket(field).getExemplar();
                }
            }
            default -> { }
        }
        if (e == null) {
            return false;
        }
        exemplarLabels.reset();
        for (LabelPair lp : e.getLabelList()) {
            exemplarLabels.add(lp.getName(), lp.getValue());
        }
        into.labels = exemplarLabels.build();
        into.value = e.getValue();
        into.hasTimestamp = e.hasTimestamp();
        into.timestamp = e.hasTimestamp() ? e.getTimestamp().getSeconds() * 1000 + e.getTimestamp().getNanos() / 1_000_000 : 0;
        return true;
    }

    @Override
    public boolean hasCreatedTimestamp() {
        return createdTimestamp() != Long.MIN_VALUE;
    }

    @Override
    public long createdTimestamp() {
        com.google.protobuf.Timestamp ts = switch (family.getType()) {
            case COUNTER -> metric.getCounter().hasCreatedTimestamp() ? metric.getCounter().getCreatedTimestamp() : null;
            case SUMMARY -> metric.getSummary().hasCreatedTimestamp() ? metric.getSummary().getCreatedTimestamp() : null;
            case HISTOGRAM, GAUGE_HISTOGRAM ->
                    metric.getHistogram().hasCreatedTimestamp() ? metric.getHistogram().getCreatedTimestamp() : null;
            default -> null;
        };
        return ts == null ? Long.MIN_VALUE : ts.getSeconds() * 1000 + ts.getNanos() / 1_000_000;
    }

    @Override
    public String metricFamily() {
        return name;
    }

    @Override
    public MetricType type() {
        return switch (family.getType()) {
            case COUNTER -> MetricType.COUNTER;
            case GAUGE -> MetricType.GAUGE;
            case SUMMARY -> MetricType.SUMMARY;
            case HISTOGRAM -> MetricType.HISTOGRAM;
            case GAUGE_HISTOGRAM -> MetricType.GAUGE_HISTOGRAM;
            default -> MetricType.UNKNOWN;
        };
    }

    @Override
    public String text() {
        return state == TYPE ? family.getHelp() : family.getUnit();
    }

    @Override
    public int line() {
        return messages;
    }
}

package io.specula.scrape;

import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Histogram;
import io.specula.model.histogram.Schemas;
import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.model.labels.SymbolTable;
import io.specula.model.textparse.Entry;
import io.specula.model.textparse.Exemplar;
import io.specula.model.textparse.MetricType;
import io.specula.model.textparse.ParseException;
import io.specula.model.textparse.Parser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code convert_classic_histograms_to_nhcb}: wraps any parser (text, OpenMetrics, protobuf) and
 * turns each classic histogram — the {@code _bucket}, {@code _count} and {@code _sum} samples of
 * one label set in a family typed {@code histogram} — into one native histogram with custom
 * buckets (schema −53) named after the family, yielded right after the classic samples. The
 * classic samples themselves pass through only when {@code always_scrape_classic_histograms} is on.
 *
 * <p>As Prometheus's conversion: buckets sorted by {@code le}, a missing {@code +Inf} bucket
 * taken from {@code _count}, integer counts unless a count is fractional, no conversion of a
 * histogram the target also exposed natively (protobuf) or whose buckets are not cumulative.
 * Exemplars of the buckets go with the converted histogram.
 *
 * <p>Not thread-safe. Allocates per classic histogram sample (labels), which is the price of
 * an opt-in conversion.
 */
final class NhcbParser implements Parser, HistogramSource {
    private static final double[] NONE = new double[0];

    private final Parser in;
    private final boolean keepClassic;
    private final LabelsBuilder lb = new LabelsBuilder();

    private String family;
    private boolean histogramFamily;
    /** The classic histogram being collected: its labels without {@code le}, named after the family. */
    private Labels group;
    private boolean groupSkipped;
    private double[] les = new double[16];
    private double[] counts = new double[16];
    private int buckets;
    private double count = Double.NaN;
    private double sum;
    private boolean hasTimestamp;
    private long timestamp;
    private final List<Exemplar> exemplars = new ArrayList<>();
    /** Labels of the last native histogram yielded, so its classic twin is not converted. */
    private Labels lastNative;

    /** An inner entry read but not yet returned (the converted histogram went first). */
    private Entry pending;
    private boolean pendingIsEnd;
    /** The inner parser's current classic sample, already collected, is to be yielded next as it is. */
    private boolean pendingDirect;
    /** Whether the current entry is a converted histogram served by this parser. */
    private boolean serving;
    private Labels servedLabels;
    private byte[] servedKey;
    private final Histogram histogram = new Histogram();
    private final FloatHistogram floatHistogram = new FloatHistogram();
    private boolean servedFloat;
    private List<Exemplar> servedExemplars = List.of();
    private int exemplarCursor;

    NhcbParser(Parser in, boolean keepClassic) {
        this.in = in;
        this.keepClassic = keepClassic;
    }

    @Override
    public Entry next() throws ParseException {
        serving = false;
        if (pendingDirect) {
            pendingDirect = false;
            return Entry.SERIES; // the inner parser is still at that sample
        }
        if (pending != null || pendingIsEnd) {
            Entry e = pending;
            pending = null;
            pendingIsEnd = false;
            if (e == null) {
                return null;
            }
            Entry r = consider(e);
            if (r != null) {
                return r;
            }
        }
        while (true) {
            Entry e = in.next();
            if (e == null) {
                if (flush()) {
                    pendingIsEnd = true;
                    return Entry.SERIES;
                }
                return null;
            }
            Entry r = consider(e);
            if (r != null) {
                return r;
            }
        }
    }

    /**
     * Looks at one inner entry: returns what to yield now (the entry itself, or the converted
     * histogram with the entry kept for later), or null to read on (a classic sample swallowed).
     */
    private Entry consider(Entry e) throws ParseException {
        if (e == Entry.TYPE) {
            if (flush()) {
                pending = e;
                return Entry.SERIES;
            }
            family = in.metricFamily();
            histogramFamily = in.type() == MetricType.HISTOGRAM;
            return e;
        }
        if (e != Entry.SERIES) {
            return e;
        }
        if (in instanceof HistogramSource hs && hs.isHistogram()) {
            if (flush()) {
                pending = e;
                return Entry.SERIES;
            }
            in.labels(lb);
            lastNative = lb.build();
            return e;
        }
        if (!histogramFamily) {
            if (flush()) {
                pending = e;
                return Entry.SERIES;
            }
            return e;
        }
        in.labels(lb);
        String name = lb.get(Labels.METRIC_NAME);
        int kind = name.equals(family + "_bucket") ? 0 : name.equals(family + "_count") ? 1 : name.equals(family + "_sum") ? 2 : -1;
        if (kind < 0) {
            if (flush()) {
                pending = e;
                return Entry.SERIES;
            }
            return e;
        }
        String le = lb.get("le");
        lb.delete("le");
        lb.set(Labels.METRIC_NAME, family);
        Labels base = lb.build();
        if (group != null && !group.equals(base)) {
            boolean converted = flush();
            start(base);
            collect(kind, le, e);
            if (converted) {
                // the first sample of the next histogram is yielded after the converted one (or swallowed)
                pendingDirect = keepClassic;
                return Entry.SERIES;
            }
        } else {
            if (group == null) {
                start(base);
            }
            collect(kind, le, e);
        }
        return keepClassic ? e : null;
    }

    private void start(Labels base) {
        group = base;
        groupSkipped = base.equals(lastNative);
        buckets = 0;
        count = Double.NaN;
        sum = 0;
        hasTimestamp = false;
        exemplars.clear();
    }

    private void collect(int kind, String le, Entry e) {
        if (groupSkipped) {
            return;
        }
        if (!hasTimestamp && in.hasTimestamp()) {
            hasTimestamp = true;
            timestamp = in.timestamp();
        }
        double v = in.value();
        switch (kind) {
            case 1 -> count = v;
            case 2 -> sum = v;
            default -> {
                double bound = parseLe(le);
                if (Double.isNaN(bound) || v < 0) {
                    groupSkipped = true;
                    return;
                }
                insertBucket(bound, v);
                Exemplar ex = new Exemplar();
                if (in.exemplar(ex)) {
                    exemplars.add(ex);
                }
            }
        }
    }

    private void insertBucket(double bound, double v) {
        int i = Arrays.binarySearch(les, 0, buckets, bound);
        if (i >= 0) {
            return; // a duplicate bucket: the first one counts
        }
        i = -i - 1;
        if ((i > 0 && v < counts[i - 1]) || (i < buckets && v > counts[i])) {
            groupSkipped = true; // not cumulative
            return;
        }
        if (buckets == les.length) {
            les = Arrays.copyOf(les, buckets * 2);
            counts = Arrays.copyOf(counts, buckets * 2);
        }
        System.arraycopy(les, i, les, i + 1, buckets - i);
        System.arraycopy(counts, i, counts, i + 1, buckets - i);
        les[i] = bound;
        counts[i] = v;
        buckets++;
    }

    private static double parseLe(String s) {
        if (s.isEmpty()) {
            return Double.NaN;
        }
        String t = s.startsWith("+") ? s.substring(1) : s;
        if (t.equalsIgnoreCase("inf") || t.equalsIgnoreCase("infinity")) {
            return s.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Ends the histogram being collected; true when it became a converted histogram to serve now. */
    private boolean flush() {
        Labels g = group;
        group = null;
        if (g == null || groupSkipped || (buckets == 0 && Double.isNaN(count))) {
            return false;
        }
        double total = Double.isNaN(count) ? counts[buckets - 1] : count;
        if (buckets == 0 || les[buckets - 1] != Double.POSITIVE_INFINITY) {
            insertBucket(Double.POSITIVE_INFINITY, total);
            if (groupSkipped) {
                return false;
            }
        }
        if (counts[buckets - 1] != total) {
            return false; // count mismatch
        }
        boolean integral = total == Math.rint(total);
        for (int i = 0; i < buckets && integral; i++) {
            integral = counts[i] == Math.rint(counts[i]);
        }
        double[] bounds = buckets > 1 ? Arrays.copyOf(les, buckets - 1) : NONE;
        int[] spans = {0, buckets};
        if (integral) {
            Histogram h = histogram;
            h.counterResetHint = 0;
            h.schema = Schemas.CUSTOM_BUCKETS;
            h.zeroThreshold = 0;
            h.zeroCount = 0;
            h.count = (long) total;
            h.sum = sum;
            h.positiveSpans = spans;
            h.negativeSpans = io.specula.model.histogram.Spans.NONE;
            h.negativeBuckets = new long[0];
            long[] deltas = new long[buckets];
            long prevCount = 0, prevDelta = 0;
            for (int i = 0; i < buckets; i++) {
                long delta = (long) counts[i] - prevCount;
                deltas[i] = delta - prevDelta;
                prevCount = (long) counts[i];
                prevDelta = delta;
            }
            h.positiveBuckets = deltas;
            h.customValues = bounds;
            h.compact(2);
        } else {
            FloatHistogram f = floatHistogram;
            f.counterResetHint = 0;
            f.schema = Schemas.CUSTOM_BUCKETS;
            f.zeroThreshold = 0;
            f.zeroCount = 0;
            f.count = total;
            f.sum = sum;
            f.positiveSpans = spans;
            f.negativeSpans = io.specula.model.histogram.Spans.NONE;
            f.negativeBuckets = NONE;
            double[] c = new double[buckets];
            double prev = 0;
            for (int i = 0; i < buckets; i++) {
                c[i] = counts[i] - prev;
                prev = counts[i];
            }
            f.positiveBuckets = c;
            f.customValues = bounds;
            f.compact(0);
        }
        servedFloat = !integral;
        servedLabels = g;
        servedKey = ("n" + g).getBytes(StandardCharsets.UTF_8);
        servedExemplars = new ArrayList<>(exemplars);
        exemplarCursor = 0;
        servedTimestamp = hasTimestamp;
        servedTimestampValue = timestamp;
        serving = true;
        return true;
    }

    private boolean servedTimestamp;
    private long servedTimestampValue;

    @Override
    public boolean isHistogram() {
        return serving || (in instanceof HistogramSource hs && hs.isHistogram());
    }

    @Override
    public Histogram histogram() {
        if (serving) {
            return servedFloat ? null : histogram;
        }
        return ((HistogramSource) in).histogram();
    }

    @Override
    public FloatHistogram floatHistogram() {
        if (serving) {
            return servedFloat ? floatHistogram : null;
        }
        return ((HistogramSource) in).floatHistogram();
    }

    @Override
    public byte[] seriesBytes() {
        return serving ? servedKey : in.seriesBytes();
    }

    @Override
    public int seriesOffset() {
        return serving ? 0 : in.seriesOffset();
    }

    @Override
    public int seriesLength() {
        return serving ? servedKey.length : in.seriesLength();
    }

    @Override
    public void labels(LabelsBuilder into, SymbolTable symbols) {
        if (!serving) {
            in.labels(into, symbols);
            return;
        }
        into.reset();
        for (int i = 0; i < servedLabels.size(); i++) {
            into.add(servedLabels.name(i), servedLabels.value(i));
        }
    }

    @Override
    public double value() {
        return serving ? Double.NaN : in.value();
    }

    @Override
    public boolean hasTimestamp() {
        return serving ? servedTimestamp : in.hasTimestamp();
    }

    @Override
    public long timestamp() {
        return serving ? servedTimestampValue : in.timestamp();
    }

    @Override
    public boolean exemplar(Exemplar into) {
        if (!serving) {
            return in.exemplar(into);
        }
        if (exemplarCursor >= servedExemplars.size()) {
            return false;
        }
        Exemplar e = servedExemplars.get(exemplarCursor++);
        into.labels = e.labels;
        into.value = e.value;
        into.hasTimestamp = e.hasTimestamp;
        into.timestamp = e.timestamp;
        return true;
    }

    @Override
    public boolean hasCreatedTimestamp() {
        return !serving && in.hasCreatedTimestamp();
    }

    @Override
    public long createdTimestamp() {
        return in.createdTimestamp();
    }

    @Override
    public String metricFamily() {
        return in.metricFamily();
    }

    @Override
    public MetricType type() {
        return in.type();
    }

    @Override
    public String text() {
        return in.text();
    }

    @Override
    public int line() {
        return in.line();
    }
}

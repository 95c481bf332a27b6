package io.specula.scrape;

import io.specula.model.labels.LabelNames.NameValidation;
import io.specula.model.labels.LabelNames;
import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.model.labels.SymbolTable;
import io.specula.model.relabel.Relabeler;
import io.specula.model.textparse.Entry;
import io.specula.model.textparse.ParseException;
import io.specula.model.textparse.Parser;
import io.specula.model.textparse.Parsers;
import io.specula.model.textparse.PromTextParser;
import io.specula.model.textparse.UnsupportedContentTypeException;
import io.specula.model.value.StaleNaN;
import io.specula.scrape.config.ScrapeConfig;
import io.specula.tsdb.storage.AppendException;
import io.specula.tsdb.storage.Appendable;
import io.specula.tsdb.storage.Appender;
import io.specula.tsdb.storage.SeriesHandle;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrapes one target every interval on its own virtual thread and appends the result.
 *
 * <p>Per scrape: fetch ({@link HttpScraper}) → choose the parser from the Content-Type →
 * for every sample, look the raw series text up in the {@link ScrapeCache}; on a miss, merge
 * target labels ({@code honor_labels}, {@code exported_} on conflict), apply
 * {@code metric_relabel_configs}, check validity and label limits → append by reference →
 * staleness markers for series gone since the last scrape → report series ({@code up}, …).
 * A parse error, a label limit or {@code sample_limit} fails the whole scrape: its samples are
 * rolled back and, as when the fetch fails, every series of the previous scrape is marked stale.
 *
 * <p>Hot path (cache hit): hash and compare the series bytes, one append with the cached
 * reference and labels; no label work and no object per sample.
 */
final class ScrapeLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ScrapeLoop.class);

    static final String[] REPORT_NAMES = {
        "up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling",
        "scrape_series_added", "scrape_timeout_seconds", "scrape_sample_limit", "scrape_body_size_bytes"};
    private static final int BASIC_REPORTS = 5;

    private final Target target;
    private final ScrapeConfig config;
    private final HttpScraper scraper;
    private final Appendable storage;
    final ScrapeCache cache;
    private final ScrapeOptions options;
    private final ScrapeMetrics metrics;
    private final NameValidation nameValidation;

    private final Relabeler relabeler = new Relabeler();
    private final LabelsBuilder lb = new LabelsBuilder();
    private final SymbolTable symbols = new SymbolTable();
    private final List<String[]> conflicts = new ArrayList<>();
    private final java.util.Map<String, String[]> pendingMetadata = new java.util.HashMap<>();
    private final Labels[] reportLabels;
    private final long[] reportRefs;
    private final double[] reportValues;

    private final CountDownLatch stopLatch = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile String forcedError;
    private Thread thread;
    private long lastAppendMillis;
    private final NativeHistograms histograms;
    private boolean exemplarsStored = true;
    private final io.specula.model.textparse.Exemplar exemplar = new io.specula.model.textparse.Exemplar();
    /** A native histogram's exemplars (it has several), kept sorted by time as they are read; reused. */
    private long[] exemplarTimes = new long[8];
    private double[] exemplarValues = new double[8];
    private Labels[] exemplarLabels = new Labels[8];
    private String lastFallbackWarning;

    // Results of the current scrape's append.
    private int total;
    private int added;
    private int seriesAdded;

    ScrapeLoop(Target target, ScrapeConfig config, HttpScraper scraper, Appendable storage, ScrapeCache cache,
               ScrapeOptions options) {
        this(target, config, scraper, storage, cache, options, new ScrapeMetrics());
    }

    ScrapeLoop(Target target, ScrapeConfig config, HttpScraper scraper, Appendable storage, ScrapeCache cache,
               ScrapeOptions options, ScrapeMetrics metrics) {
        this.metrics = metrics;
        this.target = target;
        this.config = config;
        this.scraper = scraper;
        this.storage = storage;
        this.cache = cache;
        this.options = options;
        this.histograms = new NativeHistograms(config.nativeHistogramBucketLimit, config.nativeHistogramMinBucketFactor);
        this.nameValidation = "legacy".equals(config.metricNameValidationScheme) ? NameValidation.LEGACY : NameValidation.UTF8;
        int reports = options.extraScrapeMetrics() ? REPORT_NAMES.length : BASIC_REPORTS;
        reportLabels = new Labels[reports];
        reportRefs = new long[reports];
        reportValues = new double[reports];
        for (int i = 0; i < reports; i++) {
            // Report series carry the target labels; a name clash cannot happen besides __name__.
            reportLabels[i] = target.publicLabels().toBuilder().set(Labels.METRIC_NAME, REPORT_NAMES[i]).build();
        }
    }

    Target target() {
        return target;
    }

    void start() {
        thread = Thread.ofVirtual().name("scrape-" + target.scrapePool() + "-" + target.url()).start(this);
    }

    /** Makes every scrape fail with {@code error} (e.g. target_limit exceeded), or null to stop that. */
    void forceError(String error) {
        forcedError = error;
    }

    /**
     * Stops the loop and waits for it. With {@code staleness}, marks every series of the last
     * scrape and the report series stale (the target went away); without, leaves them (a reload
     * that hands the cache to a new loop).
     */
    void stop(boolean staleness) {
        stopping = true;
        stopLatch.countDown();
        if (scraper != null) {
            scraper.abort();
        }
        if (thread != null) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (staleness) {
            long t = Math.max(System.currentTimeMillis(), lastAppendMillis + 1);
            Appender app = storage.appender();
            cache.staleAll(e -> appendStale(app, e, e.labels, t));
            if (lastAppendMillis != 0) {
                for (int i = 0; i < reportLabels.length; i++) {
                    appendStale(app, reportRefs[i], reportLabels[i], t);
                }
            }
            commit(app);
        }
    }

    /** When the first scrape happens, relative to now: Prometheus's offset scheme. */
    static long offsetNanos(long intervalNanos, long targetHash, long seed, long nowEpochNanos) {
        long base = intervalNanos - Math.floorMod(nowEpochNanos, intervalNanos);
        long offset = Long.remainderUnsigned(targetHash ^ seed, intervalNanos);
        long next = base + offset;
        if (next > intervalNanos) {
            next -= intervalNanos;
        }
        return next;
    }

    @Override
    public void run() {
        long interval = TimeUnit.MILLISECONDS.toNanos(target.intervalMillis());
        try {
            long wait = offsetNanos(interval, target.hash(), options.offsetSeed(), System.currentTimeMillis() * 1_000_000L);
            if (stopLatch.await(wait, TimeUnit.NANOSECONDS)) {
                return;
            }
            long next = System.nanoTime();
            while (!stopping) {
                scrapeAndReport(System.currentTimeMillis());
                next += interval;
                long now = System.nanoTime();
                if (now - next > 0) {
                    next += ((now - next) / interval + 1) * interval; // overran: skip the missed ticks
                }
                if (stopLatch.await(next - now, TimeUnit.NANOSECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // stopped
        } catch (RuntimeException e) {
            LOG.error("msg=\"Scrape loop failed\" target={} err=\"{}\"", target.url(), e.toString(), e);
        }
    }

    /** One scrape at time {@code t} (milliseconds): fetch, append, report. Package-private for tests. */
    void scrapeAndReport(long t) throws InterruptedException {
        long start = System.nanoTime();
        total = 0;
        added = 0;
        seriesAdded = 0;
        String err = forcedError;
        boolean fetched = false;
        if (err == null) {
            try {
                scraper.scrape();
                fetched = true;
            } catch (ScrapeException e) {
                err = e.getMessage();
            }
        }
        if (stopping) {
            return; // aborted by stop(): nothing to record
        }
        Appender app = storage.appender();
        if (fetched) {
            try {
                appendScrape(app, t);
            } catch (ScrapeException e) {
                err = e.getMessage();
                app.rollback();
                app = storage.appender();
            } catch (RuntimeException e) {
                // A bug, not the target's fault; keep the loop (and the other targets) going.
                LOG.error("msg=\"Append failed\" target={} err=\"{}\"", target.url(), e.toString(), e);
                err = "internal error: " + e;
                app.rollback();
                app = storage.appender();
            }
        }
        if (err != null) {
            Appender a = app;
            cache.staleAll(e -> appendStale(a, e, e.labels, t));
        }
        long duration = System.nanoTime() - start;
        report(app, t, duration, err, fetched ? scraper.length : 0);
        if (!commit(app)) {
            err = "commit failed";
        }
        lastAppendMillis = t;
        target.report(t, duration, err);
        metrics.scrapes.increment();
        if (err != null) {
            metrics.failedScrapes.increment();
            if (err.equals("body size limit exceeded")) {
                metrics.exceededBodySizeLimit.increment();
            }
        }
        if (err != null) {
            LOG.debug("msg=\"Scrape failed\" target={} err=\"{}\"", target.url(), err);
        }
    }

    private boolean commit(Appender app) {
        try {
            app.commit();
            return true;
        } catch (IOException e) {
            LOG.error("msg=\"Scrape commit failed\" target={} err=\"{}\"", target.url(), e.getMessage());
            return false;
        }
    }

    /** Parses the fetched body and appends its samples; throws for what fails the whole scrape. */
    void appendScrape(Appender app, long t) throws ScrapeException {
        Parser p;
        try {
            Parsers.Choice choice = Parsers.choose(scraper.contentType, config.fallbackProtocol);
            if (choice.warning() != null && !choice.warning().equals(lastFallbackWarning)) {
                lastFallbackWarning = choice.warning();
                LOG.warn("msg=\"{}\" target={}", choice.warning(), target.url());
            }
            p = choice.format() == Parsers.Format.PROMETHEUS_PROTOBUF
                    ? new ProtobufParser(scraper.buf, 0, scraper.length, config.scrapeNative(),
                            config.alwaysScrapeClassic() || config.convertClassicToNhcb())
                    : Parsers.create(choice.format(), scraper.buf, 0, scraper.length);
            if (config.convertClassicToNhcb()) {
                p = new NhcbParser(p, config.alwaysScrapeClassic());
            }
        } catch (UnsupportedContentTypeException e) {
            throw new ScrapeException(e.getMessage());
        }
        appendParsed(app, p, t);
    }

    io.specula.model.textparse.ScrapeProtocol fallback() {
        return config.fallbackProtocol;
    }

    /** Samples that passed relabeling in the last append. */
    int added() {
        return added;
    }

    /** The per-sample pipeline over a parser (also {@link ScrapePipeline}'s). */
    void appendParsed(Appender app, Parser p, long t) throws ScrapeException {
        total = 0;
        added = 0;
        seriesAdded = 0;
        histograms.begin();
        pendingMetadata.clear();
        cache.begin();
        boolean honorTs = config.honorTimestamps;
        boolean trackTs = config.trackTimestampsStaleness;
        long sampleLimit = config.sampleLimit;
        boolean overLimit = false;
        try {
            for (Entry e; ; ) {
                ScrapeCache.Entry guess = cache.expected();
                if (guess != null && guess.lineFeeds >= 0) {
                    p.expect(guess.key, guess.lineFeeds); // the parser compares instead of lexing labels
                }
                if ((e = p.next()) == null) {
                    break;
                }
                if (e != Entry.SERIES) {
                    if (e != Entry.COMMENT) {
                        metadata(e, p);
                    }
                    continue;
                }
                total++;
                byte[] sb = p.seriesBytes();
                int so = p.seriesOffset();
                int sl = p.seriesLength();
                // Usually the line after the last one: compared by the parser, or here.
                ScrapeCache.Entry ce = p.matchedExpected() ? cache.acceptExpected() : cache.next(sb, so, sl);
                boolean isNew = false;
                if (ce == null) {
                    int h = ScrapeCache.hash(sb, so, sl);
                    ce = cache.get(sb, so, sl, h);
                    if (ce == null) {
                        Labels lset = mutate(p);
                        ce = cache.add(sb, so, sl, h);
                        ce.labels = lset;
                        if (p instanceof PromTextParser) {
                            ce.lineFeeds = lineFeeds(sb, so, sl);
                        }
                        isNew = lset != null;
                    }
                }
                if (ce.labels == null) {
                    continue; // dropped by metric relabeling
                }
                added++;
                if (sampleLimit > 0 && added > sampleLimit) {
                    overLimit = true; // keep parsing, so samples_scraped counts them all
                    continue;
                }
                boolean explicit = honorTs && p.hasTimestamp();
                long ts = explicit ? p.timestamp() : t;
                HistogramSource hs = p instanceof HistogramSource h && h.isHistogram() ? h : null;
                try {
                    if (hs != null) {
                        histograms.append(app, ce, ce.labels, ts, hs.histogram(), hs.floatHistogram());
                    } else {
                        app.append(ce, ce.labels, 0, ts, p.value());
                    }
                    if (isNew) {
                        seriesAdded++;
                    }
                    if (exemplarsStored) {
                        appendExemplars(app, p, ce, ts, hs != null);
                    }
                } catch (AppendException ex) {
                    switch (ex.reason()) {
                        case OUT_OF_ORDER -> metrics.outOfOrder.increment();
                        case DUPLICATE_TIMESTAMP -> metrics.duplicateTimestamp.increment();
                        default -> metrics.outOfBounds.increment();
                    }
                    continue;
                }
                if (!explicit || trackTs) {
                    cache.track(ce);
                }
            }
        } catch (ParseException ex) {
            throw new ScrapeException(ex.getMessage());
        }
        if (overLimit) {
            metrics.exceededSampleLimit.increment();
            throw new ScrapeException("sample limit exceeded");
        }
        if (histograms.overBucketLimit()) {
            metrics.exceededBucketLimit.increment();
            throw new ScrapeException(NativeHistograms.BUCKET_LIMIT_EXCEEDED);
        }
        publishMetadata();
        if (cache.needsSweep()) {
            cache.sweep(e -> appendStale(app, e, e.labels, t));
        }
        cache.committed();
        if (symbols.size() > 4 * cache.size() + 4096) {
            symbols.clear(); // series churn: drop strings no cached series uses any more
        }
    }

    private static int lineFeeds(byte[] b, int off, int len) {
        int n = 0;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                n++;
            }
        }
        return n;
    }

    /**
     * Hands the sample's exemplars to the storage, as Prometheus does: one for a float sample (the
     * scrape's time when it has none); for a native histogram every exemplar that has a timestamp
     * (the others are dropped: out of spec), oldest first. Storage that keeps none turns this off.
     */
    private void appendExemplars(Appender app, Parser p, ScrapeCache.Entry ce, long t, boolean histogram) {
        try {
            if (!histogram) {
                if (p.exemplar(exemplar)) {
                    appendExemplar(app, ce, exemplar.labels, exemplar.hasTimestamp, exemplar.hasTimestamp ? exemplar.timestamp : t, exemplar.value);
                }
                return; // text parsers repeat a sample's only exemplar
            }
            int n = 0;
            while (p.exemplar(exemplar)) {
                if (exemplar.hasTimestamp) {
                    n = insertExemplar(n);
                }
                exemplar.reset();
            }
            for (int i = 0; i < n; i++) {
                appendExemplar(app, ce, exemplarLabels[i], true, exemplarTimes[i], exemplarValues[i]);
                exemplarLabels[i] = null;
            }
        } catch (UnsupportedOperationException ex) {
            exemplarsStored = false; // this storage keeps no exemplars
        } finally {
            exemplar.reset();
        }
    }

    /** Inserts the current exemplar among the first {@code n} by time (after equal times: stable); returns n + 1. */
    private int insertExemplar(int n) {
        if (n == exemplarTimes.length) {
            exemplarTimes = java.util.Arrays.copyOf(exemplarTimes, 2 * n);
            exemplarValues = java.util.Arrays.copyOf(exemplarValues, 2 * n);
            exemplarLabels = java.util.Arrays.copyOf(exemplarLabels, 2 * n);
        }
        int i = n;
        while (i > 0 && exemplarTimes[i - 1] > exemplar.timestamp) {
            exemplarTimes[i] = exemplarTimes[i - 1];
            exemplarValues[i] = exemplarValues[i - 1];
            exemplarLabels[i] = exemplarLabels[i - 1];
            i--;
        }
        exemplarTimes[i] = exemplar.timestamp;
        exemplarValues[i] = exemplar.value;
        exemplarLabels[i] = exemplar.labels;
        return n + 1;
    }

    /** One exemplar; a refused one (out of order, labels too long) costs a counter, never the sample. */
    private void appendExemplar(Appender app, ScrapeCache.Entry ce, Labels labels, boolean explicitTime, long t, double v) {
        try {
            app.appendExemplar(ce.ref(), ce.labels, labels, explicitTime, t, v);
        } catch (AppendException ex) {
            if (ex.reason() == AppendException.Reason.OUT_OF_ORDER_EXEMPLAR) {
                metrics.exemplarOutOfOrder.increment();
            }
            LOG.debug("msg=\"Error while adding exemplar in AddExemplar\" target={} err=\"{}\"", target.url(), ex.getMessage());
        }
    }

    /**
     * Collects TYPE, HELP and UNIT lines. Each family allocates its name per scrape (far fewer
     * families than samples); the target's map is replaced only when something changed.
     */
    private void metadata(Entry e, Parser p) {
        String family = p.metricFamily();
        String[] m = pendingMetadata.computeIfAbsent(family, f -> new String[] {"unknown", "", ""});
        switch (e) {
            case TYPE -> m[0] = p.type().text();
            case HELP -> m[1] = p.text();
            case UNIT -> m[2] = p.text();
            default -> { }
        }
    }

    private void publishMetadata() {
        java.util.Map<String, MetricMetadata> current = target.metadata();
        boolean same = current.size() == pendingMetadata.size();
        if (same) {
            for (var e : pendingMetadata.entrySet()) {
                MetricMetadata m = current.get(e.getKey());
                String[] v = e.getValue();
                if (m == null || !m.type().equals(v[0]) || !m.help().equals(v[1]) || !m.unit().equals(v[2])) {
                    same = false;
                    break;
                }
            }
        }
        if (!same) {
            java.util.Map<String, MetricMetadata> next = new java.util.TreeMap<>();
            pendingMetadata.forEach((k, v) -> next.put(k, new MetricMetadata(v[0], v[1], v[2])));
            target.setMetadata(java.util.Collections.unmodifiableMap(next));
        }
        pendingMetadata.clear();
    }

    /** A cache miss: the sample's final labels, or null when relabeling drops it. */
    private Labels mutate(Parser p) throws ScrapeException {
        p.labels(lb, symbols);
        String dup = lb.firstDuplicateName();
        if (dup != null) {
            throw new ScrapeException("label name \"" + dup + "\" is not unique: invalid sample");
        }
        Labels tl = target.publicLabels();
        if (config.honorLabels) {
            for (int i = 0; i < tl.size(); i++) {
                if (lb.get(tl.name(i)).isEmpty()) {
                    lb.set(tl.name(i), tl.value(i));
                }
            }
        } else {
            conflicts.clear();
            for (int i = 0; i < tl.size(); i++) {
                String existing = lb.get(tl.name(i));
                if (!existing.isEmpty()) {
                    conflicts.add(new String[] {tl.name(i), existing});
                }
                lb.set(tl.name(i), tl.value(i));
            }
            if (!conflicts.isEmpty()) {
                conflicts.sort(Comparator.comparingInt(c -> c[0].length()));
                for (String[] c : conflicts) {
                    String name = "exported_" + c[0];
                    while (!lb.get(name).isEmpty()) {
                        name = "exported_" + name;
                    }
                    lb.set(name, c[1]);
                }
            }
        }
        if (!config.metricRelabelConfigs().isEmpty()) {
            lb.reset(lb.build()); // relabeling starts from the sorted label set, as in Prometheus
            if (!relabeler.process(lb, config.metricRelabelConfigs())) {
                return null;
            }
        }
        Labels lset = lb.build();
        if (lset.isEmpty()) {
            return null;
        }
        if (lset.metricName().isEmpty()) {
            throw new ScrapeException("missing metric name (__name__ label)");
        }
        for (int i = 0; i < lset.size(); i++) {
            String n = lset.name(i);
            boolean ok = n.equals(Labels.METRIC_NAME)
                    ? LabelNames.isValidMetricName(lset.value(i), nameValidation)
                    : LabelNames.isValidLabelName(n, nameValidation);
            if (!ok) {
                throw new ScrapeException("invalid metric name or label names: " + lset);
            }
        }
        checkLimits(lset);
        return lset;
    }

    private void checkLimits(Labels lset) throws ScrapeException {
        String met = lset.metricName();
        if (config.labelLimit > 0 && lset.size() > config.labelLimit) {
            throw new ScrapeException("label_limit exceeded (metric: " + trunc(met) + ", number of labels: " + lset.size()
                    + ", limit: " + config.labelLimit + ")");
        }
        for (int i = 0; i < lset.size(); i++) {
            String n = lset.name(i);
            String v = lset.value(i);
            if (config.labelNameLengthLimit > 0) {
                int len = utf8Length(n);
                if (len > config.labelNameLengthLimit) {
                    throw new ScrapeException("label_name_length_limit exceeded (metric: " + trunc(met) + ", label name: "
                            + trunc(n) + ", length: " + len + ", limit: " + config.labelNameLengthLimit + ")");
                }
            }
            if (config.labelValueLengthLimit > 0) {
                int len = utf8Length(v);
                if (len > config.labelValueLengthLimit) {
                    throw new ScrapeException("label_value_length_limit exceeded (metric: " + trunc(met) + ", label name: "
                            + trunc(n) + ", value: " + LabelNames.appendQuoted(new StringBuilder(), trunc(v)) + ", length: "
                            + len + ", limit: " + config.labelValueLengthLimit + ")");
                }
            }
        }
    }

    /** Go's {@code %.50s}: at most 50 characters (code points). */
    private static String trunc(String s) {
        return s.codePointCount(0, s.length()) <= 50 ? s : s.substring(0, s.offsetByCodePoints(0, 50));
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private void appendStale(Appender app, SeriesHandle handle, Labels labels, long t) {
        try {
            app.append(handle, labels, 0, t, StaleNaN.VALUE);
        } catch (AppendException e) {
            // the series moved on (e.g. a later explicit timestamp): no marker needed
        }
    }

    private void appendStale(Appender app, long ref, Labels labels, long t) {
        try {
            app.append(ref, labels, t, StaleNaN.VALUE);
        } catch (AppendException e) {
            // the series moved on (e.g. a later explicit timestamp): no marker needed
        }
    }

    private void report(Appender app, long t, long durationNanos, String err, int bodyBytes) {
        reportValues[0] = err == null ? 1 : 0;
        reportValues[1] = durationNanos / 1e9;
        reportValues[2] = total;
        reportValues[3] = added;
        reportValues[4] = seriesAdded;
        if (reportValues.length > BASIC_REPORTS) {
            reportValues[5] = target.timeoutMillis() / 1e3;
            reportValues[6] = config.sampleLimit;
            reportValues[7] = "body size limit exceeded".equals(err) ? -1 : bodyBytes;
        }
        for (int i = 0; i < reportValues.length; i++) {
            try {
                reportRefs[i] = app.append(reportRefs[i], reportLabels[i], t, reportValues[i]);
            } catch (AppendException e) {
                LOG.debug("msg=\"Report sample refused\" target={} err=\"{}\"", target.url(), e.getMessage());
            }
        }
    }
}

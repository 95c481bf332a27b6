package io.specula.remote.write;

import io.specula.httpclient.HttpClients;
import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Histogram;
import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.model.relabel.Relabeler;
import io.specula.tsdb.head.LongObjectMap;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.client.HttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code remote_write} queue: a {@link WalWatcher} feeding series and samples into
 * {@link Shard}s that send them to one URL. It keeps the series refs → labels (after external
 * labels and {@code write_relabel_configs}), reshards by Prometheus's rule, and saves its WAL
 * position every few seconds and at stop, so a restart resumes where delivery stopped.
 */
public final class QueueManager implements WalWatcher.Sink {
    private static final Logger LOG = LoggerFactory.getLogger(QueueManager.class);
    static final long SHARD_UPDATE_SECONDS = 10;
    static final long SAVE_SECONDS = 5;
    static final long META_REFRESH_SECONDS = 5;
    private static final int MAX_MARKS = 64;

    private final RemoteWriteConfig cfg;
    private final Labels externalLabels;
    private final Path positionFile;
    private final RemoteWriteMetrics m;
    private final HttpClient http;
    private final WriteClient client;
    final String remoteName, url, consumer;
    private final WalWatcher watcher;
    private final Relabeler relabeler = new Relabeler();
    private final LabelsBuilder lb = new LabelsBuilder();
    private final LongObjectMap<Series> series = new LongObjectMap<>();
    private final ScheduledExecutorService ticker;
    private volatile boolean v2;
    private final MetadataSource metadataSource;
    /** The scrape metadata by family, refreshed every few seconds, for 2.0's per-series metadata. */
    private volatile java.util.Map<String, MetricMeta> metaByFamily = java.util.Map.of();
    private Thread metadataThread;

    /** The shards of one generation; a reshard drains them all before the next starts. */
    private record Lanes(Shard[] shards, int gen) {
    }

    private volatile Lanes lanes;
    private volatile int desiredShards;
    private final ArrayDeque<Mark> marks = new ArrayDeque<>();
    private volatile WalPosition saved;
    private volatile boolean stopping;

    private record Mark(WalPosition pos, long[] enqueued, int gen) {
    }

    // Rates for resharding, and the highest timestamps for the "behind" alert.
    private final LongAdder in = new LongAdder(), out = new LongAdder(), dropped = new LongAdder(), sendNanos = new LongAdder();
    private final Ewma inRate = new Ewma(), outRate = new Ewma(), droppedRate = new Ewma(), durationRate = new Ewma();
    private final AtomicLong highestIn = new AtomicLong(Long.MIN_VALUE), highestSent = new AtomicLong(Long.MIN_VALUE);
    private volatile long lastSendOkNanos = System.nanoTime();

    // Entries read from the WAL, staged on the watcher's thread and handed to the shards a batch at
    // a time: one lock per shard and one counter update per flush instead of per sample.
    static final int STAGE = 512;
    private final Series[] stS = new Series[STAGE];
    private final long[] stT = new long[STAGE];
    private final double[] stV = new double[STAGE];
    private final Object[] stX = new Object[STAGE];
    private final int[] stShard = new int[STAGE];
    private final int[] stOrder = new int[STAGE];
    private int staged;
    private long inFloats, inHistograms, inExemplars, inAll;

    /**
     * @param walDir the WAL directory to follow
     * @param stateDir where the queue's position file lives
     * @param globalHighest the storage-wide {@code highest_timestamp_in_seconds} tracker
     */
    QueueManager(RemoteWriteConfig cfg, Labels externalLabels, Path walDir, Path stateDir, RemoteWriteMetrics metrics,
            long startTime, MetadataSource metadataSource) throws HttpClients.ClientConfigException {
        this.cfg = cfg;
        this.metadataSource = metadataSource;
        this.externalLabels = externalLabels;
        this.m = metrics;
        this.remoteName = cfg.remoteName();
        this.url = cfg.url;
        this.consumer = remoteName;
        this.v2 = cfg.v2();
        this.positionFile = stateDir.resolve(cfg.positionKey() + ".position");
        this.http = HttpClients.create(cfg, "remote-write-" + remoteName,
                cfg.roundRobinDns ? RoundRobinResolver::install : c -> { });
        this.client = new WriteClient(http, cfg);
        this.saved = WalPosition.load(positionFile);
        this.watcher = new WalWatcher(walDir, consumer, this, metrics, saved, startTime, cfg.sendNativeHistograms, cfg.sendExemplars);
        this.desiredShards = cfg.queueConfig.minShards;
        this.ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("remote-write-tick-" + remoteName).factory());
        m.shardsMin.labelValues(remoteName, url).set(cfg.queueConfig.minShards);
        m.shardsMax.labelValues(remoteName, url).set(cfg.queueConfig.maxShards);
        m.shardCapacity.labelValues(remoteName, url).set(cfg.queueConfig.capacity);
        m.maxSamplesPerSend.labelValues(remoteName, url).set(cfg.queueConfig.maxSamplesPerSend);
        m.highestSent.labelValues(remoteName, url).set(0);
        if (saved != null) {
            m.savedSegment.labelValues(remoteName, url).set(saved.segment());
        }
    }

    void start() {
        lanes = newLanes(cfg.queueConfig.minShards, 0);
        watcher.start();
        ticker.scheduleAtFixedRate(this::savePosition, SAVE_SECONDS, SAVE_SECONDS, TimeUnit.SECONDS);
        ticker.scheduleAtFixedRate(this::updateShardsDesired, SHARD_UPDATE_SECONDS, SHARD_UPDATE_SECONDS, TimeUnit.SECONDS);
        if (cfg.metadataConfig.send) {
            refreshMetadata();
            ticker.scheduleWithFixedDelay(this::refreshMetadata, META_REFRESH_SECONDS, META_REFRESH_SECONDS, TimeUnit.SECONDS);
            metadataThread = Thread.ofPlatform().daemon().name("remote-write-metadata-" + remoteName).start(this::metadataLoop);
        }
        LOG.info("msg=\"Starting WAL watcher\" queue={} url={} resume={}", remoteName, url, saved == null ? "newest samples" : saved);
    }

    /** Stops reading and sending; saves the position up to what was delivered. */
    void stop() {
        stopping = true;
        watcher.stop();
        ticker.shutdownNow();
        if (metadataThread != null) {
            metadataThread.interrupt();
            try {
                metadataThread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (lanes != null) {
            savePosition();
            for (Shard s : lanes.shards()) {
                s.stop();
            }
            savePosition();
        }
        HttpClients.stopQuietly(http);
        m.remove(remoteName, url, consumer);
    }

    /** The lowest WAL segment this queue still needs (its saved position), MAX_VALUE before it saved one. */
    int keepFrom() {
        WalPosition p = saved;
        return p == null ? Integer.MAX_VALUE : p.segment();
    }

    boolean positionKeyMatches(String key) {
        return cfg.positionKey().equals(key);
    }

    @Override
    public WalPosition saved() {
        return saved;
    }

    long batchSendDeadlineNanos() {
        return cfg.queueConfig.batchSendDeadline.millis() * 1_000_000L;
    }

    void enqueueRetry() {
        m.enqueueRetries.labelValues(remoteName, url).inc();
    }

    // ---- WalWatcher.Sink, on the watcher's thread ----

    @Override
    public void storeSeries(long ref, Labels labels, int segment) {
        Series s = series.get(ref);
        if (s != null && s.labels != null) {
            s.segment = segment;
            return;
        }
        lb.reset(labels);
        for (int i = 0; i < externalLabels.size(); i++) {
            if (!lb.has(externalLabels.name(i))) {
                lb.set(externalLabels.name(i), externalLabels.value(i));
            }
        }
        Labels l = relabeler.process(lb.build(), cfg.writeRelabelConfigs());
        lb.reset();
        if (l == null || l.isEmpty()) {
            series.put(ref, new Series(ref, null, segment)); // dropped by relabeling: its samples count as dropped
        } else {
            series.put(ref, new Series(ref, l, segment));
        }
    }

    @Override
    public void seriesReset(int segment) {
        List<Long> gone = new ArrayList<>();
        series.forEachValue(s -> {
            if (s.segment < segment) {
                gone.add(s.ref);
            }
        });
        for (long r : gone) {
            series.remove(r);
        }
    }

    @Override
    public void append(long ref, long t, double v) throws InterruptedException {
        inFloats++;
        route(ref, t, v, null);
    }

    @Override
    public void appendHistogram(long ref, long t, long st, Histogram h, FloatHistogram fh) throws InterruptedException {
        inHistograms++;
        route(ref, t, 0, new HistSample(h == null ? null : h.copy(), fh == null ? null : fh.copy(), st));
    }

    @Override
    public void appendExemplar(long ref, long t, double v, Labels exemplarLabels) throws InterruptedException {
        inExemplars++;
        route(ref, t, v, exemplarLabels);
    }

    /** Stages one entry (see {@link Shard#offer}) for its series' shard, or counts it dropped. */
    private void route(long ref, long t, double v, Object x) throws InterruptedException {
        inAll++;
        if (t > highestIn.get() && !(x instanceof Labels)) {
            highestIn.set(t);
            m.highestTimestamp.set(Math.max(m.highestTimestamp.get(), t / 1000.0));
            m.queueHighestTimestamp.labelValues(remoteName, url).set(t / 1000.0);
        }
        Series s = series.get(ref);
        if (s == null || s.labels == null) {
            dropped.increment();
            dropCounter(x).labelValues(remoteName, url).inc();
            return;
        }
        stS[staged] = s;
        stT[staged] = t;
        stV[staged] = v;
        stX[staged] = x;
        if (++staged == STAGE) {
            flush();
        }
    }

    /**
     * Hands the staged entries to their series' shards (each shard's in their staged order, so a
     * series keeps its WAL order) and adds the staged counts to the metrics. On the watcher's
     * thread; before every mark, so a saved position never counts a staged entry as enqueued.
     */
    private void flush() throws InterruptedException {
        if (inAll > 0) {
            in.add(inAll);
            m.samplesIn.inc(inFloats);
            m.histogramsIn.inc(inHistograms);
            m.exemplarsIn.inc(inExemplars);
            inAll = inFloats = inHistograms = inExemplars = 0;
        }
        int n = staged;
        if (n == 0) {
            return;
        }
        Shard[] sh = lanes.shards();
        int k = sh.length;
        if (k == 1) {
            for (int i = 0; i < n; i++) {
                stOrder[i] = i;
            }
            sh[0].offerAll(stS, stT, stV, stX, stOrder, 0, n);
        } else {
            int[] start = new int[k + 1];
            for (int i = 0; i < n; i++) {
                long h = stS[i].hash * 0x9E3779B97F4A7C15L;
                int j = (int) Long.remainderUnsigned(h ^ (h >>> 29), k);
                stShard[i] = j;
                start[j + 1]++;
            }
            for (int j = 0; j < k; j++) {
                start[j + 1] += start[j];
            }
            int[] fill = java.util.Arrays.copyOf(start, k);
            for (int i = 0; i < n; i++) {
                stOrder[fill[stShard[i]]++] = i;
            }
            for (int j = 0; j < k; j++) {
                if (start[j + 1] > start[j]) {
                    sh[j].offerAll(stS, stT, stV, stX, stOrder, start[j], start[j + 1]);
                }
            }
        }
        java.util.Arrays.fill(stS, 0, n, null);
        java.util.Arrays.fill(stX, 0, n, null);
        staged = 0;
    }

    private io.prometheus.metrics.core.metrics.Counter dropCounter(Object x) {
        return x == null ? m.samplesDropped : x instanceof Labels ? m.exemplarsDropped : m.histogramsDropped;
    }

    @Override
    public void mark(int segment, long offset) throws InterruptedException {
        flush();
        WalPosition p = new WalPosition(segment, offset);
        Lanes l = lanes;
        long[] enq = new long[l.shards().length];
        for (int i = 0; i < enq.length; i++) {
            enq[i] = l.shards()[i].enqueued();
        }
        synchronized (marks) {
            Mark last = marks.peekLast();
            if (last != null && last.pos().equals(p)) {
                return;
            }
            if (marks.size() >= MAX_MARKS) {
                marks.pollLast(); // the newer mark needs everything the dropped one did
            }
            marks.addLast(new Mark(p, enq, l.gen()));
        }
        int pending = 0;
        for (Shard s : l.shards()) {
            pending += s.pending();
        }
        m.samplesPending.labelValues(remoteName, url).set(pending);
    }

    @Override
    public void idle() throws InterruptedException {
        flush();
        int want = desiredShards;
        Lanes l = lanes;
        if (want == l.shards().length || stopping) {
            return;
        }
        LOG.info("msg=\"Remote storage resharding\" queue={} from={} to={}", remoteName, l.shards().length, want);
        for (Shard s : l.shards()) {
            s.drain(); // everything enqueued is delivered (or given up on) before the new lanes start
        }
        lanes = newLanes(want, l.gen() + 1);
    }

    private Lanes newLanes(int n, int gen) {
        Shard[] sh = new Shard[n];
        for (int i = 0; i < n; i++) {
            sh[i] = new Shard(this, i, cfg.queueConfig.capacity, cfg.queueConfig.maxSamplesPerSend);
            sh[i].start("remote-write-" + remoteName + "-" + i);
        }
        m.shards.labelValues(remoteName, url).set(n);
        return new Lanes(sh, gen);
    }

    /** Saves the newest marked position all of whose samples are done. */
    private synchronized void savePosition() {
        Mark best = null;
        Lanes l = lanes;
        synchronized (marks) {
            while (!marks.isEmpty() && satisfied(marks.peekFirst(), l)) {
                best = marks.pollFirst();
            }
        }
        if (best == null || (saved != null && best.pos().compareTo(saved) <= 0)) {
            return;
        }
        try {
            best.pos().save(positionFile);
            saved = best.pos();
            m.savedSegment.labelValues(remoteName, url).set(saved.segment());
        } catch (IOException e) {
            LOG.warn("remote write {}: cannot save the WAL position to {}: {}", remoteName, positionFile, e.toString());
        }
    }

    private static boolean satisfied(Mark mk, Lanes l) {
        if (l == null || mk.gen() != l.gen()) {
            return true; // an older generation was drained before this one started
        }
        for (int i = 0; i < mk.enqueued().length; i++) {
            if (l.shards()[i].done() < mk.enqueued()[i]) {
                return false;
            }
        }
        return true;
    }

    // ---- sending, on the shards' threads ----

    /** Sends a batch until it is delivered or refused; the arrays are the shard's. */
    void send(Shard shard, WriteEncoder enc, Series[] bs, long[] bt, double[] bv, Object[] bx, int n) throws InterruptedException {
        n = dropTooOld(bs, bt, bv, bx, n);
        if (n == 0) {
            return;
        }
        boolean useV2 = v2;
        int len = encode(shard, enc, useV2, bs, bt, bv, bx, n);
        long backoff = cfg.queueConfig.minBackoff.millis();
        for (int attempt = 0; ; attempt++) {
            long t0 = System.nanoTime();
            WriteClient.Outcome o = client.post(shard.compressed(), len, useV2, attempt);
            long took = System.nanoTime() - t0;
            sendNanos.add(took);
            m.sentBatchDuration.labelValues(remoteName, url).observe(took / 1e9);
            if (o.ok() && useV2 && o.samplesWritten() < 0) {
                // A 2.0 receiver always says what it wrote; silence means a 1.0 receiver that
                // took the body as an empty 1.0 request and stored nothing: resend as 1.0.
                LOG.warn("remote write {}: receiver answered a 2.0 request without X-Prometheus-Remote-Write-Samples-Written; "
                        + "falling back to 1.0", remoteName);
                v2 = false;
                useV2 = false;
                len = encode(shard, enc, false, bs, bt, bv, bx, n);
                continue;
            }
            if (o.ok()) {
                out.add(n);
                lastSendOkNanos = System.nanoTime();
                countKinds(bx, n, m.samplesTotal, m.exemplarsTotal, m.histogramsTotal);
                m.bytesTotal.labelValues(remoteName, url).inc(len);
                long max = Long.MIN_VALUE;
                for (int i = 0; i < n; i++) {
                    max = Math.max(max, bt[i]);
                }
                if (max > highestSent.get()) {
                    highestSent.set(max);
                    m.highestSent.labelValues(remoteName, url).set(max / 1000.0);
                }
                if (useV2 && o.samplesWritten() >= 0) {
                    int floats = 0;
                    for (int i = 0; i < n; i++) {
                        floats += bx[i] == null ? 1 : 0;
                    }
                    if (o.samplesWritten() < floats) {
                        LOG.warn("remote write {}: receiver wrote {} of {} samples", remoteName, o.samplesWritten(), floats);
                    }
                }
                return;
            }
            if (o.status() == 415 && useV2) {
                LOG.warn("remote write {}: receiver does not take remote write 2.0 (415); falling back to 1.0", remoteName);
                v2 = false;
                useV2 = false;
                len = encode(shard, enc, false, bs, bt, bv, bx, n);
                continue;
            }
            if (!o.recoverable()) {
                LOG.error("msg=\"non-recoverable error\" queue={} count={} err=\"{}\"", remoteName, n, o.error());
                dropped.add(n);
                countKinds(bx, n, m.samplesFailed, m.exemplarsFailed, m.histogramsFailed);
                return;
            }
            countKinds(bx, n, m.samplesRetried, m.exemplarsRetried, m.histogramsRetried);
            long sleep = o.retryAfterMillis() >= 0 ? o.retryAfterMillis() : Shard.jitter(backoff);
            LOG.warn("msg=\"Failed to send batch, retrying\" queue={} err=\"{}\" retry_in={}ms", remoteName, o.error(), sleep);
            Thread.sleep(sleep);
            backoff = Math.min(backoff * 2, cfg.queueConfig.maxBackoff.millis());
            int kept = dropTooOld(bs, bt, bv, bx, n);
            if (kept != n) {
                n = kept;
                if (n == 0) {
                    return;
                }
                len = encode(shard, enc, useV2, bs, bt, bv, bx, n);
            }
        }
    }

    /** Adds a batch's floats, exemplars and histograms to the matching per-kind counter. */
    private void countKinds(Object[] bx, int n, io.prometheus.metrics.core.metrics.Counter samples,
            io.prometheus.metrics.core.metrics.Counter exemplars, io.prometheus.metrics.core.metrics.Counter histograms) {
        int ns = 0, ne = 0, nh = 0;
        for (int i = 0; i < n; i++) {
            if (bx[i] == null) {
                ns++;
            } else if (bx[i] instanceof Labels) {
                ne++;
            } else {
                nh++;
            }
        }
        samples.labelValues(remoteName, url).inc(ns);
        exemplars.labelValues(remoteName, url).inc(ne);
        histograms.labelValues(remoteName, url).inc(nh);
    }

    /** Encodes and compresses a batch into the shard's buffer; returns the compressed length. */
    private int encode(Shard shard, WriteEncoder enc, boolean v2, Series[] bs, long[] bt, double[] bv, Object[] bx, int n) {
        java.util.Map<String, MetricMeta> meta = cfg.metadataConfig.send ? metaByFamily : java.util.Map.of();
        if (v2) {
            enc.encodeV2(bs, bt, bv, bx, n, meta);
        } else {
            enc.encodeV1(bs, bt, bv, bx, n);
        }
        return shard.compressInto(enc);
    }

    /** Drops samples older than {@code sample_age_limit} (0: none), keeping order. */
    private int dropTooOld(Series[] bs, long[] bt, double[] bv, Object[] bx, int n) {
        long limit = cfg.queueConfig.sampleAgeLimit.millis();
        if (limit <= 0) {
            return n;
        }
        long min = System.currentTimeMillis() - limit;
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (bt[i] >= min) {
                bs[k] = bs[i];
                bt[k] = bt[i];
                bv[k] = bv[i];
                bx[k] = bx[i];
                k++;
            }
        }
        if (k < n) {
            dropped.add(n - k);
            for (int i = k; i < n; i++) {
                dropCounter(bx[i]).labelValues(remoteName, url).inc(); // bx[k..n) hold stale copies
            }
            java.util.Arrays.fill(bx, k, n, null);
        }
        return k;
    }

    // ---- metadata (metadata_config) ----

    private void refreshMetadata() {
        try {
            metaByFamily = MetricMeta.byFamily(metadataSource);
        } catch (RuntimeException e) {
            LOG.warn("remote write {}: reading scrape metadata failed: {}", remoteName, e.toString());
        }
    }

    /**
     * Remote write 1.0: every {@code send_interval}, all targets' metadata in requests of at most
     * {@code metadata_config.max_samples_per_send} entries, as Prometheus's metadata watcher.
     * 2.0 carries metadata on each series instead, so nothing is sent here while the queue speaks 2.0.
     */
    private void metadataLoop() {
        long every = cfg.metadataConfig.sendInterval.millis();
        WriteEncoder enc = new WriteEncoder();
        try {
            while (!stopping) {
                Thread.sleep(every);
                if (v2) {
                    continue;
                }
                List<MetricMeta> all = new ArrayList<>();
                try {
                    metadataSource.forEach((f, t, h, u) -> all.add(new MetricMeta(f, MetricMeta.typeOf(t), h, u)));
                } catch (RuntimeException e) {
                    LOG.warn("remote write {}: reading scrape metadata failed: {}", remoteName, e.toString());
                    continue;
                }
                int per = Math.max(1, cfg.metadataConfig.maxSamplesPerSend);
                for (int from = 0; from < all.size() && !stopping; from += per) {
                    int to = Math.min(all.size(), from + per);
                    enc.encodeMetadataV1(all, from, to);
                    sendMetadata(Shard.compress(enc), to - from);
                }
            }
        } catch (InterruptedException e) {
            // stopped
        }
    }

    /** Sends one metadata request, retrying recoverable failures with backoff as samples are. */
    private void sendMetadata(byte[] body, int count) throws InterruptedException {
        long backoff = cfg.queueConfig.minBackoff.millis();
        for (int attempt = 0; !stopping; attempt++) {
            WriteClient.Outcome o = client.post(body, body.length, false, attempt);
            if (o.ok()) {
                m.metadataTotal.labelValues(remoteName, url).inc(count);
                m.metadataBytes.labelValues(remoteName, url).inc(body.length);
                return;
            }
            if (!o.recoverable()) {
                LOG.error("msg=\"non-recoverable error while sending metadata\" queue={} count={} err=\"{}\"", remoteName, count, o.error());
                m.metadataFailed.labelValues(remoteName, url).inc(count);
                return;
            }
            m.metadataRetried.labelValues(remoteName, url).inc(count);
            long sleep = o.retryAfterMillis() >= 0 ? o.retryAfterMillis() : Shard.jitter(backoff);
            LOG.warn("msg=\"Failed to send metadata, retrying\" queue={} err=\"{}\" retry_in={}ms", remoteName, o.error(), sleep);
            Thread.sleep(sleep);
            backoff = Math.min(backoff * 2, cfg.queueConfig.maxBackoff.millis());
        }
    }

    // ---- resharding (Prometheus's calculateDesiredShards) ----

    private void updateShardsDesired() {
        try {
            double secs = SHARD_UPDATE_SECONDS;
            inRate.tick(in.sumThenReset() / secs);
            outRate.tick(out.sumThenReset() / secs);
            droppedRate.tick(dropped.sumThenReset() / secs);
            durationRate.tick(sendNanos.sumThenReset() / 1e9 / secs);
            int cur = lanes.shards().length;
            int want = desired(cur, inRate.rate, outRate.rate, droppedRate.rate, durationRate.rate,
                    Math.max(0, (highestIn.get() - highestSent.get()) / 1000.0));
            m.shardsDesired.labelValues(remoteName, url).set(want);
            long sinceOk = System.nanoTime() - lastSendOkNanos;
            if (want != cur && sinceOk > 2 * batchSendDeadlineNanos()) {
                LOG.warn("msg=\"Skipping resharding, last successful send was beyond threshold\" queue={}", remoteName);
                return;
            }
            desiredShards = want;
        } catch (RuntimeException e) {
            LOG.warn("remote write {}: shard calculation failed: {}", remoteName, e.toString());
        }
    }

    /** Prometheus's rule: enough shards for the incoming rate plus 5% of the backlog per interval, with 30% hysteresis. */
    int desired(int cur, double inR, double outR, double dropR, double durationR, double delaySeconds) {
        if (outR <= 0) {
            return cur;
        }
        double kept = outR / (outR + dropR);
        double pending = delaySeconds * inR * kept;
        double timePerSample = durationR / outR;
        double want = Math.ceil(timePerSample * (inR * kept + 0.05 * pending));
        if (want >= cur * 0.7 && want <= cur * 1.3) {
            return cur;
        }
        return (int) Math.max(cfg.queueConfig.minShards, Math.min(cfg.queueConfig.maxShards, want));
    }

    /** Exponentially weighted rate, alpha 0.2 per interval, as Prometheus's ewmaRate. */
    private static final class Ewma {
        double rate;
        boolean init;

        void tick(double instant) {
            if (init) {
                rate += 0.2 * (instant - rate);
            } else {
                rate = instant;
                init = instant > 0;
            }
        }
    }
}

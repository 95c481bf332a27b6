package io.specula.rules;

import io.specula.model.labels.Labels;
import io.specula.model.value.StaleNaN;
import io.specula.promql.engine.Sample;
import io.specula.rules.rulefmt.GroupSpec;
import io.specula.rules.rulefmt.RuleSpec;
import io.specula.tsdb.storage.AppendException;
import io.specula.tsdb.storage.Appendable;
import io.specula.tsdb.storage.Appender;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rule group: its rules evaluated in order, on the group's interval, on one thread.
 * Evaluation times are aligned as Prometheus aligns them: multiples of the interval shifted by
 * an offset derived from the group's file and name, so groups spread over the interval and a
 * group keeps its phase across restarts. The getters are safe from any thread.
 */
public final class RuleGroup {
    private static final Logger LOG = LoggerFactory.getLogger(RuleGroup.class);

    private final GroupSpec spec;
    private final long intervalMs;
    private final long queryOffsetMs;
    private final List<Rule> rules;
    private final EvalContext ctx;
    private final Appendable storage;
    private final AlertSink sink;
    private final RuleManagerOptions options;
    private final Semaphore evalGate;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Thread thread;
    private boolean shouldRestore;
    /** Series of rules that were removed in a reload, marked stale at the next evaluation. */
    private Set<Labels> staleSeries = new HashSet<>();

    private volatile long lastEvaluationMs;
    private volatile long lastEvalTimestampMs;
    private volatile long evaluationNanos;
    private volatile long lastSamples;
    final LongAdder evaluations = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder iterations = new LongAdder();
    final LongAdder iterationsMissed = new LongAdder();
    final LongAdder durationNanosSum = new LongAdder();
    private final RuleMetrics.Totals totals;

    RuleGroup(GroupSpec spec, long defaultIntervalMs, EvalContext ctx, Appendable storage, AlertSink sink,
            RuleManagerOptions options, Semaphore evalGate, boolean shouldRestore, RuleMetrics.Totals totals) {
        this.totals = totals;
        this.spec = spec;
        // Prometheus's global evaluation_interval defaults to 1m; never schedule on a zero interval.
        this.intervalMs = spec.intervalMs() > 0 ? spec.intervalMs() : defaultIntervalMs > 0 ? defaultIntervalMs : 60_000L;
        this.queryOffsetMs = spec.queryOffsetMs() >= 0 ? spec.queryOffsetMs() : options.defaultQueryOffsetMs();
        this.ctx = ctx;
        this.storage = storage;
        this.sink = sink;
        this.options = options;
        this.evalGate = evalGate;
        this.shouldRestore = shouldRestore;
        List<Rule> rs = new ArrayList<>();
        for (RuleSpec r : spec.rules()) {
            Labels labels = merge(spec.labels(), r.labels());
            // A rule without `for` has no state to restore: it writes ALERTS from its first
            // evaluation, so an alert it sends is never missing from ALERTS (Prometheus waits
            // for the restore after the second evaluation, which skips such rules anyway).
            rs.add(r.alerting() ? new AlertingRule(r, labels, !shouldRestore || r.holdMs() == 0) : new RecordingRule(r, labels));
        }
        this.rules = List.copyOf(rs);
    }

    private static Labels merge(Labels group, Labels rule) {
        if (group.isEmpty()) {
            return rule;
        }
        var b = group.toBuilder();
        for (int i = 0; i < rule.size(); i++) {
            b.set(rule.name(i), rule.value(i));
        }
        return b.build();
    }

    public String name() {
        return spec.name();
    }

    public String file() {
        return spec.file();
    }

    public long intervalMs() {
        return intervalMs;
    }

    public long queryOffsetMs() {
        return queryOffsetMs;
    }

    public int limit() {
        return spec.limit();
    }

    public List<Rule> rules() {
        return rules;
    }

    /** Wall-clock start of the last evaluation, Unix ms (0 before the first). */
    public long lastEvaluationMs() {
        return lastEvaluationMs;
    }

    /** The scheduled timestamp of the last evaluation, Unix ms. */
    public long lastEvalTimestampMs() {
        return lastEvalTimestampMs;
    }

    public long evaluationNanos() {
        return evaluationNanos;
    }

    public long lastSamples() {
        return lastSamples;
    }

    /** {@code file;name}, the {@code rule_group} label of the rule metrics. */
    public String key() {
        return spec.file() + ";" + spec.name();
    }

    GroupSpec spec() {
        return spec;
    }

    /** Whether {@code other} defines the same group (rules, interval, limit, offset) as this one. */
    boolean sameDefinition(RuleGroup other) {
        if (!spec.file().equals(other.spec.file()) || !spec.name().equals(other.spec.name())
                || intervalMs != other.intervalMs || queryOffsetMs != other.queryOffsetMs
                || spec.limit() != other.spec.limit() || rules.size() != other.rules.size()
                || !Objects.equals(ctx.externalLabels, other.ctx.externalLabels)
                || !ctx.externalUrl.equals(other.ctx.externalUrl)) {
            return false;
        }
        for (int i = 0; i < rules.size(); i++) {
            if (!rules.get(i).spec().identity().equals(other.rules.get(i).spec().identity())
                    || !rules.get(i).labels().equals(other.rules.get(i).labels())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Takes over what a changed group's rules knew: rules are matched by name and labels in
     * order; matched rules keep their written series and alerts, the series of unmatched old
     * rules are marked stale at the next evaluation.
     */
    void copyState(RuleGroup old) {
        lastEvaluationMs = old.lastEvaluationMs;
        lastEvalTimestampMs = old.lastEvalTimestampMs;
        evaluationNanos = old.evaluationNanos;
        // The group's counters continue, as Prometheus's per-group metric series do across a reload.
        evaluations.add(old.evaluations.sum());
        failures.add(old.failures.sum());
        iterations.add(old.iterations.sum());
        iterationsMissed.add(old.iterationsMissed.sum());
        durationNanosSum.add(old.durationNanosSum.sum());
        Map<String, Deque<Rule>> byName = new HashMap<>();
        for (Rule r : old.rules) {
            byName.computeIfAbsent(r.name() + r.labels(), k -> new ArrayDeque<>()).add(r);
        }
        for (Rule r : rules) {
            Deque<Rule> q = byName.get(r.name() + r.labels());
            Rule from = q == null ? null : q.poll();
            if (from == null) {
                continue;
            }
            r.copyOutcome(from);
            if (r instanceof AlertingRule ar && from instanceof AlertingRule far) {
                ar.copyAlerts(far);
            }
        }
        staleSeries = new HashSet<>(old.staleSeries);
        for (Deque<Rule> left : byName.values()) {
            for (Rule r : left) {
                staleSeries.addAll(r.previousSeries);
            }
        }
    }

    /**
     * The aligned evaluation slot at or before {@code nowMs}: {@code base + offset} where the
     * offset is the group's hash modulo the interval.
     */
    public long evalTimestamp(long nowMs) {
        long offset = Long.remainderUnsigned(hash(), intervalMs);
        long adj = nowMs - offset;
        return adj - Math.floorMod(adj, intervalMs) + offset;
    }

    private long hash() {
        // FNV-1a over "file;name": stable across runs and JVMs.
        long h = 0xcbf29ce484222325L;
        for (byte b : key().getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /**
     * Evaluates every rule once for the scheduled time {@code ts} (Unix ms): queries run at
     * {@code ts - query_offset}, results and {@code ALERTS} are appended, vanished series get
     * staleness markers, and due alerts go to the sink.
     */
    public void evaluate(long ts) {
        long start = System.currentTimeMillis();
        long t0 = System.nanoTime();
        long evalTs = ts - queryOffsetMs;
        long samples = 0;
        for (Rule rule : rules) {
            long r0 = System.nanoTime();
            long rStart = System.currentTimeMillis();
            evaluations.increment();
            List<Sample> out;
            try {
                out = rule.eval(ts, queryOffsetMs, ctx, spec.limit());
            } catch (RuntimeException e) {
                failures.increment();
                String msg = e.getMessage() != null ? e.getMessage() : e.toString();
                LOG.warn("Evaluating rule failed group={} rule={} err={}", spec.name(), rule.name(), msg);
                long n = System.nanoTime() - r0;
                totals.ruleNanos.add(n);
                totals.ruleEvaluations.increment();
                rule.recordOutcome(msg, rStart, n);
                continue;
            }
            // ALERTS and ALERTS_FOR_STATE are committed before the alerts go out, so whoever
            // receives a notification and queries ALERTS finds it.
            String appendError = append(rule, out, evalTs);
            if (rule instanceof AlertingRule ar) {
                List<Alert> due = ar.alertsToSend(ts, options.resendDelayMs(), intervalMs, generatorUrl(rule));
                if (!due.isEmpty()) {
                    sink.send(due);
                }
            }
            samples += out.size();
            long n = System.nanoTime() - r0;
            totals.ruleNanos.add(n);
            totals.ruleEvaluations.increment();
            rule.recordOutcome(appendError, rStart, n);
        }
        if (!staleSeries.isEmpty()) {
            markStale(staleSeries, evalTs);
            staleSeries = new HashSet<>();
        }
        long nanos = System.nanoTime() - t0;
        evaluationNanos = nanos;
        durationNanosSum.add(nanos);
        totals.groupNanos.add(nanos);
        totals.groupEvaluations.increment();
        lastEvaluationMs = start;
        lastEvalTimestampMs = ts;
        lastSamples = samples;
    }

    private String generatorUrl(Rule rule) {
        return ctx.externalUrl + "/graph?g0.expr=" + queryEscape(rule.query()) + "&g0.tab=1";
    }

    /** Appends one rule's output and markers for its vanished series; returns an error for health, or null. */
    private String append(Rule rule, List<Sample> out, long ts) {
        Set<Labels> current = new HashSet<>(out.size() * 2);
        Appender app = storage.appender();
        int outOfOrder = 0, duplicates = 0;
        String error = null;
        for (Sample s : out) {
            current.add(s.labels());
            try {
                if (s.h() != null) {
                    // Rule results are float histograms (PromQL computes in floats), as Prometheus stores them.
                    app.appendHistogram(0, s.labels(), 0, s.t(), null, s.h());
                } else {
                    app.append(0, s.labels(), s.t(), s.v());
                }
            } catch (AppendException e) {
                switch (e.reason()) {
                    case OUT_OF_ORDER -> outOfOrder++;
                    case DUPLICATE_TIMESTAMP -> duplicates++;
                    default -> error = e.getMessage();
                }
            } catch (UnsupportedOperationException e) {
                error = e.getMessage(); // a storage without native histograms: the rule's health says so
            }
        }
        for (Labels l : rule.previousSeries) {
            if (!current.contains(l)) {
                try {
                    app.append(0, l, ts, StaleNaN.VALUE);
                } catch (AppendException e) {
                    // a newer sample already exists: nothing to mark
                }
            }
        }
        try {
            app.commit();
        } catch (IOException e) {
            error = e.getMessage();
        }
        if (outOfOrder > 0 || duplicates > 0) {
            LOG.warn("Rule evaluation result discarded group={} rule={} out_of_order={} duplicates={}",
                    spec.name(), rule.name(), outOfOrder, duplicates);
        }
        rule.previousSeries = current;
        return error;
    }

    private void markStale(Set<Labels> series, long ts) {
        Appender app = storage.appender();
        for (Labels l : series) {
            try {
                app.append(0, l, ts, StaleNaN.VALUE);
            } catch (AppendException e) {
                // already superseded
            }
        }
        try {
            app.commit();
        } catch (IOException e) {
            LOG.warn("Writing staleness markers failed group={} err={}", spec.name(), e.getMessage());
        }
    }

    // ---- scheduling ----

    void start() {
        thread = Thread.ofVirtual().name("rules-" + spec.name()).start(this::run);
    }

    private void run() {
        long evalTs = evalTimestamp(System.currentTimeMillis()) + intervalMs;
        if (!sleepUntil(evalTs)) {
            return;
        }
        iterate(evalTs);
        if (shouldRestore) {
            // A second evaluation first: recording rules the alerts depend on may lag at startup.
            evalTs = next(evalTs);
            if (evalTs < 0) {
                return;
            }
            iterate(evalTs);
            for (Rule r : rules) {
                if (r instanceof AlertingRule ar) {
                    try {
                        ar.restoreForState(System.currentTimeMillis(), ctx.queryable, options.outageToleranceMs(),
                                options.forGracePeriodMs());
                    } catch (IOException | RuntimeException e) {
                        LOG.warn("Restoring alert state failed group={} rule={} err={}", spec.name(), r.name(),
                                e.getMessage());
                    }
                }
            }
            shouldRestore = false;
        }
        while (true) {
            evalTs = next(evalTs);
            if (evalTs < 0) {
                return;
            }
            iterate(evalTs);
        }
    }

    /** Waits for the slot after {@code prev}, counting slots that were missed; -1 when stopped. */
    private long next(long prev) {
        long target = prev + intervalMs;
        long now = System.currentTimeMillis();
        if (now >= target + intervalMs) {
            long missed = (now - prev) / intervalMs - 1;
            iterationsMissed.add(missed);
            iterations.add(missed);
            target = prev + (missed + 1) * intervalMs;
        }
        return sleepUntil(target) ? target : -1;
    }

    private void iterate(long ts) {
        iterations.increment();
        boolean gated = evalGate != null;
        if (gated) {
            try {
                evalGate.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        try {
            evaluate(ts);
        } catch (RuntimeException e) {
            LOG.error("Rule group evaluation failed group={} err={}", spec.name(), e.toString());
        } finally {
            if (gated) {
                evalGate.release();
            }
        }
    }

    private boolean sleepUntil(long t) {
        long wait = t - System.currentTimeMillis();
        try {
            return wait <= 0 ? done.getCount() > 0 : !done.await(wait, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops the loop and waits for a running evaluation; with {@code markStale}, ends every written series. */
    void stop(boolean markStale) {
        done.countDown();
        Thread t = thread;
        if (t != null) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (markStale) {
            Set<Labels> all = new HashSet<>(staleSeries);
            for (Rule r : rules) {
                all.addAll(r.previousSeries);
            }
            if (!all.isEmpty()) {
                markStale(all, System.currentTimeMillis());
            }
        }
    }

    static String queryEscape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                b.append((char) c);
            } else if (c == ' ') {
                b.append('+');
            } else {
                b.append('%').append("0123456789ABCDEF".charAt(c >> 4)).append("0123456789ABCDEF".charAt(c & 15));
            }
        }
        return b.toString();
    }
}

package io.specula.rules;

import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.model.labels.Matcher;
import io.specula.promql.engine.QueryException;
import io.specula.promql.engine.Sample;
import io.specula.rules.rulefmt.RuleSpec;
import io.specula.template.FunctionSet;
import io.specula.template.PrometheusFunctions;
import io.specula.template.Template;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.storage.Queryable;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.SeriesSet;
import io.specula.tsdb.storage.ValueType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A rule that turns each sample of its expression into an alert: pending when it first
 * appears, firing once it has lasted {@code for}, kept firing {@code keep_firing_for} after it
 * vanishes, then resolved and remembered for 15 minutes so Alertmanagers learn of the
 * resolution. Writes {@code ALERTS} and {@code ALERTS_FOR_STATE} for active alerts. All state
 * changes happen under the rule's monitor; readers get copies.
 */
public final class AlertingRule extends Rule {
    /** How long a resolved alert is kept (and re-sent) after it resolved. */
    public static final long RESOLVED_RETENTION_MS = 15 * 60_000L;
    public static final String ALERTS = "ALERTS";
    public static final String ALERTS_FOR_STATE = "ALERTS_FOR_STATE";
    public static final String ALERT_NAME = "alertname";
    public static final String ALERT_STATE = "alertstate";

    private final Map<String, AlertTemplates> labelTemplates = new LinkedHashMap<>();
    private final Map<String, AlertTemplates> annotationTemplates = new LinkedHashMap<>();
    /** Active and recently resolved alerts by their labels. */
    private Map<Labels, Instance> active = new LinkedHashMap<>();
    private volatile boolean restored;

    /** The mutable state of one alert. */
    static final class Instance {
        Labels labels;
        Map<String, String> annotations;
        AlertState state = AlertState.PENDING;
        double value;
        long activeAt, firedAt, resolvedAt, lastSentAt, validUntil, keepFiringSince;
        /** Whether the alert was ever sent: times start at 0 in unit tests, so 0 cannot mean "never". */
        boolean sent;

        Instance(Labels labels, Map<String, String> annotations, double value, long activeAt) {
            this.labels = labels;
            this.annotations = annotations;
            this.value = value;
            this.activeAt = activeAt;
        }

        ActiveAlert view() {
            return new ActiveAlert(labels, annotations, state, value, activeAt, firedAt, resolvedAt, keepFiringSince,
                    lastSentAt, validUntil);
        }
    }

    AlertingRule(RuleSpec spec, Labels labels, boolean restored) {
        super(spec, labels);
        this.restored = restored;
        for (int i = 0; i < labels.size(); i++) {
            labelTemplates.put(labels.name(i), new AlertTemplates(spec.name(), labels.value(i)));
        }
        // Annotations keep a stable order for the API: sorted by name, as Prometheus's labels are.
        new java.util.TreeMap<>(spec.annotations()).forEach((k, v) -> annotationTemplates.put(k,
                new AlertTemplates(spec.name(), v)));
    }

    /** The rule's {@code for}. */
    public long holdMs() {
        return spec.holdMs();
    }

    public long keepFiringForMs() {
        return spec.keepFiringForMs();
    }

    /** The annotations as written (unexpanded). */
    public Map<String, String> annotations() {
        return spec.annotations();
    }

    /** Whether {@code for} state has been restored (or needed no restoring); until then no ALERTS series are written. */
    public boolean restored() {
        return restored;
    }

    /** Marks the rule restored, as promtool's unit tests do so that ALERTS are written at once. */
    public void setRestored(boolean restored) {
        this.restored = restored;
    }

    /** The highest state among the rule's alerts. */
    public synchronized AlertState state() {
        AlertState s = AlertState.INACTIVE;
        for (Instance a : active.values()) {
            if (a.state.ordinal() > s.ordinal()) {
                s = a.state;
            }
        }
        return s;
    }

    /** Copies of the pending and firing alerts (resolved ones left out), as {@code /api/v1/alerts} lists them. */
    public synchronized List<ActiveAlert> activeAlerts() {
        List<ActiveAlert> out = new ArrayList<>();
        for (Instance a : active.values()) {
            if (a.state != AlertState.INACTIVE) {
                out.add(a.view());
            }
        }
        return out;
    }

    /** Copies of every remembered alert, resolved ones included. */
    synchronized List<ActiveAlert> allAlerts() {
        List<ActiveAlert> out = new ArrayList<>();
        for (Instance a : active.values()) {
            out.add(a.view());
        }
        return out;
    }

    synchronized void copyAlerts(AlertingRule old) {
        synchronized (old) {
            this.active = old.active;
            old.active = new LinkedHashMap<>();
        }
        this.restored = old.restored;
    }

    @Override
    synchronized List<Sample> eval(long ts, long queryOffsetMs, EvalContext ctx, int limit) {
        long queryTs = ts - queryOffsetMs;
        List<Sample> res = ctx.query(spec.expr(), spec.exprText(), queryTs);
        FunctionSet functions = PrometheusFunctions.create(ctx.templateQuery(), queryTs, ctx.externalUri);
        // Bound once per evaluation: one rule may expand its templates for thousands of alerts.
        Map<String, Template> labelBound = new LinkedHashMap<>();
        labelTemplates.forEach((k, t) -> labelBound.put(k, t.bind(functions)));
        Map<String, Template> annotationBound = new LinkedHashMap<>();
        annotationTemplates.forEach((k, t) -> annotationBound.put(k, t.bind(functions)));
        Map<Labels, Instance> current = new LinkedHashMap<>();
        LabelsBuilder b = new LabelsBuilder();
        for (Sample s : res) {
            Map<String, Object> data = PrometheusFunctions.alertData(EvalContext.toMap(s.labels()), ctx.externalLabelsMap,
                    ctx.externalUrl, s.h(), s.v());
            b.reset(s.labels()).delete(Labels.METRIC_NAME);
            for (Map.Entry<String, AlertTemplates> e : labelTemplates.entrySet()) {
                b.set(e.getKey(), e.getValue().expand(data, labelBound.get(e.getKey())));
            }
            b.set(ALERT_NAME, spec.name());
            Map<String, String> ann = new LinkedHashMap<>();
            for (Map.Entry<String, AlertTemplates> e : annotationTemplates.entrySet()) {
                ann.put(e.getKey(), e.getValue().expand(data, annotationBound.get(e.getKey())));
            }
            Labels l = b.build();
            if (current.containsKey(l)) {
                throw new QueryException(QueryException.Type.EXECUTION,
                        "vector contains metrics with the same labelset after applying alert labels");
            }
            current.put(l, new Instance(l, ann, s.v(), ts));
        }
        for (Instance a : current.values()) {
            Instance old = active.get(a.labels);
            if (old != null && old.state != AlertState.INACTIVE) {
                old.value = a.value;
                old.annotations = a.annotations;
                old.keepFiringSince = 0;
                continue;
            }
            active.put(a.labels, a);
        }
        int numActive = 0;
        for (Iterator<Instance> it = active.values().iterator(); it.hasNext(); ) {
            Instance a = it.next();
            if (!current.containsKey(a.labels)) {
                if (a.state == AlertState.PENDING
                        || (a.resolvedAt != 0 && ts - a.resolvedAt > RESOLVED_RETENTION_MS)) {
                    it.remove();
                    continue;
                }
                if (a.state != AlertState.INACTIVE) {
                    if (spec.keepFiringForMs() > 0) {
                        if (a.keepFiringSince == 0) {
                            a.keepFiringSince = ts;
                        }
                        if (ts - a.keepFiringSince < spec.keepFiringForMs()) {
                            numActive++;
                            continue;
                        }
                    }
                    a.state = AlertState.INACTIVE;
                    a.resolvedAt = ts;
                }
                continue;
            }
            numActive++;
            if (a.state == AlertState.PENDING && ts - a.activeAt >= spec.holdMs()) {
                a.state = AlertState.FIRING;
                a.firedAt = ts;
            }
        }
        if (limit > 0 && numActive > limit) {
            active = new LinkedHashMap<>();
            throw new QueryException(QueryException.Type.EXECUTION,
                    "exceeded limit of " + limit + " with " + numActive + " alerts");
        }
        List<Sample> out = new ArrayList<>();
        if (restored) {
            for (Instance a : active.values()) {
                if (a.state == AlertState.INACTIVE) {
                    continue;
                }
                b.reset(a.labels).set(Labels.METRIC_NAME, ALERTS).set(ALERT_STATE, a.state.apiName);
                out.add(new Sample(b.build(), queryTs, 1));
                b.reset(a.labels).set(Labels.METRIC_NAME, ALERTS_FOR_STATE);
                // Whole Unix seconds, as Prometheus writes activeAt.
                out.add(new Sample(b.build(), queryTs, Math.floorDiv(a.activeAt, 1000L)));
            }
        }
        return out;
    }

    /**
     * The alerts due for sending at {@code ts}, with Prometheus's resend rule: firing alerts
     * again once {@code resendDelay} has passed, resolved alerts once after they resolved.
     */
    synchronized List<Alert> alertsToSend(long ts, long resendDelayMs, long intervalMs, String generatorUrl) {
        List<Alert> out = new ArrayList<>();
        for (Instance a : active.values()) {
            if (a.state == AlertState.PENDING) {
                continue;
            }
            boolean due = !a.sent || a.resolvedAt > a.lastSentAt || a.lastSentAt + resendDelayMs < ts;
            if (!due) {
                continue;
            }
            a.lastSentAt = ts;
            a.sent = true;
            a.validUntil = ts + 4 * Math.max(resendDelayMs, intervalMs);
            out.add(new Alert(a.labels, a.annotations, a.firedAt, a.resolvedAt != 0 ? a.resolvedAt : a.validUntil,
                    generatorUrl));
        }
        return out;
    }

    /**
     * Restores the {@code for} progress of this rule's pending alerts from the
     * {@code ALERTS_FOR_STATE} series written before a restart: the time spent pending before
     * the outage counts, the outage itself does not, and an alert that was about to fire gets
     * at least {@code gracePeriodMs} before it does.
     */
    void restoreForState(long ts, Queryable storage, long outageToleranceMs, long gracePeriodMs) throws IOException {
        try {
            long hold = spec.holdMs();
            if (hold <= 0) {
                return;
            }
            List<Instance> alerts;
            synchronized (this) {
                alerts = new ArrayList<>(active.values());
            }
            try (Querier q = storage.querier(ts - outageToleranceMs, ts)) {
                for (Instance a : alerts) {
                    LabelsBuilder b = a.labels.toBuilder().set(Labels.METRIC_NAME, ALERTS_FOR_STATE);
                    Labels want = b.build();
                    Matcher[] ms = new Matcher[want.size()];
                    for (int i = 0; i < want.size(); i++) {
                        ms[i] = Matcher.equal(want.name(i), want.value(i));
                    }
                    long lastT = Long.MIN_VALUE;
                    double lastV = 0;
                    SeriesSet ss = q.select(false, null, ms);
                    SampleIterator it = null;
                    while (ss.next()) {
                        if (!ss.at().labels().equals(want)) {
                            continue;
                        }
                        it = ss.at().iterator(it);
                        while (it.next() == ValueType.FLOAT) {
                            if (it.atT() >= lastT) {
                                lastT = it.atT();
                                lastV = it.atV();
                            }
                        }
                    }
                    if (lastT == Long.MIN_VALUE || Double.isNaN(lastV)) {
                        continue;
                    }
                    long downAt = lastT / 1000 * 1000;
                    long restoredActiveAt = (long) lastV * 1000;
                    long remaining = hold - (downAt - restoredActiveAt);
                    if (remaining <= 0) {
                        // It was firing before the outage: the original activeAt lets the next
                        // evaluation fire it again at once.
                    } else if (hold < gracePeriodMs) {
                        // A short `for` simply starts over rather than waiting out the grace period.
                        continue;
                    } else if (remaining < gracePeriodMs) {
                        restoredActiveAt = ts + gracePeriodMs - hold;
                    } else {
                        restoredActiveAt += ts - downAt;
                    }
                    synchronized (this) {
                        a.activeAt = restoredActiveAt;
                    }
                }
            }
        } finally {
            restored = true;
        }
    }
}

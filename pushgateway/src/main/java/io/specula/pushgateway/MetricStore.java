package io.specula.pushgateway;

import io.specula.model.exposition.proto.Gauge;
import io.specula.model.exposition.proto.LabelPair;
import io.specula.model.exposition.proto.Metric;
import io.specula.model.exposition.proto.MetricFamily;
import io.specula.model.exposition.proto.MetricType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The pushed metrics, by group, with the Pushgateway's write semantics: a push (POST) replaces
 * the families it names within its group, a PUT replaces the whole group, a DELETE removes it;
 * every write stamps {@code push_time_seconds} or, when refused, {@code push_failure_time_seconds}.
 * Pushed series get the grouping labels (overriding theirs) and an {@code instance} label
 * (empty when absent).
 *
 * <p>Thread-safe: writes are serialized on the store's monitor, which is also what makes a
 * consistency check and the write it admits one atomic step (the Go gateway serializes them
 * through a queue). Reads copy under the monitor; pushes are small and rare next to scrapes.
 */
public final class MetricStore {
    static final String PUSH_TIME = "push_time_seconds";
    static final String PUSH_TIME_HELP = "Last Unix time when changing this group in the Pushgateway succeeded.";
    static final String PUSH_FAILURE_TIME = "push_failure_time_seconds";
    static final String PUSH_FAILURE_TIME_HELP = "Last Unix time when changing this group in the Pushgateway failed.";
    static final String INCONSISTENT = "pushed metrics are invalid or inconsistent with existing metrics: ";

    /** One family of a group and when it was written. */
    public record TimestampedFamily(MetricFamily family, Instant time) {}

    /** One group: its grouping labels and its families by name. */
    public record Group(GroupingKey key, Map<String, TimestampedFamily> families) {
        /** Whether the last push succeeded: the success time is not before the failure time. */
        public boolean lastPushSuccessful() {
            return gaugeValue(PUSH_TIME) >= gaugeValue(PUSH_FAILURE_TIME);
        }

        double gaugeValue(String name) {
            TimestampedFamily f = families.get(name);
            if (f == null || f.family().getMetricCount() == 0) {
                return 0;
            }
            return f.family().getMetric(0).getGauge().getValue();
        }
    }

    private final TreeMap<String, Group> groups = new TreeMap<>();
    private final Supplier<List<MetricFamily>> ownFamilies;
    private long version;
    private Runnable onWrite = () -> {};

    /** @param ownFamilies the gateway's own metrics, whose names, types and help pushed families must respect */
    public MetricStore(Supplier<List<MetricFamily>> ownFamilies) {
        this.ownFamilies = ownFamilies;
    }

    /** Called (under the store's monitor) after every change, e.g. to schedule persisting. */
    synchronized void onWrite(Runnable r) {
        this.onWrite = r;
    }

    /**
     * Applies a push.
     *
     * @param families the parsed body by family name; sanitized in place of a copy
     * @param replace PUT: the group's other families go
     * @param check run the consistency check; without it, only timestamps are refused and
     *     silently (the HTTP answer has gone out already in the Go gateway)
     * @throws PushException 400 when refused (only when {@code check})
     */
    public synchronized void push(GroupingKey key, Map<String, MetricFamily> families, boolean replace, boolean check,
            Instant now) throws PushException {
        try {
            if (hasTimestamps(families.values())) {
                failed(key, now);
                if (check) {
                    throw new PushException(400, INCONSISTENT + "pushed metrics must not have timestamps");
                }
                return;
            }
            Map<String, MetricFamily> sanitized = new LinkedHashMap<>();
            for (Map.Entry<String, MetricFamily> e : families.entrySet()) {
                sanitized.put(e.getKey(), sanitize(e.getValue(), key));
            }
            if (check) {
                TreeMap<String, Group> trial = copy(groups);
                apply(trial, key, sanitized, replace, now);
                String err = Consistency.check(ownFamilies.get(), merged(trial, key.key()));
                if (err != null) {
                    failed(key, now);
                    throw new PushException(400, INCONSISTENT + err);
                }
            }
            apply(groups, key, sanitized, replace, now);
        } finally {
            version++;
            onWrite.run();
        }
    }

    /** Deletes a group (a no-op when it does not exist). */
    public synchronized void delete(GroupingKey key) {
        groups.remove(key.key());
        version++;
        onWrite.run();
    }

    /** Deletes every group. */
    public synchronized void wipe() {
        groups.clear();
        version++;
        onWrite.run();
    }

    /** A copy of the groups, sorted by grouping key. */
    public synchronized List<Group> groups() {
        return new ArrayList<>(copy(groups).values());
    }

    /** Replaces the whole state (restoring from the persistence file). */
    synchronized void restore(Collection<Group> restored) {
        groups.clear();
        for (Group g : restored) {
            groups.put(g.key().key(), new Group(g.key(), new TreeMap<>(g.families())));
        }
    }

    /** Changes so far; the persister compares it to what it wrote last. */
    synchronized long version() {
        return version;
    }

    /**
     * The families of all groups merged by name, as the gateway exposes them: a name's type is
     * that of its first group, its help that of the most recently written family of that name
     * (the Go gateway takes one in map order), or the gateway's own help for a name it uses
     * itself. Families are in order of first appearance.
     */
    public synchronized List<MetricFamily> merged() {
        return merged(groups, null);
    }

    private List<MetricFamily> merged(TreeMap<String, Group> state, String lastKey) {
        Map<String, String> predefinedHelp = new LinkedHashMap<>();
        for (MetricFamily mf : ownFamilies.get()) {
            predefinedHelp.put(mf.getName(), mf.getHelp());
        }
        List<Group> ordered = new ArrayList<>();
        Group last = null;
        for (Group g : state.values()) {
            if (g.key().key().equals(lastKey)) {
                last = g;
            } else {
                ordered.add(g);
            }
        }
        if (last != null) {
            ordered.add(last);
        }
        Map<String, MetricFamily.Builder> byName = new LinkedHashMap<>();
        Map<String, Instant> helpTime = new java.util.HashMap<>();
        for (Group g : ordered) {
            for (TimestampedFamily tf : g.families().values()) {
                MetricFamily mf = tf.family();
                MetricFamily.Builder b = byName.get(mf.getName());
                if (b == null) {
                    b = MetricFamily.newBuilder().setName(mf.getName()).setType(mf.getType());
                    byName.put(mf.getName(), b);
                }
                String help = predefinedHelp.get(mf.getName());
                if (help != null) {
                    b.setHelp(help);
                } else {
                    Instant since = helpTime.get(mf.getName());
                    if (since == null || !tf.time().isBefore(since)) {
                        helpTime.put(mf.getName(), tf.time());
                        if (mf.hasHelp()) {
                            b.setHelp(mf.getHelp());
                        } else {
                            b.clearHelp();
                        }
                    }
                }
                b.addAllMetric(mf.getMetricList());
            }
        }
        List<MetricFamily> out = new ArrayList<>(byName.size());
        for (MetricFamily.Builder b : byName.values()) {
            out.add(b.build());
        }
        return out;
    }

    private static TreeMap<String, Group> copy(TreeMap<String, Group> state) {
        TreeMap<String, Group> out = new TreeMap<>();
        for (Map.Entry<String, Group> e : state.entrySet()) {
            out.put(e.getKey(), new Group(e.getValue().key(), new TreeMap<>(e.getValue().families())));
        }
        return out;
    }

    private static void apply(TreeMap<String, Group> state, GroupingKey key, Map<String, MetricFamily> families,
            boolean replace, Instant now) {
        Group g = state.get(key.key());
        if (g == null) {
            g = new Group(key, new TreeMap<>());
            state.put(key.key(), g);
        } else if (replace) {
            g.families().keySet().removeIf(n -> !n.equals(PUSH_TIME) && !n.equals(PUSH_FAILURE_TIME));
        }
        // As in Go: the push time always replaces a pushed family of that name; a zero failure
        // time is added only to a group that has none, else a pushed one is kept as pushed.
        Map<String, MetricFamily> all = new LinkedHashMap<>(families);
        all.put(PUSH_TIME, timeGauge(PUSH_TIME, PUSH_TIME_HELP, key, now));
        if (!g.families().containsKey(PUSH_FAILURE_TIME)) {
            all.put(PUSH_FAILURE_TIME, timeGauge(PUSH_FAILURE_TIME, PUSH_FAILURE_TIME_HELP, key, null));
        }
        for (Map.Entry<String, MetricFamily> e : all.entrySet()) {
            g.families().put(e.getKey(), new TimestampedFamily(e.getValue(), now));
        }
    }

    private void failed(GroupingKey key, Instant now) {
        Group g = groups.computeIfAbsent(key.key(), k -> new Group(key, new TreeMap<>()));
        g.families().put(PUSH_FAILURE_TIME, new TimestampedFamily(timeGauge(PUSH_FAILURE_TIME, PUSH_FAILURE_TIME_HELP, key, now), now));
        if (!g.families().containsKey(PUSH_TIME)) {
            g.families().put(PUSH_TIME, new TimestampedFamily(timeGauge(PUSH_TIME, PUSH_TIME_HELP, key, null), now));
        }
    }

    private static MetricFamily timeGauge(String name, String help, GroupingKey key, Instant t) {
        double v = t == null ? 0 : t.getEpochSecond() + t.getNano() / 1e9;
        MetricFamily mf = MetricFamily.newBuilder().setName(name).setHelp(help).setType(MetricType.GAUGE)
                .addMetric(Metric.newBuilder().setGauge(Gauge.newBuilder().setValue(v))).build();
        return sanitize(mf, key);
    }

    private static boolean hasTimestamps(Collection<MetricFamily> families) {
        for (MetricFamily mf : families) {
            for (Metric m : mf.getMetricList()) {
                if (m.hasTimestampMs()) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The grouping labels set on every metric (overriding the pushed values), {@code instance=""}
     * added where there is no instance label, label pairs sorted by name.
     */
    static MetricFamily sanitize(MetricFamily mf, GroupingKey key) {
        MetricFamily.Builder b = mf.toBuilder();
        for (Metric.Builder m : b.getMetricBuilderList()) {
            Map<String, String> pending = new LinkedHashMap<>(key.labels());
            List<LabelPair> labels = new ArrayList<>(m.getLabelCount() + pending.size() + 1);
            boolean hasInstance = false;
            for (LabelPair lp : m.getLabelList()) {
                String v = pending.remove(lp.getName());
                labels.add(v != null ? lp.toBuilder().setValue(v).build() : lp);
                hasInstance |= lp.getName().equals("instance");
            }
            for (Map.Entry<String, String> e : pending.entrySet()) {
                labels.add(LabelPair.newBuilder().setName(e.getKey()).setValue(e.getValue()).build());
                hasInstance |= e.getKey().equals("instance");
            }
            if (!hasInstance) {
                labels.add(LabelPair.newBuilder().setName("instance").setValue("").build());
            }
            labels.sort(Comparator.comparing(LabelPair::getName));
            m.clearLabel().addAllLabel(labels);
        }
        return b.build();
    }
}

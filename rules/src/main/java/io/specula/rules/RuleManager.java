package io.specula.rules;

import io.specula.promql.engine.Engine;
import io.specula.rules.rulefmt.GroupSpec;
import io.specula.rules.rulefmt.RuleFileException;
import io.specula.rules.rulefmt.RuleFiles;
import io.specula.rules.rulefmt.RuleGlobs;
import io.specula.tsdb.storage.Appendable;
import io.specula.tsdb.storage.Queryable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the rule groups of a set of rule files, and swaps them on reload the way Prometheus
 * does: an invalid file keeps the old rules running, an unchanged group keeps running
 * untouched, a changed group takes over its predecessor's alerts and series, a removed group's
 * series are marked stale. Thread-safe.
 */
public final class RuleManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RuleManager.class);

    private final Queryable queryable;
    private final Appendable appendable;
    private final Engine engine;
    private final AlertSink sink;
    private final Semaphore evalGate;
    private final RuleMetrics.Totals totals = new RuleMetrics.Totals();
    private volatile RuleManagerOptions options;
    private volatile Map<String, RuleGroup> groups = Map.of();
    private boolean restoredOnce;
    private boolean stopped;

    /**
     * @param queryable what rules query (and {@code ALERTS_FOR_STATE} is restored from); usually the TSDB
     * @param appendable where results, {@code ALERTS} and staleness markers go; usually the same TSDB
     * @param sink receives alerts due for sending; {@link AlertSink#NONE} to drop them
     */
    public RuleManager(Queryable queryable, Appendable appendable, Engine engine, AlertSink sink,
            RuleManagerOptions options) {
        this.queryable = queryable;
        this.appendable = appendable;
        this.engine = engine;
        this.sink = sink == null ? AlertSink.NONE : sink;
        this.options = options;
        this.evalGate = options.maxConcurrentEvals() > 0 ? new Semaphore(options.maxConcurrentEvals(), true) : null;
    }

    /** Loads with the options given at construction; see {@link #update(List, long, RuleManagerOptions)}. */
    public void update(List<String> files, long defaultIntervalMs) throws RuleFileException, IOException {
        update(files, defaultIntervalMs, options);
    }

    /**
     * Loads {@code files} (paths or globs; relative ones against the working directory, so
     * resolve them against the config file's directory first) and replaces the running groups.
     *
     * @param defaultIntervalMs the global {@code evaluation_interval}, for groups without {@code interval}
     * @param newOptions external labels/URL, resend delay and query offset from the new config
     *     (the concurrency limit stays that of construction)
     * @throws RuleFileException if any file is invalid; the running groups are then left as they were
     */
    public void update(List<String> files, long defaultIntervalMs, RuleManagerOptions newOptions)
            throws RuleFileException, IOException {
        update(files, null, defaultIntervalMs, newOptions);
    }

    /**
     * As {@link #update(List, long, RuleManagerOptions)}, with relative paths and globs resolved
     * against {@code baseDir} (the directory of prometheus.yml, as Prometheus resolves
     * {@code rule_files}); null means the working directory.
     */
    public synchronized void update(List<String> files, Path baseDir, long defaultIntervalMs,
            RuleManagerOptions newOptions) throws RuleFileException, IOException {
        if (stopped) {
            throw new IllegalStateException("rule manager is stopped");
        }
        Map<String, RuleGroup> loaded = loadGroups(files, baseDir, defaultIntervalMs, newOptions, !restoredOnce);
        this.options = newOptions;
        Map<String, RuleGroup> old = groups;
        Map<String, RuleGroup> next = new LinkedHashMap<>();
        for (Map.Entry<String, RuleGroup> e : loaded.entrySet()) {
            RuleGroup g = e.getValue();
            RuleGroup prev = old.get(e.getKey());
            if (prev != null && prev.sameDefinition(g)) {
                next.put(e.getKey(), prev);
                continue;
            }
            if (prev != null) {
                prev.stop(false);
                g.copyState(prev);
            }
            next.put(e.getKey(), g);
            g.start();
        }
        for (Map.Entry<String, RuleGroup> e : old.entrySet()) {
            if (!next.containsKey(e.getKey())) {
                e.getValue().stop(true);
            }
        }
        groups = next;
        restoredOnce = true;
        LOG.info("Rule groups loaded groups={} files={}", next.size(), files.size());
    }

    /**
     * Loads groups without starting them, e.g. for {@code tool test rules}, which drives
     * {@link RuleGroup#evaluate} itself. Keys are {@code file;name}, in file order.
     *
     * @param restore whether alerting rules wait for {@code for}-state restoration before writing ALERTS
     */
    public Map<String, RuleGroup> loadGroups(List<String> files, long defaultIntervalMs, RuleManagerOptions opts,
            boolean restore) throws RuleFileException, IOException {
        return loadGroups(files, null, defaultIntervalMs, opts, restore);
    }

    private Map<String, RuleGroup> loadGroups(List<String> files, Path baseDir, long defaultIntervalMs,
            RuleManagerOptions opts, boolean restore) throws RuleFileException, IOException {
        List<String> errors = new ArrayList<>();
        List<GroupSpec> specs = new ArrayList<>();
        for (Path f : RuleGlobs.expand(files, baseDir)) {
            try {
                specs.addAll(RuleFiles.load(f, engine.options().parserOptions()));
            } catch (RuleFileException e) {
                errors.addAll(e.errors());
            }
        }
        if (!errors.isEmpty()) {
            throw new RuleFileException(errors);
        }
        EvalContext ctx = new EvalContext(engine, queryable, opts.externalLabels(), opts.externalUrl());
        Map<String, RuleGroup> out = new LinkedHashMap<>();
        for (GroupSpec s : specs) {
            RuleGroup g = new RuleGroup(s, defaultIntervalMs, ctx, appendable, sink, opts, evalGate, restore, totals);
            out.put(g.key(), g);
        }
        return out;
    }

    /** The running groups, sorted by file then name (the order {@code /api/v1/rules} lists them). */
    public List<RuleGroup> groups() {
        List<RuleGroup> out = new ArrayList<>(groups.values());
        out.sort(Comparator.comparing(RuleGroup::file).thenComparing(RuleGroup::name));
        return out;
    }

    /** Every alerting rule of every group, in {@link #groups()} order. */
    public List<AlertingRule> alertingRules() {
        List<AlertingRule> out = new ArrayList<>();
        for (RuleGroup g : groups()) {
            for (Rule r : g.rules()) {
                if (r instanceof AlertingRule ar) {
                    out.add(ar);
                }
            }
        }
        return out;
    }

    /** The pending and firing alerts of all rules, for {@code /api/v1/alerts}. */
    public List<ActiveAlert> activeAlerts() {
        List<ActiveAlert> out = new ArrayList<>();
        for (AlertingRule r : alertingRules()) {
            out.addAll(r.activeAlerts());
        }
        return out;
    }

    /** Prometheus's rule metrics as of now; see {@link RuleMetrics}. */
    public List<RuleMetrics.Sample> metrics() {
        return RuleMetrics.snapshot(groups(), totals);
    }

    public RuleManagerOptions options() {
        return options;
    }

    /** Stops every group (their series are not marked stale, as on Prometheus shutdown). */
    @Override
    public synchronized void close() {
        stopped = true;
        for (RuleGroup g : groups.values()) {
            g.stop(false);
        }
    }
}

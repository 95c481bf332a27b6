package io.specula.alertmanager.inhibit;

import io.specula.alertmanager.config.InhibitRuleConfig;
import io.specula.alertmanager.provider.AlertStore;
import io.specula.alertmanager.types.Alert;
import io.specula.alertmanager.types.Fingerprints;
import io.specula.model.labels.Labels;
import io.specula.model.labels.Matcher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Inhibition (Alertmanager's {@code inhibit} package): an alert matching a rule's target
 * matchers is muted while a firing alert matches its source matchers and has the same
 * values for the rule's {@code equal} labels. An alert that matches both sides of a rule
 * is not muted by sources that also match both sides, so such alerts cannot mute each
 * other.
 *
 * <p>The firing sources of each rule are indexed by their {@code equal} values, so a
 * question costs a map lookup per rule. The index is rebuilt when the alert store changes
 * or when one of its sources reaches its end time. Thread-safe; rules are fixed per
 * instance (a reload builds a new inhibitor).
 */
public final class Inhibitor {
    private final List<InhibitRuleConfig> rules;
    private final AlertStore store;
    private final Supplier<Instant> clock;
    private volatile Index index;

    /** Per rule: equal-label values → firing sources; valid for one store version until {@code validUntil}. */
    private record Index(long version, Instant validUntil, List<Map<String, List<Alert>>> sources) {}

    public Inhibitor(List<InhibitRuleConfig> rules, AlertStore store, Supplier<Instant> clock) {
        this.rules = List.copyOf(rules);
        this.store = store;
        this.clock = clock;
    }

    /** The fingerprints of the firing alerts that inhibit the label set, empty if none. */
    public List<String> mutes(Labels target) {
        if (rules.isEmpty()) {
            return List.of();
        }
        Index idx = index();
        List<String> by = new ArrayList<>(0);
        for (int i = 0; i < rules.size(); i++) {
            InhibitRuleConfig r = rules.get(i);
            if (!all(r.compiledTarget, target)) {
                continue;
            }
            List<Alert> candidates = idx.sources.get(i).get(key(r.equal, target));
            if (candidates == null) {
                continue;
            }
            boolean twoSided = all(r.compiledSource, target);
            for (Alert a : candidates) {
                if (twoSided && all(r.compiledTarget, a.labels())) {
                    continue;
                }
                String fp = Fingerprints.format(a.fingerprint());
                if (!by.contains(fp)) {
                    by.add(fp);
                }
            }
        }
        return by;
    }

    private Index index() {
        Instant now = clock.get();
        Index idx = index;
        long version = store.version();
        if (idx != null && idx.version == version && now.isBefore(idx.validUntil)) {
            return idx;
        }
        Instant validUntil = Instant.MAX;
        List<Map<String, List<Alert>>> sources = new ArrayList<>(rules.size());
        for (int i = 0; i < rules.size(); i++) {
            sources.add(new HashMap<>());
        }
        for (Alert a : store.list()) {
            if (a.resolvedAt(now)) {
                continue;
            }
            for (int i = 0; i < rules.size(); i++) {
                InhibitRuleConfig r = rules.get(i);
                if (all(r.compiledSource, a.labels())) {
                    sources.get(i).computeIfAbsent(key(r.equal, a.labels()), k -> new ArrayList<>()).add(a);
                    if (a.endsAt().isBefore(validUntil)) {
                        validUntil = a.endsAt();
                    }
                }
            }
        }
        idx = new Index(version, validUntil, sources);
        index = idx;
        return idx;
    }

    private static String key(List<String> names, Labels l) {
        if (names == null || names.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (String n : names) {
            sb.append(l.get(n)).append('\u00ff');
        }
        return sb.toString();
    }

    private static boolean all(List<Matcher> ms, Labels l) {
        for (Matcher m : ms) {
            if (!m.matches(l.get(m.name()))) {
                return false;
            }
        }
        return true;
    }
}

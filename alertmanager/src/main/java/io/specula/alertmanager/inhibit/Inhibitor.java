package io.specula.alertmanager.inhibit;

import io.specula.alertmanager.config.InhibitRuleConfig;
import io.specula.alertmanager.provider.AlertStore;
import io.specula.alertmanager.types.Alert;
import io.specula.alertmanager.types.Fingerprints;
import io.specula.model.labels.Labels;
import io.specula.model.labels.Matcher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Inhibition (Alertmanager's {@code inhibit} package): an alert matching a rule's target
 * matchers is muted while a firing alert matches its source matchers and has the same
 * values for the rule's {@code equal} labels. An alert that matches both sides of a rule
 * is not muted by sources that also match both sides, so such alerts cannot mute each
 * other. Scans the alert store per question: fine for thousands of alerts, a per-rule
 * source index is the next step when that is not enough. Thread-safe; rules are fixed per
 * instance (a reload builds a new inhibitor).
 */
public final class Inhibitor {
    private final List<InhibitRuleConfig> rules;
    private final AlertStore store;
    private final Supplier<Instant> clock;

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
        Instant now = clock.get();
        List<String> by = new ArrayList<>();
        List<Alert> alerts = null;
        for (InhibitRuleConfig r : rules) {
            if (!all(r.compiledTarget, target)) {
                continue;
            }
            boolean twoSided = all(r.compiledSource, target);
            if (alerts == null) {
                alerts = store.list();
            }
            for (Alert a : alerts) {
                if (a.resolvedAt(now) || !all(r.compiledSource, a.labels())) {
                    continue;
                }
                if (twoSided && all(r.compiledTarget, a.labels())) {
                    continue;
                }
                if (equalOn(r.equal, a.labels(), target)) {
                    String fp = Fingerprints.format(a.fingerprint());
                    if (!by.contains(fp)) {
                        by.add(fp);
                    }
                }
            }
        }
        return by;
    }

    private static boolean all(List<Matcher> ms, Labels l) {
        for (Matcher m : ms) {
            if (!m.matches(l.get(m.name()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean equalOn(List<String> names, Labels a, Labels b) {
        if (names != null) {
            for (String n : names) {
                if (!a.get(n).equals(b.get(n))) {
                    return false;
                }
            }
        }
        return true;
    }
}

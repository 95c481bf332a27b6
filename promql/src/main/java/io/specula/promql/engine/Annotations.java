package io.specula.promql.engine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Warnings and infos a query produced, rendered as Prometheus renders them
 * ({@code PromQL warning: ... (1:5)}); duplicates are kept once. Not thread-safe.
 */
public final class Annotations {
    private final Set<String> warnings = new LinkedHashSet<>();
    private final Set<String> infos = new LinkedHashSet<>();

    public void warn(String text) {
        warnings.add(text);
    }

    public void info(String text) {
        infos.add(text);
    }

    public List<String> warnings() {
        return new ArrayList<>(warnings);
    }

    public List<String> infos() {
        return new ArrayList<>(infos);
    }

    public boolean isEmpty() {
        return warnings.isEmpty() && infos.isEmpty();
    }

    public void addAll(Annotations other) {
        warnings.addAll(other.warnings);
        infos.addAll(other.infos);
    }
}

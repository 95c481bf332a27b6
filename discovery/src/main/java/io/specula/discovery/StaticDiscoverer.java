package io.specula.discovery;

import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.discovery.config.StaticConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code static_configs}: the groups never change; sources are the entries' indices ("0", "1", …). */
public final class StaticDiscoverer implements Discoverer {
    private final List<TargetGroup> groups;

    public StaticDiscoverer(List<StaticConfig> configs) {
        List<TargetGroup> gs = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            gs.add(toGroup(configs.get(i), Integer.toString(i), null));
        }
        this.groups = List.copyOf(gs);
    }

    /** The groups, known without running anything. */
    public List<TargetGroup> groups() {
        return groups;
    }

    /**
     * Converts one {@code {targets, labels}} entry into a group, adding {@code extra} labels
     * (e.g. {@code __meta_filepath}) to the group labels.
     */
    public static TargetGroup toGroup(StaticConfig c, String source, Map<String, String> extra) {
        List<Labels> targets = new ArrayList<>();
        if (c.targets != null) {
            for (String t : c.targets) {
                targets.add(Labels.of("__address__", t == null ? "" : t));
            }
        }
        LabelsBuilder b = new LabelsBuilder();
        if (c.labels != null) {
            c.labels.forEach((k, v) -> b.set(k, v == null ? "" : v));
        }
        if (extra != null) {
            extra.forEach(b::set);
        }
        return new TargetGroup(source, targets, b.build());
    }

    @Override
    public void run(Sink sink) throws InterruptedException {
        sink.send(groups);
        Thread.sleep(Long.MAX_VALUE); // nothing ever changes; wait to be stopped
    }
}

package io.specula.alertmanager.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.specula.model.config.YamlConfigLoader;
import java.util.List;

/**
 * alertmanager.yml as a tree of mutable config objects, filled in by
 * {@link AlertmanagerConfigLoader} (which also validates and fills defaults). Treat as
 * read-only once loaded.
 */
public final class AlertmanagerConfig {
    public GlobalConfig global = new GlobalConfig();
    public RouteConfig route;
    public List<InhibitRuleConfig> inhibitRules;
    public List<ReceiverConfig> receivers;
    public List<String> templates;
    /** Deprecated name of {@link #timeIntervals}. */
    public List<TimeIntervalConfig> muteTimeIntervals;
    public List<TimeIntervalConfig> timeIntervals;

    /** The file text this was loaded from. */
    @JsonIgnore
    public String original = "";

    public List<ReceiverConfig> receivers() {
        return receivers == null ? List.of() : receivers;
    }

    public List<InhibitRuleConfig> inhibitRules() {
        return inhibitRules == null ? List.of() : inhibitRules;
    }

    public List<String> templates() {
        return templates == null ? List.of() : templates;
    }

    /** Both time interval lists, deprecated first. */
    public List<TimeIntervalConfig> allTimeIntervals() {
        List<TimeIntervalConfig> out = new java.util.ArrayList<>();
        if (muteTimeIntervals != null) {
            out.addAll(muteTimeIntervals);
        }
        if (timeIntervals != null) {
            out.addAll(timeIntervals);
        }
        return out;
    }

    public ReceiverConfig receiver(String name) {
        for (ReceiverConfig r : receivers()) {
            if (r.name.equals(name)) {
                return r;
            }
        }
        return null;
    }

    /** The config as Alertmanager prints it (API status, amtool config show): secrets redacted. */
    @Override
    public String toString() {
        return YamlConfigLoader.toYaml(this);
    }
}

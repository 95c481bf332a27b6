package io.specula.scrape;

import io.specula.discovery.config.DiscoveryConfigs;

import io.specula.model.config.PromDuration;
import io.specula.model.labels.LabelNames;
import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.model.relabel.Relabeler;
import io.specula.discovery.config.ConfigValidationException;
import io.specula.scrape.config.ScrapeConfig;
import io.specula.scrape.config.ScrapeConfigs;
import io.specula.discovery.TargetGroup;
import java.util.List;
import java.util.Map;

/**
 * Turns discovered targets into scrape targets as Prometheus does: group labels under target
 * labels, the job's defaults ({@code job}, {@code __scheme__}, {@code __metrics_path__},
 * {@code __scrape_interval__}, {@code __scrape_timeout__}, {@code __param_*}) where discovery
 * did not set them, then {@code relabel_configs}; after that the address is checked, the
 * interval and timeout read back, {@code __meta_*} labels removed and {@code instance}
 * defaulted to the address. Not thread-safe (scratch buffers).
 */
final class TargetBuilder {
    /** One discovered target's fate: a target, dropped by relabeling, or refused with an error. */
    record Result(Target target, Labels discovered, String error) {
        boolean dropped() {
            return target == null && error == null;
        }
    }

    private final ScrapeConfig config;
    private final LabelsBuilder lb = new LabelsBuilder();
    private final Relabeler relabeler = new Relabeler();

    TargetBuilder(ScrapeConfig config) {
        this.config = config;
    }

    Result build(TargetGroup group, Labels targetLabels) {
        lb.reset(group.labels());
        for (int i = 0; i < targetLabels.size(); i++) {
            lb.set(targetLabels.name(i), targetLabels.value(i));
        }
        setDefault("job", config.jobName);
        setDefault("__scrape_interval__", config.scrapeInterval.toString());
        setDefault("__scrape_timeout__", config.scrapeTimeout.toString());
        setDefault("__metrics_path__", config.metricsPath);
        setDefault("__scheme__", config.scheme);
        if (config.params != null) {
            for (Map.Entry<String, List<String>> e : config.params.entrySet()) {
                if (e.getValue() != null && !e.getValue().isEmpty()) {
                    setDefault("__param_" + e.getKey(), e.getValue().get(0));
                }
            }
        }
        Labels discovered = lb.build();
        if (!relabeler.process(lb, config.relabelConfigs())) {
            return new Result(null, discovered, null);
        }
        String addr = lb.get("__address__");
        if (addr.isEmpty()) {
            return new Result(null, discovered, "no address");
        }
        try {
            DiscoveryConfigs.checkTargetAddress(addr);
        } catch (ConfigValidationException e) {
            return new Result(null, discovered, e.getMessage());
        }
        long interval;
        long timeout;
        try {
            interval = PromDuration.parse(lb.get("__scrape_interval__")).millis();
        } catch (IllegalArgumentException e) {
            return new Result(null, discovered, "error parsing scrape interval: " + e.getMessage());
        }
        if (interval == 0) {
            return new Result(null, discovered, "scrape interval cannot be 0");
        }
        try {
            timeout = PromDuration.parse(lb.get("__scrape_timeout__")).millis();
        } catch (IllegalArgumentException e) {
            return new Result(null, discovered, "error parsing scrape timeout: " + e.getMessage());
        }
        if (timeout == 0) {
            return new Result(null, discovered, "scrape timeout cannot be 0");
        }
        if (timeout > interval) {
            return new Result(null, discovered, "scrape timeout cannot be greater than scrape interval (\""
                    + PromDuration.format(timeout) + "\" > \"" + PromDuration.format(interval) + "\")");
        }
        lb.retain(n -> !n.startsWith("__meta_"));
        if (lb.get("instance").isEmpty()) {
            lb.set("instance", addr);
        }
        Labels res = lb.build();
        for (int i = 0; i < res.size(); i++) {
            if (!LabelNames.isValidUtf8Name(res.name(i))) {
                return new Result(null, discovered, "\"" + res.name(i) + "\" is not a valid label name");
            }
        }
        return new Result(new Target(config.jobName, res, discovered, config.params, interval, timeout), discovered, null);
    }

    private void setDefault(String name, String value) {
        if (lb.get(name).isEmpty()) {
            lb.set(name, value);
        }
    }
}

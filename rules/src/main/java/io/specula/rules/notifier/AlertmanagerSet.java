package io.specula.rules.notifier;

import io.specula.rules.Alert;
import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.model.relabel.Relabeler;
import io.specula.rules.notifier.config.AlertmanagerConfig;
import io.specula.discovery.TargetGroup;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.client.HttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Alertmanagers of one {@code alertmanagers} entry: its configuration, one HTTP client, and
 * the Alertmanagers its discovery currently yields (deduplicated by URL) plus those its
 * relabeling dropped. Lists are replaced whole on every discovery update, so readers need no
 * lock. Thread-safe.
 */
final class AlertmanagerSet {
    private static final Logger LOG = LoggerFactory.getLogger(AlertmanagerSet.class);
    static final String SCHEME_LABEL = "__scheme__";
    static final String ADDRESS_LABEL = "__address__";
    static final String PATH_LABEL = "__alerts_path__";

    final String name;
    final AlertmanagerConfig config;
    final String fingerprint;
    final HttpClient client;
    private final NotifierMetrics metrics;
    private final Relabeler relabeler = new Relabeler();
    private final LabelsBuilder lb = new LabelsBuilder();

    private volatile List<String> active = List.of();
    private volatile List<String> dropped = List.of();

    AlertmanagerSet(String name, AlertmanagerConfig config, String fingerprint, HttpClient client, NotifierMetrics metrics) {
        this.name = name;
        this.config = config;
        this.fingerprint = fingerprint;
        this.client = client;
        this.metrics = metrics;
    }

    /** URLs alerts go to. */
    List<String> active() {
        return active;
    }

    /** URLs of Alertmanagers relabeling dropped. */
    List<String> dropped() {
        return dropped;
    }

    /** Takes over what another set with the same configuration had discovered (reload). */
    void inherit(AlertmanagerSet old) {
        active = old.active;
        dropped = old.dropped;
    }

    /** Replaces the Alertmanagers with those in {@code groups}, the discovery's full current state. */
    synchronized void sync(List<TargetGroup> groups) {
        Set<String> urls = new LinkedHashSet<>();
        List<String> droppedUrls = new ArrayList<>();
        for (TargetGroup g : groups) {
            List<String> fromGroup = new ArrayList<>();
            if (fromGroup(g, fromGroup, droppedUrls)) {
                urls.addAll(fromGroup);
            }
        }
        for (String u : urls) {
            metrics.register(u);
        }
        active = List.copyOf(urls);
        dropped = List.copyOf(droppedUrls);
    }

    /**
     * One group's Alertmanagers: target labels over group labels, the configured scheme and
     * path as {@code __scheme__} and {@code __alerts_path__}, then {@code relabel_configs}.
     * A URL where an address belongs makes the whole group unusable, as in Prometheus.
     */
    private boolean fromGroup(TargetGroup g, List<String> out, List<String> droppedOut) {
        for (Labels target : g.targets()) {
            lb.reset(target);
            lb.set(SCHEME_LABEL, config.scheme);
            lb.set(PATH_LABEL, postPath(config.pathPrefix));
            Labels groupLabels = g.labels();
            for (int i = 0; i < groupLabels.size(); i++) {
                if (!target.has(groupLabels.name(i))) {
                    lb.set(groupLabels.name(i), groupLabels.value(i));
                }
            }
            Labels before = lb.build();
            if (!relabeler.process(lb, config.relabelConfigs())) {
                droppedOut.add(url(before.get(SCHEME_LABEL), before.get(ADDRESS_LABEL), before.get(PATH_LABEL)));
                continue;
            }
            String addr = lb.get(ADDRESS_LABEL);
            if (addr.contains("/")) {
                LOG.error("msg=\"Creating discovered Alertmanagers failed\" config={} err=\"\\\"{}\\\" is not a valid hostname\"",
                        name, addr);
                lb.reset();
                return false;
            }
            out.add(url(lb.get(SCHEME_LABEL), addr, lb.get(PATH_LABEL)));
        }
        lb.reset();
        return true;
    }

    /** {@code scheme://address/path}, the path given a leading slash. */
    static String url(String scheme, String address, String path) {
        return scheme + "://" + address + (path.startsWith("/") ? path : "/" + path);
    }

    /**
     * The push endpoint under {@code prefix}, cleaned as a slash-separated path: empty and
     * {@code .} segments removed, {@code ..} going one level up but never above the root.
     */
    static String postPath(String prefix) {
        List<String> parts = new ArrayList<>();
        for (String s : (prefix + "/api/" + AlertmanagerConfig.API_V2 + "/alerts").split("/")) {
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.removeLast();
                }
                continue;
            }
            parts.add(s);
        }
        return "/" + String.join("/", parts);
    }
}

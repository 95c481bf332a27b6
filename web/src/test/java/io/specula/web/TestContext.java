package io.specula.web;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.specula.model.config.ConfigException;
import io.specula.model.labels.Labels;
import io.specula.promql.engine.Engine;
import io.specula.promql.engine.EngineOptions;
import io.specula.rules.RuleManager;
import io.specula.rules.notifier.Notifier;
import io.specula.scrape.ScrapeService;
import io.specula.tsdb.DB;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link ServerContext} over a test's own DB, engine and registry; fields are set by the test. */
final class TestContext implements ServerContext {
    volatile DB db;
    volatile Engine engine = new Engine(EngineOptions.defaults());
    volatile ScrapeService scrape;
    volatile RuleManager rules;
    volatile Notifier notifier;
    volatile io.specula.incident.IncidentManager incidents;
    volatile String configYaml = "global:\n  scrape_interval: 15s\n";
    volatile Labels externalLabels = Labels.EMPTY;
    volatile ConfigException reloadError;
    final Map<String, String> flags = new TreeMap<>();
    final AtomicInteger reloads = new AtomicInteger();
    final AtomicInteger quits = new AtomicInteger();
    final PrometheusRegistry registry = new PrometheusRegistry();

    @Override
    public DB db() {
        return db;
    }

    @Override
    public io.specula.incident.IncidentManager incidents() {
        return incidents;
    }

    @Override
    public Engine engine() {
        return engine;
    }

    @Override
    public ScrapeService scrape() {
        return scrape;
    }

    @Override
    public RuleManager rules() {
        return rules;
    }

    @Override
    public Notifier notifier() {
        return notifier;
    }

    @Override
    public String configYaml() {
        return configYaml;
    }

    @Override
    public Map<String, String> flags() {
        return flags;
    }

    @Override
    public Labels externalLabels() {
        return externalLabels;
    }

    @Override
    public ReloadStatus reloadStatus() {
        return new ReloadStatus(true, 1_700_000_000_000L);
    }

    @Override
    public void reload() throws ConfigException {
        reloads.incrementAndGet();
        if (reloadError != null) {
            throw reloadError;
        }
    }

    @Override
    public void quit() {
        quits.incrementAndGet();
    }

    @Override
    public PrometheusRegistry registry() {
        return registry;
    }
}

package io.specula.scrape;

import io.specula.model.config.ConfigException;
import io.specula.scrape.config.ScrapeConfig;
import io.specula.discovery.DiscoveryManager;
import io.specula.tsdb.storage.Appendable;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Discovery and scraping wired together, as the server runs them: the discovery manager's
 * (debounced) target groups feed the scrape manager. {@link #applyConfig} is the reload entry
 * point. Thread-safe.
 */
public final class ScrapeService implements AutoCloseable {
    private final ScrapeManager scrapeManager;
    private final DiscoveryManager discoveryManager;

    /**
     * @param configDir directory of the configuration file: relative {@code file_sd_configs}
     *     paths start there
     */
    public ScrapeService(Appendable storage, ScrapeOptions options, Path configDir) {
        this(storage, options, configDir, DiscoveryManager.DEFAULT_UPDATE_INTERVAL_MILLIS);
    }

    public ScrapeService(Appendable storage, ScrapeOptions options, Path configDir, long discoveryUpdateMillis) {
        this.scrapeManager = new ScrapeManager(storage, options);
        this.discoveryManager = new DiscoveryManager(scrapeManager::updateTargets, discoveryUpdateMillis, configDir);
    }

    /**
     * Applies validated scrape configurations; on a {@link ConfigException} (HTTP client
     * configuration unusable) nothing changed and the running configuration stays.
     */
    public synchronized void applyConfig(List<ScrapeConfig> configs) throws ConfigException {
        scrapeManager.applyConfig(configs);
        Map<String, ScrapeConfig> jobs = new LinkedHashMap<>();
        configs.forEach(c -> jobs.put(c.jobName, c));
        discoveryManager.applyConfig(jobs);
    }

    public ScrapeManager scrapeManager() {
        return scrapeManager;
    }

    public DiscoveryManager discoveryManager() {
        return discoveryManager;
    }

    /** Stops discovery, then every scrape loop (without staleness markers, as on shutdown). */
    @Override
    public void close() {
        discoveryManager.close();
        scrapeManager.close();
    }
}

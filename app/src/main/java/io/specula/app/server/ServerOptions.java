package io.specula.app.server;

import io.specula.promql.engine.EngineOptions;
import io.specula.rules.RuleManagerOptions;
import io.specula.rules.notifier.NotifierOptions;
import io.specula.tsdb.DB;
import io.specula.web.WebOptions;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything {@code specula server} was started with, validated.
 *
 * @param configFile prometheus.yml, or null for the embedded default (the server scrapes itself)
 * @param rules the {@code --rules.*} settings (external labels and URL are added per configuration)
 * @param flags every flag by its Prometheus name with its effective value ({@code status/flags})
 */
public record ServerOptions(Path configFile, Path storagePath, DB.Options db, EngineOptions engine, WebOptions web,
        NotifierOptions notifier, RuleManagerOptions rules, boolean extraScrapeMetrics, Map<String, String> flags) {}

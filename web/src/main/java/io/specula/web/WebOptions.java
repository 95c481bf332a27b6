package io.specula.web;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code --web.*} flags and the query defaults the HTTP side needs.
 *
 * @param listenAddress {@code host:port}; an empty host means all interfaces, port 0 any free port
 * @param externalUrl the URL users reach Specula under (generator URLs, UI links)
 * @param routePrefix path prefix of every endpoint, {@code ""} or starting with {@code /}
 * @param enableLifecycle whether {@code /-/reload} and {@code /-/quit} work
 * @param enableAdminApi whether {@code /api/v1/admin/*} works
 * @param queryTimeout default and maximum for a query's {@code timeout} parameter
 * @param lookbackDelta the engine's lookback, for {@code series}/{@code labels} defaults
 * @param webConfigFile {@code --web.config.file} (TLS, basic auth, headers), or null
 * @param maxConnections {@code --web.max-connections}, 0 for no limit
 * @param pageTitle the web UI's page title ({@code --web.page-title})
 */
public record WebOptions(String listenAddress, String externalUrl, String routePrefix, boolean enableLifecycle,
        boolean enableAdminApi, Duration queryTimeout, Duration lookbackDelta, Path webConfigFile, int maxConnections,
        String pageTitle) {

    /** The UI's default title, as Prometheus's {@code --web.page-title} default names the product. */
    public static final String DEFAULT_PAGE_TITLE = "Specula Time Series Collection and Processing Server";

    /** With the default page title. */
    public WebOptions(String listenAddress, String externalUrl, String routePrefix, boolean enableLifecycle,
            boolean enableAdminApi, Duration queryTimeout, Duration lookbackDelta, Path webConfigFile, int maxConnections) {
        this(listenAddress, externalUrl, routePrefix, enableLifecycle, enableAdminApi, queryTimeout, lookbackDelta,
                webConfigFile, maxConnections, DEFAULT_PAGE_TITLE);
    }

    /** Without a web configuration file or connection limit, with the default page title. */
    public WebOptions(String listenAddress, String externalUrl, String routePrefix, boolean enableLifecycle,
            boolean enableAdminApi, Duration queryTimeout, Duration lookbackDelta) {
        this(listenAddress, externalUrl, routePrefix, enableLifecycle, enableAdminApi, queryTimeout, lookbackDelta, null, 0);
    }
}

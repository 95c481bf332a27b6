package io.specula.discovery.moby;

import io.specula.discovery.Discoverer;
import io.specula.discovery.SdMetrics;
import io.specula.discovery.TargetGroup;
import io.specula.discovery.config.SdHttpClientConfig;
import io.specula.httpclient.HttpClients;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The refresh loop of the Docker mechanisms: one client for the discoverer's life, a refresh per interval. */
final class Refresher {
    private static final Logger LOG = LoggerFactory.getLogger(Refresher.class);

    private Refresher() {}

    @FunctionalInterface
    interface Refresh {
        List<TargetGroup> refresh(DockerApi api) throws IOException, InterruptedException;
    }

    /** Runs until interrupted; a failed refresh is logged and counted, and the previous groups stay. */
    static void run(String mechanism, String host, SdHttpClientConfig config, long intervalMillis, Refresh refresh,
            Discoverer.Sink sink, Runnable onFailure) throws InterruptedException {
        DockerApi api;
        try {
            api = new DockerApi(host, config, intervalMillis, mechanism + "-sd");
        } catch (HttpClients.ClientConfigException | IllegalArgumentException e) {
            LOG.error("msg=\"Cannot create {} SD client\" host={} err=\"{}\"", mechanism, host, e.getMessage());
            Thread.sleep(Long.MAX_VALUE);
            return;
        }
        try (api) {
            while (true) {
                try {
                    sink.send(refresh.refresh(api));
                } catch (IOException | RuntimeException e) {
                    onFailure.run();
                    SdMetrics.inc(SdMetrics.REFRESH_FAILURES, mechanism);
                    LOG.error("msg=\"Unable to refresh target groups\" discovery={} err=\"{}\"", mechanism, e.getMessage());
                }
                Thread.sleep(intervalMillis);
            }
        }
    }
}

package io.specula.scrape;

/**
 * Server-wide scrape settings, fixed when the {@link ScrapeManager} is created.
 *
 * @param extraScrapeMetrics also report {@code scrape_timeout_seconds}, {@code scrape_sample_limit}
 *     and {@code scrape_body_size_bytes} (Prometheus's {@code extra-scrape-metrics} feature)
 * @param offsetSeed mixed into every target's scrape offset, so that two servers scraping the
 *     same targets spread differently (Prometheus seeds it from external labels and host name)
 * @param maxBodyBytes a server-wide ceiling on a scrape body (decompressed) that applies even
 *     when {@code body_size_limit} is unset, so one target cannot take the heap; 0 means none
 *     (Prometheus has none)
 */
public record ScrapeOptions(boolean extraScrapeMetrics, long offsetSeed, long maxBodyBytes) {
    public static final ScrapeOptions DEFAULT = new ScrapeOptions(false, 0, 0);

    public ScrapeOptions(boolean extraScrapeMetrics, long offsetSeed) {
        this(extraScrapeMetrics, offsetSeed, 0);
    }

    /** A seed from the external labels' hash and the host name, as Prometheus derives its own. */
    public static long seed(io.specula.model.labels.Labels externalLabels, String hostname) {
        long h = externalLabels.hash();
        for (byte b : hostname.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h;
    }
}

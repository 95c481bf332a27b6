package io.specula.remote.write;

/**
 * Where the sender finds metric metadata (TYPE, HELP, UNIT): the scrape targets' metadata from
 * their last scrapes, as Prometheus's metadata watcher reads its scrape manager. Remote write 1.0
 * sends all of it every {@code metadata_config.send_interval}; 2.0 attaches it to each series.
 *
 * <p>Implementations must be thread-safe: the sender calls them from its own threads.
 */
@FunctionalInterface
public interface MetadataSource {
    /** Receives one metric family's metadata. */
    @FunctionalInterface
    interface Visitor {
        /**
         * @param family the metric family name as exposed ({@code http_requests_total} in the
         *     text format, {@code http_requests} in OpenMetrics)
         * @param type {@code counter}, {@code gauge}, {@code histogram}, {@code gaugehistogram},
         *     {@code summary}, {@code info}, {@code stateset} or {@code unknown}
         */
        void visit(String family, String type, String help, String unit);
    }

    /**
     * Visits the metadata of every active target, one call per target and family (the same
     * family from several targets is visited several times, as Prometheus sends it).
     */
    void forEach(Visitor v);

    /** No metadata (nothing scrapes, e.g. a sender fed by remote write only). */
    MetadataSource NONE = v -> { };
}

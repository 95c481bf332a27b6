package io.specula.nodeexporter;

import java.io.IOException;

/**
 * One of node_exporter's collectors: writes its metric families, each whole, on every scrape.
 * A collector owns its buffers; {@link NodeExporter} calls it from one thread at a time.
 */
interface Collector {

    /** node_exporter's name for it ({@code cpu}, {@code filesystem}, …): the {@code collector} label. */
    String name();

    /**
     * Writes the current values.
     *
     * @throws NoDataException when the host has nothing for this collector (as node_exporter,
     *     the scrape then reports {@code node_scrape_collector_success 0} and logs at debug)
     * @throws IOException when reading failed (success 0, logged as an error)
     */
    void update(Emitter out) throws IOException;

    /** node_exporter's {@code ErrNoData}: nothing to collect on this host. */
    final class NoDataException extends IOException {
        NoDataException(String message) {
            super(message);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // thrown on every scrape of a host without the hardware: the trace would be garbage
        }
    }
}

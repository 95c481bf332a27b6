package io.specula.remote.write;

import io.specula.model.labels.Labels;

/**
 * A series as one queue sends it: its labels after external labels and {@code
 * write_relabel_configs}, their 1.0 encoding (computed once), and the WAL segment where the
 * watcher last saw its record (series not seen since a checkpoint are forgotten).
 */
final class Series {
    final long ref;
    /** Null when relabeling dropped the series: its samples are counted as dropped. */
    final Labels labels;
    final byte[] v1Labels;
    /** The shard hash: by labels, so a series keeps its shard while its ref changes across restarts. */
    final long hash;
    int segment;
    /** The family metadata for 2.0, resolved against {@link #metaFrom} (a snapshot of the scrape metadata). */
    volatile MetricMeta meta;
    volatile java.util.Map<String, MetricMeta> metaFrom;

    Series(long ref, Labels labels, int segment) {
        this.ref = ref;
        this.labels = labels;
        this.v1Labels = labels == null ? null : WriteEncoder.v1Labels(labels);
        this.hash = labels == null ? 0 : labels.hash();
        this.segment = segment;
    }

    /** This series' family metadata in {@code byFamily}, looked up once per snapshot. */
    MetricMeta meta(java.util.Map<String, MetricMeta> byFamily) {
        if (metaFrom != byFamily) {
            meta = labels == null ? null : MetricMeta.lookup(byFamily, labels.get("__name__"));
            metaFrom = byFamily;
        }
        return meta;
    }
}

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

    Series(long ref, Labels labels, int segment) {
        this.ref = ref;
        this.labels = labels;
        this.v1Labels = labels == null ? null : WriteEncoder.v1Labels(labels);
        this.hash = labels == null ? 0 : labels.hash();
        this.segment = segment;
    }
}

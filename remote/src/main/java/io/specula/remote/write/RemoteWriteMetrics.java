package io.specula.remote.write;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The remote-write sender's metrics under Prometheus's names and labels ({@code remote_name},
 * {@code url}; the WAL watcher's {@code consumer}), so Prometheus's remote-write dashboards and
 * the {@code PrometheusRemoteWriteBehind} alert work unchanged. One instance per registry;
 * queues take their label children and drop them when they stop.
 */
public final class RemoteWriteMetrics {
    final Counter samplesTotal, samplesFailed, samplesRetried, samplesDropped, bytesTotal, enqueueRetries;
    final Counter exemplarsFailed, exemplarsRetried, exemplarsDropped, histogramsFailed, histogramsRetried, histogramsDropped;
    final Counter exemplarsTotal, histogramsTotal, samplesIn, exemplarsIn, histogramsIn;
    final Counter metadataTotal, metadataFailed, metadataRetried, metadataBytes;
    final Gauge samplesPending, shards, shardsMin, shardsMax, shardsDesired, shardCapacity, maxSamplesPerSend;
    final Gauge highestSent, highestTimestamp, queueHighestTimestamp;
    final Histogram sentBatchDuration;
    final Counter walRecordsRead, walDecodeFailures, walSamplesPreTailing, walRecordsSkipped;
    final Gauge walCurrentSegment, savedSegment;

    public RemoteWriteMetrics(PrometheusRegistry r) {
        String[] q = {"remote_name", "url"};
        samplesTotal = counter(r, "prometheus_remote_storage_samples_total", "Total number of samples sent to remote storage.", q);
        samplesFailed = counter(r, "prometheus_remote_storage_samples_failed_total",
                "Total number of samples which failed on send to remote storage, non-recoverable errors.", q);
        samplesRetried = counter(r, "prometheus_remote_storage_samples_retried_total",
                "Total number of samples which failed on send to remote storage but were retried because the send error was recoverable.", q);
        samplesDropped = counter(r, "prometheus_remote_storage_samples_dropped_total",
                "Total number of samples which were dropped after being read from the WAL before being sent via remote write, either via relabelling, due to being too old or unintentionally because of an unknown reference ID.", q);
        bytesTotal = counter(r, "prometheus_remote_storage_bytes_total",
                "The total number of bytes of data (not metadata) sent by the queue after compression. Note that when exemplars over remote write is enabled the exemplars included in a remote write request count towards this metric.", q);
        enqueueRetries = counter(r, "prometheus_remote_storage_enqueue_retries_total",
                "Total number of times enqueue has failed because a shards queue was full.", q);
        exemplarsTotal = counter(r, "prometheus_remote_storage_exemplars_total", "Total number of exemplars sent to remote storage.", q);
        histogramsTotal = counter(r, "prometheus_remote_storage_histograms_total", "Total number of histograms sent to remote storage.", q);
        exemplarsFailed = counter(r, "prometheus_remote_storage_exemplars_failed_total",
                "Total number of exemplars the remote storage refused with a non-recoverable error.", q);
        exemplarsRetried = counter(r, "prometheus_remote_storage_exemplars_retried_total",
                "Total number of exemplars whose send failed with a recoverable error and was retried.", q);
        exemplarsDropped = counter(r, "prometheus_remote_storage_exemplars_dropped_total",
                "Total number of exemplars read from the WAL but not sent: dropped by relabeling, too old, or of an unknown series ref.", q);
        histogramsFailed = counter(r, "prometheus_remote_storage_histograms_failed_total",
                "Total number of histograms the remote storage refused with a non-recoverable error.", q);
        histogramsRetried = counter(r, "prometheus_remote_storage_histograms_retried_total",
                "Total number of histograms whose send failed with a recoverable error and was retried.", q);
        histogramsDropped = counter(r, "prometheus_remote_storage_histograms_dropped_total",
                "Total number of histograms read from the WAL but not sent: dropped by relabeling, too old, or of an unknown series ref.", q);
        metadataTotal = counter(r, "prometheus_remote_storage_metadata_total", "Total number of metadata entries sent to remote storage.", q);
        metadataFailed = counter(r, "prometheus_remote_storage_metadata_failed_total",
                "Total number of metadata entries the remote storage refused with a non-recoverable error.", q);
        metadataRetried = counter(r, "prometheus_remote_storage_metadata_retried_total",
                "Total number of metadata entries whose send failed with a recoverable error and was retried.", q);
        metadataBytes = counter(r, "prometheus_remote_storage_metadata_bytes_total",
                "The total number of bytes of metadata sent by the queue after compression.", q);
        samplesIn = counter(r, "prometheus_remote_storage_samples_in_total", "Samples in to remote storage, compare to samples out for queue managers.");
        exemplarsIn = counter(r, "prometheus_remote_storage_exemplars_in_total", "Exemplars in to remote storage, compare to exemplars out for queue managers.");
        histogramsIn = counter(r, "prometheus_remote_storage_histograms_in_total", "HistogramSamples in to remote storage, compare to histograms out for queue managers.");
        samplesPending = gauge(r, "prometheus_remote_storage_samples_pending", "The number of samples pending in the queues shards to be sent to the remote storage.", q);
        shards = gauge(r, "prometheus_remote_storage_shards", "The number of shards used for parallel sending to the remote storage.", q);
        shardsMin = gauge(r, "prometheus_remote_storage_shards_min", "The minimum number of shards that the queue is allowed to run.", q);
        shardsMax = gauge(r, "prometheus_remote_storage_shards_max", "The maximum number of shards that the queue is allowed to run.", q);
        shardsDesired = gauge(r, "prometheus_remote_storage_shards_desired", "The number of shards that the queues shard calculation wants to run based on the rate of samples in vs. samples out.", q);
        shardCapacity = gauge(r, "prometheus_remote_storage_shard_capacity", "The capacity of each shard of the queue used for parallel sending to the remote storage.", q);
        maxSamplesPerSend = gauge(r, "prometheus_remote_storage_max_samples_per_send", "The maximum number of samples to be sent, in a single request, to the remote storage. Note that, when sending of exemplars over remote write is enabled, exemplars count towards this limt.", q);
        highestSent = gauge(r, "prometheus_remote_storage_queue_highest_sent_timestamp_seconds",
                "Timestamp from a WAL sample, the highest timestamp successfully sent by this queue, in seconds since epoch. Initialized to 0 when no data has been sent yet.", q);
        highestTimestamp = gauge(r, "prometheus_remote_storage_highest_timestamp_in_seconds",
                "Highest timestamp that has come into the remote storage via the Appender interface, in seconds since epoch. Initialized to 0 when no data has been received yet.");
        queueHighestTimestamp = gauge(r, "prometheus_remote_storage_queue_highest_timestamp_seconds",
                "Highest timestamp that was enqueued, in seconds since epoch. Initialized to 0 when no data has been received yet.", q);
        sentBatchDuration = Histogram.builder().name("prometheus_remote_storage_sent_batch_duration_seconds")
                .help("Duration of send calls to the remote storage.").labelNames(q)
                .classicOnly().classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 60, 120, 300)
                .register(r);
        String[] c = {"consumer"};
        walRecordsRead = Counter.builder().name("prometheus_wal_watcher_records_read_total")
                .help("Number of records read by the WAL watcher from the WAL.").labelNames("consumer", "type").register(r);
        walDecodeFailures = counter(r, "prometheus_wal_watcher_record_decode_failures_total", "Number of records read by the WAL watcher that resulted in an error when decoding.", c);
        walSamplesPreTailing = counter(r, "prometheus_wal_watcher_samples_sent_pre_tailing_total", "Number of sample records read by the WAL watcher and sent to remote write during replay of existing WAL.", c);
        walRecordsSkipped = Counter.builder().name("specula_wal_watcher_records_skipped_total")
                .help("WAL records the remote-write watcher read but does not send: exemplars without send_exemplars, native histograms without send_native_histograms.")
                .labelNames("consumer", "type").register(r);
        walCurrentSegment = gauge(r, "prometheus_wal_watcher_current_segment", "Current segment the WAL watcher is reading records from.", c);
        savedSegment = gauge(r, "specula_remote_storage_saved_wal_segment",
                "WAL segment of the position this queue last saved: everything before it was delivered (or given up on), and it resumes there after a restart.", q);
    }

    private static Counter counter(PrometheusRegistry r, String name, String help, String... labels) {
        return Counter.builder().name(name).help(help).labelNames(labels).register(r);
    }

    private static Gauge gauge(PrometheusRegistry r, String name, String help, String... labels) {
        return Gauge.builder().name(name).help(help).labelNames(labels).register(r);
    }

    /** Removes a stopped queue's series so its labels do not linger after a reload. */
    void remove(String remoteName, String url, String consumer) {
        for (Counter m : new Counter[] {samplesTotal, samplesFailed, samplesRetried, samplesDropped, bytesTotal, enqueueRetries,
                exemplarsTotal, histogramsTotal, exemplarsFailed, exemplarsRetried, exemplarsDropped, histogramsFailed,
                histogramsRetried, histogramsDropped, metadataTotal, metadataFailed, metadataRetried, metadataBytes}) {
            m.remove(remoteName, url);
        }
        for (Gauge m : new Gauge[] {samplesPending, shards, shardsMin, shardsMax, shardsDesired, shardCapacity, maxSamplesPerSend,
                highestSent, queueHighestTimestamp, savedSegment}) {
            m.remove(remoteName, url);
        }
        sentBatchDuration.remove(remoteName, url);
        walDecodeFailures.remove(consumer);
        walSamplesPreTailing.remove(consumer);
        walCurrentSegment.remove(consumer);
    }
}

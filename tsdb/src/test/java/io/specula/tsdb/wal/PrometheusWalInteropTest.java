package io.specula.tsdb.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import io.specula.model.labels.SymbolTable;
import io.specula.tsdb.encoding.ByteArrayDataOutput;
import io.specula.tsdb.record.SamplesRecord;
import io.specula.tsdb.record.SeriesRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WAL interop with the real Prometheus 2.42 (Debian's package), both ways: Specula reads the
 * Snappy-compressed WAL Prometheus writes while scraping itself, and Prometheus replays a
 * WAL (checkpoint + segments, Snappy, multi-page records) that Specula wrote. Skipped with a
 * message when {@code /usr/bin/prometheus} is missing.
 */
class PrometheusWalInteropTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void requirePrometheus() {
        PrometheusProcess.assumeInstalled();
    }

    @Test
    void read_walWrittenByPrometheus_hasUpSeriesAndItsSamples() throws Exception {
        Path data = tmp.resolve("data");
        int port;
        String log;
        try (PrometheusProcess prom = PrometheusProcess.start(tmp, data, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: prometheus
                    static_configs:
                      - targets: ['127.0.0.1:$PORT']
                """)) {
            port = prom.port();
            // Scraping starts only after the discovery manager's first update (about 5 s):
            // wait until Prometheus itself has three samples of `up`, then stop it.
            long deadline = System.nanoTime() + 60_000_000_000L;
            String count = null;
            while (System.nanoTime() < deadline) {
                count = prom.queryValue("count_over_time(up[1m])", System.currentTimeMillis() / 1000.0);
                if (count != null && Integer.parseInt(count) >= 3) {
                    break;
                }
                Thread.sleep(500);
            }
            assertThat(count).as("samples of up scraped by Prometheus").isNotNull();
            log = prom.log();
        } // SIGTERM, wait

        Map<Long, Labels> upSeries = new HashMap<>();
        Set<Long> seriesRefs = new HashSet<>();
        Map<Long, Integer> samplesPerRef = new HashMap<>();
        WalReplay.Stats stats = WalReplay.replay(data.resolve("wal"), new SymbolTable(), new WalReplay.Handler() {
            @Override
            public void series(SeriesRecord r) {
                for (int i = 0; i < r.size(); i++) {
                    seriesRefs.add(r.ref(i));
                    if (r.labels(i).metricName().equals("up")) {
                        upSeries.put(r.ref(i), r.labels(i));
                    }
                }
            }

            @Override
            public void samples(SamplesRecord r) {
                for (int i = 0; i < r.size(); i++) {
                    samplesPerRef.merge(r.ref(i), 1, Integer::sum);
                }
            }
        });

        assertThat(upSeries).as("up series; replay %s; Prometheus log:%n%s", stats, log).hasSize(1);
        long upRef = upSeries.keySet().iterator().next();
        assertThat(upSeries.get(upRef)).isEqualTo(Labels.of("__name__", "up", "instance", "127.0.0.1:" + port, "job", "prometheus"));
        assertThat(samplesPerRef.getOrDefault(upRef, 0)).isGreaterThanOrEqualTo(2);
        assertThat(seriesRefs).containsAll(samplesPerRef.keySet());
        assertThat(stats.series()).isGreaterThan(100);
        assertThat(stats.compressedRecords()).as("Prometheus 2.42 compresses with Snappy").isPositive();
        assertThat(stats.skippedOtherRecords()).isZero();
        assertThat(stats.skippedHistogramRecords()).isZero();
    }

    @Test
    void prometheus_replaysWalWrittenBySpecula_checkpointSegmentsSnappy() throws Exception {
        Path wal = tmp.resolve("data").resolve("wal");
        int seriesCount = 50;
        int scrapes = 240;
        long step = 15_000;
        long lastT = System.currentTimeMillis() / step * step;
        long firstT = lastT - (scrapes - 1) * step;
        WalWriter.Options options = WalWriter.Options.defaults().withSnappy(true).withSegmentSize(4 * WalFormat.PAGE_SIZE);
        ByteArrayDataOutput out = new ByteArrayDataOutput();
        try (WalWriter w = WalWriter.open(wal, options)) {
            SeriesRecord series = new SeriesRecord();
            for (int i = 0; i < seriesCount; i++) {
                series.add(i + 1, Labels.of("__name__", "specula_wal_test", "case", "s" + i));
            }
            // A label value that does not compress: the record spans several pages even with Snappy.
            Random rnd = new Random(5);
            StringBuilder big = new StringBuilder();
            for (int i = 0; i < 100_000; i++) {
                big.append((char) ('a' + rnd.nextInt(26)));
            }
            series.add(1000, Labels.of("__name__", "specula_wal_big", "v", big.toString()));
            series.encode(out);
            w.log(out);
            SamplesRecord samples = new SamplesRecord();
            for (int k = 0; k < scrapes; k++) {
                samples.clear();
                for (int i = 0; i < seriesCount; i++) {
                    samples.add(i + 1, firstT + k * step, i + k);
                }
                samples.add(1000, firstT + k * step, 7);
                out.reset();
                samples.encode(out);
                w.log(out);
                if (k % 40 == 39) {
                    w.nextSegment();
                }
            }
        }
        // The first half of the segments go into a checkpoint, as after a head truncation.
        int[] segs = SegmentFiles.list(wal);
        assertThat(segs.length).isGreaterThan(3);
        int checkpointed = segs[segs.length / 2];
        Checkpoint.create(wal, 0, checkpointed, ref -> true, firstT, options);
        SegmentFiles.deleteBefore(wal, checkpointed + 1);
        assertThat(Files.exists(wal.resolve(WalFormat.checkpointName(checkpointed)))).isTrue();

        try (PrometheusProcess prom = PrometheusProcess.start(tmp, tmp.resolve("data"), """
                global:
                  scrape_interval: 1h
                scrape_configs: []
                """)) {
            double t = lastT / 1000.0;
            String log = prom.log();
            assertThat(log).doesNotContainIgnoringCase("corruption");
            int sumOfIndexes = seriesCount * (seriesCount - 1) / 2;
            assertThat(prom.queryValue("sum(specula_wal_test)", t))
                    .isEqualTo(Integer.toString(sumOfIndexes + seriesCount * (scrapes - 1)));
            assertThat(prom.queryValue("count_over_time(specula_wal_test{case=\"s3\"}[2h])", t))
                    .isEqualTo(Integer.toString(scrapes));
            assertThat(prom.queryValue("specula_wal_test{case=\"s3\"}", firstT / 1000.0)).isEqualTo("3");
            assertThat(prom.queryValue("count_over_time(specula_wal_big[2h])", t)).isEqualTo(Integer.toString(scrapes));
        }
    }

    @Test
    void prometheus_replaysOutOfOrderSamplesFromSpeculaWbl() throws Exception {
        Path data = tmp.resolve("ooo-data");
        long step = 15_000;
        int scrapes = 240;
        long lastT = System.currentTimeMillis() / step * step;
        long firstT = lastT - (scrapes - 1) * step;
        Labels m = Labels.of("__name__", "specula_ooo_test");
        try (io.specula.tsdb.head.Head head = io.specula.tsdb.head.Head.open(data,
                io.specula.tsdb.head.HeadOptions.defaults().withOutOfOrderTimeWindow(3_600_000))) {
            for (int k = 0; k < scrapes; k++) {
                io.specula.tsdb.storage.Appender app = head.appender();
                app.append(0, m, firstT + k * step, 1);
                app.commit();
            }
            io.specula.tsdb.storage.Appender app = head.appender();
            for (int k = 0; k < 30; k++) { // 7 s after 30 of the scrapes of the last 45 minutes
                app.append(0, m, lastT - 45 * 60_000 + k * 60_000 + 7_000, 2);
            }
            app.commit();
        }
        assertThat(SegmentFiles.list(data.resolve("wbl"))).isNotEmpty();
        try (PrometheusProcess prom = PrometheusProcess.start(tmp, data, """
                global:
                  scrape_interval: 1h
                storage:
                  tsdb:
                    out_of_order_time_window: 1h
                scrape_configs: []
                """)) {
            double t = lastT / 1000.0;
            assertThat(prom.log()).doesNotContainIgnoringCase("corruption");
            assertThat(prom.queryValue("count_over_time(specula_ooo_test[2h])", t)).isEqualTo(Integer.toString(scrapes + 30));
            assertThat(prom.queryValue("sum_over_time(specula_ooo_test[2h])", t)).isEqualTo(Integer.toString(scrapes + 60));
        }
    }
}

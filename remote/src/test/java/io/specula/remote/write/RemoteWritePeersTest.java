package io.specula.remote.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.specula.model.config.PromDuration;
import io.specula.model.labels.LabelNames.NameValidation;
import io.specula.model.labels.Labels;
import io.specula.testsupport.Await;
import io.specula.testsupport.RealPrometheus;
import io.specula.testsupport.RealVictoriaMetrics;
import io.specula.tsdb.head.Head;
import io.specula.tsdb.head.HeadOptions;
import io.specula.tsdb.storage.Appender;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Specula's sender against the real receivers: every sample Specula's head holds for a window is
 * at the receiver, read back through the receiver's own PromQL API (a range selector, which
 * returns raw samples). Skips loudly without Debian's {@code prometheus} / {@code victoria-metrics}.
 */
class RemoteWritePeersTest {
    static final int SERIES = 40, SAMPLES = 180;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** Appends SERIES × SAMPLES samples (15 s apart, ending 2 min ago) and sends them to {@code url}. */
    long sendAll(String url, String message) throws Exception {
        long end = (System.currentTimeMillis() - 120_000) / 1000 * 1000;
        long start = end - (SAMPLES - 1) * 15_000L;
        try (Head head = Head.open(tmp.resolve("specula"), HeadOptions.defaults())) {
            RemoteWriteConfig c = new RemoteWriteConfig();
            c.url = url;
            c.protobufMessage = message;
            c.queueConfig = new RemoteWriteConfig.QueueConfig();
            c.queueConfig.batchSendDeadline = PromDuration.ofMillis(200);
            c.queueConfig.maxSamplesPerSend = 500;
            c.validate(NameValidation.UTF8);
            PrometheusRegistry reg = new PrometheusRegistry();
            try (RemoteWriteStorage rw = new RemoteWriteStorage(tmp.resolve("specula/wal"), tmp.resolve("specula/remote_write"), reg, 1L << 30)) {
                rw.applyConfig(List.of(c), Labels.of("replica", "specula"));
                Thread.sleep(300);
                for (int i = 0; i < SAMPLES; i++) {
                    Appender a = head.appender();
                    for (int s = 0; s < SERIES; s++) {
                        a.append(0, Labels.of("__name__", "rw_peer_test", "series", Integer.toString(s)), start + i * 15_000L,
                                s * 1000 + i + 0.25);
                    }
                    a.commit();
                }
                Await.until(Duration.ofSeconds(30), () -> sent(reg) >= SERIES * SAMPLES);
            }
        }
        return end;
    }

    static double sent(PrometheusRegistry reg) {
        for (var snap : reg.scrape()) {
            if (snap.getMetadata().getName().equals("prometheus_remote_storage_samples")) {
                return snap.getDataPoints().stream()
                        .mapToDouble(d -> ((io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot) d).getValue())
                        .sum();
            }
        }
        return 0;
    }

    /** series label → timestamp → value, from a PromQL range selector answered by {@code base}. */
    static TreeMap<String, TreeMap<Long, Double>> rawSamples(String base, long end) throws Exception {
        String q = URLEncoder.encode("rw_peer_test{replica=\"specula\"}[" + (SAMPLES * 15 + 60) + "s]", StandardCharsets.UTF_8);
        try (HttpClient http = HttpClient.newHttpClient()) {
            String body = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/query?query=" + q + "&time=" + (end / 1000 + 1)))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            JsonNode root = JSON.readTree(body);
            TreeMap<String, TreeMap<Long, Double>> out = new TreeMap<>();
            for (JsonNode r : root.path("data").path("result")) {
                TreeMap<Long, Double> vs = out.computeIfAbsent(r.path("metric").path("series").asString(), k -> new TreeMap<>());
                for (JsonNode v : r.path("values")) {
                    vs.put(Math.round(v.get(0).asDouble() * 1000), Double.parseDouble(v.get(1).asString()));
                }
            }
            return out;
        }
    }

    static void assertEverySample(TreeMap<String, TreeMap<Long, Double>> got, long end) {
        assertThat(got).hasSize(SERIES);
        long start = end - (SAMPLES - 1) * 15_000L;
        for (int s = 0; s < SERIES; s++) {
            TreeMap<Long, Double> vs = got.get(Integer.toString(s));
            assertThat(vs).as("series %d", s).hasSize(SAMPLES);
            for (int i = 0; i < SAMPLES; i++) {
                assertThat(vs.get(start + i * 15_000L)).as("series %d sample %d", s, i).isEqualTo(s * 1000 + i + 0.25);
            }
        }
    }

    @Test
    void prometheus242_receivesEverySample_v1() throws Exception {
        assumeTrue(RealPrometheus.available(), "Debian package 'prometheus' (2.42) not installed: /usr/bin/prometheus missing");
        Path cfg = Files.writeString(tmp.resolve("prom.yml"), "global: {}\n");
        try (RealPrometheus p = RealPrometheus.start(cfg, tmp.resolve("prom"), List.of(), "--web.enable-remote-write-receiver")) {
            long end = sendAllBackfilled(p.url("/api/v1/write"), RemoteWriteConfig.MESSAGE_V1);
            assertEverySample(rawSamples(p.url(""), end), end);
        }
    }

    @Test
    void prometheus242_v2Requested_fallsBackTo1_0_receivesEverySample() throws Exception {
        // 2.42 predates remote write 2.0: it takes the body as a 1.0 request with no series and
        // answers 204 without the 2.0 "written" headers; the sender must notice and resend as 1.0.
        assumeTrue(RealPrometheus.available(), "Debian package 'prometheus' (2.42) not installed: /usr/bin/prometheus missing");
        Path cfg = Files.writeString(tmp.resolve("prom.yml"), "global: {}\n");
        try (RealPrometheus p = RealPrometheus.start(cfg, tmp.resolve("prom"), List.of(), "--web.enable-remote-write-receiver")) {
            long end = sendAllBackfilled(p.url("/api/v1/write"), RemoteWriteConfig.MESSAGE_V2);
            assertEverySample(rawSamples(p.url(""), end), end);
        }
    }

    @Test
    void victoriaMetrics179_receivesEverySample_v1() throws Exception {
        assumeTrue(RealVictoriaMetrics.available(), "Debian package 'victoria-metrics' (1.79) not installed: /usr/bin/victoria-metrics missing");
        Path cfg = Files.writeString(tmp.resolve("vm.yml"), "scrape_configs: []\n");
        try (RealVictoriaMetrics vm = RealVictoriaMetrics.start(cfg, tmp.resolve("vm"), "-search.disableCache", "-search.latencyOffset=0s")) {
            long end = sendAllBackfilled(vm.url("/api/v1/write"), RemoteWriteConfig.MESSAGE_V1);
            Await.until(Duration.ofSeconds(20), () -> {
                try {
                    TreeMap<String, TreeMap<Long, Double>> got = rawSamples(vm.url(""), end);
                    return got.size() == SERIES && got.values().stream().allMatch(v -> v.size() == SAMPLES);
                } catch (Exception e) {
                    return false;
                }
            });
            assertEverySample(rawSamples(vm.url(""), end), end);
        }
    }

    /** As {@link #sendAll} with a queue started before the samples were appended, sending from a saved position of the WAL's start. */
    long sendAllBackfilled(String url, String message) throws Exception {
        // A saved position at the WAL's first record: the queue sends everything, whatever the timestamps.
        new WalPosition(0, 0).save(tmp.resolve("specula/remote_write").resolve(positionKey(url)));
        return sendAll(url, message);
    }

    static String positionKey(String url) {
        RemoteWriteConfig c = new RemoteWriteConfig();
        c.url = url;
        return c.positionKey() + ".position";
    }

}

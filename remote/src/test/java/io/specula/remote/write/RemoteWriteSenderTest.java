package io.specula.remote.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.specula.model.config.PromDuration;
import io.specula.model.labels.LabelNames.NameValidation;
import io.specula.model.labels.Labels;
import io.specula.model.relabel.RelabelConfig;
import io.specula.testsupport.Await;
import io.specula.tsdb.head.Head;
import io.specula.tsdb.head.HeadOptions;
import io.specula.tsdb.storage.Appender;
import io.specula.tsdb.wal.WalWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sender against a scripted receiver: delivery, headers, retry classes, backoff, 2.0 and its fallback, order, resume. */
class RemoteWriteSenderTest {
    @TempDir
    Path tmp;
    Head head;
    ScriptedReceiver rx;
    RemoteWriteStorage storage;
    long now = System.currentTimeMillis() + 60_000; // after the queues' start time, which a first start sends from

    @BeforeEach
    void open() throws Exception {
        head = openHead();
        rx = new ScriptedReceiver();
    }

    Head openHead() throws Exception {
        return Head.open(tmp.resolve("data"), HeadOptions.defaults().withWal(WalWriter.Options.defaults().withSegmentSize(32 * 1024)));
    }

    @AfterEach
    void close() throws Exception {
        if (storage != null) {
            storage.close();
        }
        head.close();
        rx.close();
    }

    RemoteWriteConfig config(String yamlExtra) throws Exception {
        RemoteWriteConfig c = new RemoteWriteConfig();
        c.url = rx.url();
        c.queueConfig = new RemoteWriteConfig.QueueConfig();
        c.queueConfig.batchSendDeadline = PromDuration.ofMillis(50);
        c.queueConfig.minBackoff = PromDuration.ofMillis(10);
        c.queueConfig.maxBackoff = PromDuration.ofMillis(80);
        c.queueConfig.maxSamplesPerSend = 100;
        return c;
    }

    void start(RemoteWriteConfig... cs) throws Exception {
        for (RemoteWriteConfig c : cs) {
            c.validate(NameValidation.UTF8);
        }
        storage = new RemoteWriteStorage(tmp.resolve("data/wal"), tmp.resolve("data/remote_write"), new PrometheusRegistry(), 1L << 30);
        storage.applyConfig(List.of(cs), Labels.of("cluster", "c1"));
    }

    /** Appends {@code n} samples to each of {@code series} series, 1 s apart from {@code t0}. */
    void append(int series, int n, long t0) throws Exception {
        for (int i = 0; i < n; i++) {
            Appender a = head.appender();
            for (int s = 0; s < series; s++) {
                a.append(0, Labels.of("__name__", "m", "s", Integer.toString(s)), t0 + i * 1000L, i);
            }
            a.commit();
        }
    }

    static Map<String, List<Long>> bySeries(List<ScriptedReceiver.Sample> samples) {
        Map<String, List<Long>> out = new HashMap<>();
        for (ScriptedReceiver.Sample s : samples) {
            out.computeIfAbsent(s.series(), k -> new ArrayList<>()).add(s.t());
        }
        return out;
    }

    @Test
    void send_v1_deliversEverySample_withPrometheusHeaders_externalLabels_relabeling() throws Exception {
        RemoteWriteConfig c = config("");
        RelabelConfig drop = new RelabelConfig();
        drop.setSourceLabels(List.of("s"));
        drop.setRegex("3");
        drop.setAction("drop");
        c.writeRelabelConfigs = List.of(drop);
        c.headers = Map.of("X-Scope-OrgID", "tenant1");
        start(c);
        append(5, 40, now + 1000);
        Await.until(Duration.ofSeconds(20), () -> rx.accepted().size() >= 4 * 40);
        Thread.sleep(200);
        List<ScriptedReceiver.Sample> got = rx.accepted();
        assertThat(got).hasSize(160);
        assertThat(bySeries(got)).containsOnlyKeys("__name__=m,cluster=c1,s=0", "__name__=m,cluster=c1,s=1",
                "__name__=m,cluster=c1,s=2", "__name__=m,cluster=c1,s=4");
        ScriptedReceiver.Req r = rx.requests.getFirst();
        assertThat(r.header("Content-Encoding")).isEqualTo("snappy");
        assertThat(r.header("Content-Type")).isEqualTo("application/x-protobuf");
        assertThat(r.header("X-Prometheus-Remote-Write-Version")).isEqualTo("0.1.0");
        assertThat(r.header("X-Scope-OrgID")).isEqualTo("tenant1");
        assertThat(r.header("User-Agent")).startsWith("Specula");
    }

    @Test
    void send_retriesOn5xx_andNetworkErrors_dropsOn4xx_429OnlyWhenConfigured() throws Exception {
        RemoteWriteConfig c = config("");
        c.queueConfig.maxSamplesPerSend = 1000;
        c.queueConfig.batchSendDeadline = PromDuration.ofMillis(300);
        start(c);
        rx.script.add(ScriptedReceiver.Answer.of(500));
        rx.script.add(ScriptedReceiver.Answer.of(503));
        append(1, 3, now + 1000);
        Await.until(Duration.ofSeconds(10), () -> rx.accepted().size() == 3);
        assertThat(rx.requests).extracting(ScriptedReceiver.Req::status).containsExactly(500, 503, 204);
        assertThat(rx.requests.get(1).samples()).isEqualTo(rx.requests.get(0).samples()); // the same batch again
        assertThat(rx.requests.get(1).header("Retry-Attempt")).isEqualTo("1");

        // 400: refused for good, the batch is not sent again.
        rx.requests.clear();
        rx.script.add(ScriptedReceiver.Answer.of(400));
        append(1, 2, now + 10_000);
        Await.until(Duration.ofSeconds(10), () -> !rx.requests.isEmpty());
        Thread.sleep(500);
        assertThat(rx.requests).extracting(ScriptedReceiver.Req::status).containsExactly(400);

        // 429 without retry_on_http_429: dropped too.
        rx.requests.clear();
        rx.script.add(ScriptedReceiver.Answer.of(429));
        append(1, 2, now + 20_000);
        Await.until(Duration.ofSeconds(10), () -> !rx.requests.isEmpty());
        Thread.sleep(500);
        assertThat(rx.requests).extracting(ScriptedReceiver.Req::status).containsExactly(429);
    }

    @Test
    void send_429WithRetryOn429_honoursRetryAfter() throws Exception {
        RemoteWriteConfig c = config("");
        c.queueConfig.retryOnHttp429 = true;
        c.queueConfig.batchSendDeadline = PromDuration.ofMillis(300);
        start(c);
        rx.script.add(new ScriptedReceiver.Answer(429, Map.of("Retry-After", "1")));
        append(1, 2, now + 1000);
        Await.until(Duration.ofSeconds(10), () -> rx.accepted().size() == 2);
        assertThat(rx.requests).extracting(ScriptedReceiver.Req::status).containsExactly(429, 204);
        long gapMs = (rx.requests.get(1).atNanos() - rx.requests.get(0).atNanos()) / 1_000_000;
        assertThat(gapMs).isGreaterThanOrEqualTo(950); // Retry-After: 1 (min_backoff is 10ms)
    }

    @Test
    void send_backoffGrowsExponentially_upToMaxBackoff() throws Exception {
        RemoteWriteConfig c = config("");
        c.queueConfig.minBackoff = PromDuration.ofMillis(40);
        c.queueConfig.maxBackoff = PromDuration.ofMillis(320);
        c.queueConfig.batchSendDeadline = PromDuration.ofMillis(300);
        start(c);
        for (int i = 0; i < 6; i++) {
            rx.script.add(ScriptedReceiver.Answer.of(502));
        }
        append(1, 1, now + 1000);
        Await.until(Duration.ofSeconds(10), () -> rx.accepted().size() == 1);
        List<ScriptedReceiver.Req> r = rx.requests;
        assertThat(r).hasSize(7);
        long[] gaps = new long[6];
        for (int i = 0; i < 6; i++) {
            gaps[i] = (r.get(i + 1).atNanos() - r.get(i).atNanos()) / 1_000_000;
        }
        // Jittered in [backoff/2, backoff]: 40, 80, 160, 320, 320, 320.
        long[] backoff = {40, 80, 160, 320, 320, 320};
        for (int i = 0; i < 6; i++) {
            assertThat(gaps[i]).as("gap %d", i).isBetween(backoff[i] / 2, backoff[i] + 150);
        }
    }

    @Test
    void send_v2_symbolsAndHeaders_andFallsBackTo1_0On415() throws Exception {
        RemoteWriteConfig c = config("");
        c.protobufMessage = RemoteWriteConfig.MESSAGE_V2;
        c.queueConfig.batchSendDeadline = PromDuration.ofMillis(300);
        start(c);
        append(2, 3, now + 1000);
        Await.until(Duration.ofSeconds(10), () -> rx.accepted().size() == 6);
        ScriptedReceiver.Req r = rx.requests.getFirst();
        assertThat(r.header("Content-Type")).isEqualTo("application/x-protobuf;proto=io.prometheus.write.v2.Request");
        assertThat(r.header("X-Prometheus-Remote-Write-Version")).isEqualTo("2.0.0");
        assertThat(bySeries(rx.accepted())).containsOnlyKeys("__name__=m,cluster=c1,s=0", "__name__=m,cluster=c1,s=1");

        rx.requests.clear();
        rx.script.add(ScriptedReceiver.Answer.of(415));
        append(2, 3, now + 10_000);
        Await.until(Duration.ofSeconds(10), () -> rx.accepted().size() == 6);
        assertThat(rx.requests.get(0).status()).isEqualTo(415);
        assertThat(rx.requests.get(1).header("Content-Type")).isEqualTo("application/x-protobuf");
        assertThat(rx.requests.get(1).header("X-Prometheus-Remote-Write-Version")).isEqualTo("0.1.0");
        assertThat(rx.requests.get(1).samples()).isEqualTo(rx.requests.get(0).samples());
    }

    @Test
    void applyConfig_restartsOnlyQueuesWhoseEntryOrExternalLabelsChanged() throws Exception {
        RemoteWriteConfig a = config(""), b = config("");
        a.name = "a";
        b.name = "b";
        start(a, b);
        List<QueueManager> before = storage.queues();
        RemoteWriteConfig a2 = config(""), b2 = config("");
        a2.name = "a";
        b2.name = "b";
        b2.remoteTimeout = PromDuration.ofSeconds(7);
        a2.validate(NameValidation.UTF8);
        b2.validate(NameValidation.UTF8);
        storage.applyConfig(List.of(a2, b2), Labels.of("cluster", "c1"));
        List<QueueManager> after = storage.queues();
        assertThat(after).hasSize(2).contains(before.get(0)).doesNotContain(before.get(1));
        storage.applyConfig(List.of(a2, b2), Labels.of("cluster", "c2"));
        assertThat(storage.queues()).hasSize(2).doesNotContainAnyElementsOf(after);
        storage.applyConfig(List.of(b2), Labels.of("cluster", "c2"));
        assertThat(storage.queues()).extracting(q -> q.remoteName).containsExactly("b");
        append(1, 3, now + 1000); // the remaining queue still delivers
        Await.until(Duration.ofSeconds(10), () -> rx.accepted().size() >= 3);
    }

    @Test
    void send_v2AnsweredWithoutWrittenHeaders_resentAs1_0() throws Exception {
        RemoteWriteConfig c = config("");
        c.protobufMessage = RemoteWriteConfig.MESSAGE_V2;
        c.queueConfig.batchSendDeadline = PromDuration.ofMillis(300);
        start(c);
        rx.writtenHeaders = false; // as a 1.0-only receiver answers

        append(1, 3, now + 1000);
        Await.until(Duration.ofSeconds(10), () -> rx.requests.stream().anyMatch(r -> !r.header("Content-Type").contains("v2")));
        assertThat(rx.requests.getLast().header("X-Prometheus-Remote-Write-Version")).isEqualTo("0.1.0");
        assertThat(rx.requests.getLast().samples()).hasSize(3);
    }

    @Test
    void send_manyShards_keepsOrderPerSeries_acrossSegments() throws Exception {
        RemoteWriteConfig c = config("");
        c.queueConfig.minShards = 4;
        c.queueConfig.maxShards = 4;
        c.queueConfig.maxSamplesPerSend = 7;
        c.queueConfig.capacity = 20;
        start(c);
        rx.policy = req -> Math.random() < 0.2 ? ScriptedReceiver.Answer.of(503) : null;
        append(20, 250, now + 1000);
        Await.until(Duration.ofSeconds(60), () -> rx.accepted().size() >= 5000);
        Map<String, List<Long>> got = bySeries(rx.accepted());
        assertThat(got).hasSize(20);
        for (var e : got.entrySet()) {
            List<Long> ts = e.getValue();
            assertThat(ts).as(e.getKey()).hasSize(250).isSorted().doesNotHaveDuplicates();
        }
        assertThat(Files.list(tmp.resolve("data/wal")).filter(p -> p.getFileName().toString().matches("\\d+")).count())
                .isGreaterThan(1); // the watcher crossed segments
    }

    @Test
    void restart_resumesFromSavedPosition_noHoleForSamplesWrittenWhileStopped() throws Exception {
        RemoteWriteConfig c = config("");
        c.name = "q1";
        start(c);
        append(3, 10, now + 1000);
        Await.until(Duration.ofSeconds(10), () -> rx.accepted().size() == 30);
        Thread.sleep(QueueManager.SAVE_SECONDS * 1000 + 500); // a save after everything was delivered
        storage.close();
        storage = null;
        // Written while the sender is down, and the receiver fails at first when it is back.
        append(3, 10, now + 20_000);
        rx.script.add(ScriptedReceiver.Answer.of(503));
        RemoteWriteConfig c2 = config("");
        c2.name = "q1";
        c2.remoteTimeout = PromDuration.ofSeconds(5); // another config: a restarted queue with the same name
        start(c2);
        Await.until(Duration.ofSeconds(15), () -> rx.accepted().size() >= 60);
        Map<String, List<Long>> got = bySeries(rx.accepted());
        for (List<Long> ts : got.values()) {
            assertThat(ts.stream().distinct().count()).isEqualTo(20); // no hole (duplicates would be allowed)
        }
        assertThat(rx.accepted()).hasSize(60); // and here none, since the position was saved after the first 30
    }

    @Test
    void keepWalFrom_holdsUndeliveredSegments_boundedBySize() throws Exception {
        RemoteWriteConfig c = config("");
        c.name = "held";
        start(c);
        append(50, 20, now + 1000);
        Await.until(Duration.ofSeconds(20), () -> rx.accepted().size() == 1000);
        Await.until(Duration.ofSeconds(15), () -> storage.keepWalFrom() != Integer.MAX_VALUE);
        rx.policy = r -> ScriptedReceiver.Answer.of(503); // receiver down from here
        int held = storage.keepWalFrom();
        append(50, 200, now + 100_000); // several more segments
        Thread.sleep(QueueManager.SAVE_SECONDS * 1000 + 500);
        assertThat(storage.keepWalFrom()).isEqualTo(held); // nothing delivered: the hold stays
        head.holdWalSegments(storage::keepWalFrom);
        head.truncate(now + 1000 + 500_000);
        assertThat(Files.exists(io.specula.tsdb.wal.SegmentFiles.path(tmp.resolve("data/wal"), held))).isTrue();

        RemoteWriteStorage small = new RemoteWriteStorage(tmp.resolve("data/wal"), tmp.resolve("data/remote_write"),
                new PrometheusRegistry(), 64 * 1024);
        try {
            RemoteWriteConfig c2 = config("");
            c2.name = "held";
            c2.url = "http://127.0.0.1:1/api/v1/write"; // nothing listens
            c2.validate(NameValidation.UTF8);
            storage.close();
            storage = null;
            small.applyConfig(List.of(c2), Labels.EMPTY);
            assertThat(small.keepWalFrom()).isGreaterThan(held); // the bound releases the oldest
        } finally {
            small.close();
        }
    }
}

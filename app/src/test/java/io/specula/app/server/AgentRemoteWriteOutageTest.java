package io.specula.app.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.specula.app.Main;
import io.specula.model.labels.Labels;
import io.specula.testsupport.Await;
import io.specula.testsupport.RealPrometheus;
import io.specula.tsdb.record.RecordType;
import io.specula.tsdb.record.SamplesRecord;
import io.specula.tsdb.record.SeriesRecord;
import io.specula.tsdb.wal.WalReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outage-and-crash scenario in agent mode: a Specula agent scrapes every second and
 * remote-writes to Prometheus 2.42 through a proxy; the proxy goes down, the agent is killed
 * with SIGKILL and restarted while it is down, then the proxy comes back. Every sample of
 * {@code up} the agent wrote to its WAL in the window must reach the receiver, and the agent's
 * directory holds no TSDB blocks (only {@code wal/} and the queue's {@code remote_write/}).
 */
class AgentRemoteWriteOutageTest {
    static final int UP_SECONDS = 5, DOWN_BEFORE_KILL = 6, DOWN_AFTER_RESTART = 5;

    @TempDir
    Path tmp;

    static Process startAgent(Path cfg, Path data, int port) throws IOException {
        List<String> cmd = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "server", "--agent", "--config.file=" + cfg,
                "--storage.agent.path=" + data, "--web.listen-address=127.0.0.1:" + port);
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolveSibling("agent.log").toFile())).start();
    }

    /** Timestamps of the {@code up} samples in the agent's WAL (read after the agent stopped). */
    static TreeSet<Long> walUpTimestamps(Path wal) throws Exception {
        Set<Long> upRefs = new HashSet<>();
        TreeSet<Long> out = new TreeSet<>();
        SeriesRecord sr = new SeriesRecord();
        SamplesRecord sm = new SamplesRecord();
        try (WalReader r = WalReader.openForReplay(wal)) {
            while (r.next()) {
                RecordType t = RecordType.of(r.record(), r.recordLength());
                if (t == RecordType.SERIES) {
                    sr.decode(r.record(), r.recordLength());
                    for (int i = 0; i < sr.size(); i++) {
                        Labels l = sr.labels(i);
                        if ("up".equals(l.get("__name__")) && "target".equals(l.get("job"))) {
                            upRefs.add(sr.ref(i));
                        }
                    }
                } else if (t == RecordType.SAMPLES) {
                    sm.decode(r.record(), r.recordLength());
                    for (int i = 0; i < sm.size(); i++) {
                        if (upRefs.contains(sm.ref(i))) {
                            out.add(sm.t(i));
                        }
                    }
                }
            }
        }
        return out;
    }

    @Test
    void agentOutageAndCrash_deliversEverySample_andKeepsNoBlocks() throws Exception {
        assumeTrue(RealPrometheus.available(), "Debian package 'prometheus' (2.42) not installed: /usr/bin/prometheus missing");
        Path rcfg = Files.writeString(tmp.resolve("receiver.yml"), "global: {}\n");
        try (RealPrometheus receiver = RealPrometheus.start(rcfg, tmp.resolve("receiver"), List.of(), "--web.enable-remote-write-receiver");
                RemoteWriteOutageTest.ToggleProxy proxy = new RemoteWriteOutageTest.ToggleProxy(receiver.port())) {
            Path dir = Files.createDirectories(tmp.resolve("agent"));
            Path cfg = Files.writeString(dir.resolve("agent.yml"), RemoteWriteOutageTest.config("agent", receiver.port(), proxy.url()));
            Path data = dir.resolve("data-agent");
            int port = RemoteWriteOutageTest.freePort();
            String self = "http://127.0.0.1:" + port;
            Process a = startAgent(cfg, data, port);
            try {
                Await.until(Duration.ofSeconds(60), () -> {
                    try {
                        return !RemoteWriteOutageTest.upTimestamps(receiver.url(""), ",sender=\"agent\"").isEmpty();
                    } catch (Exception e) {
                        return false;
                    }
                });
                Thread.sleep(UP_SECONDS * 1000L);
                proxy.down();
                Thread.sleep(DOWN_BEFORE_KILL * 1000L);
                a.destroyForcibly();
                a.waitFor();
                a = startAgent(cfg, data, port);
                Process started = a;
                Await.until(Duration.ofSeconds(60), () -> {
                    try {
                        return started.isAlive() && RemoteWriteOutageTest.get(self + "/-/ready").contains("Ready");
                    } catch (Exception e) {
                        return false;
                    }
                });
                // Still an agent: queries are refused with Prometheus's agent error.
                assertThat(RemoteWriteOutageTest.get(self + "/api/v1/query?query=up")).contains("unavailable with Prometheus Agent");
                Thread.sleep(DOWN_AFTER_RESTART * 1000L);
                proxy.up();
                long cut = System.currentTimeMillis() - 3000;
                // Samples of one series arrive in WAL order: one at or after the cut means all before it were sent.
                Await.until(Duration.ofSeconds(60), () -> {
                    try {
                        TreeSet<Long> got = RemoteWriteOutageTest.upTimestamps(receiver.url(""), ",sender=\"agent\"");
                        return !got.isEmpty() && got.last() >= cut;
                    } catch (Exception e) {
                        return false;
                    }
                });
            } finally {
                a.destroyForcibly();
                a.waitFor();
            }
            TreeSet<Long> got = RemoteWriteOutageTest.upTimestamps(receiver.url(""), ",sender=\"agent\"");
            long cut = got.last();
            TreeSet<Long> own = walUpTimestamps(data.resolve("wal"));
            Set<Long> miss = RemoteWriteOutageTest.missing(own, got, cut);
            System.out.printf("remote-write outage (Specula agent): %d samples of up in the agent's WAL in the window, %d missing at the receiver%n",
                    own.subSet(got.first(), true, cut, true).size(), miss.size());
            assertThat(own.subSet(got.first(), true, cut, true)).hasSizeGreaterThan(UP_SECONDS + DOWN_BEFORE_KILL);
            assertThat(miss).as("samples the agent scraped that never reached the receiver").isEmpty();
            try (Stream<Path> files = Files.list(data)) {
                assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly("remote_write", "wal");
            }
        }
    }
}

package io.specula.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.labels.Labels;
import io.specula.model.labels.Matcher;
import io.specula.tsdb.exemplar.CircularExemplarStorage;
import io.specula.tsdb.storage.AppendException;
import io.specula.tsdb.storage.Appender;
import io.specula.tsdb.wal.WalWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadExemplarsTest {
    private static final Labels S = Labels.of("__name__", "req_total", "job", "a");
    private static final List<Matcher[]> ALL = List.<Matcher[]>of(new Matcher[] {Matcher.equal("job", "a")});

    @TempDir
    Path tmp;

    private static List<String> stored(Head head) {
        List<String> out = new ArrayList<>();
        for (var r : head.exemplarStorage().select(Long.MIN_VALUE, Long.MAX_VALUE, ALL)) {
            for (var e : r.exemplars()) {
                out.add(r.seriesLabels().get("__name__") + "/" + e.labels().get("trace_id") + "@" + e.t() + "=" + e.value());
            }
        }
        return out;
    }

    @Test
    void appendExemplar_visibleOnlyAfterCommit() throws Exception {
        Head head = new Head();
        head.useExemplarStorage(new CircularExemplarStorage(10));
        Appender app = head.appender();
        long ref = app.append(0, S, 1000, 1);
        app.appendExemplar(ref, S, Labels.of("trace_id", "t1", "empty", ""), 900, 0.5);
        assertThat(stored(head)).isEmpty();
        app.commit();
        assertThat(stored(head)).containsExactly("req_total/t1@900=0.5");
        assertThat(head.exemplarStorage().select(0, 2000, ALL).get(0).exemplars().get(0).labels())
                .isEqualTo(Labels.of("trace_id", "t1")); // empty labels dropped

        Appender rolledBack = head.appender();
        rolledBack.appendExemplar(ref, S, Labels.of("trace_id", "t2"), 950, 1);
        rolledBack.rollback();
        assertThat(stored(head)).hasSize(1);
    }

    @Test
    void appendExemplar_refusesOutOfOrderAndLongLabels_acceptsDuplicates() throws Exception {
        Head head = new Head();
        head.useExemplarStorage(new CircularExemplarStorage(10));
        Appender app = head.appender();
        long ref = app.append(0, S, 1000, 1);
        app.appendExemplar(ref, S, Labels.of("trace_id", "t1"), false, 1000, 1); // stamped with the scrape's time
        app.commit();
        Appender next = head.appender();
        assertThatThrownBy(() -> next.appendExemplar(ref, S, Labels.of("trace_id", "t0"), 999, 1))
                .isInstanceOf(AppendException.class).hasMessage("out of order exemplar");
        assertThatThrownBy(() -> next.appendExemplar(ref, S, Labels.of("trace_id", "x".repeat(121)), 2000, 1))
                .isInstanceOf(AppendException.class)
                .hasMessage("label length for exemplar exceeds maximum of 128 UTF-8 characters");
        next.appendExemplar(ref, S, Labels.of("trace_id", "t1"), false, 5000, 1); // scrape time, same exemplar
        assertThatThrownBy(() -> next.appendExemplar(12345, null, Labels.of("trace_id", "t"), 2000, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown HeadSeriesRef when trying to add exemplar: 12345");
        next.appendExemplar(0, S, Labels.of("trace_id", "t3"), 3000, 3); // found by labels
        next.commit();
        assertThat(stored(head)).containsExactly("req_total/t1@1000=1.0", "req_total/t3@3000=3.0");
    }

    @Test
    void appendExemplar_withoutStorageAcceptsAndDrops() throws Exception {
        Head head = new Head();
        Appender app = head.appender();
        long ref = app.append(0, S, 1000, 1);
        app.appendExemplar(ref, S, Labels.of("trace_id", "t1"), 1000, 1);
        app.commit();
        assertThat(stored(head)).isEmpty();
    }

    private static HeadOptions options() {
        return HeadOptions.defaults().withWal(WalWriter.Options.defaults().withSegmentSize(32 * 1024)).withReplayWorkers(1);
    }

    @Test
    void wal_roundTripAndCheckpointKeepExemplars() throws Exception {
        Path dir = tmp.resolve("data");
        List<String> expected = new ArrayList<>();
        try (Head head = Head.open(dir, options(), new CircularExemplarStorage(1000))) {
            for (int k = 1; k <= 400; k++) {
                Appender app = head.appender();
                long ref = app.append(0, S, k * 1000L, k);
                app.appendExemplar(ref, S, Labels.of("trace_id", "t" + k), k * 1000L, k);
                app.commit();
                if (k > 100) {
                    expected.add("req_total/t" + k + "@" + k * 1000L + "=" + (double) k);
                }
            }
            head.truncate(101_000); // checkpoint: exemplars at or after mint stay
            assertThat(Files.list(dir.resolve("wal")).anyMatch(p -> p.getFileName().toString().startsWith("checkpoint.")))
                    .isTrue();
        }
        try (Head head = Head.open(dir, options(), new CircularExemplarStorage(1000))) {
            assertThat(stored(head)).containsExactlyElementsOf(expected);
        }
        // Reopened with a smaller ring: the newest are kept.
        try (Head head = Head.open(dir, options(), new CircularExemplarStorage(10))) {
            assertThat(stored(head)).containsExactlyElementsOf(expected.subList(expected.size() - 10, expected.size()));
        }
        // Without exemplar storage the records are skipped, and the samples are all there.
        try (Head head = Head.open(dir, options())) {
            assertThat(stored(head)).isEmpty();
            assertThat(head.numSeries()).isEqualTo(1);
        }
    }

    @Test
    void killNine_keepsCommittedExemplars() throws Exception {
        Path dir = tmp.resolve("kill");
        Path out = tmp.resolve("child.out");
        Path err = tmp.resolve("child.err");
        long last = -1;
        for (int kill = 0; kill < 3; kill++) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"), ExemplarKillChild.class.getName(), dir.toString());
            pb.redirectOutput(out.toFile());
            pb.redirectError(err.toFile());
            Process child = pb.start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (committed(out).size() < 20) {
                    assertThat(child.isAlive()).as("child runs; stderr: %s", Files.readString(err)).isTrue();
                    assertThat(System.nanoTime()).isLessThan(deadline);
                    Thread.sleep(20);
                }
                Thread.sleep(150 + kill * 100L);
            } finally {
                child.destroyForcibly();
                child.waitFor(60, TimeUnit.SECONDS);
            }
            assertThat(child.exitValue()).isEqualTo(137);
            List<Long> done = committed(out);
            assertThat(done.getFirst()).as("continues after the last committed batch").isGreaterThan(last);
            last = done.getLast();
            try (Head head = Head.open(dir, options(), new CircularExemplarStorage(ExemplarKillChild.RING))) {
                List<CircularExemplarStorage.Result> r = head.exemplarStorage().select(Long.MIN_VALUE, Long.MAX_VALUE, ALL);
                assertThat(r).hasSize(1);
                List<CircularExemplarStorage.Exemplar> es = r.get(0).exemplars();
                long newest = es.getLast().t() / ExemplarKillChild.STEP;
                assertThat(newest).as("every committed batch's exemplar survived").isGreaterThanOrEqualTo(last);
                for (int i = 0; i < es.size(); i++) { // consecutive batches, each with its own exemplar
                    long k = newest - (es.size() - 1 - i);
                    assertThat(es.get(i).t()).isEqualTo(k * ExemplarKillChild.STEP);
                    assertThat(es.get(i).labels()).isEqualTo(Labels.of("trace_id", Long.toHexString(k)));
                    assertThat(es.get(i).value()).isEqualTo((double) k);
                }
                assertThat(es).hasSize((int) Math.min(ExemplarKillChild.RING, newest + 1));
            }
        }
    }

    private static List<Long> committed(Path out) throws IOException {
        List<Long> n = new ArrayList<>();
        if (Files.exists(out)) {
            for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
                if (line.startsWith("commit ") && line.endsWith(" ok")) {
                    n.add(Long.parseLong(line.substring(7, line.length() - 3)));
                }
            }
        }
        return n;
    }
}

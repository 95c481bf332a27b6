package io.specula.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import io.specula.model.labels.Matcher;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.wal.SegmentFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash test of the issue: a child JVM ({@link HeadKillChild}) appends to a durable head
 * and is killed with SIGKILL at seeded random moments, many times on the same directory. After
 * every kill the head is reopened here and must hold every batch the child reported committed,
 * with the right values, and nothing that was never appended; a torn tail must have been
 * repaired for good (a second open finds nothing to repair).
 *
 * <p>A kill tears a WAL record only between the system calls that write one record of several
 * pages, a window of microseconds, so few runs would see it. To exercise the repair every time,
 * some kills are followed by what a torn write leaves: random bytes after the end of the last
 * WAL segment or of the data in the last head chunk file. Those bytes belong to no batch the
 * child reported, so every check stays the same.
 *
 * <p>Reproduce a run with {@code -Dspecula.kill.seed=N}; {@code -Dspecula.kill.count=N} changes
 * the number of kills (20 by default).
 */
class HeadKillTest {
    private static final Matcher ALL = Matcher.equal("__name__", "kill_test");

    @TempDir
    Path tmp;

    @Test
    void killNine_manyTimes_losesNoCommittedBatch() throws Exception {
        long seed = Long.getLong("specula.kill.seed", 20_260_301L);
        int kills = Integer.getInteger("specula.kill.count", 20);
        Random rnd = new Random(seed);
        Path dir = tmp.resolve("data");
        Path stdout = tmp.resolve("child.out");
        Path stderr = tmp.resolve("child.err");
        long known = -1; // every batch up to this one is in the head (as far as truncation left it)
        int repairs = 0, injected = 0, killedBeforeOpen = 0;
        long started = System.nanoTime();
        for (int kill = 0; kill < kills; kill++) {
            Process child = start(dir, stdout, stderr);
            try {
                if (rnd.nextInt(5) == 0) {
                    // Sometimes during start-up: while it replays, repairs, or writes its first chunks.
                    Thread.sleep(100 + rnd.nextInt(500));
                } else {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (opened(stdout) == Long.MIN_VALUE) {
                        assertThat(child.isAlive()).as("child runs; stderr: %s", read(stderr)).isTrue();
                        assertThat(System.nanoTime()).as("child opened the head in time").isLessThan(deadline);
                        Thread.sleep(5);
                    }
                    Thread.sleep(rnd.nextInt(700));
                }
            } finally {
                child.destroyForcibly(); // SIGKILL on Linux
                child.waitFor(60, TimeUnit.SECONDS);
            }
            assertThat(child.exitValue()).as("killed, not exited by itself; stderr: %s", read(stderr)).isEqualTo(137);
            long openedAt = opened(stdout);
            if (openedAt == Long.MIN_VALUE) {
                killedBeforeOpen++;
            } else {
                assertThat(openedAt).as("the head the child opened holds what the parent verified").isEqualTo(known);
            }
            long lastCommitted = lastCommitted(stdout);
            long reported = Math.max(known, lastCommitted);
            if (rnd.nextInt(3) == 0) {
                tearTail(dir, rnd);
                injected++;
            }

            try (Head head = Head.open(dir, HeadKillChild.options())) {
                ReplayReport report = head.replayReport();
                if (report.repaired()) {
                    repairs++;
                }
                assertThat(report.unknownSeriesSamples()).as("samples whose series record is missing").isZero();
                known = verify(head, reported, "kill " + kill + " (seed " + seed + ")");
            }
            try (Head head = Head.open(dir, HeadKillChild.options())) {
                assertThat(head.replayReport().repaired()).as("the first open repaired for good").isFalse();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("kill -9 test: %d kills (%d before the head was open) in %.1f s, seed %d; %d opens repaired a tail "
                + "(%d torn tails injected); %d batches written%n", kills, killedBeforeOpen, seconds, seed, repairs, injected, known + 1);
        assertThat(repairs).as("every injected torn tail was repaired").isGreaterThanOrEqualTo(injected);
        assertThat(known).as("the children got work done").isGreaterThan(kills * 10L);
    }

    /**
     * Checks the head against the batches: every sample is one the child appended (its step,
     * its value, bit for bit, no batch after {@code reported + 1}); every batch from the last
     * possible truncation up to the newest present is complete, which is {@code reported} or
     * {@code reported + 1} (committed in the WAL but killed before it said so).
     *
     * @return the newest batch in the head
     */
    private static long verify(Head head, long reported, String what) {
        Map<Labels, List<long[]>> data;
        try (Querier q = head.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
            data = HeadTest.dump(q, ALL);
        }
        int all = HeadKillChild.SERIES + HeadKillChild.WIDE;
        long newest = -1;
        List<Set<Long>> batches = new ArrayList<>();
        for (int i = 0; i < all; i++) {
            List<long[]> samples = data.getOrDefault(HeadKillChild.labels(i), List.of());
            Set<Long> ks = new HashSet<>();
            for (long[] s : samples) {
                assertThat(s[0] % HeadKillChild.STEP).as("%s: series %d has a sample at %d, off the schedule", what, i, s[0]).isZero();
                long k = s[0] / HeadKillChild.STEP;
                assertThat(HeadKillChild.inBatch(i, k)).as("%s: series %d has batch %d, never appended", what, i, k).isTrue();
                assertThat(s[1]).as("%s: series %d, batch %d: value", what, i, k)
                        .isEqualTo(Double.doubleToRawLongBits(HeadKillChild.value(i, k)));
                assertThat(k).as("%s: series %d has batch %d, never appended", what, i, k).isLessThanOrEqualTo(reported + 1);
                assertThat(ks.add(k)).isTrue();
                newest = Math.max(newest, k);
            }
            batches.add(ks);
        }
        assertThat(data).as("%s: only the child's series", what).hasSizeLessThanOrEqualTo(all);
        if (newest < 0) {
            assertThat(reported).as("%s: batches reported committed are missing", what).isNegative();
            return -1;
        }
        assertThat(newest).as("%s: the newest batch (reported committed: %d)", what, reported).isBetween(reported, reported + 1);
        long oldestRequired = 0;
        for (long k = 0; k <= newest; k++) {
            long mint = HeadKillChild.truncationAfter(k);
            if (mint != Long.MIN_VALUE) {
                oldestRequired = mint / HeadKillChild.STEP;
            }
        }
        for (int i = 0; i < all; i++) {
            for (long k = oldestRequired; k <= newest; k++) {
                if (HeadKillChild.inBatch(i, k) && !batches.get(i).contains(k)) {
                    throw new AssertionError(what + ": series " + HeadKillChild.labels(i) + " lacks batch " + k
                            + " (batches " + oldestRequired + ".." + newest + " must be complete)");
                }
            }
        }
        return newest;
    }

    /** Writes 1 to 5000 random bytes where the next record would have gone: the last WAL segment's end, or after the last chunk's data. */
    private static void tearTail(Path dir, Random rnd) throws IOException {
        byte[] junk = new byte[1 + rnd.nextInt(5000)];
        rnd.nextBytes(junk);
        junk[0] = (byte) (junk[0] | 0x40); // never a zero byte first: zeros read as padding, not damage
        Path wal = dir.resolve(Head.WAL_DIR);
        Path chunks = dir.resolve(Head.CHUNKS_DIR);
        List<Path> chunkFiles = HeadDurabilityTest.files(chunks);
        if (rnd.nextBoolean() || chunkFiles.isEmpty()) {
            Path last = SegmentFiles.path(wal, SegmentFiles.last(wal));
            Files.write(last, junk, StandardOpenOption.APPEND);
        } else {
            Path last = chunkFiles.getLast();
            try (FileChannel ch = FileChannel.open(last, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                long end = dataEnd(ch);
                ch.write(ByteBuffer.wrap(junk), Math.max(end, 8));
            }
        }
    }

    /** Offset after the last non-zero byte (head chunk files are preallocated with zeros). */
    private static long dataEnd(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) ch.size());
        ch.read(b, 0);
        long end = 0;
        for (int i = 0; i < b.limit(); i++) {
            if (b.get(i) != 0) {
                end = i + 1;
            }
        }
        return end;
    }

    /**
     * Starts the child with the same java and class path. Its stdout goes to a file: the lines
     * written before the kill are all there afterwards, whatever the timing of a pipe reader.
     */
    private static Process start(Path dir, Path stdout, Path stderr) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), HeadKillChild.class.getName(), dir.toString());
        pb.redirectOutput(stdout.toFile());
        pb.redirectError(stderr.toFile());
        return pb.start();
    }

    /** The child's complete lines of {@code kind}'s numbers; a line without its " ok" end was cut by the kill. */
    private static List<Long> numbers(Path stdout, String kind) throws IOException {
        List<Long> out = new ArrayList<>();
        if (!Files.exists(stdout)) {
            return out;
        }
        for (String line : Files.readAllLines(stdout, StandardCharsets.UTF_8)) {
            String[] f = line.split(" ");
            if (f.length == 3 && f[0].equals(kind) && f[2].equals("ok")) {
                out.add(Long.parseLong(f[1]));
            }
        }
        return out;
    }

    /** The last batch in the head the child opened, Long.MIN_VALUE until it said. */
    private static long opened(Path stdout) throws IOException {
        List<Long> n = numbers(stdout, "open");
        return n.isEmpty() ? Long.MIN_VALUE : n.getFirst();
    }

    private static long lastCommitted(Path stdout) throws IOException {
        List<Long> n = numbers(stdout, "commit");
        for (int i = 1; i < n.size(); i++) {
            assertThat(n.get(i)).as("child commits batches in order").isEqualTo(n.get(i - 1) + 1);
        }
        return n.isEmpty() ? Long.MIN_VALUE : n.getLast();
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }
}

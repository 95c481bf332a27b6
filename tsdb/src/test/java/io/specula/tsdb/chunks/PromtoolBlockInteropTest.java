package io.specula.tsdb.chunks;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.tsdb.chunkenc.Chunk;
import io.specula.tsdb.chunkenc.ChunkAppender;
import io.specula.tsdb.chunkenc.Encoding;
import io.specula.tsdb.chunkenc.XorChunk;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.ValueType;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reads blocks written by the real Prometheus: an OpenMetrics file generated here goes
 * through {@code promtool tsdb create-blocks-from openmetrics}, and every chunk of the
 * block's {@code chunks/} segments must (1) pass our header and CRC32C checks, (2) decode with
 * {@link XorChunk} to exactly the samples written, bit for bit, and (3) be re-encoded by our
 * appender into the very same bytes.
 *
 * <p>The index is not read: chunks are scanned in file order, which is series order (sorted
 * by labels) and, within a series, time order. All series start at the same time, so a chunk
 * starting before the previous chunk's end begins the next series.
 *
 * <p>Skipped, with a message, when promtool is not on the PATH.
 */
class PromtoolBlockInteropTest {
    /** Go's {@code math.NaN()}, which Prometheus's parser returns for "NaN". */
    private static final long GO_NAN_BITS = 0x7FF8000000000001L;
    /** 2023-11-14T22:00:00Z, a multiple of 2 h, so every sample falls into one block. */
    private static final long START_MS = 1_699_999_200_000L;

    private static Path promtool;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findPromtool() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String d : path.split(File.pathSeparator)) {
            Path p = Path.of(d.isEmpty() ? "." : d, "promtool");
            if (Files.isExecutable(p)) {
                promtool = p;
                return;
            }
        }
        Assumptions.abort("promtool not found on PATH (" + path
                + "); install Debian's 'prometheus' package to read blocks written by the real Prometheus");
    }

    /** One series as written: its name and the samples as Prometheus will have parsed them. */
    private record Series(String name, long[] ts, double[] vs) {}

    private static String goValue(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return Double.toString(v); // shortest round-tripping decimal; Go parses it to the same double
    }

    private static List<Series> generate(Random rnd, int seriesCount) {
        List<Series> out = new ArrayList<>();
        for (int s = 0; s < seriesCount; s++) {
            int n = 2 + rnd.nextInt(470); // up to ~2 h at 15 s
            long[] ts = new long[n];
            double[] vs = new double[n];
            int timeShape = rnd.nextInt(3);
            int valueShape = rnd.nextInt(5);
            long t = START_MS + rnd.nextInt(1000);
            double acc = rnd.nextInt(10_000);
            for (int i = 0; i < n; i++) {
                ts[i] = t;
                t += switch (timeShape) {
                    case 0 -> 15_000; // regular scrape interval
                    case 1 -> 15_000 + rnd.nextInt(41) - 20; // jittery scrape
                    default -> 2 + rnd.nextInt(15_000); // irregular, >= 2 ms apart, within the 2 h
                };
                vs[i] = switch (valueShape) {
                    case 0 -> acc += rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(500); // counter
                    case 1 -> Math.round((acc += rnd.nextGaussian()) * 100) / 100.0; // 2-decimal gauge
                    case 2 -> 1.0; // constant, e.g. up
                    case 3 -> rnd.nextGaussian() * Math.pow(10, rnd.nextInt(40) - 20); // anything
                    default -> new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0, 1e-300, 42}[rnd.nextInt(7)];
                };
            }
            out.add(new Series(String.format("specula_test_%03d", s), ts, vs));
        }
        return out;
    }

    /**
     * Writes the OpenMetrics file; returns the series with timestamps as Prometheus reads them:
     * it parses the seconds as a float64 and truncates seconds * 1000 to an integer, which we
     * reproduce with the same IEEE operations (so "1.015" becomes 1014 ms).
     */
    private static List<Series> writeOpenMetrics(List<Series> series, Path file) throws IOException {
        StringBuilder sb = new StringBuilder();
        List<Series> parsed = new ArrayList<>();
        for (Series s : series) {
            sb.append("# TYPE ").append(s.name()).append(" gauge\n");
            long[] pts = new long[s.ts().length];
            for (int i = 0; i < s.ts().length; i++) {
                String secs = String.format("%d.%03d", s.ts()[i] / 1000, s.ts()[i] % 1000);
                pts[i] = (long) (Double.parseDouble(secs) * 1000);
                sb.append(s.name()).append(' ').append(goValue(s.vs()[i])).append(' ').append(secs).append('\n');
            }
            parsed.add(new Series(s.name(), pts, s.vs()));
        }
        sb.append("# EOF\n");
        Files.writeString(file, sb, StandardCharsets.UTF_8);
        return parsed;
    }

    private void runPromtool(Path input, Path out) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(promtool.toString(), "tsdb", "create-blocks-from", "openmetrics", input.toString(), out.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("promtool output:\n%s", output).isZero();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void promtoolBlock_decodesToWrittenSamplesAndReencodesByteForByte(long seed) throws Exception {
        List<Series> written = writeOpenMetrics(generate(new Random(seed), 30), tmp.resolve("in.om"));
        Path out = tmp.resolve("blocks");
        runPromtool(tmp.resolve("in.om"), out);
        List<Path> blocks;
        try (Stream<Path> s = Files.list(out)) {
            blocks = s.filter(Files::isDirectory).toList();
        }
        assertThat(blocks).as("one 2 h block").hasSize(1);

        List<List<long[]>> seriesTs = new ArrayList<>();
        List<List<Long>> seriesBits = new ArrayList<>();
        int chunks = 0;
        try (ChunkSegmentReader r = ChunkSegmentReader.open(blocks.getFirst().resolve("chunks"))) {
            r.checkIntegrity(); // Prometheus's CRC32C of every chunk agrees with ours
            ChunkSegmentScanner scan = r.scanner();
            long prevEnd = Long.MAX_VALUE;
            SampleIterator it = null;
            while (scan.next()) {
                chunks++;
                assertThat(scan.encoding()).isEqualTo(Encoding.XOR);
                Chunk c = scan.chunk();
                List<Long> ts = new ArrayList<>();
                List<Long> bits = new ArrayList<>();
                it = c.iterator(it);
                while (it.next() == ValueType.FLOAT) {
                    ts.add(it.atT());
                    bits.add(Double.doubleToRawLongBits(it.atV()));
                }
                assertThat(it.err()).isNull();
                assertThat(ts).hasSize(c.numSamples());
                assertReencodesIdentically(c, ts, bits);
                if (ts.getFirst() <= prevEnd) {
                    seriesTs.add(new ArrayList<>());
                    seriesBits.add(new ArrayList<>());
                }
                seriesTs.getLast().add(ts.stream().mapToLong(Long::longValue).toArray());
                seriesBits.getLast().addAll(bits);
                prevEnd = ts.getLast();
            }
        }
        assertThat(seriesTs).as("series found in the segment (%d chunks)", chunks).hasSize(written.size());
        assertThat(chunks).as("long series are cut into several chunks").isGreaterThan(written.size());
        for (int s = 0; s < written.size(); s++) {
            Series w = written.get(s);
            long[] ts = seriesTs.get(s).stream().flatMapToLong(Arrays::stream).toArray();
            assertThat(ts).as("timestamps of %s", w.name()).containsExactly(w.ts());
            long[] expectedBits = Arrays.stream(w.vs())
                    .mapToLong(v -> Double.isNaN(v) ? GO_NAN_BITS : Double.doubleToRawLongBits(v)).toArray();
            assertThat(seriesBits.get(s).stream().mapToLong(Long::longValue).toArray()).as("value bits of %s", w.name()).containsExactly(expectedBits);
        }
    }

    private static void assertReencodesIdentically(Chunk promChunk, List<Long> ts, List<Long> bits) throws IOException {
        XorChunk ours = XorChunk.create();
        ChunkAppender app = ours.appender();
        for (int i = 0; i < ts.size(); i++) {
            app.append(ts.get(i), Double.longBitsToDouble(bits.get(i)));
        }
        assertThat(Arrays.copyOf(ours.bytes(), ours.length())).as("our encoding of the same samples")
                .isEqualTo(Arrays.copyOf(promChunk.bytes(), promChunk.length()));
    }
}

package io.specula.tsdb.chunkenc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Seeded random samples must decode to exactly what was appended, bit for bit. */
class XorChunkRoundTripTest {
    static final double STALE = Double.longBitsToDouble(0x7FF0000000000002L);
    private static final long[] SEEDS = {1, 2, 3, 42, 1234567};

    enum Times { REGULAR, JITTER, IRREGULAR, LARGE_JUMPS, NEGATIVE }

    enum Values { RANDOM, CONSTANT, COUNTER, GAUGE_2DP, SPECIAL, RANDOM_BITS }

    static Stream<Arguments> scenarios() {
        List<Arguments> out = new ArrayList<>();
        for (Times t : Times.values()) {
            for (Values v : Values.values()) {
                for (long seed : SEEDS) {
                    out.add(Arguments.of(t, v, seed));
                }
            }
        }
        return out.stream();
    }

    static long[] timestamps(Times kind, Random rnd, int n) {
        long[] ts = new long[n];
        long t = switch (kind) {
            case NEGATIVE -> -1_000_000_000L - rnd.nextInt(1_000_000);
            default -> 1_700_000_000_000L + rnd.nextInt(1_000_000);
        };
        long interval = new long[] {1000, 10_000, 15_000, 60_000}[rnd.nextInt(4)];
        for (int i = 0; i < n; i++) {
            ts[i] = t;
            t += switch (kind) {
                case REGULAR, NEGATIVE -> interval;
                case JITTER -> interval + rnd.nextInt(21) - 10; // scrape start jitter of a few ms
                case IRREGULAR -> 1 + rnd.nextInt(200_000);
                case LARGE_JUMPS -> rnd.nextInt(4) == 0
                        ? 1 + (rnd.nextLong() >>> (2 + rnd.nextInt(20))) // up to 2^62 ms ahead
                        : interval;
            };
            if (t < ts[i]) { // keep increasing when a jump overflowed
                t = ts[i] + 1;
            }
        }
        return ts;
    }

    static double[] values(Values kind, Random rnd, int n) {
        double[] vs = new double[n];
        double acc = rnd.nextInt(1000);
        double[] specials = {Double.NaN, STALE, Double.longBitsToDouble(0x7FF8000000000001L),
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0, Double.MIN_VALUE,
            -Double.MAX_VALUE, Double.MAX_VALUE, 1.0, 1.5};
        for (int i = 0; i < n; i++) {
            vs[i] = switch (kind) {
                case RANDOM -> rnd.nextGaussian() * Math.pow(10, rnd.nextInt(20) - 10);
                case CONSTANT -> 42.0;
                case COUNTER -> acc += rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(100);
                case GAUGE_2DP -> Math.round((acc += rnd.nextGaussian()) * 100) / 100.0;
                case SPECIAL -> specials[rnd.nextInt(specials.length)];
                case RANDOM_BITS -> Double.longBitsToDouble(rnd.nextLong());
            };
        }
        return vs;
    }

    private static XorChunk encode(long[] ts, double[] vs, int from, int to) throws CorruptionException {
        XorChunk c = XorChunk.create();
        ChunkAppender app = c.appender();
        for (int i = from; i < to; i++) {
            app.append(ts[i], vs[i]);
        }
        return c;
    }

    static void assertSamples(Chunk c, long[] ts, double[] vs, int from, int to) {
        assertThat(c.numSamples()).isEqualTo(to - from);
        SampleIterator it = c.iterator(null);
        for (int i = from; i < to; i++) {
            assertThat(it.next()).as("sample %d", i).isEqualTo(ValueType.FLOAT);
            assertThat(it.atT()).as("t of sample %d", i).isEqualTo(ts[i]);
            assertThat(Double.doubleToRawLongBits(it.atV())).as("bits of sample %d", i)
                    .isEqualTo(Double.doubleToRawLongBits(vs[i]));
        }
        assertThat(it.next()).isEqualTo(ValueType.NONE);
        assertThat(it.err()).isNull();
    }

    @ParameterizedTest(name = "{0} {1} seed {2}")
    @MethodSource("scenarios")
    void roundTrip_chunksOf120(Times times, Values values, long seed) throws CorruptionException {
        Random rnd = new Random(seed);
        int n = 1 + rnd.nextInt(600);
        long[] ts = timestamps(times, rnd, n);
        double[] vs = values(values, rnd, n);
        // Prometheus cuts head chunks at 120 samples; the last chunk is partial.
        for (int from = 0; from < n; from += 120) {
            int to = Math.min(n, from + 120);
            XorChunk c = encode(ts, vs, from, to);
            assertSamples(c, ts, vs, from, to);
            // The same bytes read back "from disk" decode the same.
            byte[] copy = Arrays.copyOf(c.bytes(), c.length());
            assertSamples(XorChunk.fromData(copy, copy.length), ts, vs, from, to);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void appender_reopenedAtEveryPoint_encodesTheSameSamples(long seed) throws CorruptionException {
        Random rnd = new Random(seed);
        int n = 40;
        long[] ts = timestamps(Times.JITTER, rnd, n);
        double[] vs = values(Values.GAUGE_2DP, rnd, n);
        for (int split = 0; split <= n; split++) {
            XorChunk first = encode(ts, vs, 0, split);
            byte[] copy = Arrays.copyOf(first.bytes(), first.length());
            XorChunk c = XorChunk.fromData(copy, copy.length);
            ChunkAppender app = c.appender();
            for (int i = split; i < n; i++) {
                app.append(ts[i], vs[i]);
            }
            assertSamples(c, ts, vs, 0, n);
            assertThat(copy).as("the wrapped array is never written").isEqualTo(Arrays.copyOf(first.bytes(), first.length()));
        }
    }

    static Stream<Long> seeds() {
        return Arrays.stream(SEEDS).boxed();
    }

    @Test
    void append_fullChunk_throws() throws CorruptionException {
        XorChunk c = XorChunk.create();
        ChunkAppender app = c.appender();
        for (int i = 0; i < Chunk.MAX_SAMPLES; i++) {
            app.append(i * 15_000L, i % 7);
        }
        assertThat(c.numSamples()).isEqualTo(65535);
        assertThatThrownBy(() -> app.append(Long.MAX_VALUE, 1)).isInstanceOf(IllegalStateException.class);
        SampleIterator it = c.iterator(null);
        int count = 0;
        while (it.next() == ValueType.FLOAT) {
            assertThat(it.atT()).isEqualTo(count * 15_000L);
            count++;
        }
        assertThat(count).isEqualTo(65535);
    }

    @Test
    void compact_thenAppend_keepsWorking() throws CorruptionException {
        XorChunk c = XorChunk.create();
        ChunkAppender app = c.appender();
        app.append(1, 1.5);
        app.append(2, 2.5);
        c.compact();
        assertThat(c.bytes()).hasSize(c.length());
        app.append(3, 3.5);
        assertSamples(c, new long[] {1, 2, 3}, new double[] {1.5, 2.5, 3.5}, 0, 3);
    }

    @Test
    void reset_reusesTheBufferAndEncodesLikeAFreshChunk() throws Exception {
        Random rnd = new Random(7);
        XorChunk reused = XorChunk.create();
        ChunkAppender app = reused.appender();
        for (int round = 0; round < 20; round++) {
            int n = 1 + rnd.nextInt(250);
            long[] ts = timestamps(Times.values()[round % Times.values().length], rnd, n);
            XorChunk fresh = XorChunk.create();
            ChunkAppender freshApp = fresh.appender();
            for (int i = 0; i < n; i++) {
                double v = round % 2 == 0 ? rnd.nextGaussian() : Double.longBitsToDouble(rnd.nextLong());
                app.append(ts[i], v);
                freshApp.append(ts[i], v);
            }
            assertThat(Arrays.copyOf(reused.bytes(), reused.length())).isEqualTo(Arrays.copyOf(fresh.bytes(), fresh.length()));
            byte[] before = reused.bytes();
            reused.reset(app);
            assertThat(reused.numSamples()).isZero();
            assertThat(reused.bytes()).as("buffer kept").isSameAs(before);
        }
    }

    @Test
    void append_wrappedWithoutAppender_throwsAndLeavesTheDataAlone() throws CorruptionException {
        XorChunk src = XorChunk.create();
        src.appender().append(1_000, 1.5);
        src.appender().append(2_000, 2.5); // a second appender() continues the same chunk
        byte[] stored = Arrays.copyOf(src.bytes(), src.length());
        byte[] copy = stored.clone();
        XorChunk wrapped = XorChunk.fromData(stored, stored.length);
        assertThatThrownBy(() -> wrapped.append(3_000, 3.5)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("appender()");
        assertThat(stored).isEqualTo(copy);
        ChunkAppender app = wrapped.appender();
        app.append(3_000, 3.5);
        assertThat(stored).as("the stored array is never written").isEqualTo(copy);
        assertSamples(wrapped, new long[] {1_000, 2_000, 3_000}, new double[] {1.5, 2.5, 3.5}, 0, 3);
        assertThatThrownBy(() -> XorChunk.fromData(stored, stored.length).reset(app)).isInstanceOf(IllegalStateException.class);
    }
}

package io.specula.tsdb.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.tsdb.encoding.ByteArrayDataOutput;
import io.specula.tsdb.encoding.CorruptionException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The postings algebra against plain sets, under random mixes of next() and seek(). */
class PostingsTest {

    /** An expression over postings: evaluated both as lazy postings and as a naive set. */
    private sealed interface Expr {
        Postings postings();

        TreeSet<Long> set();
    }

    private record Leaf(long[] refs, boolean onDisk) implements Expr {
        public Postings postings() {
            return onDisk ? disk(refs) : Postings.of(refs);
        }

        public TreeSet<Long> set() {
            TreeSet<Long> s = new TreeSet<>();
            for (long r : refs) {
                s.add(r);
            }
            return s;
        }
    }

    private record Op(char op, List<Expr> args) implements Expr {
        public Postings postings() {
            List<Postings> ps = args.stream().map(Expr::postings).toList();
            return switch (op) {
                case '&' -> Postings.intersect(ps);
                case '|' -> Postings.merge(ps);
                default -> Postings.without(ps.get(0), ps.get(1));
            };
        }

        public TreeSet<Long> set() {
            TreeSet<Long> s = new TreeSet<>(args.get(0).set());
            for (Expr e : args.subList(1, args.size())) {
                switch (op) {
                    case '&' -> s.retainAll(e.set());
                    case '|' -> s.addAll(e.set());
                    default -> s.removeAll(e.set());
                }
            }
            return s;
        }
    }

    /** Postings over BE32 references in memory, read as from an index file. */
    static Postings disk(long[] refs) {
        ByteArrayDataOutput out = new ByteArrayDataOutput();
        out.writeBE32(0xDEAD); // something before the list, so offsets are not 0
        for (long r : refs) {
            out.writeBE32((int) r);
        }
        return new DiskPostings(MemorySegment.ofArray(out.toByteArray()), "mem", 4, refs.length);
    }

    private static long[] randomSet(Random rnd, int universe) {
        double density = switch (rnd.nextInt(4)) {
            case 0 -> 0.001;
            case 1 -> 0.05;
            case 2 -> 0.5;
            default -> 0.95;
        };
        long[] out = new long[universe];
        int n = 0;
        for (int v = 0; v < universe; v++) {
            if (rnd.nextDouble() < density) {
                out[n++] = v;
            }
        }
        return Arrays.copyOf(out, n);
    }

    private static Expr randomExpr(Random rnd, int depth, int universe) {
        if (depth == 0 || rnd.nextInt(4) == 0) {
            return new Leaf(randomSet(rnd, universe), rnd.nextBoolean());
        }
        char op = "&|-".charAt(rnd.nextInt(3));
        int arity = op == '-' ? 2 : 1 + rnd.nextInt(4);
        List<Expr> args = new ArrayList<>();
        for (int i = 0; i < arity; i++) {
            args.add(randomExpr(rnd, depth - 1, universe));
        }
        return new Op(op, args);
    }

    /** Drives {@code p} with random next/seek calls and checks each answer against {@code want}. */
    private static void checkAgainst(Postings p, long[] want, Random rnd, int universe) throws IOException {
        int idx = -1; // position in want; -1 unpositioned
        while (true) {
            boolean seek = rnd.nextInt(3) == 0;
            if (seek) {
                long v = rnd.nextInt(universe + 10) - 5;
                int target;
                if (idx >= 0 && idx < want.length && want[idx] >= v) {
                    target = idx;
                } else {
                    target = Math.max(idx, 0);
                    while (target < want.length && want[target] < v) {
                        target++;
                    }
                }
                boolean got = p.seek(v);
                assertThat(got).as("seek(%d) from index %d", v, idx).isEqualTo(target < want.length);
                idx = target;
            } else {
                idx++;
                assertThat(p.next()).as("next() to index %d", idx).isEqualTo(idx < want.length);
            }
            if (idx >= want.length) {
                assertThat(p.next()).isFalse();
                assertThat(p.seek(0)).isFalse();
                assertThat(p.err()).isNull();
                return;
            }
            assertThat(p.at()).isEqualTo(want[idx]);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void algebra_randomExpressions_matchNaiveSets(long seed) throws IOException {
        Random rnd = new Random(seed);
        for (int round = 0; round < 200; round++) {
            int universe = 1 + rnd.nextInt(rnd.nextBoolean() ? 50 : 3000);
            Expr e = randomExpr(rnd, 3, universe);
            long[] want = e.set().stream().mapToLong(Long::longValue).toArray();
            assertThat(Postings.toArray(e.postings())).as("%s", e).containsExactly(want);
            checkAgainst(e.postings(), want, rnd, universe);
        }
    }

    @Test
    void emptyInputs_giveEmptyOrIdentity() throws IOException {
        assertThat(Postings.toArray(Postings.intersect(List.of()))).isEmpty();
        assertThat(Postings.toArray(Postings.merge(List.of()))).isEmpty();
        assertThat(Postings.toArray(Postings.intersect(Postings.of(1, 2), Postings.EMPTY))).isEmpty();
        assertThat(Postings.toArray(Postings.without(Postings.of(1, 2), Postings.EMPTY))).containsExactly(1, 2);
        assertThat(Postings.toArray(Postings.merge(Postings.EMPTY, Postings.of(3)))).containsExactly(3);
    }

    @Test
    void diskPostings_notIncreasing_reportsCorruptionWithOffset() {
        Postings p = disk(new long[] {1, 5, 5, 9});
        assertThat(p.next()).isTrue();
        assertThat(p.next()).isTrue();
        assertThat(p.next()).isFalse();
        assertThat(p.err()).isInstanceOf(CorruptionException.class);
        assertThat(((CorruptionException) p.err()).offset()).isEqualTo(4 + 8);
        assertThat(((CorruptionException) p.err()).file()).isEqualTo("mem");
    }

    @Test
    void failedInput_propagatesThroughTheAlgebra() {
        IOException boom = new IOException("boom");
        for (Postings p : List.of(
                Postings.intersect(Postings.of(1, 2, 3), Postings.failed(boom)),
                Postings.merge(Postings.of(1, 2, 3), Postings.failed(boom)),
                Postings.without(Postings.failed(boom), Postings.of(1)),
                Postings.without(Postings.of(1, 2, 3), Postings.failed(boom)))) {
            while (p.next()) {
                // drain
            }
            assertThat(p.err()).isSameAs(boom);
        }
    }

    @Test
    void refsAbove2Pow31_stayUnsigned() throws IOException {
        long[] refs = {5, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL};
        assertThat(Postings.toArray(disk(refs))).containsExactly(refs);
        Postings p = disk(refs);
        assertThat(p.seek(0x8000_0000L)).isTrue();
        assertThat(p.at()).isEqualTo(0x8000_0000L);
    }
}

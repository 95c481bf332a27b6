package io.specula.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LongObjectMapTest {
    /** Random puts and removes against a HashMap; keys share their low bits, like refs of one lock stripe. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void randomOperations_matchHashMap(long seed) {
        Random rnd = new Random(seed);
        LongObjectMap<String> map = new LongObjectMap<>();
        Map<Long, String> ref = new HashMap<>();
        for (int op = 0; op < 200_000; op++) {
            long key = (long) rnd.nextInt(5000) << 10 | 7; // low 10 bits equal
            if (rnd.nextInt(3) == 0) {
                assertThat(map.remove(key)).isEqualTo(ref.remove(key));
            } else {
                String v = "v" + op;
                assertThat(map.put(key, v)).isEqualTo(ref.put(key, v));
            }
            if (op % 997 == 0) {
                for (long k = 0; k < 5000; k++) {
                    long kk = k << 10 | 7;
                    assertThat(map.get(kk)).isEqualTo(ref.get(kk));
                }
            }
            assertThat(map.size()).isEqualTo(ref.size());
        }
        Map<String, Boolean> seen = new HashMap<>();
        map.forEachValue(v -> seen.put(v, true));
        assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(ref.values());
        for (long k : ref.keySet().toArray(new Long[0])) {
            map.remove(k);
        }
        assertThat(map.size()).isZero();
    }
}

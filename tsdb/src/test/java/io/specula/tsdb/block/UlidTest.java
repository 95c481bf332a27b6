package io.specula.tsdb.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UlidTest {
    @Test
    void parse_promtoolBlockName_givesItsTime() {
        Ulid u = Ulid.parse("01M878AK1M9KD4T5MF96GWB1VC"); // made by promtool 2.42 at 1700000000000 + a few ms
        assertThat(u.toString()).isEqualTo("01M878AK1M9KD4T5MF96GWB1VC");
        assertThat(u.time()).isBetween(1_600_000_000_000L, 1_800_000_000_000L);
    }

    @Test
    void toString_extremes_areSpecValues() {
        assertThat(new Ulid(0, 0)).hasToString("00000000000000000000000000");
        assertThat(new Ulid(-1, -1)).hasToString("7ZZZZZZZZZZZZZZZZZZZZZZZZZ");
        assertThat(Ulid.of(Ulid.MAX_TIME, 0, 0).toString()).startsWith("7ZZZZZZZZZ").endsWith("0000000000000000");
        // The time part is the first 10 characters: 1469918176385 ms is "01ARYZ6S41" (the ULID spec's example).
        assertThat(Ulid.of(1469918176385L, 0, 0).toString()).startsWith("01ARYZ6S41");
    }

    @Test
    void parseAndFormat_randomValues_roundTrip() {
        Random rnd = new Random(5);
        for (int i = 0; i < 10_000; i++) {
            Ulid u = new Ulid(rnd.nextLong() >>> rnd.nextInt(2), rnd.nextLong());
            assertThat(Ulid.parse(u.toString())).isEqualTo(u);
            assertThat(Ulid.parse(u.toString().toLowerCase())).isEqualTo(u);
        }
    }

    @Test
    void compareTo_ordersAsText() {
        Random rnd = new Random(6);
        List<Ulid> ids = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            ids.add(new Ulid(rnd.nextLong(), rnd.nextLong()));
        }
        List<Ulid> byBits = new ArrayList<>(ids);
        byBits.sort(null);
        List<Ulid> byText = new ArrayList<>(ids);
        byText.sort((a, b) -> a.toString().compareTo(b.toString()));
        assertThat(byBits).isEqualTo(byText);
    }

    @Test
    void parse_invalidText_saysWhy() {
        assertThatThrownBy(() -> Ulid.parse("01ARYZ6S41")).hasMessageContaining("has 10 characters, want 26");
        assertThatThrownBy(() -> Ulid.parse("01ARYZ6S41TSV4RRFFQ69G5FAU")).hasMessageContaining("invalid character 'U' at 25");
        assertThatThrownBy(() -> Ulid.parse("81ARYZ6S41TSV4RRFFQ69G5FAV")).hasMessageContaining("overflows 128 bits");
    }

    @Test
    void generator_sameMillisecond_staysStrictlyIncreasing() {
        Ulid.Generator g = new Ulid.Generator(new Random(7));
        Ulid prev = g.next(1000);
        for (int i = 0; i < 1000; i++) {
            Ulid next = g.next(i % 3 == 0 ? 1000 : 999); // clock standing still or stepping back
            assertThat(next).isGreaterThan(prev);
            assertThat(next.time()).isEqualTo(1000);
            prev = next;
        }
        assertThat(g.next(2000).time()).isEqualTo(2000);
        Ulid.Generator full = new Ulid.Generator(new Random(8));
        Ulid top = full.next(5);
        Ulid maxed = new Ulid(top.msb() | 0xFFFF, -1L);
        assertThat(maxed.time()).isEqualTo(5);
    }
}

package io.specula.model.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LabelsTest {

    @Test
    void of_sortsByNameAndDropsEmptyValues() {
        Labels l = Labels.of("job", "api", "__name__", "up", "zone", "", "instance", "h:1");
        assertThat(l.size()).isEqualTo(3);
        assertThat(l.name(0)).isEqualTo("__name__");
        assertThat(l.name(1)).isEqualTo("instance");
        assertThat(l.name(2)).isEqualTo("job");
        assertThat(l.has("zone")).isFalse();
        assertThat(l.get("zone")).isEmpty();
        assertThat(l.metricName()).isEqualTo("up");
    }

    @Test
    void of_rejectsOddArgumentsAndDuplicates() {
        assertThatThrownBy(() -> Labels.of("a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Labels.of("a", "1", "a", "2")).hasMessageContaining("duplicate label name a");
    }

    @Test
    void metricName_foundWhenNotFirst() {
        // "A" sorts before "__name__" (uppercase < underscore), so the fast path must not be trusted alone.
        Labels l = Labels.of("A", "x", "__name__", "m");
        assertThat(l.name(0)).isEqualTo("A");
        assertThat(l.metricName()).isEqualTo("m");
        assertThat(Labels.of("a", "b").metricName()).isEmpty();
    }

    @Test
    void equalsAndHash_dependOnContentOnly() {
        Labels a = Labels.of("a", "1", "b", "2");
        Labels b = new LabelsBuilder().add("b", "2").add("a", "1").build();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.hash()).isEqualTo(b.hash());
        assertThat(a).isNotEqualTo(Labels.of("a", "1", "b", "3"));
    }

    @Test
    void hash_separatesNamesFromValues() {
        // Without separators {ab="c"} and {a="bc"} would collide.
        assertThat(Labels.of("ab", "c").hash()).isNotEqualTo(Labels.of("a", "bc").hash());
        assertThat(Labels.of("a", "b", "c", "d").hash()).isNotEqualTo(Labels.of("a", "bc", "d", "").hash());
    }

    @Test
    void hash_hasNoCollisionsOnManySimilarSeries() {
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            seen.add(Labels.of("__name__", "http_requests_total", "instance", "10.0.0." + (i % 256) + ":9100",
                    "pod", "api-" + i).hash());
        }
        assertThat(seen).hasSize(200_000);
    }

    @Test
    void hashFor_onlyLooksAtNamedLabels() {
        Labels a = Labels.of("job", "x", "instance", "1", "path", "/a");
        Labels b = Labels.of("job", "x", "instance", "2", "path", "/a");
        String[] by = {"job", "path"};
        assertThat(a.hashFor(by)).isEqualTo(b.hashFor(by));
        assertThat(a.hashFor(new String[] {"instance"})).isNotEqualTo(b.hashFor(new String[] {"instance"}));
    }

    @Test
    void compareTo_ordersLikePrometheus() {
        List<Labels> sorted = new ArrayList<>(List.of(
                Labels.of("a", "2"), Labels.of("a", "1", "b", "1"), Labels.of("a", "1"), Labels.of("b", "0")));
        sorted.sort(null);
        assertThat(sorted).containsExactly(
                Labels.of("a", "1"), Labels.of("a", "1", "b", "1"), Labels.of("a", "2"), Labels.of("b", "0"));
    }

    @Test
    void compareUtf8_ordersByCodePointLikeUtf8Bytes() {
        java.util.Random rnd = new java.util.Random(9);
        for (int i = 0; i < 5000; i++) {
            String x = randomString(rnd), y = randomString(rnd);
            int expected = java.util.Arrays.compareUnsigned(x.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    y.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(Integer.signum(Labels.compareUtf8(x, y))).as("%s vs %s", x, y).isEqualTo(Integer.signum(expected));
        }
        assertThat(Labels.of("a", "\uD83D\uDE00").compareTo(Labels.of("a", "\uFFFF"))).isPositive();
    }

    private static String randomString(java.util.Random rnd) {
        String[] parts = {"a", "\u00e9", "\uE000", "\uFFFF", "\uD83D\uDE00", "z", "\uD800\uDC00"};
        StringBuilder sb = new StringBuilder();
        for (int i = rnd.nextInt(4); i > 0; i--) {
            sb.append(parts[rnd.nextInt(parts.length)]);
        }
        return sb.toString();
    }

    @Test
    void toString_quotesValuesAndNonLegacyNames() {
        assertThat(Labels.of("__name__", "up", "job", "a\"b\\c\nd").toString())
                .isEqualTo("{__name__=\"up\", job=\"a\\\"b\\\\c\\nd\"}");
        assertThat(Labels.of("service.name", "x").toString()).isEqualTo("{\"service.name\"=\"x\"}");
        assertThat(Labels.EMPTY.toString()).isEqualTo("{}");
    }

    @Test
    void withoutMetricName_removesOnlyName() {
        assertThat(Labels.of("__name__", "up", "job", "a").withoutMetricName()).isEqualTo(Labels.of("job", "a"));
        Labels noName = Labels.of("job", "a");
        assertThat(noName.withoutMetricName()).isSameAs(noName);
    }

    @Test
    void indexOf_agreesWithLinearSearch_onRandomSets() {
        Random rnd = new Random(42);
        for (int round = 0; round < 500; round++) {
            LabelsBuilder b = new LabelsBuilder();
            int n = rnd.nextInt(12);
            for (int i = 0; i < n; i++) {
                b.set("l" + rnd.nextInt(20), "v" + i);
            }
            Labels l = b.build();
            for (int k = 0; k < 20; k++) {
                String name = "l" + k;
                assertThat(l.has(name)).isEqualTo(b.has(name));
                assertThat(l.get(name)).isEqualTo(b.get(name));
            }
        }
    }
}

package io.specula.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScrapeCacheTest {
    /** One attempt over {@code lines} as ScrapeLoop does it; returns how many lines {@code next} predicted. */
    private static int attempt(ScrapeCache cache, List<String> lines, Map<String, ScrapeCache.Entry> expected) {
        cache.begin();
        int predicted = 0;
        for (String line : lines) {
            byte[] b = ("junk " + line + " tail").getBytes(StandardCharsets.UTF_8); // the series sits inside a bigger buffer
            int off = 5, len = line.length();
            ScrapeCache.Entry e = cache.next(b, off, len);
            if (e != null) {
                predicted++;
            } else {
                int h = ScrapeCache.hash(b, off, len);
                e = cache.get(b, off, len, h);
                if (e == null) {
                    e = cache.add(b, off, len, h);
                }
            }
            ScrapeCache.Entry before = expected.putIfAbsent(line, e);
            assertThat(e).as(line).isSameAs(before == null ? e : before);
            assertThat(new String(e.key, StandardCharsets.UTF_8)).isEqualTo(line);
        }
        cache.sweep(x -> { });
        cache.committed();
        expected.keySet().retainAll(lines);
        return predicted;
    }

    @Test
    void next_predictsAnUnchangedOrder_andGetFindsEveryReorderedSeries() {
        ScrapeCache cache = new ScrapeCache();
        Map<String, ScrapeCache.Entry> entries = new HashMap<>();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            lines.add("m{i=\"" + i + "\"}");
        }
        assertThat(attempt(cache, lines, entries)).isZero();
        assertThat(attempt(cache, lines, entries)).isEqualTo(100);
        // A series inserted, one removed, two swapped: the lines after each change are predicted again.
        lines.add(10, "m{i=\"new\"}");
        lines.remove(50);
        String a = lines.get(70);
        lines.set(70, lines.get(71));
        lines.set(71, a);
        int predicted = attempt(cache, lines, entries);
        assertThat(predicted).isGreaterThanOrEqualTo(95).isLessThan(100);
        assertThat(cache.size()).isEqualTo(100);
        assertThat(attempt(cache, lines, entries)).isEqualTo(100);
    }
}

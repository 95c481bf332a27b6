package io.specula.model.labels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class XxHash64Test {
    private static long h(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return XxHash64.hash(b, 0, b.length);
    }

    @Test
    void publishedVectors() {
        // Reference values of XXH64 with seed 0 (short inputs and one past a 32-byte stripe).
        assertEquals(0xef46db3751d8e999L, h(""));
        assertEquals(0xd24ec4f1a98c6e5bL, h("a"));
        assertEquals(0x44bc2cf5ad770999L, h("abc"));
        assertEquals(0xfbcea83c8a378bf1L, h("Nobody inspects the spammish repetition"));
    }

    @Test
    void offsetAndLength() {
        byte[] b = "xxabcyy".getBytes(StandardCharsets.UTF_8);
        assertEquals(h("abc"), XxHash64.hash(b, 2, 3));
    }

    @Test
    void prometheusLabelsHashIsXxHashOfPairsWithSeparators() {
        Labels l = Labels.of("a", "1", "b", "2");
        byte[] b = {'a', (byte) 0xff, '1', (byte) 0xff, 'b', (byte) 0xff, '2', (byte) 0xff};
        assertEquals(XxHash64.hash(b, 0, b.length), l.prometheusHash());
    }
}

package io.specula.tsdb.encoding;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class Crc32cTest {
    @Test
    void of_tableAndIntrinsicPaths_agreeWithTheJdk() {
        Random rnd = new Random(1);
        byte[] data = new byte[4096];
        rnd.nextBytes(data);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment off = arena.allocate(data.length);
            MemorySegment.copy(data, 0, off, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, data.length);
            MemorySegment heap = MemorySegment.ofArray(data);
            for (int i = 0; i < 2000; i++) {
                int from = rnd.nextInt(data.length);
                int len = rnd.nextInt(Math.min(data.length - from, i % 2 == 0 ? Crc32c.TABLE_LIMIT + 8 : 4096) + 1);
                CRC32C want = new CRC32C();
                want.update(data, from, len);
                assertThat(Crc32c.of(off, from, from + len)).isEqualTo((int) want.getValue());
                assertThat(Crc32c.of(heap, from, from + len)).isEqualTo((int) want.getValue());
                assertThat(Crc32c.of(data, from, len)).isEqualTo((int) want.getValue());
            }
        }
    }

    @Test
    void of_checkValue_isCastagnoli() {
        byte[] b = "123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(Crc32c.of(MemorySegment.ofArray(b), 0, 9)).isEqualTo(0xE3069283);
        assertThat(Crc32c.of(MemorySegment.ofArray(b), 0, 0)).isZero();
    }
}

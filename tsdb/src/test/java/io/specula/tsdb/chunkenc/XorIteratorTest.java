package io.specula.tsdb.chunkenc;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.ValueType;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class XorIteratorTest {

    private static XorChunk chunk(long... ts) throws CorruptionException {
        XorChunk c = XorChunk.create();
        ChunkAppender app = c.appender();
        for (long t : ts) {
            app.append(t, t / 10.0);
        }
        return c;
    }

    @Test
    void seek_beforeFirst_landsOnFirst() throws CorruptionException {
        SampleIterator it = chunk(100, 200, 300).iterator(null);
        assertThat(it.seek(0)).isEqualTo(ValueType.FLOAT);
        assertThat(it.atT()).isEqualTo(100);
        assertThat(it.atV()).isEqualTo(10.0);
    }

    @Test
    void seek_exactAndBetween() throws CorruptionException {
        SampleIterator it = chunk(100, 200, 300, 400).iterator(null);
        assertThat(it.seek(200)).isEqualTo(ValueType.FLOAT);
        assertThat(it.atT()).isEqualTo(200);
        assertThat(it.seek(201)).isEqualTo(ValueType.FLOAT);
        assertThat(it.atT()).isEqualTo(300);
        assertThat(it.next()).isEqualTo(ValueType.FLOAT);
        assertThat(it.atT()).isEqualTo(400);
    }

    @Test
    void seek_backwards_staysPut() throws CorruptionException {
        SampleIterator it = chunk(100, 200, 300).iterator(null);
        it.seek(250);
        assertThat(it.seek(50)).isEqualTo(ValueType.FLOAT);
        assertThat(it.atT()).isEqualTo(300);
    }

    @Test
    void seek_pastLast_exhausts() throws CorruptionException {
        SampleIterator it = chunk(100, 200).iterator(null);
        assertThat(it.seek(201)).isEqualTo(ValueType.NONE);
        assertThat(it.seek(0)).as("an exhausted iterator stays exhausted").isEqualTo(ValueType.NONE);
        assertThat(it.next()).isEqualTo(ValueType.NONE);
        assertThat(it.err()).isNull();
    }

    @Test
    void seek_afterNextReturnedNone_returnsNone() throws CorruptionException {
        SampleIterator it = chunk(100).iterator(null);
        assertThat(it.next()).isEqualTo(ValueType.FLOAT);
        assertThat(it.next()).isEqualTo(ValueType.NONE);
        assertThat(it.seek(100)).isEqualTo(ValueType.NONE);
    }

    @Test
    void iterator_emptyChunk_hasNothing() {
        SampleIterator it = XorChunk.create().iterator(null);
        assertThat(it.next()).isEqualTo(ValueType.NONE);
        assertThat(it.seek(Long.MIN_VALUE)).isEqualTo(ValueType.NONE);
        assertThat(it.err()).isNull();
    }

    @Test
    void iterator_reuse_returnsSameInstanceReset() throws CorruptionException {
        XorChunk a = chunk(1, 2, 3);
        XorChunk b = chunk(10, 20);
        SampleIterator it = a.iterator(null);
        while (it.next() != ValueType.NONE) {
            // drain
        }
        SampleIterator again = b.iterator(it);
        assertThat(again).isSameAs(it);
        assertThat(again.next()).isEqualTo(ValueType.FLOAT);
        assertThat(again.atT()).isEqualTo(10);
        assertThat(SampleIterator.EMPTY).isNotSameAs(a.iterator(SampleIterator.EMPTY));
    }

    @Test
    void iterator_truncatedData_reportsCorruptionNotException() throws CorruptionException {
        XorChunk c = chunk(100, 200, 350, 400, 555);
        for (int len = 0; len < c.length(); len++) {
            byte[] cut = Arrays.copyOf(c.bytes(), len);
            SampleIterator it = XorChunk.fromData(cut, len).iterator(null);
            int n = 0;
            while (it.next() == ValueType.FLOAT) {
                n++;
            }
            assertThat(n).as("length %d", len).isLessThan(5);
            assertThat(it.err()).as("length %d", len).isInstanceOf(CorruptionException.class);
        }
    }

    @Test
    void iterator_headerClaimsMoreSamples_reportsCorruption() throws CorruptionException {
        XorChunk c = chunk(100, 200);
        byte[] b = Arrays.copyOf(c.bytes(), c.length());
        b[1] = 50;
        SampleIterator it = XorChunk.fromData(b, b.length).iterator(null);
        int n = 0;
        while (it.next() == ValueType.FLOAT) {
            n++;
        }
        assertThat(n).isGreaterThanOrEqualTo(2);
        assertThat(it.err()).isInstanceOf(CorruptionException.class).hasMessageContaining("chunk data ends");
    }

    @Test
    void iterator_impossibleWindow_reportsCorruption() {
        // Second sample: delta 1, then '1' '1' leading 31 (11111) significant 60 (111100):
        // 31 + 60 > 64 cannot come from an encoder.
        byte[] b = BitStrings.bytes("0x 00 02 00 00 00 00 00 00 00 00 00 01", "11", "11111", "111100", "0".repeat(60));
        SampleIterator it = XorChunk.fromData(b, b.length).iterator(null);
        assertThat(it.next()).isEqualTo(ValueType.FLOAT);
        assertThat(it.next()).isEqualTo(ValueType.NONE);
        assertThat(it.err()).isInstanceOf(CorruptionException.class).hasMessageContaining("exceeds 64 bits");
    }

    @Test
    void appender_onCorruptChunk_throwsCorruption() {
        byte[] b = {0, 3, 0};
        XorChunk c = XorChunk.fromData(b, b.length);
        org.assertj.core.api.Assertions.assertThatThrownBy(c::appender).isInstanceOf(CorruptionException.class);
    }
}

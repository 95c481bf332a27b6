package io.specula.tsdb.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.specula.tsdb.chunkenc.XorChunk;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.ValueType;

/**
 * XOR chunk bytes as a corrupt file could hold them: iterating ends, or reports the corruption
 * through {@link SampleIterator#err()}, and never throws or loops.
 */
class XorChunkFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void iterate(byte[] data) {
        SampleIterator it = XorChunk.fromData(data, data.length).iterator(null);
        int n = 0;
        while (it.next() != ValueType.NONE) {
            it.atT();
            it.atV();
            if (++n > 1 << 20) {
                throw new AssertionError("iteration does not end");
            }
        }
        it.err();
    }
}

package io.specula.tsdb.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.specula.tsdb.encoding.CorruptionException;
import io.specula.tsdb.wal.UnsupportedWalFormatException;
import io.specula.tsdb.wal.WalReader;
import io.specula.tsdb.wal.WalRepair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A WAL segment file of arbitrary bytes: the reader yields records or stops at the first broken
 * one with a {@link CorruptionException} (or refuses zstd records), never another exception or
 * an endless loop; after {@link WalRepair} cuts at that corruption the segment reads cleanly to
 * its end, as replay after a crash relies on.
 */
class WalSegmentFuzzTest {
    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("wal-fuzz");
            DIR.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void readAndRepair(byte[] data) throws IOException {
        Path seg = DIR.resolve("00000000");
        Files.write(seg, data);
        CorruptionException corruption = read();
        if (corruption != null) {
            WalRepair.repair(DIR, corruption);
            CorruptionException again = read();
            if (again != null) {
                throw new AssertionError("still corrupt after the repair: " + again.getMessage(), again);
            }
        }
        Files.deleteIfExists(seg);
    }

    /** Reads every record; the corruption that stopped it, or null. */
    private static CorruptionException read() throws IOException {
        try (WalReader r = WalReader.open(DIR)) {
            long n = 0;
            while (r.next()) {
                r.record();
                if (++n > 1 << 22) {
                    throw new AssertionError("reading does not end");
                }
            }
            return null;
        } catch (CorruptionException e) {
            return e;
        } catch (UnsupportedWalFormatException e) {
            return null;
        }
    }
}

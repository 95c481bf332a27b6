package io.specula.tsdb.tombstones;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.tsdb.encoding.CorruptionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TombstonesFormatTest {
    @TempDir
    Path dir;

    @Test
    void encode_empty_isThePromtoolFile() {
        // promtool 2.42 writes exactly these 9 bytes for a block without deletions.
        assertThat(TombstonesFormat.encode(Tombstones.EMPTY)).containsExactly(0x01, 0x30, 0xBA, 0x30, 0x01, 0, 0, 0, 0);
    }

    @Test
    void encode_oneInterval_isHandChecked() throws CorruptionException {
        Tombstones t = new Tombstones.Builder().add(300, -1, 64).build();
        byte[] b = TombstonesFormat.encode(t);
        byte[] body = {(byte) 0xAC, 0x02, 0x01, (byte) 0x80, 0x01}; // uvarint 300, varint -1, varint 64
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(body);
        int c = (int) crc.getValue();
        assertThat(b).containsExactly(0x01, 0x30, 0xBA, 0x30, 0x01, 0xAC, 0x02, 0x01, 0x80, 0x01,
                (c >>> 24) & 0xFF, (c >>> 16) & 0xFF, (c >>> 8) & 0xFF, c & 0xFF);
        assertThat(TombstonesFormat.decode(b, "t")).isEqualTo(t);
    }

    @Test
    void writeThenRead_randomDeletions_roundTrip() throws IOException {
        Random rnd = new Random(9);
        Tombstones.Builder b = new Tombstones.Builder();
        for (int i = 0; i < 500; i++) {
            long mint = rnd.nextLong(-1000, 100_000);
            b.add(rnd.nextInt(50) * 16L, mint, mint + rnd.nextInt(500));
        }
        Tombstones t = b.build();
        assertThat(TombstonesFormat.write(dir, t)).isEqualTo(Files.size(dir.resolve("tombstones")));
        assertThat(TombstonesFormat.read(dir)).isEqualTo(t);
        assertThat(TombstonesFormat.read(dir.resolve("missing-block-dir"))).isSameAs(Tombstones.EMPTY);
    }

    @Test
    void intervals_add_mergesOverlappingAndAdjacent() {
        Intervals iv = Intervals.EMPTY.add(10, 20).add(30, 40);
        assertThat(iv.add(21, 29)).hasToString("[[10, 40]]");
        assertThat(iv.add(22, 28)).hasToString("[[10, 20], [22, 28], [30, 40]]");
        assertThat(iv.add(0, 5)).hasToString("[[0, 5], [10, 20], [30, 40]]");
        assertThat(iv.add(0, 9)).hasToString("[[0, 20], [30, 40]]");
        assertThat(iv.add(15, 35)).hasToString("[[10, 40]]");
        assertThat(iv.add(50, 60)).hasToString("[[10, 20], [30, 40], [50, 60]]");
        assertThat(iv.add(Long.MIN_VALUE, Long.MAX_VALUE)).hasToString("[[" + Long.MIN_VALUE + ", " + Long.MAX_VALUE + "]]");
        assertThat(Intervals.EMPTY.add(Long.MIN_VALUE, 0).add(Long.MAX_VALUE, Long.MAX_VALUE).size()).isEqualTo(2);
        assertThat(iv.contains(10)).isTrue();
        assertThat(iv.contains(25)).isFalse();
        assertThat(iv.contains(40)).isTrue();
    }

    @Test
    void intervals_randomAdds_equalAPointSet() {
        Random rnd = new Random(10);
        for (int round = 0; round < 200; round++) {
            Intervals iv = Intervals.EMPTY;
            TreeSet<Long> points = new TreeSet<>();
            for (int k = rnd.nextInt(8); k >= 0; k--) {
                long a = rnd.nextInt(100), b = a + rnd.nextInt(10);
                iv = iv.add(a, b);
                for (long t = a; t <= b; t++) {
                    points.add(t);
                }
            }
            for (long t = -1; t <= 111; t++) {
                assertThat(iv.contains(t)).isEqualTo(points.contains(t));
            }
            for (int i = 1; i < iv.size(); i++) {
                assertThat(iv.mint(i)).isGreaterThan(iv.maxt(i - 1) + 1); // neither overlapping nor adjacent
            }
        }
    }

    @Test
    void decode_damagedFile_namesFileAndOffset() {
        byte[] good = TombstonesFormat.encode(new Tombstones.Builder().add(1, 2, 3).build());
        byte[] bad = good.clone();
        bad[6] ^= 1;
        assertThatThrownBy(() -> TombstonesFormat.decode(bad, "b/tombstones")).isInstanceOf(CorruptionException.class)
                .hasMessageStartingWith("b/tombstones: offset " + (good.length - 4) + ": checksum mismatch");
        byte[] magic = good.clone();
        magic[0] = 0;
        assertThatThrownBy(() -> TombstonesFormat.decode(magic, "t")).hasMessageContaining("offset 0: invalid magic number");
        assertThatThrownBy(() -> TombstonesFormat.decode(new byte[3], "t")).hasMessageContaining("too small");
    }
}

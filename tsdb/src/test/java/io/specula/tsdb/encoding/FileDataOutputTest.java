package io.specula.tsdb.encoding;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDataOutputTest {
    @TempDir
    Path dir;

    @Test
    void writes_acrossBufferFlushes_matchAnInMemoryCopy() throws IOException {
        Random rnd = new Random(2);
        ByteArrayDataOutput want = new ByteArrayDataOutput();
        Path file = dir.resolve("f");
        int crcFrom = -1, crc = 0;
        long patchAt = -1;
        try (FileDataOutput out = FileDataOutput.create(file, 64)) {
            for (int i = 0; i < 5000; i++) {
                long v = rnd.nextLong();
                switch (rnd.nextInt(5)) {
                    case 0 -> {
                        out.writeUvarint(v);
                        want.writeUvarint(v);
                    }
                    case 1 -> {
                        byte[] b = new byte[rnd.nextInt(200)];
                        rnd.nextBytes(b);
                        out.writeBytes(b);
                        want.writeBytes(b);
                    }
                    case 2 -> {
                        out.pad(16);
                        while (want.size() % 16 != 0) {
                            want.writeByte(0);
                        }
                    }
                    default -> {
                        out.writeBE32((int) v);
                        want.writeBE32((int) v);
                    }
                }
                assertThat(out.position()).isEqualTo(want.size());
                if (i == 1000) {
                    patchAt = out.position();
                    out.writeBE32(0);
                    want.writeBE32(0);
                    out.beginChecksum();
                    crcFrom = want.size();
                }
                if (i == 3000) {
                    crc = out.endChecksum();
                    assertThat(crc).isEqualTo(want.crc32c(crcFrom, want.size()));
                    out.writeBE32At(patchAt, 0xCAFEBABE); // long flushed: a positional write
                    want.putBE32((int) patchAt, 0xCAFEBABE);
                    out.writeBE32At(out.position() - 4, 7); // still buffered
                    want.putBE32(want.size() - 4, 7);
                }
            }
            Path src = dir.resolve("src");
            Files.write(src, new byte[] {9, 8, 7, 6, 5});
            try (FileChannel ch = FileChannel.open(src, StandardOpenOption.READ)) {
                out.copyFrom(ch, 1, 3);
            }
            want.writeBytes(new byte[] {8, 7, 6});
            out.writeByte(1);
            want.writeByte(1);
            out.sync();
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(want.toByteArray());
    }
}

package io.specula.tsdb.chunks;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Numbered segment files shared by block chunk segments and head chunk files: names are the
 * sequence number as six or more decimal digits ({@code 000001}); anything else in the
 * directory is ignored, as Prometheus does. Both formats start with the same 8-byte header:
 * magic (4 bytes, big-endian), version (1 byte), 3 zero bytes.
 */
final class SegmentFiles {
    static final int HEADER_SIZE = 8;

    private SegmentFiles() {}

    static String name(long seq) {
        return String.format("%06d", seq);
    }

    /** Sequence numbers of the segment files in {@code dir}, ascending; none if it does not exist. */
    static long[] list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return new long[0];
        }
        List<Long> seqs = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.isEmpty() && n.length() <= 19 && n.chars().allMatch(c -> c >= '0' && c <= '9') && Files.isRegularFile(p)) {
                    seqs.add(Long.parseLong(n));
                }
            }
        }
        long[] out = seqs.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(out);
        return out;
    }

    /** Creates a new segment file (failing if it exists) and writes its header. */
    static FileChannel create(Path file, int magic, int version) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            ByteBuffer h = ByteBuffer.allocate(HEADER_SIZE).putInt(magic).put((byte) version).put(new byte[3]).flip();
            while (h.hasRemaining()) {
                ch.write(h);
            }
            return ch;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Makes a created, renamed or deleted entry of {@code dir} durable (Linux and macOS). */
    static void syncDir(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms (Windows) cannot open a directory; the entry is durable there anyway.
            if (!System.getProperty("os.name", "").startsWith("Windows")) {
                throw e;
            }
        }
    }
}

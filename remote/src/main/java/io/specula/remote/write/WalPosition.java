package io.specula.remote.write;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A place in the WAL: segment index and byte offset of a record start. A queue saves the
 * position up to which everything was delivered, and resumes there after a restart.
 *
 * <p>File format: one line {@code <segment> <offset>\n}, written to a temporary file, fsynced
 * and renamed over the old one, so a crash leaves the old or the new position, never a torn one.
 */
record WalPosition(int segment, long offset) implements Comparable<WalPosition> {

    /** Whether the record starting at {@code (seg, off)} lies before this position (was delivered). */
    boolean covers(int seg, long off) {
        return seg < segment || (seg == segment && off < offset);
    }

    @Override
    public int compareTo(WalPosition o) {
        return segment != o.segment ? Integer.compare(segment, o.segment) : Long.compare(offset, o.offset);
    }

    @Override
    public String toString() {
        return segment + ":" + offset;
    }

    /** The saved position, or null when there is none (or the file is unreadable: then it starts afresh). */
    static WalPosition load(Path file) {
        try {
            String[] f = Files.readString(file, StandardCharsets.UTF_8).strip().split(" ");
            return new WalPosition(Integer.parseInt(f[0]), Long.parseLong(f[1]));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    void save(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap((segment + " " + offset + "\n").getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}

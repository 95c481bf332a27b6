package io.specula.tsdb.wal;

import io.specula.tsdb.encoding.CorruptionException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes a WAL with a broken tail readable again so the server can start: the segment named by
 * a {@link WalReader}'s {@link CorruptionException} is truncated where the broken record
 * starts, and every later segment is deleted (their records may depend on the lost ones, as
 * samples depend on their series records; Prometheus drops them too).
 *
 * <p>Run it before opening a {@link WalWriter}, which then starts a new segment after the
 * truncated one. Corruption inside a checkpoint cannot be repaired this way: the head would
 * not know which series it lost.
 */
public final class WalRepair {

    /**
     * What a repair dropped.
     *
     * @param segment the truncated segment's index
     * @param offset its new length: the start of the first broken record
     * @param droppedBytes bytes cut from it plus the sizes of the deleted segments
     * @param deletedSegments the later segments that were deleted
     */
    public record Result(int segment, long offset, long droppedBytes, List<Path> deletedSegments) {
    }

    private WalRepair() {
    }

    /**
     * Truncates at the corruption {@code e} (as thrown by a {@link WalReader} over {@code walDir})
     * and deletes later segments.
     *
     * @throws IOException when {@code e} does not name a segment of {@code walDir} or its
     *     offset lies beyond the segment
     */
    public static Result repair(Path walDir, CorruptionException e) throws IOException {
        Path file = Path.of(e.file());
        int index = WalFormat.parseIndex(file.getFileName().toString());
        Path parent = file.toAbsolutePath().normalize().getParent();
        boolean inWal = parent != null && Files.isDirectory(parent) && Files.isSameFile(parent, walDir);
        if (index < 0 || !inWal) {
            throw new IOException("cannot repair " + e.file() + ": not a segment of " + walDir, e);
        }
        long size = Files.size(file);
        if (e.offset() < 0 || e.offset() > size) {
            throw new IOException("cannot repair " + e.file() + ": offset " + e.offset() + " outside its " + size + " bytes", e);
        }
        long dropped = 0;
        List<Path> deleted = new ArrayList<>();
        int[] segments = SegmentFiles.list(walDir);
        // Newest first: a crash in between still leaves a contiguous run of segments.
        for (int i = segments.length - 1; i >= 0 && segments[i] > index; i--) {
            Path p = SegmentFiles.path(walDir, segments[i]);
            dropped += Files.size(p);
            Files.delete(p);
            deleted.add(p);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(e.offset());
            ch.force(true);
        }
        dropped += size - e.offset();
        SegmentFiles.syncDir(walDir);
        return new Result(index, e.offset(), dropped, List.copyOf(deleted.reversed()));
    }
}

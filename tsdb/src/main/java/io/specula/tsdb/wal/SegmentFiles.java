package io.specula.tsdb.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/** The segment files of a WAL (or checkpoint) directory: naming, listing, deleting. */
public final class SegmentFiles {
    private SegmentFiles() {
    }

    public static Path path(Path dir, int index) {
        return dir.resolve(WalFormat.segmentName(index));
    }

    /**
     * The indexes of the segments in {@code dir}, ascending; empty when there are none.
     *
     * @throws IOException when the indexes are not contiguous (a segment in the middle is
     *     missing, so replaying across the gap would lose records silently)
     */
    public static int[] list(Path dir) throws IOException {
        int[] idx = new int[16];
        int n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                int i = WalFormat.parseIndex(p.getFileName().toString());
                if (i >= 0 && Files.isRegularFile(p)) {
                    if (n == idx.length) {
                        idx = Arrays.copyOf(idx, n * 2);
                    }
                    idx[n++] = i;
                }
            }
        }
        idx = Arrays.copyOf(idx, n);
        Arrays.sort(idx);
        for (int i = 1; i < n; i++) {
            if (idx[i] != idx[i - 1] + 1) {
                throw new IOException(dir + ": segments are not sequential: " + WalFormat.segmentName(idx[i - 1])
                        + " is followed by " + WalFormat.segmentName(idx[i]));
            }
        }
        return idx;
    }

    /** The last segment's index, or -1 when there is none. */
    public static int last(Path dir) throws IOException {
        int[] idx = list(dir);
        return idx.length == 0 ? -1 : idx[idx.length - 1];
    }

    /**
     * Deletes the segments with an index below {@code index} (after a checkpoint covers them),
     * oldest first so that a crash in between leaves a contiguous set.
     *
     * @return how many were deleted
     */
    public static int deleteBefore(Path dir, int index) throws IOException {
        int n = 0;
        for (int i : list(dir)) {
            if (i >= index) {
                break;
            }
            Files.delete(path(dir, i));
            n++;
        }
        return n;
    }

    /** Makes created, renamed and deleted entries of {@code dir} durable. */
    static void syncDir(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}

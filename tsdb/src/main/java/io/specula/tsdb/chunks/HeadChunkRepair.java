package io.specula.tsdb.chunks;

import java.nio.file.Path;

/**
 * What {@link HeadChunkReader#replay} cut away from a damaged head chunk file: every byte of
 * {@code file} from {@code offset} on ({@code droppedBytes} of them) is gone, and why.
 * When the header itself was bad, {@code offset} is 0 and the file was emptied or deleted.
 */
public record HeadChunkRepair(Path file, long offset, long droppedBytes, String reason, Action action) {

    /** What happened to the file. */
    public enum Action {
        /** Cut at {@code offset}; the chunks before it are kept. */
        TRUNCATED,
        /** The last file had no valid header and was removed. */
        DELETED,
        /** A file before the last had no valid header and now holds only a fresh one, so file numbers stay contiguous. */
        EMPTIED
    }

    @Override
    public String toString() {
        return file + ": " + action.name().toLowerCase(java.util.Locale.ROOT) + " at offset " + offset + ", dropped " + droppedBytes + " bytes: " + reason;
    }
}

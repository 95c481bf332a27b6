package io.specula.tsdb.head;

import java.nio.file.Path;

/**
 * Progress of opening a head, for the server to log ("WAL segment loaded", percent).
 *
 * @param phase what is being read
 * @param file the file (WAL or checkpoint segment) or directory just finished
 * @param done files finished in this phase, {@code total} in all
 */
public record ReplayProgress(Phase phase, Path file, int done, int total) {
    public enum Phase {
        /** The head chunk files ({@code chunks_head/}), read as one step. */
        HEAD_CHUNKS,
        /** The last checkpoint's segments, then the WAL segments after it. */
        WAL
    }

    /** Percent of the phase done, 100 for an empty phase. */
    public int percent() {
        return total == 0 ? 100 : (int) (100L * done / total);
    }
}

package io.specula.tsdb.head;

import io.specula.tsdb.chunks.HeadChunkRepair;
import io.specula.tsdb.wal.WalRepair;
import java.time.Duration;
import java.util.List;

/**
 * What opening a head read and repaired; the server logs it. A repair is never fatal: the
 * damaged tail is cut off (and listed here) and the head opens with everything before it.
 *
 * @param chunkRepairs what was cut from damaged head chunk files
 * @param mappedChunks chunks from the head chunk files attached to series
 * @param droppedMappedChunks chunks not attached: their series is not in the WAL any more, they
 *     end before the minimum valid time, overlap an earlier chunk, or are of an unsupported kind
 * @param walSegments WAL files read, checkpoint segments included
 * @param walRecords records read
 * @param series series loaded (series whose data all lay before the minimum valid time are not)
 * @param samples samples applied to memory
 * @param coveredSamples samples skipped because a chunk from disk already holds them (or a duplicate)
 * @param samplesBeforeMinValidTime samples skipped because they are already in blocks
 * @param unknownSeriesSamples samples of series references no series record named (lost with a
 *     repaired tail, or dropped by a checkpoint)
 * @param checkpointRepair set when the last checkpoint was damaged and truncated there
 * @param walRepair set when a WAL segment was damaged: it was truncated and later segments deleted
 * @param skippedRecords records of kinds the head does not hold yet (histograms, unknown types)
 * @param outOfOrderSamples out-of-order samples restored from the WBL ({@code wbl/})
 * @param tombstones deleted intervals restored from the WAL
 * @param wblRepair set when a WBL segment was damaged: it was truncated and later segments deleted
 * @param duration wall time of the whole open
 */
public record ReplayReport(List<HeadChunkRepair> chunkRepairs, long mappedChunks, long droppedMappedChunks,
        int walSegments, long walRecords, long series, long samples, long coveredSamples, long samplesBeforeMinValidTime,
        long unknownSeriesSamples, WalRepair.Result checkpointRepair, WalRepair.Result walRepair, long skippedRecords,
        long outOfOrderSamples, long tombstones, WalRepair.Result wblRepair, Duration duration) {

    public ReplayReport {
        chunkRepairs = List.copyOf(chunkRepairs);
    }

    /** Whether anything damaged was cut off. */
    public boolean repaired() {
        return !chunkRepairs.isEmpty() || checkpointRepair != null || walRepair != null || wblRepair != null;
    }
}

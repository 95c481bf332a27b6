package io.specula.tsdb.compact;

/**
 * What the planner needs to know of a block.
 *
 * @param id the block's ULID (its directory name)
 * @param minTime first timestamp, inclusive (ms)
 * @param maxTime end of the block's range, exclusive (ms), as in meta.json
 * @param numSeries series in the block
 * @param numTombstones deletion intervals recorded against it
 * @param failed whether an earlier compaction of it failed (it is then left alone)
 */
public record PlannedBlock(String id, long minTime, long maxTime, long numSeries, long numTombstones, boolean failed) {}

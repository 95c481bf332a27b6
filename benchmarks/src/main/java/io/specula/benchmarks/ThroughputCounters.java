package io.specula.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-iteration totals that JMH reports as rates next to ops/s: {@code bytes} (divide by 1e6
 * for MB/s) and {@code samples}. Shared by the throughput benchmarks.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class ThroughputCounters {
    public long bytes;
    public long samples;

    @Setup(Level.Iteration)
    public void clear() {
        bytes = 0;
        samples = 0;
    }
}

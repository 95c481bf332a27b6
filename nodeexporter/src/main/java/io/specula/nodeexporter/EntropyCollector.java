package io.specula.nodeexporter;

import java.io.IOException;
import java.nio.file.Path;

/** {@code entropy}: available bits and pool size from /proc/sys/kernel/random. */
final class EntropyCollector implements Collector {
    private final Path avail;
    private final Path pool;
    private final ProcFile f = new ProcFile();

    EntropyCollector(NodeExporterOptions o) {
        avail = o.proc("sys/kernel/random/entropy_avail");
        pool = o.proc("sys/kernel/random/poolsize");
    }

    @Override
    public String name() {
        return "entropy";
    }

    @Override
    public void update(Emitter out) throws IOException {
        long a = f.readLong(avail, -1);
        if (a < 0) {
            throw new IOException("couldn't get entropy_avail: " + avail + " not found");
        }
        out.gauge("node_entropy_available_bits", "Bits of available entropy.", a);
        long p = f.readLong(pool, -1);
        if (p < 0) {
            throw new IOException("couldn't get entropy poolsize: " + pool + " not found");
        }
        out.gauge("node_entropy_pool_size_bits", "Bits of entropy pool.", p);
    }
}

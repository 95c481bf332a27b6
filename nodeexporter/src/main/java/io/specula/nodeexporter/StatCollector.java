package io.specula.nodeexporter;

import io.specula.model.textparse.MetricType;
import java.io.IOException;
import java.nio.file.Path;

/** {@code stat}: boot time, context switches, forks, interrupts and process counts from /proc/stat. */
final class StatCollector implements Collector {
    private final Path file;
    private final ProcFile f = new ProcFile();

    StatCollector(NodeExporterOptions o) {
        file = o.proc("stat");
    }

    @Override
    public String name() {
        return "stat";
    }

    @Override
    public void update(Emitter out) throws IOException {
        f.mustRead(file);
        double btime = 0;
        double ctxt = 0;
        double forks = 0;
        double intr = 0;
        double running = 0;
        double blocked = 0;
        while (f.nextLine()) {
            if (!f.nextField()) {
                continue;
            }
            if (f.fieldIs("btime")) {
                btime = next();
            } else if (f.fieldIs("ctxt")) {
                ctxt = next();
            } else if (f.fieldIs("processes")) {
                forks = next();
            } else if (f.fieldIs("intr")) {
                intr = next();
            } else if (f.fieldIs("procs_running")) {
                running = next();
            } else if (f.fieldIs("procs_blocked")) {
                blocked = next();
            }
        }
        out.gauge("node_boot_time_seconds", "Node boot time, in unixtime.", btime);
        out.single("node_context_switches_total", MetricType.COUNTER, "Total number of context switches.", ctxt);
        out.single("node_forks_total", MetricType.COUNTER, "Total number of forks.", forks);
        out.single("node_intr_total", MetricType.COUNTER, "Total number of interrupts serviced.", intr);
        out.gauge("node_procs_blocked", "Number of processes blocked waiting for I/O to complete.", blocked);
        out.gauge("node_procs_running", "Number of processes in runnable state.", running);
    }

    private double next() throws IOException {
        if (!f.nextField()) {
            throw new IOException("missing value in " + file);
        }
        return f.unsignedField();
    }
}

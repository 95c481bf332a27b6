package io.specula.nodeexporter;

import io.specula.model.textparse.MetricType;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code pressure}: the pressure stall totals of /proc/pressure/{cpu,io,memory} in seconds
 * ({@code some} is "waiting", {@code full} is "stalled"; node_exporter 1.5 reports no CPU "full").
 */
final class PressureCollector implements Collector {
    private final Path cpu;
    private final Path io;
    private final Path memory;
    private final ProcFile f = new ProcFile();
    private final double[] some = new double[3];
    private final double[] full = new double[3];

    PressureCollector(NodeExporterOptions o) {
        cpu = o.proc("pressure/cpu");
        io = o.proc("pressure/io");
        memory = o.proc("pressure/memory");
    }

    @Override
    public String name() {
        return "pressure";
    }

    @Override
    public void update(Emitter out) throws IOException {
        Path[] files = {cpu, io, memory};
        for (int i = 0; i < 3; i++) {
            if (!f.read(files[i])) {
                throw new NoDataException("pressure information is unavailable, you need a Linux kernel >= 4.20 and/or CONFIG_PSI enabled for your kernel");
            }
            some[i] = full[i] = 0;
            while (f.nextLine()) {
                if (!f.nextField()) {
                    continue;
                }
                boolean isSome = f.fieldIs("some");
                if (!isSome && !f.fieldIs("full")) {
                    continue;
                }
                while (f.nextField()) {
                    if (f.fieldStartsWith("total=")) {
                        f.narrow(6, f.fieldLength());
                        double v = f.unsignedField() / 1000.0 / 1000.0;
                        if (isSome) {
                            some[i] = v;
                        } else {
                            full[i] = v;
                        }
                    }
                }
            }
        }
        out.single("node_pressure_cpu_waiting_seconds_total", MetricType.COUNTER,
                "Total time in seconds that processes have waited for CPU time", some[0]);
        out.single("node_pressure_io_stalled_seconds_total", MetricType.COUNTER,
                "Total time in seconds no process could make progress due to IO congestion", full[1]);
        out.single("node_pressure_io_waiting_seconds_total", MetricType.COUNTER,
                "Total time in seconds that processes have waited due to IO congestion", some[1]);
        out.single("node_pressure_memory_stalled_seconds_total", MetricType.COUNTER,
                "Total time in seconds no process could make progress due to memory congestion", full[2]);
        out.single("node_pressure_memory_waiting_seconds_total", MetricType.COUNTER,
                "Total time in seconds that processes have waited for memory", some[2]);
    }
}

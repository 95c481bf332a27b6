package io.specula.nodeexporter;

import java.io.IOException;
import java.nio.file.Path;

/** {@code loadavg}: node_load1, node_load5, node_load15 from /proc/loadavg. */
final class LoadavgCollector implements Collector {
    private final Path file;
    private final ProcFile f = new ProcFile();

    LoadavgCollector(NodeExporterOptions o) {
        file = o.proc("loadavg");
    }

    @Override
    public String name() {
        return "loadavg";
    }

    @Override
    public void update(Emitter out) throws IOException {
        f.mustRead(file);
        if (!f.nextLine() || !f.nextField()) {
            throw new IOException("unexpected content in " + file);
        }
        double l1 = f.doubleField();
        f.nextField();
        double l5 = f.doubleField();
        f.nextField();
        double l15 = f.doubleField();
        out.gauge("node_load1", "1m load average.", l1);
        out.gauge("node_load15", "15m load average.", l15);
        out.gauge("node_load5", "5m load average.", l5);
    }
}

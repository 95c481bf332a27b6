package io.specula.nodeexporter;

import io.specula.model.textparse.MetricType;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code sockstat}: /proc/net/sockstat and sockstat6 as {@code node_sockstat_<PROTO>_<field>}
 * gauges, plus {@code node_sockstat_sockets_used} and, for each {@code mem} (pages), a
 * {@code mem_bytes} in bytes.
 */
final class SockstatCollector implements Collector {
    private final Path v4;
    private final Path v6;
    private final ProcFile f = new ProcFile();
    private final double pageSize = Native.pageSize();
    private final Names names = new Names((proto, field) -> new String[] {"node_sockstat_" + proto + "_" + field,
        "Number of " + proto + " sockets in state " + field + "."});
    private final Names bytes = new Names((proto, field) -> new String[] {"node_sockstat_" + proto + "_mem_bytes",
        "Number of " + proto + " sockets in state mem_bytes."});

    SockstatCollector(NodeExporterOptions o) {
        v4 = o.proc("net/sockstat");
        v6 = o.proc("net/sockstat6");
    }

    @Override
    public String name() {
        return "sockstat";
    }

    @Override
    public void update(Emitter out) throws IOException {
        f.mustRead(v4);
        read(out, true);
        if (f.read(v6)) { // absent when IPv6 is disabled
            read(out, false);
        }
    }

    private void read(Emitter out, boolean v4) throws IOException {
        while (f.nextLine()) {
            if (!f.nextField()) {
                continue;
            }
            int n = f.fieldLength();
            if (n < 2 || f.fieldByte(n - 1) != ':') {
                throw new IOException("malformed sockstat line");
            }
            boolean sockets = f.fieldIs("sockets:");
            f.narrow(0, n - 1);
            String proto = f.string();
            while (f.nextField()) {
                String field = f.string();
                if (!f.nextField()) {
                    throw new IOException("sockstat: " + proto + " " + field + " has no value");
                }
                double v = f.doubleField();
                if (sockets) {
                    if (v4 && field.equals("used")) {
                        out.gauge("node_sockstat_sockets_used", "Number of IPv4 sockets in use.", v);
                    }
                    continue;
                }
                String[] nh = names.get(proto, field);
                out.gauge(nh[0], nh[1], v);
                if (field.equals("mem")) {
                    String[] b = bytes.get(proto, field);
                    out.gauge(b[0], b[1], v * pageSize);
                }
            }
        }
    }
}

package io.specula.nodeexporter;

import com.google.re2j.Pattern;
import io.specula.model.textparse.MetricType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code netstat}: the counters of /proc/net/netstat and /proc/net/snmp (a header line of field
 * names, then a line of values, per protocol) and /proc/net/snmp6 ({@code Ip6InOctets 128}), as
 * untyped {@code node_netstat_<Proto>_<Field>} for the fields matching {@code --collector.netstat.fields}.
 */
final class NetstatCollector implements Collector {
    private final Path netstat;
    private final Path snmp;
    private final Path snmp6;
    private final ProcFile f = new ProcFile(4096); // some 300 distinct field names
    private final Names names;
    private String[] header = new String[64];

    NetstatCollector(NodeExporterOptions o, Pattern fields) {
        netstat = o.proc("net/netstat");
        snmp = o.proc("net/snmp");
        snmp6 = o.proc("net/snmp6");
        names = new Names((proto, field) -> {
            String key = proto + "_" + field;
            return fields == null || fields.matcher(key).find()
                    ? new String[] {"node_netstat_" + key, "Statistic " + proto + field + "."}
                    : new String[0];
        });
    }

    @Override
    public String name() {
        return "netstat";
    }

    @Override
    public void update(Emitter out) throws IOException {
        f.mustRead(netstat);
        pairs(out, netstat);
        f.mustRead(snmp);
        pairs(out, snmp);
        if (f.read(snmp6)) { // absent when IPv6 is disabled
            while (f.nextLine()) {
                if (!f.nextField()) {
                    continue;
                }
                int n = f.fieldLength();
                int k = 0;
                while (k < n && f.fieldByte(k) != '6') {
                    k++;
                }
                if (k == n) {
                    continue;
                }
                f.narrow(0, k + 1);
                String proto = f.string();
                f.narrow(k + 1, n);
                String field = f.string();
                String[] nh = names.get(proto, field);
                if (nh.length != 0 && f.nextField()) {
                    out.single(nh[0], MetricType.UNKNOWN, nh[1], f.doubleField());
                }
            }
        }
    }

    private void pairs(Emitter out, Path file) throws IOException {
        while (f.nextLine()) {
            if (!f.nextField()) {
                continue;
            }
            int n = f.fieldLength();
            if (n < 2 || f.fieldByte(n - 1) != ':') {
                continue;
            }
            f.narrow(0, n - 1);
            String proto = f.string();
            int count = 0;
            while (f.nextField()) {
                if (count == header.length) {
                    header = Arrays.copyOf(header, count * 2);
                }
                header[count++] = f.string();
            }
            if (!f.nextLine() || !f.nextField()) {
                throw new IOException(file + ": " + proto + " has no line of values");
            }
            for (int i = 0; i < count && f.nextField(); i++) {
                String[] nh = names.get(proto, header[i]);
                if (nh.length != 0) {
                    out.single(nh[0], MetricType.UNKNOWN, nh[1], f.doubleField());
                }
            }
        }
    }
}

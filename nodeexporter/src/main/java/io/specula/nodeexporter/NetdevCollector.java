package io.specula.nodeexporter;

import io.specula.model.textparse.MetricType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code netdev}: per-device counters {@code node_network_{receive,transmit}_<stat>_total} from
 * /proc/net/dev, plus {@code receive_nohandler} from sysfs (what node_exporter 1.5 reports with
 * its default netlink source), devices filtered by {@code --collector.netdev.device-include/-exclude}.
 */
final class NetdevCollector implements Collector {
    /** /proc/net/dev's 16 columns. */
    private static final String[] COLUMNS = {"receive_bytes", "receive_packets", "receive_errs", "receive_drop", "receive_fifo",
        "receive_frame", "receive_compressed", "receive_multicast", "transmit_bytes", "transmit_packets", "transmit_errs",
        "transmit_drop", "transmit_fifo", "transmit_colls", "transmit_carrier", "transmit_compressed"};
    private static final int NOHANDLER = COLUMNS.length;
    /** Output order (sorted by name) as column indexes; NOHANDLER is the sysfs value. */
    private static final int[] ORDER = {0, 6, 3, 2, 4, 5, 7, NOHANDLER, 1, 8, 14, 13, 15, 11, 10, 12, 9};
    private static final String[] FAMILY = new String[NOHANDLER + 1];
    private static final String[] HELP = new String[NOHANDLER + 1];

    static {
        for (int i = 0; i <= NOHANDLER; i++) {
            String stat = i == NOHANDLER ? "receive_nohandler" : COLUMNS[i];
            FAMILY[i] = "node_network_" + stat + "_total";
            HELP[i] = "Network device statistic " + stat + ".";
        }
    }

    private final Path file;
    private final Path classNet;
    private final NodeExporter.DeviceFilter filter;
    private final ProcFile f = new ProcFile();
    private final ProcFile sys = new ProcFile();
    private final LabelCache labels = new LabelCache("device");
    private String[] devices = new String[16];
    private double[][] values = new double[16][NOHANDLER + 1];
    private boolean[] hasNohandler = new boolean[16];
    private final java.util.HashMap<String, Path> nohandler = new java.util.HashMap<>();

    NetdevCollector(NodeExporterOptions o, NodeExporter.DeviceFilter filter) {
        this.file = o.proc("net/dev");
        this.classNet = o.sys("class/net");
        this.filter = filter;
    }

    @Override
    public String name() {
        return "netdev";
    }

    @Override
    public void update(Emitter out) throws IOException {
        f.mustRead(file);
        int n = 0;
        boolean anyNohandler = false;
        while (f.nextLine()) {
            if (!f.nextField()) {
                continue;
            }
            int len = f.fieldLength();
            int colon = -1;
            for (int i = 0; i < len; i++) {
                if (f.fieldByte(i) == ':') {
                    colon = i;
                    break;
                }
            }
            if (colon <= 0) {
                continue; // the two header lines
            }
            f.narrow(0, colon);
            String dev = f.string();
            if (filter.ignored(dev)) {
                continue;
            }
            if (n == devices.length) {
                devices = Arrays.copyOf(devices, n * 2);
                values = Arrays.copyOf(values, n * 2);
                hasNohandler = Arrays.copyOf(hasNohandler, n * 2);
                for (int i = n; i < values.length; i++) {
                    values[i] = new double[NOHANDLER + 1];
                }
            }
            double[] v = values[n];
            int c = 0;
            if (colon + 1 < len) { // a wide first number touches the colon
                f.narrow(colon + 1, len);
                v[c++] = f.unsignedField();
            }
            for (; c < COLUMNS.length; c++) {
                if (!f.nextField()) {
                    throw new IOException(file + ": too few fields for " + dev);
                }
                v[c] = f.unsignedField();
            }
            Path nhPath = nohandler.get(dev);
            if (nhPath == null) {
                if (nohandler.size() >= 4096) {
                    nohandler.clear();
                }
                nhPath = classNet.resolve(dev).resolve("statistics/rx_nohandler");
                nohandler.put(dev, nhPath);
            }
            long nh = sys.readLong(nhPath, -1);
            hasNohandler[n] = nh >= 0;
            anyNohandler |= nh >= 0;
            v[NOHANDLER] = Math.max(nh, 0);
            devices[n++] = dev;
        }
        for (int o : ORDER) {
            if (o == NOHANDLER && !anyNohandler) {
                continue;
            }
            out.family(FAMILY[o], MetricType.COUNTER, HELP[o]);
            for (int d = 0; d < n; d++) {
                if (o != NOHANDLER || hasNohandler[d]) {
                    out.sample(labels.get(devices[d]), values[d][o]);
                }
            }
        }
    }
}

package io.specula.nodeexporter;

import io.specula.model.labels.Labels;
import io.specula.model.textparse.MetricType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;

/**
 * {@code diskstats}: the block device counters of /proc/diskstats (11, 15 or 17 statistics by
 * kernel version) in bytes and seconds, and {@code node_disk_info} with the udev properties
 * node_exporter reads from {@code --path.udev.data}; devices filtered by
 * {@code --collector.diskstats.device-include/-exclude}.
 */
final class DiskstatsCollector implements Collector {
    private static final double SECTOR = 512;
    private static final double MS = 0.001;
    /** Per statistic column (after major, minor, name): family, type, help, scale. */
    private static final String[][] STATS = {
        {"node_disk_reads_completed_total", "The total number of reads completed successfully."},
        {"node_disk_reads_merged_total", "The total number of reads merged."},
        {"node_disk_read_bytes_total", "The total number of bytes read successfully."},
        {"node_disk_read_time_seconds_total", "The total number of seconds spent by all reads."},
        {"node_disk_writes_completed_total", "The total number of writes completed successfully."},
        {"node_disk_writes_merged_total", "The number of writes merged."},
        {"node_disk_written_bytes_total", "The total number of bytes written successfully."},
        {"node_disk_write_time_seconds_total", "This is the total number of seconds spent by all writes."},
        {"node_disk_io_now", "The number of I/Os currently in progress."},
        {"node_disk_io_time_seconds_total", "Total seconds spent doing I/Os."},
        {"node_disk_io_time_weighted_seconds_total", "The weighted # of seconds spent doing I/Os."},
        {"node_disk_discards_completed_total", "The total number of discards completed successfully."},
        {"node_disk_discards_merged_total", "The total number of discards merged."},
        {"node_disk_discarded_sectors_total", "The total number of sectors discarded successfully."},
        {"node_disk_discard_time_seconds_total", "This is the total number of seconds spent by all discards."},
        {"node_disk_flush_requests_total", "The total number of flush requests completed successfully"},
        {"node_disk_flush_requests_time_seconds_total", "This is the total number of seconds spent by all flush requests."},
    };
    private static final double[] SCALE = {1, 1, SECTOR, MS, 1, 1, SECTOR, MS, 1, MS, MS, 1, 1, 1, MS, 1, MS};

    private final Path file;
    private final Path udev;
    private final NodeExporter.DeviceFilter filter;
    private final ProcFile f = new ProcFile();
    private final ProcFile u = new ProcFile();
    private final LabelCache labels = new LabelCache("device");
    private final HashMap<String, Info> info = new HashMap<>();
    private String[] devices = new String[16];
    private long[] majors = new long[16];
    private long[] minors = new long[16];
    private int[] counts = new int[16];
    private double[][] values = new double[16][STATS.length];

    private record Info(long major, long minor, Labels labels) {}

    DiskstatsCollector(NodeExporterOptions o, NodeExporter.DeviceFilter filter) {
        this.file = o.proc("diskstats");
        this.udev = Path.of(o.flag("path.udev.data"));
        this.filter = filter;
    }

    @Override
    public String name() {
        return "diskstats";
    }

    @Override
    public void update(Emitter out) throws IOException {
        f.mustRead(file);
        int n = 0;
        while (f.nextLine()) {
            if (!f.nextField()) {
                continue;
            }
            long major = f.longField();
            if (!f.nextField()) {
                throw new IOException(file + ": short line");
            }
            long minor = f.longField();
            if (!f.nextField()) {
                throw new IOException(file + ": short line");
            }
            String dev = f.string();
            if (filter.ignored(dev)) {
                continue;
            }
            if (n == devices.length) {
                int cap = n * 2;
                devices = Arrays.copyOf(devices, cap);
                majors = Arrays.copyOf(majors, cap);
                minors = Arrays.copyOf(minors, cap);
                counts = Arrays.copyOf(counts, cap);
                values = Arrays.copyOf(values, cap);
                for (int i = n; i < cap; i++) {
                    values[i] = new double[STATS.length];
                }
            }
            int c = 0;
            for (; c < STATS.length && f.nextField(); c++) {
                values[n][c] = f.unsignedField() * SCALE[c];
            }
            if (c < 11) {
                throw new IOException(file + ": " + dev + " has " + c + " statistics, expected at least 11");
            }
            devices[n] = dev;
            majors[n] = major;
            minors[n] = minor;
            counts[n++] = c;
        }
        for (int s = 0; s < STATS.length; s++) {
            boolean started = false;
            for (int d = 0; d < n; d++) {
                if (counts[d] <= s) {
                    continue;
                }
                if (!started) {
                    out.family(STATS[s][0], s == 8 ? MetricType.GAUGE : MetricType.COUNTER, STATS[s][1]);
                    started = true;
                }
                out.sample(labels.get(devices[d]), values[d][s]);
            }
        }
        out.family("node_disk_info", MetricType.GAUGE, "Info of /sys/block/<block_device>.");
        for (int d = 0; d < n; d++) {
            out.sample(info(devices[d], majors[d], minors[d]), 1);
        }
    }

    /** The info labels of a device, read once (and again when its numbers change). */
    private Labels info(String dev, long major, long minor) throws IOException {
        Info i = info.get(dev);
        if (i == null || i.major != major || i.minor != minor) {
            String model = "";
            String path = "";
            String revision = "";
            String serial = "";
            String wwn = "";
            if (u.read(udev.resolve("b" + major + ":" + minor))) {
                while (u.nextLine()) {
                    if (!u.nextField() || !u.fieldStartsWith("E:")) {
                        continue;
                    }
                    String kv = u.line().substring(2);
                    int eq = kv.indexOf('=');
                    if (eq < 0) {
                        continue;
                    }
                    String k = kv.substring(0, eq);
                    String v = kv.substring(eq + 1);
                    switch (k) {
                        case "ID_MODEL" -> model = v;
                        case "ID_PATH" -> path = v;
                        case "ID_REVISION" -> revision = v;
                        case "ID_SERIAL_SHORT" -> serial = v;
                        case "ID_WWN" -> wwn = v;
                        default -> { }
                    }
                }
            }
            if (info.size() > 4096) {
                info.clear();
            }
            i = new Info(major, minor, Labels.of("device", dev, "major", Long.toString(major), "minor", Long.toString(minor),
                    "model", model, "path", path, "revision", revision, "serial", serial, "wwn", wwn));
            info.put(dev, i);
        }
        return i.labels;
    }
}

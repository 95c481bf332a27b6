package io.specula.nodeexporter;

import io.specula.model.labels.Labels;
import io.specula.model.textparse.MetricType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code diskstats}: the block device counters of /proc/diskstats (11, 15 or 17 statistics by
 * kernel version) in bytes and seconds, {@code node_disk_info}, and the file system, device
 * mapper and ATA families from the udev properties
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

    /** udev-derived labels and values of one device; null where the device has none. */
    private record Info(long major, long minor, Labels labels, Labels fs, Labels dm, double[] ata, Labels device) {}

    /** The ATA properties node_exporter reports: udev key, family, help. */
    private static final String[][] ATA = {
        {"ID_ATA_ROTATION_RATE_RPM", "node_disk_ata_rotation_rate_rpm", "ATA disk rotation rate in RPMs."},
        {"ID_ATA_WRITE_CACHE", "node_disk_ata_write_cache", "ATA disk has a write cache."},
        {"ID_ATA_WRITE_CACHE_ENABLED", "node_disk_ata_write_cache_enabled", "ATA disk has its write cache enabled."},
    };
    private Info[] infos = new Info[16];

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
        if (infos.length < n) {
            infos = new Info[devices.length];
        }
        out.family("node_disk_info", MetricType.GAUGE, "Info of /sys/block/<block_device>.");
        for (int d = 0; d < n; d++) {
            infos[d] = info(devices[d], majors[d], minors[d]);
            out.sample(infos[d].labels, 1);
        }
        udevFamilies(out, n);
    }

    /** The udev properties of a device, read once (and again when its numbers change). */
    private Info info(String dev, long major, long minor) throws IOException {
        Info i = info.get(dev);
        if (i == null || i.major != major || i.minor != minor) {
            Map<String, String> p = new HashMap<>();
            if (u.read(udev.resolve("b" + major + ":" + minor))) {
                while (u.nextLine()) {
                    if (!u.nextField() || !u.fieldStartsWith("E:")) {
                        continue;
                    }
                    String kv = u.line().substring(2);
                    int eq = kv.indexOf('=');
                    if (eq > 0) {
                        p.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                }
            }
            if (info.size() > 4096) {
                info.clear();
            }
            Labels fs = null;
            if (!p.getOrDefault("ID_FS_TYPE", "").isEmpty()) {
                fs = Labels.of("device", dev, "type", p.get("ID_FS_TYPE"), "usage", p.getOrDefault("ID_FS_USAGE", ""),
                        "uuid", p.getOrDefault("ID_FS_UUID", ""), "version", p.getOrDefault("ID_FS_VERSION", ""));
            }
            Labels dm = null;
            if (!p.getOrDefault("DM_NAME", "").isEmpty()) {
                dm = Labels.of("device", dev, "name", p.get("DM_NAME"), "uuid", p.getOrDefault("DM_UUID", ""),
                        "vg_name", p.getOrDefault("DM_VG_NAME", ""), "lv_name", p.getOrDefault("DM_LV_NAME", ""),
                        "lv_layer", p.getOrDefault("DM_LV_LAYER", ""));
            }
            double[] ata = null;
            if (!p.getOrDefault("ID_ATA", "").isEmpty()) {
                ata = new double[ATA.length];
                for (int k = 0; k < ATA.length; k++) {
                    String v = p.get(ATA[k][0]);
                    try {
                        ata[k] = v == null ? Double.NaN : Double.parseDouble(v);
                    } catch (NumberFormatException e) {
                        ata[k] = Double.NaN; // node_exporter logs and skips an unparsable property
                    }
                }
            }
            i = new Info(major, minor, Labels.of("device", dev, "major", Long.toString(major), "minor", Long.toString(minor),
                    "model", p.getOrDefault("ID_MODEL", ""), "path", p.getOrDefault("ID_PATH", ""),
                    "revision", p.getOrDefault("ID_REVISION", ""), "serial", p.getOrDefault("ID_SERIAL_SHORT", ""),
                    "wwn", p.getOrDefault("ID_WWN", "")), fs, dm, ata, labels.get(dev));
            info.put(dev, i);
        }
        return i;
    }

    /** The udev-derived families: filesystem and device mapper info, ATA properties. */
    private void udevFamilies(Emitter out, int n) throws IOException {
        boolean started = false;
        for (int d = 0; d < n; d++) {
            Info i = infos[d];
            if (i.fs != null) {
                if (!started) {
                    out.family("node_disk_filesystem_info", MetricType.GAUGE, "Info about disk filesystem.");
                    started = true;
                }
                out.sample(i.fs, 1);
            }
        }
        started = false;
        for (int d = 0; d < n; d++) {
            Info i = infos[d];
            if (i.dm != null) {
                if (!started) {
                    out.family("node_disk_device_mapper_info", MetricType.GAUGE, "Info about disk device mapper.");
                    started = true;
                }
                out.sample(i.dm, 1);
            }
        }
        for (int k = 0; k < ATA.length; k++) {
            started = false;
            for (int d = 0; d < n; d++) {
                Info i = infos[d];
                if (i.ata != null && !Double.isNaN(i.ata[k])) {
                    if (!started) {
                        out.family(ATA[k][1], MetricType.GAUGE, ATA[k][2]);
                        started = true;
                    }
                    out.sample(i.device, i.ata[k]);
                }
            }
        }
    }
}

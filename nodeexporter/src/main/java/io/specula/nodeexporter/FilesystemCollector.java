package io.specula.nodeexporter;

import com.google.re2j.Pattern;
import io.specula.model.labels.Labels;
import io.specula.model.textparse.MetricType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code filesystem}: size, free and available bytes, inodes and read-only state of each mount
 * of /proc/1/mounts (else /proc/self/mounts) not excluded by mount point or file system type,
 * through statfs(2) under {@code --path.rootfs}. A mount that cannot be statted reports
 * {@code node_filesystem_device_error 1} and nothing else, as node_exporter does.
 */
final class FilesystemCollector implements Collector {
    private static final String[][] FAMILIES = {
        {"node_filesystem_avail_bytes", "Filesystem space available to non-root users in bytes."},
        {"node_filesystem_device_error", "Whether an error occurred while getting statistics for the given device."},
        {"node_filesystem_files", "Filesystem total file nodes."},
        {"node_filesystem_files_free", "Filesystem total free file nodes."},
        {"node_filesystem_free_bytes", "Filesystem free space in bytes."},
        {"node_filesystem_readonly", "Filesystem read-only status."},
        {"node_filesystem_size_bytes", "Filesystem size in bytes."},
    };
    private static final int AVAIL = 0;
    private static final int ERROR = 1;
    private static final int FILES = 2;
    private static final int FILES_FREE = 3;
    private static final int FREE = 4;
    private static final int RO = 5;
    private static final int SIZE = 6;

    private final Path mounts1;
    private final Path mountsSelf;
    private final String rootfs;
    private final Native nat;
    private final Pattern mountExclude;
    private final Pattern typeExclude;
    private final ProcFile f = new ProcFile();
    private final List<Mount> mounts = new ArrayList<>();
    private final Set<Labels> seen = new HashSet<>();
    private final java.util.HashMap<String, Labels> labelCache = new java.util.HashMap<>();

    /** One mount's statistics, reused across scrapes. */
    private static final class Mount {
        Labels labels;
        final double[] v = new double[FAMILIES.length];
    }

    private int count;

    FilesystemCollector(NodeExporterOptions o, Native nat, Pattern mountExclude, Pattern typeExclude) {
        this.mounts1 = o.proc("1/mounts");
        this.mountsSelf = o.proc("self/mounts");
        String r = o.rootfs().toString();
        this.rootfs = r.equals("/") ? "/" : r.replaceAll("/+$", "");
        this.nat = nat;
        this.mountExclude = mountExclude;
        this.typeExclude = typeExclude;
    }

    @Override
    public String name() {
        return "filesystem";
    }

    @Override
    public void update(Emitter out) throws IOException {
        if (!f.read(mounts1)) {
            f.mustRead(mountsSelf);
        }
        count = 0;
        seen.clear();
        while (f.nextLine()) {
            if (!f.nextField()) {
                continue;
            }
            String device = f.string();
            if (!f.nextField()) {
                throw new IOException("malformed mount point information: " + device);
            }
            String mountPoint = f.string();
            if (!f.nextField()) {
                throw new IOException("malformed mount point information: " + device);
            }
            String fsType = f.string();
            boolean ro = false;
            if (f.nextField()) {
                ro = hasReadOnly(f);
            }
            MountPoint mp = mountPoint(mountPoint);
            String reported = mp.reported;
            if (mp.excluded || typeExcluded(fsType)) {
                continue;
            }
            Labels labels = labels(device, reported, fsType);
            if (!seen.add(labels)) {
                continue;
            }
            Mount m = next();
            m.labels = labels;
            if (!nat.statfs(mp.statPath)) {
                m.v[ERROR] = 1;
                continue;
            }
            double bsize = nat.statfsBsize();
            m.v[ERROR] = 0;
            m.v[SIZE] = unsigned(nat.statfsBlocks()) * bsize;
            m.v[FREE] = unsigned(nat.statfsBfree()) * bsize;
            m.v[AVAIL] = unsigned(nat.statfsBavail()) * bsize;
            m.v[FILES] = unsigned(nat.statfsFiles());
            m.v[FILES_FREE] = unsigned(nat.statfsFfree());
            m.v[RO] = ro ? 1 : 0;
        }
        for (int fam = 0; fam < FAMILIES.length; fam++) {
            out.family(FAMILIES[fam][0], MetricType.GAUGE, FAMILIES[fam][1]);
            for (int i = 0; i < count; i++) {
                Mount m = mounts.get(i);
                if (fam == ERROR || m.v[ERROR] == 0) {
                    out.sample(m.labels, m.v[fam]);
                }
            }
        }
    }

    /** What is derived from a mount point once: its reported form, whether it is excluded, where to stat it. */
    private record MountPoint(String reported, boolean excluded, byte[] statPath) {}

    private final java.util.HashMap<String, MountPoint> mountPoints = new java.util.HashMap<>();
    private final java.util.HashMap<String, Boolean> typeDecisions = new java.util.HashMap<>();

    private MountPoint mountPoint(String raw) {
        MountPoint mp = mountPoints.get(raw);
        if (mp == null) {
            String reported = stripRootfs(unescape(raw));
            String statPath = rootfs.equals("/") ? reported : rootfs + reported;
            mp = new MountPoint(reported, mountExclude != null && mountExclude.matcher(reported).find(),
                    statPath.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            if (mountPoints.size() >= 4096) {
                mountPoints.clear();
            }
            mountPoints.put(raw, mp);
        }
        return mp;
    }

    private boolean typeExcluded(String fsType) {
        Boolean d = typeDecisions.get(fsType);
        if (d == null) {
            d = typeExclude != null && typeExclude.matcher(fsType).find();
            if (typeDecisions.size() >= 1024) {
                typeDecisions.clear();
            }
            typeDecisions.put(fsType, d);
        }
        return d;
    }

    private Mount next() {
        if (count == mounts.size()) {
            mounts.add(new Mount());
        }
        return mounts.get(count++);
    }

    private Labels labels(String device, String mountPoint, String fsType) {
        Labels l = labelCache.get(mountPoint);
        if (l == null || !device.equals(l.get("device")) || !fsType.equals(l.get("fstype"))) {
            if (labelCache.size() > 4096) {
                labelCache.clear();
            }
            l = Labels.of("device", device, "fstype", fsType, "mountpoint", mountPoint);
            labelCache.put(mountPoint, l);
        }
        return l;
    }

    /**
     * The mount point as node_exporter reports it: with the --path.rootfs prefix cut off (a mount
     * outside it keeps its path and is statted under the root file system, as node_exporter does).
     */
    private String stripRootfs(String mountPoint) {
        if (rootfs.equals("/") || !mountPoint.startsWith(rootfs)) {
            return mountPoint;
        }
        String s = mountPoint.substring(rootfs.length());
        return s.isEmpty() ? "/" : s;
    }

    private static boolean hasReadOnly(ProcFile f) {
        int n = f.fieldLength();
        int start = 0;
        for (int i = 0; i <= n; i++) {
            if (i == n || f.fieldByte(i) == ',') {
                if (i - start == 2 && f.fieldByte(start) == 'r' && f.fieldByte(start + 1) == 'o') {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    /** The kernel writes blanks in mount points as octal escapes ({@code \040}); node_exporter undoes space and tab. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        return s.replace("\\040", " ").replace("\\011", "\t");
    }

    private static double unsigned(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }
}

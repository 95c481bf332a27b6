package io.specula.nodeexporter;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@link NodeExporter} reads and which collectors run.
 *
 * @param procfs {@code --path.procfs}
 * @param sysfs {@code --path.sysfs}
 * @param rootfs {@code --path.rootfs}: mount points are statted under it and reported relative to it
 * @param collectors the enabled collectors by node_exporter name (see {@link NodeExporter#COLLECTORS})
 * @param flags collector-specific flags by node_exporter name without dashes
 *     ({@code collector.netdev.device-exclude}); a missing one has its {@link #DEFAULT_FLAGS default}
 */
public record NodeExporterOptions(Path procfs, Path sysfs, Path rootfs, Set<String> collectors, Map<String, String> flags) {

    /**
     * The collector flags and their defaults as Debian's node_exporter 1.5 build has them (its
     * {@code --help}): Debian also excludes {@code /mnt}, {@code /media} and {@code /run} mounts,
     * {@code lo}, and reads text files from {@code /var/lib/prometheus/node-exporter}.
     */
    public static final Map<String, String> DEFAULT_FLAGS;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("collector.filesystem.mount-points-exclude",
                "^/(dev|proc|run|sys|mnt|media|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)");
        m.put("collector.filesystem.fs-types-exclude",
                "^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs"
                        + "|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|sysfs|tracefs)$");
        m.put("collector.diskstats.device-exclude", "^(ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\\d+n\\d+p)\\d+$");
        m.put("collector.diskstats.device-include", "");
        m.put("collector.netdev.device-exclude", "^lo$");
        m.put("collector.netdev.device-include", "");
        m.put("collector.netstat.fields", "^(.*_(InErrors|InErrs)|Ip_Forwarding|Ip(6|Ext)_(InOctets|OutOctets)|Icmp6?_(InMsgs|OutMsgs)"
                + "|TcpExt_(Listen.*|Syncookies.*|TCPSynRetrans|TCPTimeouts)|Tcp_(ActiveOpens|InSegs|OutSegs|OutRsts|PassiveOpens"
                + "|RetransSegs|CurrEstab)|Udp6?_(InDatagrams|OutDatagrams|NoPorts|RcvbufErrors|SndbufErrors))$");
        m.put("collector.vmstat.fields", "^(oom_kill|pgpg|pswp|pg.*fault).*");
        m.put("collector.textfile.directory", "/var/lib/prometheus/node-exporter");
        m.put("collector.cpu.guest", "true");
        m.put("path.udev.data", "/run/udev/data");
        DEFAULT_FLAGS = Map.copyOf(m);
    }

    public NodeExporterOptions {
        Objects.requireNonNull(procfs, "procfs");
        Objects.requireNonNull(sysfs, "sysfs");
        Objects.requireNonNull(rootfs, "rootfs");
        collectors = Set.copyOf(collectors);
        flags = Map.copyOf(flags);
    }

    /** The host's /proc, /sys and /, the default collectors, the default flags. */
    public static NodeExporterOptions defaults() {
        return new NodeExporterOptions(Path.of("/proc"), Path.of("/sys"), Path.of("/"), NodeExporter.COLLECTORS, Map.of());
    }

    /** The flag's value, or its default ({@code ""} when it has none). */
    public String flag(String name) {
        String v = flags.get(name);
        return v != null ? v : DEFAULT_FLAGS.getOrDefault(name, "");
    }

    public NodeExporterOptions withCollectors(Set<String> c) {
        return new NodeExporterOptions(procfs, sysfs, rootfs, c, flags);
    }

    public NodeExporterOptions withFlags(Map<String, String> f) {
        return new NodeExporterOptions(procfs, sysfs, rootfs, collectors, f);
    }

    public NodeExporterOptions withPaths(Path proc, Path sys, Path root) {
        return new NodeExporterOptions(proc, sys, root, collectors, flags);
    }

    Path proc(String rel) {
        return procfs.resolve(rel);
    }

    Path sys(String rel) {
        return sysfs.resolve(rel);
    }
}

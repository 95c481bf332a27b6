package io.specula.nodeexporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.specula.model.config.ConfigException;
import io.specula.model.labels.Labels;
import io.specula.model.textparse.MetricType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The collectors over small fake procfs/sysfs trees: the parsing edge cases a real host rarely shows. */
class CollectorFixtureTest {
    @TempDir
    Path dir;

    private void write(String rel, String content) throws IOException {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
    }

    private Exposition scrape(Set<String> collectors, Map<String, String> flags) throws Exception {
        NodeExporterOptions o = new NodeExporterOptions(dir.resolve("proc"), dir.resolve("sys"), dir.resolve("root"), collectors,
                flags);
        try (NodeExporter ne = new NodeExporter(o)) {
            ne.scrape(); // a second scrape must give the same answer from the reused buffers and caches
            return Exposition.parse(new String(ne.scrape(), StandardCharsets.UTF_8));
        }
    }

    private Exposition scrape(String collector) throws Exception {
        return scrape(Set.of(collector), Map.of());
    }

    @Test
    void meminfo_parenthesesAndUnits() throws Exception {
        write("proc/meminfo", "MemTotal:       16 kB\nActive(anon):    4 kB\nHugePages_Total:       2\n");
        Exposition e = scrape("meminfo");
        assertThat(e.value("node_memory_MemTotal_bytes")).isEqualTo(16384);
        assertThat(e.value("node_memory_Active_anon_bytes")).isEqualTo(4096);
        assertThat(e.value("node_memory_HugePages_Total")).isEqualTo(2);
        assertThat(e.help().get("node_memory_Active_anon_bytes")).isEqualTo("Memory information field Active_anon_bytes.");
        assertThat(e.value("node_scrape_collector_success", "collector", "meminfo")).isEqualTo(1);
    }

    @Test
    void netdev_wideCounterTouchingTheColon_filterAndNohandler() throws Exception {
        write("proc/net/dev", """
                Inter-|   Receive                                                |  Transmit
                 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                    lo:     100       2    0    0    0     0          0         0      100       2    0    0    0     0       0          0
                  eth0:12345678901 5 1 2 3 4 5 6 7 8 9 10 11 12 13 14
                """);
        write("sys/class/net/eth0/statistics/rx_nohandler", "7\n");
        Exposition e = scrape("netdev");
        assertThat(e.value("node_network_receive_bytes_total", "device", "eth0")).isEqualTo(12345678901.0);
        assertThat(e.value("node_network_receive_packets_total", "device", "eth0")).isEqualTo(5);
        assertThat(e.value("node_network_transmit_compressed_total", "device", "eth0")).isEqualTo(14);
        assertThat(e.value("node_network_transmit_colls_total", "device", "eth0")).isEqualTo(12);
        assertThat(e.value("node_network_receive_nohandler_total", "device", "eth0")).isEqualTo(7);
        assertThat(e.family("node_network_receive_bytes_total")).hasSize(1); // lo excluded by Debian's default
        Exposition all = scrape(Set.of("netdev"), Map.of("collector.netdev.device-exclude", ""));
        assertThat(all.value("node_network_receive_bytes_total", "device", "lo")).isEqualTo(100);
        assertThatThrownBy(() -> scrape(Set.of("netdev"), Map.of("collector.netdev.device-include", "eth")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("mutually exclusive");
    }

    @Test
    void diskstats_kernelGenerations_unitsAndExclusion() throws Exception {
        write("proc/diskstats", """
                   8       0 sda 10 1 8 100 20 2 16 200 0 300 400
                   8       1 sda1 1 1 1 1 1 1 1 1 1 1 1
                 259       0 nvme0n1 1 2 4 5 6 7 8 9 10 11 12 13 14 15 16
                 253       0 dm-0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17
                """);
        write("udev/b259:0", "S:disk/by-id/x\nE:ID_MODEL=Fast Disk\nE:ID_SERIAL_SHORT=S123\nE:ID_WWN=eui.1\n"
                + "E:ID_FS_TYPE=ext4\nE:ID_FS_UUID=abc\nE:ID_FS_USAGE=filesystem\nE:ID_FS_VERSION=1.0\n");
        write("udev/b8:0", "E:ID_ATA=1\nE:ID_ATA_ROTATION_RATE_RPM=7200\nE:ID_ATA_WRITE_CACHE=1\nE:ID_ATA_WRITE_CACHE_ENABLED=x\n");
        write("udev/b253:0", "E:DM_NAME=vg-root\nE:DM_UUID=LVM-1\nE:DM_VG_NAME=vg\nE:DM_LV_NAME=root\n");
        Exposition e = scrape(Set.of("diskstats"), Map.of("path.udev.data", dir.resolve("udev").toString()));
        assertThat(e.value("node_disk_read_bytes_total", "device", "sda")).isEqualTo(8 * 512);
        assertThat(e.value("node_disk_read_time_seconds_total", "device", "sda")).isCloseTo(0.1, within(1e-12));
        assertThat(e.value("node_disk_io_now", "device", "sda")).isEqualTo(0);
        assertThat(e.types().get("node_disk_io_now")).isEqualTo(MetricType.GAUGE);
        assertThat(e.family("node_disk_reads_completed_total")).hasSize(3); // sda1 excluded
        assertThat(e.family("node_disk_discards_completed_total")).containsOnlyKeys(
                Labels.of("__name__", "node_disk_discards_completed_total", "device", "nvme0n1"),
                Labels.of("__name__", "node_disk_discards_completed_total", "device", "dm-0"));
        assertThat(e.family("node_disk_flush_requests_total")).hasSize(1);
        assertThat(e.value("node_disk_flush_requests_time_seconds_total", "device", "dm-0")).isCloseTo(0.017, within(1e-12));
        assertThat(e.value("node_disk_info", "device", "nvme0n1", "major", "259", "minor", "0", "model", "Fast Disk",
                "serial", "S123", "wwn", "eui.1")).isEqualTo(1);
        assertThat(e.value("node_disk_filesystem_info", "device", "nvme0n1", "type", "ext4", "usage", "filesystem", "uuid", "abc",
                "version", "1.0")).isEqualTo(1);
        assertThat(e.value("node_disk_device_mapper_info", "device", "dm-0", "name", "vg-root", "uuid", "LVM-1", "vg_name", "vg",
                "lv_name", "root")).isEqualTo(1);
        assertThat(e.value("node_disk_ata_rotation_rate_rpm", "device", "sda")).isEqualTo(7200);
        assertThat(e.value("node_disk_ata_write_cache", "device", "sda")).isEqualTo(1);
        assertThat(e.types()).doesNotContainKey("node_disk_ata_write_cache_enabled"); // not a number: skipped
    }

    @Test
    void filesystem_rootfsPrefix_escapes_readOnly_andStatErrors() throws Exception {
        Path root = dir.resolve("root");
        Files.createDirectories(root.resolve("data"));
        Files.createDirectories(root.resolve("with space"));
        write("proc/1/mounts", """
                /dev/sda1 %1$s/data ext4 rw,relatime 0 0
                /dev/sdb %1$s/with\\040space xfs ro,noatime 0 0
                proc %1$s/proc proc rw 0 0
                tmpfs /elsewhere tmpfs rw 0 0
                /dev/sdc %1$s/gone ext4 rw 0 0
                /dev/sda1 %1$s/data ext4 rw,relatime 0 0
                """.formatted(root));
        Exposition e = scrape("filesystem");
        assertThat(e.value("node_filesystem_size_bytes", "device", "/dev/sda1", "fstype", "ext4", "mountpoint", "/data"))
                .isGreaterThan(0);
        assertThat(e.value("node_filesystem_readonly", "device", "/dev/sdb", "fstype", "xfs", "mountpoint", "/with space"))
                .isEqualTo(1);
        assertThat(e.value("node_filesystem_readonly", "device", "/dev/sda1", "fstype", "ext4", "mountpoint", "/data"))
                .isEqualTo(0);
        assertThat(e.value("node_filesystem_device_error", "device", "/dev/sdc", "fstype", "ext4", "mountpoint", "/gone"))
                .isEqualTo(1);
        // a mount outside the rootfs keeps its path and is statted under the rootfs, where it does not exist
        assertThat(e.value("node_filesystem_device_error", "device", "tmpfs", "fstype", "tmpfs", "mountpoint", "/elsewhere"))
                .isEqualTo(1);
        assertThat(e.family("node_filesystem_size_bytes")).hasSize(2); // not /gone, not proc
        assertThat(e.family("node_filesystem_device_error")).hasSize(4);
    }

    @Test
    void mdstat_recoveryRaid0InactiveAndBitmap() throws Exception {
        write("proc/mdstat", """
                Personalities : [raid1] [raid0]
                md1 : active raid1 sdb1[1] sda1[0](F) sdc1[2](S)
                      1000 blocks super 1.2 [2/1] [U_]
                      bitmap: 0/1 pages [0KB], 65536KB chunk
                      [==>..................]  recovery = 12.6% (126/1000) finish=0.1min speed=37888K/sec

                md0 : active raid0 sdd[0] sde[1]
                      2000 blocks super 1.2 512k chunks

                md2 : inactive sdf[0](S)
                      3000 blocks super 1.2

                unused devices: <none>
                """);
        Exposition e = scrape("mdadm");
        assertThat(e.value("node_md_state", "device", "md1", "state", "recovering")).isEqualTo(1);
        assertThat(e.value("node_md_state", "device", "md1", "state", "active")).isEqualTo(0);
        assertThat(e.value("node_md_blocks_synced", "device", "md1")).isEqualTo(126);
        assertThat(e.value("node_md_disks", "device", "md1", "state", "failed")).isEqualTo(1);
        assertThat(e.value("node_md_disks", "device", "md1", "state", "spare")).isEqualTo(1);
        assertThat(e.value("node_md_disks", "device", "md1", "state", "active")).isEqualTo(1);
        assertThat(e.value("node_md_disks_required", "device", "md1")).isEqualTo(2);
        assertThat(e.value("node_md_disks_required", "device", "md0")).isEqualTo(2);
        assertThat(e.value("node_md_blocks", "device", "md0")).isEqualTo(2000);
        assertThat(e.value("node_md_state", "device", "md2", "state", "inactive")).isEqualTo(1);
        assertThat(e.value("node_md_disks_required", "device", "md2")).isEqualTo(0);
        // missing file: no data, success 0 (as node_exporter 1.5 on a host without md)
        Files.delete(dir.resolve("proc/mdstat"));
        assertThat(scrape("mdadm").value("node_scrape_collector_success", "collector", "mdadm")).isEqualTo(0);
    }

    @Test
    void hwmon_chipNamesUnitsAndLabels() throws Exception {
        write("sys/class/hwmon/hwmon0/name", "coretemp\n");
        write("sys/class/hwmon/hwmon0/temp1_input", "45000\n");
        write("sys/class/hwmon/hwmon0/temp1_crit", "100000\n");
        write("sys/class/hwmon/hwmon0/temp1_label", "Core 0\n");
        write("sys/class/hwmon/hwmon0/temp1_crit_alarm", "0\n");
        write("sys/class/hwmon/hwmon0/fan1_input", "1200\n");
        write("sys/class/hwmon/hwmon0/in0_input", "1100\n");
        write("sys/class/hwmon/hwmon0/power1_average", "2500000\n");
        write("sys/class/hwmon/hwmon0/uevent", "ignored\n");
        Exposition e = scrape("hwmon");
        assertThat(e.value("node_hwmon_temp_celsius", "chip", "coretemp", "sensor", "temp1")).isEqualTo(45);
        assertThat(e.value("node_hwmon_temp_crit_celsius", "chip", "coretemp", "sensor", "temp1")).isEqualTo(100);
        assertThat(e.value("node_hwmon_temp_crit_alarm_celsius", "chip", "coretemp", "sensor", "temp1")).isEqualTo(0);
        assertThat(e.value("node_hwmon_fan_rpm", "chip", "coretemp", "sensor", "fan1")).isEqualTo(1200);
        assertThat(e.value("node_hwmon_in_volts", "chip", "coretemp", "sensor", "in0")).isEqualTo(1.1);
        assertThat(e.value("node_hwmon_power_average_watt", "chip", "coretemp", "sensor", "power1")).isEqualTo(2.5);
        assertThat(e.value("node_hwmon_sensor_label", "chip", "coretemp", "sensor", "temp1", "label", "Core 0")).isEqualTo(1);
        assertThat(e.value("node_hwmon_chip_names", "chip", "coretemp", "chip_name", "coretemp")).isEqualTo(1);
        assertThat(e.help().get("node_hwmon_temp_celsius")).isEqualTo("Hardware monitor for temperature (input)");
    }

    @Test
    void thermalEdacNvmeCpufreq() throws Exception {
        write("sys/class/thermal/thermal_zone0/type", "x86_pkg_temp\n");
        write("sys/class/thermal/thermal_zone0/temp", "52000\n");
        write("sys/class/thermal/cooling_device3/type", "Processor\n");
        write("sys/class/thermal/cooling_device3/cur_state", "1\n");
        write("sys/class/thermal/cooling_device3/max_state", "10\n");
        write("sys/devices/system/edac/mc/mc0/ce_count", "5\n");
        write("sys/devices/system/edac/mc/mc0/ce_noinfo_count", "1\n");
        write("sys/devices/system/edac/mc/mc0/ue_count", "2\n");
        write("sys/devices/system/edac/mc/mc0/ue_noinfo_count", "0\n");
        write("sys/devices/system/edac/mc/mc0/csrow0/ce_count", "4\n");
        write("sys/devices/system/edac/mc/mc0/csrow0/ue_count", "2\n");
        write("sys/class/nvme/nvme0/firmware_rev", "1B2QEXM7\n");
        write("sys/class/nvme/nvme0/model", "Samsung SSD 970   \n");
        write("sys/class/nvme/nvme0/serial", "S4\n");
        write("sys/class/nvme/nvme0/state", "live\n");
        write("sys/devices/system/cpu/cpu1/cpufreq/scaling_cur_freq", "1800000\n");
        write("sys/devices/system/cpu/cpu1/cpufreq/cpuinfo_max_freq", "3600000\n");
        write("sys/devices/system/cpu/cpu1/cpufreq/scaling_governor", "powersave\n");
        write("sys/devices/system/cpu/cpu1/cpufreq/scaling_available_governors", "performance powersave\n");
        Exposition e = scrape(Set.of("thermal_zone", "edac", "nvme", "cpufreq"), Map.of());
        assertThat(e.value("node_thermal_zone_temp", "zone", "0", "type", "x86_pkg_temp")).isEqualTo(52);
        assertThat(e.value("node_cooling_device_max_state", "name", "3", "type", "Processor")).isEqualTo(10);
        assertThat(e.value("node_edac_correctable_errors_total", "controller", "0")).isEqualTo(5);
        assertThat(e.value("node_edac_csrow_correctable_errors_total", "controller", "0", "csrow", "unknown")).isEqualTo(1);
        assertThat(e.value("node_edac_csrow_uncorrectable_errors_total", "controller", "0", "csrow", "0")).isEqualTo(2);
        assertThat(e.value("node_nvme_info", "device", "nvme0", "firmware_revision", "1B2QEXM7", "model", "Samsung SSD 970",
                "serial", "S4", "state", "live")).isEqualTo(1);
        assertThat(e.value("node_cpu_scaling_frequency_hertz", "cpu", "1")).isEqualTo(1.8e9);
        assertThat(e.value("node_cpu_frequency_max_hertz", "cpu", "1")).isEqualTo(3.6e9);
        assertThat(e.value("node_cpu_scaling_governor", "cpu", "1", "governor", "powersave")).isEqualTo(1);
        assertThat(e.value("node_cpu_scaling_governor", "cpu", "1", "governor", "performance")).isEqualTo(0);
    }

    @Test
    void conntrackNetstatSockstatVmstatPressure() throws Exception {
        write("proc/sys/net/netfilter/nf_conntrack_count", "12\n");
        write("proc/sys/net/netfilter/nf_conntrack_max", "65536\n");
        write("proc/net/stat/nf_conntrack", """
                entries  searched found new invalid ignore delete delete_list insert insert_failed drop early_drop icmp_error  expect_new expect_create expect_delete search_restart
                0000000c  00000000 0000000a 00000000 00000001 00000002 00000000 00000000 00000003 00000000 00000000 00000000 00000000  00000000 00000000 00000000 0000000f
                0000000c  00000000 00000010 00000000 00000001 00000002 00000000 00000000 00000003 00000000 00000000 00000000 00000000  00000000 00000000 00000000 00000001
                """);
        write("proc/net/netstat", "TcpExt: SyncookiesSent ListenDrops TCPHPHits\nTcpExt: 1 2 3\n");
        write("proc/net/snmp", "Tcp: RtoAlgorithm MaxConn CurrEstab InErrs\nTcp: 1 -1 4 5\n");
        write("proc/net/snmp6", "Ip6InOctets                     \t128\nUdpLite6InErrors 3\nIcmp6OutMsgs 9\n");
        write("proc/net/sockstat", "sockets: used 19\nTCP: inuse 4 orphan 0 tw 3 alloc 4 mem 2\nFRAG: inuse 0 memory 0\n");
        write("proc/net/sockstat6", "TCP6: inuse 1\n");
        write("proc/vmstat", "nr_free_pages 100\noom_kill 3\npgfault 17\n");
        Exposition e = scrape(Set.of("conntrack", "netstat", "sockstat", "vmstat", "pressure"), Map.of());
        assertThat(e.value("node_nf_conntrack_entries")).isEqualTo(12);
        assertThat(e.value("node_nf_conntrack_stat_found")).isEqualTo(0x1a);
        assertThat(e.value("node_nf_conntrack_stat_search_restart")).isEqualTo(16);
        assertThat(e.value("node_netstat_TcpExt_SyncookiesSent")).isEqualTo(1);
        assertThat(e.value("node_netstat_Tcp_CurrEstab")).isEqualTo(4);
        assertThat(e.value("node_netstat_Tcp_InErrs")).isEqualTo(5);
        assertThat(e.series()).doesNotContainKey(Labels.of("__name__", "node_netstat_Tcp_MaxConn")); // filtered by fields
        assertThat(e.value("node_netstat_Ip6_InOctets")).isEqualTo(128);
        assertThat(e.value("node_netstat_UdpLite6_InErrors")).isEqualTo(3);
        assertThat(e.help().get("node_netstat_Ip6_InOctets")).isEqualTo("Statistic Ip6InOctets.");
        assertThat(e.types().get("node_netstat_Ip6_InOctets")).isEqualTo(MetricType.UNKNOWN);
        assertThat(e.value("node_sockstat_sockets_used")).isEqualTo(19);
        assertThat(e.value("node_sockstat_TCP_mem_bytes")).isEqualTo(2.0 * Native.pageSize());
        assertThat(e.value("node_sockstat_FRAG_memory")).isEqualTo(0);
        assertThat(e.value("node_sockstat_TCP6_inuse")).isEqualTo(1);
        assertThat(e.value("node_vmstat_oom_kill")).isEqualTo(3);
        assertThat(e.series()).doesNotContainKey(Labels.of("__name__", "node_vmstat_nr_free_pages"));
        // no /proc/pressure: no data, not an error
        assertThat(e.value("node_scrape_collector_success", "collector", "pressure")).isEqualTo(0);
        assertThat(e.value("node_scrape_collector_success", "collector", "conntrack")).isEqualTo(1);
    }

    @Test
    void cpuStatLoadavg_andGuestFlag() throws Exception {
        write("proc/stat", """
                cpu  300 0 100 1000 5 0 1 0 7 3
                cpu0 150 0 50 500 2 0 1 0 7 3
                cpu1 150 0 50 500 3 0 0 0 0 0
                intr 255220 0 9 0
                ctxt 560236
                btime 1796643306
                processes 7676
                procs_running 2
                procs_blocked 1
                """);
        write("proc/loadavg", "0.73 0.23 0.08 1/120 4242\n");
        Exposition e = scrape(Set.of("cpu", "stat", "loadavg"), Map.of());
        assertThat(e.family("node_cpu_seconds_total")).hasSize(16);
        assertThat(e.value("node_cpu_seconds_total", "cpu", "0", "mode", "user")).isEqualTo(1.5);
        assertThat(e.value("node_cpu_seconds_total", "cpu", "1", "mode", "iowait")).isEqualTo(0.03);
        assertThat(e.value("node_cpu_guest_seconds_total", "cpu", "0", "mode", "user")).isEqualTo(0.07);
        assertThat(e.value("node_cpu_guest_seconds_total", "cpu", "0", "mode", "nice")).isEqualTo(0.03);
        assertThat(e.value("node_boot_time_seconds")).isEqualTo(1796643306);
        assertThat(e.value("node_intr_total")).isEqualTo(255220);
        assertThat(e.value("node_procs_blocked")).isEqualTo(1);
        assertThat(e.value("node_load1")).isEqualTo(0.73);
        assertThat(e.value("node_load15")).isEqualTo(0.08);
        assertThat(e.types()).doesNotContainKey("node_cpu_core_throttles_total"); // no thermal_throttle in sysfs
        for (int cpu = 0; cpu < 2; cpu++) { // two threads of one core
            write("sys/devices/system/cpu/cpu" + cpu + "/topology/physical_package_id", "0\n");
            write("sys/devices/system/cpu/cpu" + cpu + "/topology/core_id", "0\n");
            write("sys/devices/system/cpu/cpu" + cpu + "/thermal_throttle/core_throttle_count", "5\n");
            write("sys/devices/system/cpu/cpu" + cpu + "/thermal_throttle/package_throttle_count", "7\n");
        }
        Exposition t = scrape(Set.of("cpu"), Map.of());
        assertThat(t.family("node_cpu_core_throttles_total")).containsExactly(
                Map.entry(Labels.of("__name__", "node_cpu_core_throttles_total", "package", "0", "core", "0"), 5.0));
        assertThat(t.value("node_cpu_package_throttles_total", "package", "0")).isEqualTo(7);
        Exposition noGuest = scrape(Set.of("cpu"), Map.of("collector.cpu.guest", "false"));
        assertThat(noGuest.types()).doesNotContainKey("node_cpu_guest_seconds_total");
    }

    @Test
    void cpu_countersHeldWhenTheyStepBack_resetOnHotplug() throws Exception {
        write("proc/stat", "cpu0 100 0 50 1000 0 0 0 0 0 0\n");
        NodeExporterOptions o = new NodeExporterOptions(dir.resolve("proc"), dir.resolve("sys"), dir.resolve("root"),
                Set.of("cpu"), Map.of());
        try (NodeExporter ne = new NodeExporter(o)) {
            ne.scrape();
            write("proc/stat", "cpu0 99 0 51 999 0 0 0 0 0 0\n"); // jitter: user and idle back by 0.01 s
            Exposition e = Exposition.parse(new String(ne.scrape(), StandardCharsets.UTF_8));
            assertThat(e.value("node_cpu_seconds_total", "cpu", "0", "mode", "user")).isEqualTo(1.0);
            assertThat(e.value("node_cpu_seconds_total", "cpu", "0", "mode", "idle")).isEqualTo(10.0);
            assertThat(e.value("node_cpu_seconds_total", "cpu", "0", "mode", "system")).isEqualTo(0.51);
            write("proc/stat", "cpu0 5 0 5 100 0 0 0 0 0 0\n"); // idle back by 9 s: hot-plugged, start over
            e = Exposition.parse(new String(ne.scrape(), StandardCharsets.UTF_8));
            assertThat(e.value("node_cpu_seconds_total", "cpu", "0", "mode", "idle")).isEqualTo(1.0);
            assertThat(e.value("node_cpu_seconds_total", "cpu", "0", "mode", "user")).isEqualTo(0.05);
        }
    }

    @Test
    void textfile_badFilesSkippedAndFlagged() throws Exception {
        write("tf/good.prom", "# TYPE a_total counter\na_total{x=\"1\"} 3\n");
        write("tf/stamped.prom", "b 1 1700000000000\n");
        write("tf/broken.prom", "c{ 1\n");
        Exposition e = scrape(Set.of("textfile"), Map.of("collector.textfile.directory", dir.resolve("tf").toString()));
        assertThat(e.value("a_total", "x", "1")).isEqualTo(3);
        assertThat(e.types()).doesNotContainKeys("b", "c");
        assertThat(e.value("node_textfile_scrape_error")).isEqualTo(1);
        assertThat(e.family("node_textfile_mtime_seconds")).hasSize(1);
        Exposition missing = scrape(Set.of("textfile"), Map.of("collector.textfile.directory", dir.resolve("nope").toString()));
        assertThat(missing.value("node_textfile_scrape_error")).isEqualTo(1);
        assertThat(missing.value("node_scrape_collector_success", "collector", "textfile")).isEqualTo(1);
    }

    @Test
    void badFlags_clearErrors() {
        assertThatThrownBy(() -> scrape(Set.of("vmstat"), Map.of("collector.vmstat.fields", "(")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--collector.vmstat.fields");
        assertThatThrownBy(() -> scrape(Set.of("systemd"), Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("--no-collector.systemd");
    }

    @Test
    void procFile_numbers() throws Exception {
        ProcFile f = new ProcFile();
        f.load("18446744073709551615 -5 0.125 1e3 0x1F\n".getBytes(StandardCharsets.US_ASCII));
        f.nextLine();
        f.nextField();
        assertThat(f.unsignedField()).isEqualTo(1.8446744073709552e19);
        f.nextField();
        assertThat(f.longField()).isEqualTo(-5);
        f.nextField();
        assertThat(f.doubleField()).isEqualTo(0.125);
        f.nextField();
        assertThat(f.doubleField()).isEqualTo(1000);
        f.nextField();
        assertThat(f.hexField()).isEqualTo(31);
        assertThat(f.nextField()).isFalse();
        f.load("abc\n".getBytes(StandardCharsets.US_ASCII));
        f.nextLine();
        f.nextField();
        assertThatThrownBy(f::longField).isInstanceOf(IOException.class).hasMessageContaining("\"abc\"");
    }
}

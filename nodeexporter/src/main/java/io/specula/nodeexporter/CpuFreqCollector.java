package io.specula.nodeexporter;

import io.specula.model.labels.Labels;
import io.specula.model.textparse.MetricType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** {@code cpufreq}: per-CPU frequencies (kHz in sysfs, hertz out) and the scaling governor. */
final class CpuFreqCollector implements Collector {
    private static final String[][] FILES = {
        {"cpuinfo_cur_freq", "node_cpu_frequency_hertz", "Current CPU thread frequency in hertz."},
        {"cpuinfo_max_freq", "node_cpu_frequency_max_hertz", "Maximum CPU thread frequency in hertz."},
        {"cpuinfo_min_freq", "node_cpu_frequency_min_hertz", "Minimum CPU thread frequency in hertz."},
        {"scaling_cur_freq", "node_cpu_scaling_frequency_hertz", "Current scaled CPU thread frequency in hertz."},
        {"scaling_max_freq", "node_cpu_scaling_frequency_max_hertz", "Maximum scaled CPU thread frequency in hertz."},
        {"scaling_min_freq", "node_cpu_scaling_frequency_min_hertz", "Minimum scaled CPU thread frequency in hertz."},
    };

    private final Path dir;
    private final ProcFile f = new ProcFile();
    private final LabelCache labels = new LabelCache("cpu");

    CpuFreqCollector(NodeExporterOptions o) {
        dir = o.sys("devices/system/cpu");
    }

    @Override
    public String name() {
        return "cpufreq";
    }

    @Override
    public void update(Emitter out) throws IOException {
        List<Path> cpus;
        try {
            cpus = Dirs.numbered(dir, "cpu");
        } catch (NoSuchFileException e) {
            throw new IOException("open " + dir + ": no such file or directory");
        }
        cpus.removeIf(p -> !Files.isDirectory(p.resolve("cpufreq")));
        for (String[] file : FILES) {
            boolean started = false;
            for (Path cpu : cpus) {
                long khz;
                try {
                    khz = f.readLong(cpu.resolve("cpufreq").resolve(file[0]), -1);
                } catch (IOException e) {
                    continue; // cpuinfo_cur_freq is readable by root only
                }
                if (khz < 0) {
                    continue;
                }
                if (!started) {
                    out.family(file[1], MetricType.GAUGE, file[2]);
                    started = true;
                }
                out.sample(labels.get(cpu.getFileName().toString().substring(3)), khz * 1000.0);
            }
        }
        boolean started = false;
        for (Path cpu : cpus) {
            String governor = f.readLine(cpu.resolve("cpufreq/scaling_governor"));
            String available = f.readLine(cpu.resolve("cpufreq/scaling_available_governors"));
            if (governor == null || governor.isEmpty() || available == null) {
                continue;
            }
            if (!started) {
                out.family("node_cpu_scaling_governor", MetricType.GAUGE, "Current enabled CPU frequency governor.");
                started = true;
            }
            String id = cpu.getFileName().toString().substring(3);
            for (String g : available.split(" ")) {
                if (!g.isEmpty()) {
                    out.sample(Labels.of("cpu", id, "governor", g), g.equals(governor) ? 1 : 0);
                }
            }
        }
    }
}

package io.specula.nodeexporter;

import io.specula.model.labels.Labels;
import io.specula.model.textparse.MetricType;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code nvme}: {@code node_nvme_info} per controller of /sys/class/nvme. */
final class NvmeCollector implements Collector {
    private final Path dir;
    private final ProcFile f = new ProcFile();

    NvmeCollector(NodeExporterOptions o) {
        dir = o.sys("class/nvme");
    }

    @Override
    public String name() {
        return "nvme";
    }

    @Override
    public void update(Emitter out) throws IOException {
        List<Path> devs = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(devs::add);
        } catch (NoSuchFileException e) {
            throw new NoDataException("nvme statistics not found, skipping");
        }
        devs.sort(null);
        List<Labels> labels = new ArrayList<>();
        for (Path d : devs) {
            labels.add(Labels.of("device", d.getFileName().toString(), "firmware_revision", attr(d, "firmware_rev"),
                    "model", attr(d, "model"), "serial", attr(d, "serial"), "state", attr(d, "state")));
        }
        if (labels.isEmpty()) {
            return;
        }
        out.family("node_nvme_info", MetricType.GAUGE, "Non-numeric data from /sys/class/nvme/<device>, value is always 1.");
        for (Labels l : labels) {
            out.sample(l, 1);
        }
    }

    private String attr(Path d, String name) throws IOException {
        String v = f.readLine(d.resolve(name));
        if (v == null) {
            throw new IOException("error obtaining NVMe class info: " + d.resolve(name) + " not found");
        }
        return v.strip();
    }
}

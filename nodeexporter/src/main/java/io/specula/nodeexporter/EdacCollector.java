package io.specula.nodeexporter;

import io.specula.model.labels.Labels;
import io.specula.model.textparse.MetricType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code edac}: correctable and uncorrectable memory errors per controller and csrow. */
final class EdacCollector implements Collector {
    private final Path dir;
    private final ProcFile f = new ProcFile();

    EdacCollector(NodeExporterOptions o) {
        dir = o.sys("devices/system/edac/mc");
    }

    @Override
    public String name() {
        return "edac";
    }

    @Override
    public void update(Emitter out) throws IOException {
        if (!Files.isDirectory(dir)) {
            return; // no EDAC driver: nothing to report, as node_exporter's empty glob
        }
        List<Path> mcs = Dirs.numbered(dir, "mc");
        List<Labels> cl = new ArrayList<>();
        List<double[]> cv = new ArrayList<>();
        List<Labels> rl = new ArrayList<>();
        List<double[]> rv = new ArrayList<>();
        for (Path mc : mcs) {
            String id = Dirs.number(mc, "mc");
            double ce = read(mc, "ce_count", id);
            double ceNoInfo = read(mc, "ce_noinfo_count", id);
            double ue = read(mc, "ue_count", id);
            double ueNoInfo = read(mc, "ue_noinfo_count", id);
            cl.add(Labels.of("controller", id));
            cv.add(new double[] {ce, ue});
            rl.add(Labels.of("controller", id, "csrow", "unknown"));
            rv.add(new double[] {ceNoInfo, ueNoInfo});
            for (Path row : Dirs.numbered(mc, "csrow")) {
                String rid = Dirs.number(row, "csrow");
                rl.add(Labels.of("controller", id, "csrow", rid));
                rv.add(new double[] {read(row, "ce_count", id + "/" + rid), read(row, "ue_count", id + "/" + rid)});
            }
        }
        if (cl.isEmpty()) {
            return;
        }
        write(out, "node_edac_correctable_errors_total", "Total correctable memory errors.", cl, cv, 0);
        write(out, "node_edac_csrow_correctable_errors_total", "Total correctable memory errors for this csrow.", rl, rv, 0);
        write(out, "node_edac_csrow_uncorrectable_errors_total", "Total uncorrectable memory errors for this csrow.", rl, rv, 1);
        write(out, "node_edac_uncorrectable_errors_total", "Total uncorrectable memory errors.", cl, cv, 1);
    }

    private static void write(Emitter out, String name, String help, List<Labels> l, List<double[]> v, int i) throws IOException {
        out.family(name, MetricType.COUNTER, help);
        for (int k = 0; k < l.size(); k++) {
            out.sample(l.get(k), v.get(k)[i]);
        }
    }

    private double read(Path d, String file, String what) throws IOException {
        long v = f.readLong(d.resolve(file), -1);
        if (v < 0) {
            throw new IOException("couldn't get " + file + " for controller " + what);
        }
        return v;
    }
}

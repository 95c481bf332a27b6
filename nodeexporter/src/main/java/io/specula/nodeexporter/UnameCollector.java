package io.specula.nodeexporter;

import io.specula.model.labels.Labels;
import java.io.IOException;
import java.util.Arrays;

/** {@code uname}: {@code node_uname_info} labelled with what uname(2) returns. */
final class UnameCollector implements Collector {
    private final Native nat;
    private String[] last;
    private Labels labels;

    UnameCollector(Native nat) {
        this.nat = nat;
    }

    @Override
    public String name() {
        return "uname";
    }

    @Override
    public void update(Emitter out) throws IOException {
        String[] u = nat.uname();
        if (labels == null || !Arrays.equals(u, last)) {
            labels = Labels.of("sysname", u[0], "nodename", u[1], "release", u[2], "version", u[3], "machine", u[4],
                    "domainname", u[5]);
            last = u;
        }
        out.family("node_uname_info", io.specula.model.textparse.MetricType.GAUGE,
                "Labeled system information as provided by the uname system call.");
        out.sample(labels, 1);
    }
}

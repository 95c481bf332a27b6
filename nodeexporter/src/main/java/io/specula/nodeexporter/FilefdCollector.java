package io.specula.nodeexporter;

import java.io.IOException;
import java.nio.file.Path;

/** {@code filefd}: allocated and maximum file handles from /proc/sys/fs/file-nr. */
final class FilefdCollector implements Collector {
    private final Path file;
    private final ProcFile f = new ProcFile();

    FilefdCollector(NodeExporterOptions o) {
        file = o.proc("sys/fs/file-nr");
    }

    @Override
    public String name() {
        return "filefd";
    }

    @Override
    public void update(Emitter out) throws IOException {
        f.mustRead(file);
        if (!f.nextLine() || !f.nextField()) {
            throw new IOException("couldn't get file-nr: empty " + file);
        }
        double allocated = f.unsignedField();
        if (!f.nextField() || !f.nextField()) {
            throw new IOException("couldn't get file-nr: expected three fields in " + file);
        }
        double max = f.unsignedField();
        out.gauge("node_filefd_allocated", "File descriptor statistics: allocated.", allocated);
        out.gauge("node_filefd_maximum", "File descriptor statistics: maximum.", max);
    }
}

package io.specula.nodeexporter;

import io.specula.model.labels.Labels;
import io.specula.model.textparse.MetricType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code mdadm}: software RAID arrays from /proc/mdstat: state, disks by state, required disks,
 * blocks and synced blocks (node_exporter 1.5's metrics, parsed as its procfs library does).
 */
final class MdadmCollector implements Collector {
    private static final Pattern STATUS = Pattern.compile("(\\d+) blocks .*\\[(\\d+)/(\\d+)\\] \\[([U_]+)\\]");
    private static final Pattern RECOVERY = Pattern.compile("\\((\\d+)/\\d+\\)");
    private static final String[] STATES = {"active", "inactive", "recovering", "resyncing", "checking"};
    private static final String[] STATE_LABELS = {"active", "inactive", "recovering", "resync", "check"};

    private final Path file;

    /** One array as parsed. */
    record MdStat(String name, String state, long active, long failed, long spare, long total, long blocks, long synced) {}

    MdadmCollector(NodeExporterOptions o) {
        file = o.proc("mdstat");
    }

    @Override
    public String name() {
        return "mdadm";
    }

    @Override
    public void update(Emitter out) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new NoDataException("error parsing mdstatus: open " + file + ": no such file or directory");
        }
        List<MdStat> stats = parse(text);
        if (stats.isEmpty()) {
            return;
        }
        out.family("node_md_blocks", MetricType.GAUGE, "Total number of blocks on device.");
        for (MdStat s : stats) {
            out.sample(Labels.of("device", s.name), s.blocks);
        }
        out.family("node_md_blocks_synced", MetricType.GAUGE, "Number of blocks synced on device.");
        for (MdStat s : stats) {
            out.sample(Labels.of("device", s.name), s.synced);
        }
        out.family("node_md_disks", MetricType.GAUGE, "Number of active/failed/spare disks of device.");
        for (MdStat s : stats) {
            out.sample(Labels.of("device", s.name, "state", "active"), s.active);
            out.sample(Labels.of("device", s.name, "state", "failed"), s.failed);
            out.sample(Labels.of("device", s.name, "state", "spare"), s.spare);
        }
        out.family("node_md_disks_required", MetricType.GAUGE, "Total number of disks of device.");
        for (MdStat s : stats) {
            out.sample(Labels.of("device", s.name), s.total);
        }
        out.family("node_md_state", MetricType.GAUGE, "Indicates the state of md-device.");
        for (MdStat s : stats) {
            for (int i = 0; i < STATES.length; i++) {
                out.sample(Labels.of("device", s.name, "state", STATE_LABELS[i]), s.state.equals(STATES[i]) ? 1 : 0);
            }
        }
    }

    /** Parses /proc/mdstat; a malformed entry fails the whole file with a message naming it. */
    static List<MdStat> parse(String text) throws IOException {
        String[] lines = text.split("\n", -1);
        List<MdStat> out = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank() || line.charAt(0) == ' ' || line.charAt(0) == '\t' || line.startsWith("Personalities")
                    || line.startsWith("unused")) {
                continue;
            }
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 3) {
                throw new IOException("error parsing mdline: not enough fields in mdline (expected at least 3): " + line);
            }
            String name = fields[0];
            String state = fields[2];
            if (lines.length <= i + 3) {
                throw new IOException("error parsing " + name + ": too few lines for md device");
            }
            long failed = count(line, "(F)");
            long spare = count(line, "(S)");
            String status = lines[i + 1];
            String[] sf = status.trim().split("\\s+");
            long size;
            try {
                size = Long.parseLong(sf[0]);
            } catch (NumberFormatException e) {
                throw new IOException("error parsing " + name + ": " + status.trim());
            }
            long active;
            long total;
            if (line.contains("raid0") || line.contains("linear")) {
                total = active = count(line, "[");
            } else if (line.contains("inactive")) {
                total = active = 0;
            } else {
                Matcher m = STATUS.matcher(status);
                if (!m.find()) {
                    throw new IOException("error parsing " + name + ": couldn't find all the substring matches: " + status.trim());
                }
                total = Long.parseLong(m.group(2));
                active = Long.parseLong(m.group(3));
            }
            int syncIdx = lines[i + 2].contains("bitmap") ? i + 3 : i + 2;
            String sync = syncIdx < lines.length ? lines[syncIdx] : "";
            long synced = size;
            boolean recovering = sync.contains("recovery");
            boolean resyncing = sync.contains("resync");
            boolean checking = sync.contains("check");
            if (recovering || resyncing || checking) {
                state = recovering ? "recovering" : checking ? "checking" : "resyncing";
                if (sync.contains("PENDING") || sync.contains("DELAYED")) {
                    synced = 0;
                } else {
                    Matcher m = RECOVERY.matcher(sync);
                    if (!m.find()) {
                        throw new IOException("error parsing " + name + ": unexpected recovery line: " + sync.trim());
                    }
                    synced = Long.parseLong(m.group(1));
                }
            }
            out.add(new MdStat(name, state, active, failed, spare, total, size, synced));
        }
        return out;
    }

    private static long count(String s, String sub) {
        long n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + sub.length())) {
            n++;
        }
        return n;
    }
}

package io.specula.nodeexporter;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code conntrack}: the connection tracking table's size and limit, and the per-CPU statistics
 * of /proc/net/stat/nf_conntrack (hexadecimal columns named by its header) summed over CPUs.
 */
final class ConntrackCollector implements Collector {
    /** node_exporter's statistics: column name, metric name, help. */
    private static final String[][] STATS = {
        {"drop", "node_nf_conntrack_stat_drop", "Number of packets dropped due to conntrack failure."},
        {"early_drop", "node_nf_conntrack_stat_early_drop", "Number of dropped conntrack entries to make room for new ones, if maximum table size was reached."},
        {"found", "node_nf_conntrack_stat_found", "Number of searched entries which were successful."},
        {"ignore", "node_nf_conntrack_stat_ignore", "Number of packets seen which are already connected to a conntrack entry."},
        {"insert", "node_nf_conntrack_stat_insert", "Number of entries inserted into the list."},
        {"insert_failed", "node_nf_conntrack_stat_insert_failed", "Number of entries for which list insertion was attempted but failed."},
        {"invalid", "node_nf_conntrack_stat_invalid", "Number of packets seen which can not be tracked."},
        {"search_restart", "node_nf_conntrack_stat_search_restart", "Number of conntrack table lookups which had to be restarted due to hashtable resizes."},
    };

    private final Path count;
    private final Path max;
    private final Path stat;
    private final ProcFile f = new ProcFile();
    private final double[] sums = new double[STATS.length];
    private final int[] column = new int[STATS.length];

    ConntrackCollector(NodeExporterOptions o) {
        count = o.proc("sys/net/netfilter/nf_conntrack_count");
        max = o.proc("sys/net/netfilter/nf_conntrack_max");
        stat = o.proc("net/stat/nf_conntrack");
    }

    @Override
    public String name() {
        return "conntrack";
    }

    @Override
    public void update(Emitter out) throws IOException {
        long entries = f.readLong(count, -1);
        if (entries < 0) {
            throw new NoDataException("conntrack: " + count + " not found");
        }
        out.gauge("node_nf_conntrack_entries", "Number of currently allocated flow entries for connection tracking.", entries);
        long limit = f.readLong(max, -1);
        if (limit < 0) {
            throw new NoDataException("conntrack: " + max + " not found");
        }
        out.gauge("node_nf_conntrack_entries_limit", "Maximum size of connection tracking table.", limit);
        if (!f.read(stat)) {
            throw new NoDataException("conntrack: " + stat + " not found");
        }
        if (!f.nextLine()) {
            throw new IOException("empty " + stat);
        }
        java.util.Arrays.fill(column, -1);
        java.util.Arrays.fill(sums, 0);
        for (int c = 0; f.nextField(); c++) {
            for (int s = 0; s < STATS.length; s++) {
                if (f.fieldIs(STATS[s][0])) {
                    column[s] = c;
                }
            }
        }
        while (f.nextLine()) {
            for (int c = 0; f.nextField(); c++) {
                for (int s = 0; s < STATS.length; s++) {
                    if (column[s] == c) {
                        sums[s] += f.hexField();
                    }
                }
            }
        }
        for (int s = 0; s < STATS.length; s++) {
            out.gauge(STATS[s][1], STATS[s][2], sums[s]);
        }
    }
}

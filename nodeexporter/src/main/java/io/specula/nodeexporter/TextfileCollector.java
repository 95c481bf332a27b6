package io.specula.nodeexporter;

import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.model.textparse.Entry;
import io.specula.model.textparse.MetricType;
import io.specula.model.textparse.ParseException;
import io.specula.model.textparse.Parser;
import io.specula.model.textparse.Parsers;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code textfile}: the metrics of the {@code *.prom} files in {@code --collector.textfile.directory}
 * (text format 0.0.4), merged by family, plus {@code node_textfile_mtime_seconds{file}} per file
 * read and {@code node_textfile_scrape_error}. As node_exporter, a file that does not parse or
 * carries timestamps is skipped whole and sets the error to 1; the collector still succeeds.
 */
final class TextfileCollector implements Collector {
    private static final Logger LOG = LoggerFactory.getLogger(TextfileCollector.class);
    /** A bigger file is refused (node_exporter reads any size; a runaway script should not take the heap). */
    static final long MAX_FILE = 64 << 20;

    private final String directory;

    private static final class Family {
        String help;
        MetricType type = MetricType.UNKNOWN;
        final List<String> names = new ArrayList<>();
        final List<Labels> labels = new ArrayList<>();
        final List<Double> values = new ArrayList<>();
        final Set<Labels> seen = new HashSet<>();
    }

    TextfileCollector(NodeExporterOptions o) {
        directory = o.flag("collector.textfile.directory");
    }

    @Override
    public String name() {
        return "textfile";
    }

    @Override
    public void update(Emitter out) throws IOException {
        if (directory.isEmpty()) {
            return;
        }
        boolean error = false;
        Map<String, Family> families = new TreeMap<>();
        Map<String, Double> mtimes = new TreeMap<>();
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of(directory), "*.prom")) {
            ds.forEach(files::add);
        } catch (IOException e) {
            LOG.error("failed to read textfile collector directory path={} err=\"{}\"", directory, e.toString());
            error = true;
        }
        files.sort(null);
        for (Path p : files) {
            try {
                long size = Files.size(p);
                if (size > MAX_FILE) {
                    throw new IOException("file larger than " + MAX_FILE + " bytes");
                }
                Map<String, Family> parsed = parse(Files.readAllBytes(p), p);
                merge(families, parsed);
                mtimes.put(p.toString(), (double) Math.floorDiv(Files.getLastModifiedTime(p).toMillis(), 1000)); // whole seconds, as Go's Unix()
            } catch (IOException e) {
                LOG.error("failed to collect textfile data file={} err=\"{}\"", p, e.getMessage());
                error = true;
            }
        }
        for (var e : families.entrySet()) {
            Family f = e.getValue();
            out.family(e.getKey(), f.type, f.help);
            for (int i = 0; i < f.names.size(); i++) {
                out.sample(f.names.get(i), f.labels.get(i), f.values.get(i));
            }
        }
        if (!mtimes.isEmpty()) {
            out.family("node_textfile_mtime_seconds", MetricType.GAUGE, "Unixtime mtime of textfiles successfully read.");
            for (var e : mtimes.entrySet()) {
                out.sample(Labels.of("file", e.getKey()), e.getValue());
            }
        }
        out.gauge("node_textfile_scrape_error", "1 if there was an error opening or reading a file, 0 otherwise", error ? 1 : 0);
    }

    private static void merge(Map<String, Family> into, Map<String, Family> from) {
        for (var e : from.entrySet()) {
            Family dst = into.get(e.getKey());
            if (dst == null) {
                into.put(e.getKey(), e.getValue());
                continue;
            }
            Family src = e.getValue();
            for (int i = 0; i < src.names.size(); i++) {
                Labels key = src.labels.get(i).toBuilder().set(Labels.METRIC_NAME, src.names.get(i)).build();
                if (dst.seen.add(key)) {
                    dst.names.add(src.names.get(i));
                    dst.labels.add(src.labels.get(i));
                    dst.values.add(src.values.get(i));
                }
            }
        }
    }

    /** Parses one file into families (help "Metric read from FILE" when it gives none); timestamps and syntax errors fail it. */
    static Map<String, Family> parse(byte[] body, Path file) throws IOException {
        Parser p = Parsers.text(body, 0, body.length);
        Map<String, Family> families = new TreeMap<>();
        LabelsBuilder b = new LabelsBuilder();
        try {
            for (Entry e = p.next(); e != null; e = p.next()) {
                switch (e) {
                    case TYPE -> families.computeIfAbsent(p.metricFamily(), k -> new Family()).type = p.type();
                    case HELP -> families.computeIfAbsent(p.metricFamily(), k -> new Family()).help = p.text();
                    case SERIES -> {
                        if (p.hasTimestamp()) {
                            throw new IOException("textfile contains unsupported client-side timestamps, skipping entire file");
                        }
                        p.labels(b);
                        String name = b.get(Labels.METRIC_NAME);
                        b.delete(Labels.METRIC_NAME);
                        Family f = familyOf(families, name);
                        Labels l = b.build();
                        if (!f.seen.add(l.toBuilder().set(Labels.METRIC_NAME, name).build())) {
                            throw new IOException("duplicate series " + name + l);
                        }
                        f.names.add(name);
                        f.labels.add(l);
                        f.values.add(p.value());
                    }
                    default -> { }
                }
            }
        } catch (ParseException e) {
            throw new IOException("failed to parse textfile data: " + e.getMessage());
        }
        families.values().removeIf(f -> f.names.isEmpty());
        for (Family f : families.values()) {
            if (f.help == null) {
                f.help = "Metric read from " + file;
            }
        }
        return families;
    }

    private static Family familyOf(Map<String, Family> families, String name) {
        Family f = families.get(name);
        if (f != null) {
            return f;
        }
        for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
            if (name.endsWith(suffix)) {
                Family g = families.get(name.substring(0, name.length() - suffix.length()));
                if (g != null && (g.type == MetricType.HISTOGRAM || g.type == MetricType.SUMMARY)) {
                    return g;
                }
            }
        }
        return families.computeIfAbsent(name, k -> new Family());
    }
}

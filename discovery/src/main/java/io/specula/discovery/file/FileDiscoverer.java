package io.specula.discovery.file;

import io.specula.model.config.ConfigException;
import io.specula.discovery.config.FileSdConfig;
import io.specula.discovery.config.StaticConfig;
import io.specula.discovery.Discoverer;
import io.specula.discovery.StaticDiscoverer;
import io.specula.discovery.TargetGroup;
import io.specula.discovery.TargetGroups;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code file_sd_configs}: target groups read from JSON ({@code .json}) and YAML
 * ({@code .yml}, {@code .yaml}) files matching the configured paths, where the last path element
 * may be a glob. Files are re-read when their directory changes (a {@link WatchService}) and
 * every {@code refresh_interval} in any case, since watches miss changes on some file systems.
 *
 * <p>As in Prometheus: every group gets {@code __meta_filepath} (the file's path) and the
 * source {@code <path>:<index>}; a file that cannot be read or parsed is logged and keeps the
 * groups it had; a file that disappears, or shrinks to fewer groups, retracts its groups.
 */
public final class FileDiscoverer implements Discoverer {
    private static final Logger LOG = LoggerFactory.getLogger(FileDiscoverer.class);
    public static final String META_FILEPATH = "__meta_filepath";

    private final List<Path> patterns;
    private final long refreshMillis;
    /** Groups each file yielded at the last successful read. */
    private final Map<Path, Integer> lastCounts = new HashMap<>();
    private volatile long readErrors;

    /** @param baseDir where relative paths start (the configuration file's directory) */
    public FileDiscoverer(FileSdConfig config, Path baseDir) {
        List<Path> ps = new ArrayList<>();
        for (String f : config.files) {
            Path p = Path.of(f);
            ps.add(p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p));
        }
        this.patterns = List.copyOf(ps);
        this.refreshMillis = config.refreshInterval.millis();
    }

    /** Files that failed to read or parse so far (Prometheus's {@code prometheus_sd_file_read_errors_total}). */
    public long readErrors() {
        return readErrors;
    }

    @Override
    public void run(Sink sink) throws InterruptedException {
        WatchService watcher = null;
        try {
            watcher = FileSystems.getDefault().newWatchService();
            for (Path dir : directories()) {
                try {
                    dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                            StandardWatchEventKinds.ENTRY_DELETE);
                } catch (IOException e) {
                    LOG.error("msg=\"Error adding file watch\" path={} err=\"{}\"", dir, e.toString());
                }
            }
        } catch (IOException e) {
            LOG.error("msg=\"Error creating file watcher\" err=\"{}\"", e.toString());
        }
        try {
            refresh(sink);
            long nextRefresh = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(refreshMillis);
            while (!Thread.currentThread().isInterrupted()) {
                long wait = nextRefresh - System.nanoTime();
                boolean changed = false;
                if (wait > 0) {
                    if (watcher == null) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    } else {
                        var key = watcher.poll(wait, TimeUnit.NANOSECONDS);
                        if (key != null) {
                            key.pollEvents();
                            key.reset();
                            changed = true;
                        }
                    }
                }
                if (changed || System.nanoTime() - nextRefresh >= 0) {
                    refresh(sink);
                    nextRefresh = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(refreshMillis);
                }
            }
            throw new InterruptedException();
        } catch (ClosedWatchServiceException e) {
            throw new InterruptedException();
        } finally {
            if (watcher != null) {
                try {
                    watcher.close();
                } catch (IOException ignored) {
                    // closing on the way out; nothing to do
                }
            }
        }
    }

    private Set<Path> directories() {
        Set<Path> dirs = new HashSet<>();
        for (Path p : patterns) {
            Path dir = p.toAbsolutePath().getParent();
            if (dir != null && Files.isDirectory(dir)) {
                dirs.add(dir);
            }
        }
        return dirs;
    }

    /** Reads all matching files and sends what changed. Package-private for tests. */
    void refresh(Sink sink) {
        Map<Path, Integer> counts = new HashMap<>();
        List<TargetGroup> out = new ArrayList<>();
        for (Path file : listFiles()) {
            List<TargetGroup> groups;
            try {
                groups = read(file);
            } catch (ConfigException e) {
                readErrors++;
                LOG.error("msg=\"Error reading file\" path={} err=\"{}\"", file, e.getMessage());
                Integer before = lastCounts.get(file);
                if (before != null) {
                    counts.put(file, before); // keep the previous groups
                }
                continue;
            }
            out.addAll(groups);
            Integer before = lastCounts.get(file);
            for (int i = groups.size(); before != null && i < before; i++) {
                out.add(TargetGroup.empty(file + ":" + i));
            }
            counts.put(file, groups.size());
        }
        for (Map.Entry<Path, Integer> e : lastCounts.entrySet()) {
            if (!counts.containsKey(e.getKey())) {
                for (int i = 0; i < e.getValue(); i++) {
                    out.add(TargetGroup.empty(e.getKey() + ":" + i));
                }
            }
        }
        lastCounts.clear();
        lastCounts.putAll(counts);
        if (!out.isEmpty()) {
            sink.send(out);
        }
    }

    private Set<Path> listFiles() {
        Set<Path> files = new TreeSet<>();
        for (Path p : patterns) {
            String name = p.getFileName().toString();
            if (!name.contains("*") && !name.contains("?") && !name.contains("[")) {
                if (Files.isRegularFile(p)) {
                    files.add(p);
                }
                continue;
            }
            Path dir = p.toAbsolutePath().getParent();
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + name);
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path f : ds) {
                    if (m.matches(f.getFileName()) && Files.isRegularFile(f)) {
                        files.add(p.getParent() == null ? f.getFileName() : p.getParent().resolve(f.getFileName()));
                    }
                }
            } catch (NoSuchFileException e) {
                // a directory that does not exist yet has no files
            } catch (IOException e) {
                LOG.error("msg=\"Error expanding glob\" glob={} err=\"{}\"", p, e.toString());
            }
        }
        return files;
    }

    private static List<TargetGroup> read(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file + ": " + e.getMessage());
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        List<StaticConfig> raw;
        if (name.endsWith(".json")) {
            raw = TargetGroups.parseJson(text, file.toString());
        } else if (name.endsWith(".yml") || name.endsWith(".yaml")) {
            raw = TargetGroups.parseYaml(text, file.toString());
        } else {
            throw new ConfigException("retrieval target groups from " + file + ": unknown file extension");
        }
        List<TargetGroup> groups = new ArrayList<>(raw.size());
        Map<String, String> meta = Map.of(META_FILEPATH, file.toString());
        for (int i = 0; i < raw.size(); i++) {
            groups.add(StaticDiscoverer.toGroup(raw.get(i), file + ":" + i, meta));
        }
        return groups;
    }
}

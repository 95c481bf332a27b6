package io.specula.nodeexporter;

import io.specula.model.labels.Labels;
import io.specula.model.textparse.MetricType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;

/**
 * {@code time}: the system clock, the local time zone's offset, and the clock sources of
 * /sys/devices/system/clocksource.
 */
final class TimeCollector implements Collector {
    private final Path dir;
    private final ProcFile f = new ProcFile();
    private final List<Labels> available = new ArrayList<>();
    private final List<Labels> current = new ArrayList<>();

    TimeCollector(NodeExporterOptions o) {
        dir = o.sys("devices/system/clocksource");
    }

    @Override
    public String name() {
        return "time";
    }

    @Override
    public void update(Emitter out) throws IOException {
        Instant now = Instant.now();
        double seconds = now.getEpochSecond() + now.getNano() / 1e9;
        TimeZone tz = TimeZone.getDefault();
        int offsetMillis = tz.getOffset(now.toEpochMilli());
        String zone = tz.getDisplayName(tz.inDaylightTime(java.util.Date.from(now)), TimeZone.SHORT, Locale.ROOT);
        out.gauge("node_time_seconds", "System time in seconds since epoch (1970).", seconds);
        out.family("node_time_zone_offset_seconds", MetricType.GAUGE, "System time zone offset in seconds.");
        out.sample(Labels.of("time_zone", zone), offsetMillis / 1000);
        available.clear();
        current.clear();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "clocksource[0-9]*")) {
            for (Path p : ds) {
                String device = p.getFileName().toString().substring("clocksource".length());
                String av = f.readLine(p.resolve("available_clocksource"));
                if (av != null) {
                    for (String cs : av.split(" ")) {
                        if (!cs.isEmpty()) {
                            available.add(Labels.of("clocksource", cs, "device", device));
                        }
                    }
                }
                String cur = f.readLine(p.resolve("current_clocksource"));
                if (cur != null && !cur.isEmpty()) {
                    current.add(Labels.of("clocksource", cur, "device", device));
                }
            }
        } catch (NoSuchFileException e) {
            // no clocksource information on this host: node_exporter then reports only the time
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (!available.isEmpty()) {
            out.family("node_time_clocksource_available_info", MetricType.GAUGE,
                    "Available clocksources read from '/sys/devices/system/clocksource'.");
            for (Labels l : available) {
                out.sample(l, 1);
            }
        }
        if (!current.isEmpty()) {
            out.family("node_time_clocksource_current_info", MetricType.GAUGE,
                    "Current clocksource read from '/sys/devices/system/clocksource'.");
            for (Labels l : current) {
                out.sample(l, 1);
            }
        }
    }
}

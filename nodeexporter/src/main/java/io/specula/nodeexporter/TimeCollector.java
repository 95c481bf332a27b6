package io.specula.nodeexporter;

import io.specula.model.labels.Labels;
import io.specula.model.textparse.MetricType;
import java.io.IOException;
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
        long millis = now.toEpochMilli();
        int offsetMillis = tz.getOffset(millis);
        if (tz != zone || offsetMillis != zoneOffset) { // the abbreviation changes with daylight saving time
            zone = tz;
            zoneOffset = offsetMillis;
            zoneLabels = Labels.of("time_zone", tz.getDisplayName(offsetMillis != tz.getRawOffset(), TimeZone.SHORT, Locale.ROOT));
        }
        out.gauge("node_time_seconds", "System time in seconds since epoch (1970).", seconds);
        out.family("node_time_zone_offset_seconds", MetricType.GAUGE, "System time zone offset in seconds.");
        out.sample(zoneLabels, offsetMillis / 1000);
        if (devices == null) { // clock source devices are registered at boot; list them once
            try {
                devices = Dirs.numbered(dir, "clocksource");
            } catch (NoSuchFileException e) {
                devices = List.of();
            }
            lastAvailable = new String[devices.size()];
            lastCurrent = new String[devices.size()];
        }
        boolean changed = false;
        for (int i = 0; i < devices.size(); i++) {
            Path p = devices.get(i);
            String av = f.readLine(p.resolve("available_clocksource"));
            String cur = f.readLine(p.resolve("current_clocksource"));
            changed |= !java.util.Objects.equals(av, lastAvailable[i]) || !java.util.Objects.equals(cur, lastCurrent[i]);
            lastAvailable[i] = av;
            lastCurrent[i] = cur;
        }
        if (changed) {
            available.clear();
            current.clear();
            for (int i = 0; i < devices.size(); i++) {
                String device = Dirs.number(devices.get(i), "clocksource");
                if (lastAvailable[i] != null) {
                    for (String cs : lastAvailable[i].split(" ")) {
                        if (!cs.isEmpty()) {
                            available.add(Labels.of("clocksource", cs, "device", device));
                        }
                    }
                }
                if (lastCurrent[i] != null && !lastCurrent[i].isEmpty()) {
                    current.add(Labels.of("clocksource", lastCurrent[i], "device", device));
                }
            }
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

    private TimeZone zone;
    private int zoneOffset;
    private Labels zoneLabels;
    private List<Path> devices;
    private String[] lastAvailable;
    private String[] lastCurrent;
}

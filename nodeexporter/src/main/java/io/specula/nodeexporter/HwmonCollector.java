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
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code hwmon}: the sensors of /sys/class/hwmon (and each chip's {@code device} directory) as
 * node_exporter names them: {@code node_hwmon_<type>[_<element>]_<unit>} with labels
 * {@code chip} (from the device path, else the name file, else hwmonN) and {@code sensor}, plus
 * {@code node_hwmon_chip_names} and {@code node_hwmon_sensor_label}. Families are gathered over
 * all chips before writing, since one family spans chips.
 */
final class HwmonCollector implements Collector {
    private static final Pattern FILE = Pattern.compile("^(?<type>[^0-9]+)(?<id>[0-9]*)?(_(?<property>.+))?$");
    private static final Pattern INVALID = Pattern.compile("[^a-z0-9:_]");
    private static final Set<String> TYPES = Set.of("vrm", "beep_enable", "update_interval", "in", "cpu", "fan", "pwm", "temp",
            "curr", "power", "energy", "humidity", "intrusion");

    private final Path dir;
    private final ProcFile f = new ProcFile();

    /** A family being gathered: help, type and samples. */
    private record Family(String help, MetricType type, List<Labels> labels, List<Double> values) {}

    HwmonCollector(NodeExporterOptions o) {
        dir = o.sys("class/hwmon");
    }

    @Override
    public String name() {
        return "hwmon";
    }

    @Override
    public void update(Emitter out) throws IOException {
        Map<String, Family> families = new TreeMap<>();
        List<Path> chips = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (Files.isDirectory(p)) {
                    chips.add(p);
                }
            }
        } catch (NoSuchFileException e) {
            throw new NoDataException("open " + dir + ": no such file or directory");
        }
        chips.sort(null);
        for (Path chipDir : chips) {
            chip(chipDir, families);
        }
        for (var e : families.entrySet()) {
            Family fam = e.getValue();
            out.family(e.getKey(), fam.type, fam.help);
            for (int i = 0; i < fam.labels.size(); i++) {
                out.sample(fam.labels.get(i), fam.values.get(i));
            }
        }
    }

    private void chip(Path chipDir, Map<String, Family> families) throws IOException {
        String chip = chipName(chipDir);
        String human = f.readLine(chipDir.resolve("name"));
        if (human != null && !clean(human).isEmpty()) {
            add(families, "node_hwmon_chip_names", "Annotation metric for human-readable chip names", MetricType.GAUGE,
                    Labels.of("chip", chip, "chip_name", clean(human)), 1);
        }
        Map<String, Map<String, String>> data = new TreeMap<>();
        collect(chipDir, data);
        Path device = chipDir.resolve("device");
        if (Files.isDirectory(device)) {
            collect(device, data);
        }
        for (var s : data.entrySet()) {
            String sensor = s.getKey();
            Map<String, String> elems = s.getValue();
            Matcher m = FILE.matcher(sensor);
            String type = m.matches() ? m.group("type") : sensor;
            Labels labels = Labels.of("chip", chip, "sensor", sensor);
            String label = elems.get("label");
            if (label != null) {
                add(families, "node_hwmon_sensor_label", "Label for given chip and sensor", MetricType.GAUGE,
                        Labels.of("chip", chip, "sensor", sensor, "label", label), 1);
            }
            switch (type) {
                case "beep_enable" -> {
                    add(families, "node_hwmon_beep_enabled", "Hardware beep enabled", MetricType.GAUGE, labels,
                            "1".equals(elems.get("")) ? 1 : 0);
                    continue;
                }
                case "vrm" -> {
                    Double v = parse(elems.get(""));
                    if (v != null) {
                        add(families, "node_hwmon_voltage_regulator_version", "Hardware voltage regulator", MetricType.GAUGE,
                                labels, v);
                    }
                    continue;
                }
                case "update_interval" -> {
                    Double v = parse(elems.get(""));
                    if (v != null) {
                        add(families, "node_hwmon_update_interval_seconds", "Hardware monitor update interval",
                                MetricType.GAUGE, labels, v * 0.001);
                    }
                    continue;
                }
                default -> { }
            }
            String prefix = "node_hwmon_" + type;
            for (var e : elems.entrySet()) {
                String element = e.getKey();
                if (element.equals("label")) {
                    continue;
                }
                Double parsed = parse(e.getValue());
                if (parsed == null) {
                    continue;
                }
                double v = parsed;
                String name = prefix;
                if (element.equals("input")) {
                    if (elems.containsKey("")) {
                        name += "_input";
                    }
                } else if (!element.isEmpty()) {
                    name += "_" + clean(element);
                }
                if (element.equals("fault") || element.equals("alarm")) {
                    add(families, name, "Hardware sensor " + element + " status (" + type + ")", MetricType.GAUGE, labels, v);
                } else if (element.equals("beep")) {
                    add(families, name + "_enabled", "Hardware monitor sensor has beeping enabled", MetricType.GAUGE, labels, v);
                } else if (type.equals("in") || type.equals("cpu")) {
                    add(families, name + "_volts", "Hardware monitor for voltage (" + element + ")", MetricType.GAUGE, labels,
                            v * 0.001);
                } else if (type.equals("temp") && !element.equals("type")) {
                    add(families, name + "_celsius", "Hardware monitor for temperature (" + element + ")", MetricType.GAUGE,
                            labels, v * 0.001);
                } else if (type.equals("curr")) {
                    add(families, name + "_amps", "Hardware monitor for current (" + element + ")", MetricType.GAUGE, labels,
                            v * 0.001);
                } else if (type.equals("energy")) {
                    add(families, name + "_joule_total", "Hardware monitor for joules used so far (" + element + ")",
                            MetricType.COUNTER, labels, v / 1000000.0);
                } else if (type.equals("power") && element.equals("accuracy")) {
                    add(families, name, "Hardware monitor power meter accuracy, as a ratio", MetricType.GAUGE, labels,
                            v / 1000000.0);
                } else if (type.equals("power") && element.startsWith("average_interval")
                        && (element.length() == 16 || element.equals("average_interval_min") || element.equals("average_interval_max"))) {
                    add(families, name + "_seconds", "Hardware monitor power usage update interval (" + element + ")",
                            MetricType.GAUGE, labels, v * 0.001);
                } else if (type.equals("power")) {
                    add(families, name + "_watt", "Hardware monitor for power usage in watts (" + element + ")",
                            MetricType.GAUGE, labels, v / 1000000.0);
                } else if (type.equals("humidity")) {
                    add(families, name, "Hardware monitor for humidity, as a ratio (multiply with 100.0 to get the humidity "
                            + "as a percentage) (" + element + ")", MetricType.GAUGE, labels, v / 1000000.0);
                } else if (type.equals("fan") && (element.equals("input") || element.equals("min") || element.equals("max")
                        || element.equals("target"))) {
                    add(families, name + "_rpm", "Hardware monitor for fan revolutions per minute (" + element + ")",
                            MetricType.GAUGE, labels, v);
                } else {
                    add(families, name, "Hardware monitor " + type + " element " + element, MetricType.GAUGE, labels, v);
                }
            }
        }
    }

    private static void add(Map<String, Family> families, String name, String help, MetricType type, Labels labels, double v) {
        Family fam = families.computeIfAbsent(name, k -> new Family(help, type, new ArrayList<>(), new ArrayList<>()));
        if (fam.labels.contains(labels)) {
            return; // the same sensor seen in the chip and its device directory
        }
        fam.labels.add(labels);
        fam.values.add(v);
    }

    private void collect(Path d, Map<String, Map<String, String>> data) throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
            for (Path p : ds) {
                String file = p.getFileName().toString();
                Matcher m = FILE.matcher(file);
                if (!m.matches() || !TYPES.contains(m.group("type")) || Files.isDirectory(p)) {
                    continue;
                }
                String id = m.group("id") == null || m.group("id").isEmpty() ? "0" : Integer.toString(Integer.parseInt(m.group("id")));
                String prop = m.group("property") == null ? "" : m.group("property");
                String value;
                try {
                    value = f.readLine(p);
                } catch (IOException e) {
                    continue; // unreadable attributes (write-only, device busy) are skipped, as node_exporter does
                }
                if (value != null) {
                    data.computeIfAbsent(m.group("type") + id, k -> new TreeMap<>()).put(prop, value);
                }
            }
        }
    }

    private static Double parse(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The chip label: bus type and device name of the device link, else the name file, else hwmonN. */
    private String chipName(Path chipDir) throws IOException {
        Path device = chipDir.resolve("device");
        if (Files.exists(device)) {
            Path real = device.toRealPath();
            String devName = clean(real.getFileName().toString());
            Path parent = real.getParent();
            String devType = parent == null || parent.getFileName() == null ? "" : clean(parent.getFileName().toString());
            if (!devType.isEmpty() && !devName.isEmpty()) {
                return devType + "_" + devName;
            }
            if (!devName.isEmpty()) {
                return devName;
            }
        }
        String name = f.readLine(chipDir.resolve("name"));
        if (name != null && !clean(name).isEmpty()) {
            return clean(name);
        }
        return clean(chipDir.toRealPath().getFileName().toString());
    }

    static String clean(String s) {
        String r = INVALID.matcher(s.toLowerCase(Locale.ROOT)).replaceAll("_");
        int a = 0;
        int b = r.length();
        while (a < b && r.charAt(a) == '_') {
            a++;
        }
        while (b > a && r.charAt(b - 1) == '_') {
            b--;
        }
        return r.substring(a, b);
    }
}

package io.specula.rules.rulefmt;

import io.specula.model.config.ConfigException;
import io.specula.model.config.PromDuration;
import io.specula.model.config.YamlConfigLoader;
import io.specula.model.labels.LabelNames;
import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.promql.parser.Expr;
import io.specula.promql.parser.ParseException;
import io.specula.promql.parser.ParserOptions;
import io.specula.promql.parser.PromQLParser;
import io.specula.template.PrometheusFunctions;
import io.specula.template.Template;
import io.specula.template.TemplateException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;

/**
 * Loads and validates rule files in Prometheus's format. Every problem of a file is
 * collected, worded as Prometheus words it, and prefixed with the file name, so
 * {@code specula tool check rules} and a reload report the same lines {@code promtool} would.
 * Thread-safe (stateless).
 */
public final class RuleFiles {
    private RuleFiles() {}

    /** Loads one file with the default parser options. */
    public static List<GroupSpec> load(Path file) throws RuleFileException {
        return load(file, ParserOptions.defaults());
    }

    /**
     * Reads, binds and validates {@code file}.
     *
     * @throws RuleFileException listing every problem found
     */
    public static List<GroupSpec> load(Path file, ParserOptions options) throws RuleFileException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new RuleFileException(List.of(file + ": open " + file + ": no such file or directory"));
        } catch (IOException e) {
            throw new RuleFileException(List.of(file + ": " + e.getMessage()));
        }
        return parse(text, file.toString(), options);
    }

    /** Binds and validates rule-file text; {@code source} names it in errors. */
    public static List<GroupSpec> parse(String text, String source, ParserOptions options) throws RuleFileException {
        RuleGroupsNode root;
        try {
            root = YamlConfigLoader.parse(text, source, RuleGroupsNode.class);
        } catch (ConfigException e) {
            throw new RuleFileException(List.of(e.getMessage()));
        }
        if (root == null || root.groups == null) {
            return List.of();
        }
        List<String> errors = new ArrayList<>();
        List<GroupSpec> groups = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<String> positions = null;
        int gi = -1;
        for (RuleGroupsNode.GroupNode g : root.groups) {
            gi++;
            if (g == null) {
                continue;
            }
            String where = "0:0";
            if (g.name.isEmpty() || seen.contains(g.name.value())) {
                positions = positions == null ? groupPositions(text) : positions;
                where = gi < positions.size() ? positions.get(gi) : "0:0";
            }
            if (g.name.isEmpty()) {
                errors.add(source + ": " + where + ": Groupname must not be empty");
            }
            if (!seen.add(g.name.value())) {
                errors.add(source + ": " + where + ": groupname: \"" + g.name.value() + "\" is repeated in the same file");
            }
            List<RuleSpec> rules = new ArrayList<>();
            int i = 0;
            for (RuleGroupsNode.RuleNode r : g.rules == null ? List.<RuleGroupsNode.RuleNode>of() : g.rules) {
                i++;
                if (r == null) {
                    continue;
                }
                RuleSpec spec = rule(source, g.name.value(), i, r, options, errors);
                if (spec != null) {
                    rules.add(spec);
                }
            }
            Labels groupLabels = Labels.EMPTY;
            if (g.labels != null && !g.labels.isEmpty()) {
                LabelsBuilder b = new LabelsBuilder();
                for (Map.Entry<String, Located> e : g.labels.entrySet()) {
                    if (!LabelNames.isValidLegacyLabelName(e.getKey()) || e.getKey().equals(Labels.METRIC_NAME)) {
                        errors.add(source + ": group \"" + g.name.value() + "\": invalid label name: " + e.getKey());
                    }
                    b.set(e.getKey(), e.getValue().value());
                }
                groupLabels = b.build();
            }
            groups.add(new GroupSpec(source, g.name.value(), millis(g.interval), g.queryOffset == null ? -1
                    : g.queryOffset.millis(), g.limit, groupLabels, rules));
        }
        if (!errors.isEmpty()) {
            throw new RuleFileException(errors);
        }
        return groups;
    }

    private static long millis(PromDuration d) {
        return d == null ? 0 : d.millis();
    }

    /**
     * Where each {@code groups[]} mapping starts ({@code line:col}, 1-based), which is where
     * Prometheus points group errors. Read from the token stream, only when an error needs it.
     */
    private static List<String> groupPositions(String text) {
        List<String> out = new ArrayList<>();
        try (JsonParser p = YamlConfigLoader.mapper().createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return out;
            }
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String key = p.currentName();
                JsonToken t = p.nextToken();
                if (!"groups".equals(key) || t != JsonToken.START_ARRAY) {
                    p.skipChildren();
                    continue;
                }
                while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
                    TokenStreamLocation loc = p.currentTokenLocation();
                    out.add(loc.getLineNr() + ":" + loc.getColumnNr());
                    p.skipChildren();
                }
                break;
            }
        } catch (JacksonException e) {
            // positions are a courtesy; the binding already succeeded
        }
        return out;
    }

    private static RuleSpec rule(String source, String group, int index, RuleGroupsNode.RuleNode r,
            ParserOptions options, List<String> errors) {
        String ruleName = !r.alert.isEmpty() ? r.alert.value() : r.record.value();
        String prefix = "group \"" + group + "\", rule " + index + ", \"" + ruleName + "\": ";
        int before = errors.size();
        if (!r.record.isEmpty() && !r.alert.isEmpty()) {
            errors.add(source + ": " + r.record.position() + ": " + r.alert.position() + ": " + prefix
                    + "only one of 'record' and 'alert' must be set");
        }
        if (r.record.isEmpty() && r.alert.isEmpty()) {
            errors.add(source + ": " + r.record.position() + ": " + prefix + "one of 'record' or 'alert' must be set");
        }
        Expr expr = null;
        if (r.expr.isEmpty()) {
            errors.add(source + ": " + r.expr.position() + ": " + prefix + "field 'expr' must be set in rule");
        } else {
            try {
                expr = PromQLParser.parse(r.expr.value(), options);
            } catch (ParseException e) {
                errors.add(source + ": " + r.expr.position() + ": " + prefix + "could not parse expression: "
                        + e.getMessage());
            }
        }
        if (!r.record.isEmpty()) {
            if (r.annotations != null && !r.annotations.isEmpty()) {
                errors.add(source + ": " + r.record.position() + ": " + prefix
                        + "invalid field 'annotations' in recording rule");
            }
            if (r.holdFor != null && r.holdFor.millis() != 0) {
                errors.add(source + ": " + r.record.position() + ": " + prefix + "invalid field 'for' in recording rule");
            }
            if (r.keepFiringFor != null && r.keepFiringFor.millis() != 0) {
                errors.add(source + ": " + r.record.position() + ": " + prefix
                        + "invalid field 'keep_firing_for' in recording rule");
            }
            if (!LabelNames.isValidLegacyMetricName(r.record.value())) {
                errors.add(source + ": " + r.record.position() + ": " + prefix + "invalid recording rule name: "
                        + r.record.value());
            }
        }
        Map<String, String> labels = values(r.labels);
        Map<String, String> annotations = values(r.annotations);
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (!LabelNames.isValidLegacyLabelName(e.getKey()) || e.getKey().equals(Labels.METRIC_NAME)) {
                errors.add(source + ": " + prefix + "invalid label name: " + e.getKey());
            }
        }
        for (String k : annotations.keySet()) {
            if (!LabelNames.isValidLegacyLabelName(k)) {
                errors.add(source + ": " + prefix + "invalid annotation name: " + k);
            }
        }
        if (!r.alert.isEmpty()) {
            String tmplName = "__alert_" + r.alert.value();
            for (Map.Entry<String, String> e : labels.entrySet()) {
                String problem = templateProblem(tmplName, e.getValue());
                if (problem != null) {
                    errors.add(source + ": " + prefix + "label \"" + e.getKey() + "\": " + problem);
                }
            }
            for (Map.Entry<String, String> e : annotations.entrySet()) {
                String problem = templateProblem(tmplName, e.getValue());
                if (problem != null) {
                    errors.add(source + ": " + prefix + "annotation \"" + e.getKey() + "\": " + problem);
                }
            }
        }
        if (errors.size() > before) {
            return null;
        }
        LabelsBuilder lb = new LabelsBuilder();
        labels.forEach(lb::set);
        boolean alerting = !r.alert.isEmpty();
        return new RuleSpec(alerting, ruleName, r.expr.value(), expr, millis(r.holdFor), millis(r.keepFiringFor),
                lb.build(), alerting ? annotations : Map.of());
    }

    private static Map<String, String> values(Map<String, Located> m) {
        Map<String, String> out = new LinkedHashMap<>();
        if (m != null) {
            m.forEach((k, v) -> out.put(k, v == null ? "" : v.value()));
        }
        return out;
    }

    /** The parse error of an alert template with Prometheus's variable prelude, or null. */
    public static String templateProblem(String name, String text) {
        try {
            Template.parse(name, PrometheusFunctions.alertTemplatePrefix() + text, PrometheusFunctions.forParsing());
            return null;
        } catch (TemplateException e) {
            return e.getMessage();
        }
    }
}

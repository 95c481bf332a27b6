package io.specula.discovery;

import io.specula.model.config.ConfigException;
import io.specula.model.config.YamlConfigLoader;
import io.specula.model.labels.LabelNames;
import io.specula.discovery.config.StaticConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads lists of {@code {targets: [...], labels: {...}}} from file SD files (JSON or YAML) and
 * HTTP SD answers (JSON), with the checks Prometheus makes on them.
 */
public final class TargetGroups {
    private TargetGroups() {}

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // Go's encoding/json ignores them too
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();

    /**
     * Parses JSON text.
     *
     * @throws ConfigException naming {@code source} on malformed input or bad labels
     */
    public static List<StaticConfig> parseJson(String text, String source) throws ConfigException {
        StaticConfig[] groups;
        try {
            groups = JSON.readValue(text, StaticConfig[].class);
        } catch (JacksonException e) {
            throw new ConfigException(source + ": " + firstLine(e.getOriginalMessage()));
        }
        return check(groups == null ? List.of() : Arrays.asList(groups), source);
    }

    /** Parses YAML text strictly (unknown keys are errors, as Prometheus's strict YAML decoding). */
    public static List<StaticConfig> parseYaml(String text, String source) throws ConfigException {
        StaticConfig[] groups = YamlConfigLoader.parse(text, source, StaticConfig[].class);
        return check(groups == null ? List.of() : Arrays.asList(groups), source);
    }

    private static List<StaticConfig> check(List<StaticConfig> groups, String source) throws ConfigException {
        List<StaticConfig> out = new ArrayList<>(groups.size());
        for (StaticConfig g : groups) {
            if (g == null) {
                throw new ConfigException(source + ": nil target group item found");
            }
            if (g.labels != null) {
                for (Map.Entry<String, String> e : g.labels.entrySet()) {
                    if (!LabelNames.isValidUtf8Name(e.getKey())) {
                        throw new ConfigException(source + ": \"" + e.getKey() + "\" is not a valid label name");
                    }
                }
            }
            if (g.targets != null) {
                for (String t : g.targets) {
                    if (t == null || t.isEmpty()) {
                        throw new ConfigException(source + ": target address must not be empty");
                    }
                }
            }
            out.add(g);
        }
        return out;
    }

    private static String firstLine(String m) {
        if (m == null) {
            return "invalid JSON";
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}

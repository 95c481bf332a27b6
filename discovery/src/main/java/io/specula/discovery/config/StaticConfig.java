package io.specula.discovery.config;

import java.util.List;
import java.util.Map;

/**
 * A {@code static_config} entry, and equally one target group of a file SD file or an HTTP SD
 * answer: addresses plus labels shared by all of them.
 */
public final class StaticConfig {
    public List<String> targets;
    public Map<String, String> labels;
}

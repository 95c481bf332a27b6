package io.specula.rules.rulefmt;

import io.specula.model.config.PromDuration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A rule file as written: {@code groups:} of {@link GroupNode}. Mutable classes bound by
 * {@link io.specula.model.config.YamlConfigLoader} (strict keys, positions in errors); turn
 * them into checked definitions with {@link RuleFiles}.
 */
public final class RuleGroupsNode {
    public List<GroupNode> groups = new ArrayList<>();

    /** One {@code groups[]} entry. */
    public static final class GroupNode {
        public Located name = Located.ABSENT;
        public PromDuration interval;
        public PromDuration queryOffset;
        public int limit;
        public Map<String, Located> labels = new LinkedHashMap<>();
        public List<RuleNode> rules = new ArrayList<>();
    }

    /** One {@code rules[]} entry: a recording rule ({@code record}) or an alerting rule ({@code alert}). */
    public static final class RuleNode {
        public Located record = Located.ABSENT;
        public Located alert = Located.ABSENT;
        public Located expr = Located.ABSENT;
        @com.fasterxml.jackson.annotation.JsonProperty("for")
        public PromDuration holdFor;
        public PromDuration keepFiringFor;
        public Map<String, Located> labels = new LinkedHashMap<>();
        public Map<String, Located> annotations = new LinkedHashMap<>();
    }
}

package io.specula.alertmanager.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.specula.model.labels.Matcher;
import java.util.List;
import java.util.Map;

/** An {@code inhibit_rules} entry: target alerts are muted while a matching source fires. */
public final class InhibitRuleConfig {
    public String name;
    public Map<String, String> sourceMatch;
    public Map<String, String> sourceMatchRe;
    public List<String> sourceMatchers;
    public Map<String, String> targetMatch;
    public Map<String, String> targetMatchRe;
    public List<String> targetMatchers;
    public List<String> equal;

    @JsonIgnore
    public List<Matcher> compiledSource = List.of();

    @JsonIgnore
    public List<Matcher> compiledTarget = List.of();
}

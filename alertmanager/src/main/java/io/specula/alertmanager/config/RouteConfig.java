package io.specula.alertmanager.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.specula.model.config.PromDuration;
import io.specula.model.labels.Matcher;
import java.util.List;
import java.util.Map;

/**
 * A node of the {@code route} tree as written in the file. Unset timing options are null
 * here and inherited from the parent when the tree is built for dispatch.
 */
public final class RouteConfig {
    public String receiver;
    public List<String> groupBy;
    /** Deprecated equality matchers. */
    public Map<String, String> match;
    /** Deprecated regex matchers. */
    public Map<String, String> matchRe;
    public List<String> matchers;
    public List<String> muteTimeIntervals;
    public List<String> activeTimeIntervals;

    @JsonProperty("continue")
    public boolean continueMatching;

    public List<RouteConfig> routes;
    public PromDuration groupWait;
    public PromDuration groupInterval;
    public PromDuration repeatInterval;

    /** All matchers (match, match_re and matchers), compiled and sorted; set by validation. */
    @JsonIgnore
    public List<Matcher> compiledMatchers = List.of();

    /** {@code group_by: ['...']}: group by all labels. Set by validation. */
    @JsonIgnore
    public boolean groupByAll;

    public List<RouteConfig> children() {
        return routes == null ? List.of() : routes;
    }
}

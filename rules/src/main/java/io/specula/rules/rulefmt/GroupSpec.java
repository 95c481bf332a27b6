package io.specula.rules.rulefmt;

import io.specula.model.labels.Labels;
import java.util.List;

/**
 * A validated rule group of one file. Immutable.
 *
 * @param file the file it came from, as given to the loader
 * @param intervalMs the group's {@code interval}, 0 when absent (the global evaluation interval applies)
 * @param queryOffsetMs the group's {@code query_offset}, -1 when absent (the global rule query offset applies)
 * @param limit the group's {@code limit}, 0 for none
 * @param labels the group's {@code labels}, added to every rule's (the rule's own win)
 */
public record GroupSpec(String file, String name, long intervalMs, long queryOffsetMs, int limit, Labels labels,
        List<RuleSpec> rules) {
    public GroupSpec {
        rules = List.copyOf(rules);
    }
}

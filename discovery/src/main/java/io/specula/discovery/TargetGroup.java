package io.specula.discovery;

import io.specula.model.labels.Labels;
import java.util.List;

/**
 * A set of targets sharing labels, as a discovery mechanism reports it.
 *
 * @param source identifies the group within its discoverer (a file name and index, a URL and
 *     index, …); a later group with the same source replaces it, an empty one removes it
 * @param targets the targets, each a label set with at least {@code __address__}
 * @param labels labels shared by all targets; a target's own label of the same name wins
 */
public record TargetGroup(String source, List<Labels> targets, Labels labels) {
    public TargetGroup {
        targets = List.copyOf(targets);
    }

    /** The group that tells the manager {@code source} has no targets any more. */
    public static TargetGroup empty(String source) {
        return new TargetGroup(source, List.of(), Labels.EMPTY);
    }
}

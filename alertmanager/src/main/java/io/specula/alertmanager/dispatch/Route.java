package io.specula.alertmanager.dispatch;

import io.specula.alertmanager.config.RouteConfig;
import io.specula.alertmanager.labels.MatcherParser;
import io.specula.model.config.PromDuration;
import io.specula.model.labels.Labels;
import io.specula.model.labels.Matcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A node of the routing tree with every option resolved: receiver, group_by and the three
 * timers are inherited from the parent when the node does not set them (the root falls
 * back to group_wait 30s, group_interval 5m, repeat_interval 4h). Time interval references
 * are not inherited, as in Alertmanager. Immutable.
 */
public final class Route {
    static final Duration DEFAULT_GROUP_WAIT = Duration.ofSeconds(30);
    static final Duration DEFAULT_GROUP_INTERVAL = Duration.ofMinutes(5);
    static final Duration DEFAULT_REPEAT_INTERVAL = Duration.ofHours(4);

    private final Route parent;
    private final String receiver;
    private final List<String> groupBy;
    private final boolean groupByAll;
    private final Duration groupWait;
    private final Duration groupInterval;
    private final Duration repeatInterval;
    private final List<Matcher> matchers;
    private final boolean continueMatching;
    private final List<String> muteTimeIntervals;
    private final List<String> activeTimeIntervals;
    private final List<Route> routes;
    private final String key;

    private Route(Route parent, RouteConfig c) {
        this.parent = parent;
        this.receiver = c.receiver != null && !c.receiver.isEmpty() ? c.receiver : parent.receiver;
        if (c.groupBy != null || parent == null) {
            this.groupByAll = c.groupByAll;
            TreeSet<String> names = new TreeSet<>();
            if (c.groupBy != null && !c.groupByAll) {
                names.addAll(c.groupBy);
            }
            this.groupBy = List.copyOf(names);
        } else {
            this.groupByAll = parent.groupByAll;
            this.groupBy = parent.groupBy;
        }
        this.groupWait = pick(c.groupWait, parent == null ? DEFAULT_GROUP_WAIT : parent.groupWait);
        this.groupInterval = pick(c.groupInterval, parent == null ? DEFAULT_GROUP_INTERVAL : parent.groupInterval);
        this.repeatInterval = pick(c.repeatInterval, parent == null ? DEFAULT_REPEAT_INTERVAL : parent.repeatInterval);
        this.matchers = c.compiledMatchers;
        this.continueMatching = c.continueMatching;
        this.muteTimeIntervals = c.muteTimeIntervals == null ? List.of() : List.copyOf(c.muteTimeIntervals);
        this.activeTimeIntervals = c.activeTimeIntervals == null ? List.of() : List.copyOf(c.activeTimeIntervals);
        StringBuilder k = new StringBuilder();
        if (parent != null) {
            k.append(parent.key).append('/');
        }
        k.append('{');
        for (int i = 0; i < matchers.size(); i++) {
            if (i > 0) {
                k.append(',');
            }
            k.append(MatcherParser.format(matchers.get(i)));
        }
        this.key = k.append('}').toString();
        List<Route> children = new ArrayList<>();
        for (RouteConfig rc : c.children()) {
            children.add(new Route(this, rc));
        }
        this.routes = List.copyOf(children);
    }

    private static Duration pick(PromDuration own, Duration inherited) {
        return own != null ? own.toJavaDuration() : inherited;
    }

    /** Builds the tree from a validated root route. */
    public static Route build(RouteConfig root) {
        return new Route(null, root);
    }

    /**
     * The routes an alert with these labels goes to: the deepest matching nodes, continuing
     * to later siblings only past nodes with {@code continue: true}; the node itself when no
     * child matches. Empty when this node's matchers do not match.
     */
    public List<Route> match(Labels labels) {
        for (Matcher m : matchers) {
            if (!m.matches(labels.get(m.name()))) {
                return List.of();
            }
        }
        List<Route> all = new ArrayList<>();
        for (Route child : routes) {
            List<Route> found = child.match(labels);
            all.addAll(found);
            if (!found.isEmpty() && !child.continueMatching) {
                break;
            }
        }
        if (all.isEmpty()) {
            all.add(this);
        }
        return all;
    }

    /** Visits this node and its descendants, depth first. */
    public void walk(Consumer<Route> visitor) {
        visitor.accept(this);
        for (Route r : routes) {
            r.walk(visitor);
        }
    }

    /** The labels that identify an aggregation group of this route. */
    public Labels groupLabels(Labels alert) {
        if (groupByAll) {
            return alert;
        }
        java.util.Set<String> keep = new java.util.HashSet<>(groupBy);
        return alert.toBuilder().retain(keep::contains).build();
    }

    public Route parent() {
        return parent;
    }

    public String receiver() {
        return receiver;
    }

    public List<String> groupBy() {
        return groupBy;
    }

    public boolean groupByAll() {
        return groupByAll;
    }

    public Duration groupWait() {
        return groupWait;
    }

    public Duration groupInterval() {
        return groupInterval;
    }

    public Duration repeatInterval() {
        return repeatInterval;
    }

    public List<Matcher> matchers() {
        return matchers;
    }

    public boolean continueMatching() {
        return continueMatching;
    }

    public List<String> muteTimeIntervals() {
        return muteTimeIntervals;
    }

    public List<String> activeTimeIntervals() {
        return activeTimeIntervals;
    }

    public List<Route> routes() {
        return routes;
    }

    /** Alertmanager's route key: the matchers of every node from the root, {@code {}/{a="b"}}. */
    public String key() {
        return key;
    }
}

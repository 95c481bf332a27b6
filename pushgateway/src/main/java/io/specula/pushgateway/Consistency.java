package io.specula.pushgateway;

import io.specula.model.exposition.proto.LabelPair;
import io.specula.model.exposition.proto.Metric;
import io.specula.model.exposition.proto.MetricFamily;
import io.specula.model.exposition.proto.MetricType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether a set of metric families can be exposed as one consistent scrape: the checks the
 * Pushgateway runs (through its Go client library's gatherer) on the state a push would
 * produce, with that library's error texts. Checked, in order, for the gateway's own families
 * and then the pushed ones:
 *
 * <ul>
 *   <li>a family of the same name from the gateway itself with another type;
 *   <li>{@code x_count}/{@code x_sum}/{@code x_bucket} next to a summary or histogram {@code x};
 *   <li>per metric: the value matching the family's type, label names valid, unique and not
 *       {@code __}-prefixed, no {@code quantile} label on a summary, values valid UTF-8 (grouping label
 *       values decoded from base64 may not be), and no
 *       second series with the same name and labels.
 * </ul>
 *
 * <p>Stateless.
 */
final class Consistency {
    private Consistency() {}

    /**
     * The first inconsistency, or null.
     *
     * @param own the gateway's own families
     * @param pushed the store's families merged by name (see {@link MetricStore#merged})
     */
    static String check(List<MetricFamily> own, List<MetricFamily> pushed) {
        Map<String, MetricFamily> byName = new HashMap<>();
        Set<String> seriesSeen = new HashSet<>();
        List<String> errors = new ArrayList<>();
        for (List<MetricFamily> source : List.of(own, pushed)) {
            for (MetricFamily mf : source) {
                MetricFamily existing = byName.get(mf.getName());
                if (existing != null) {
                    if (!existing.getHelp().equals(mf.getHelp())) {
                        errors.add("gathered metric family " + mf.getName() + " has help " + GoQuote.string(mf.getHelp())
                                + " but should have " + GoQuote.string(existing.getHelp()));
                        continue;
                    }
                    if (existing.getType() != mf.getType()) {
                        errors.add("gathered metric family " + mf.getName() + " has type " + mf.getType()
                                + " but should have " + existing.getType());
                        continue;
                    }
                } else {
                    String collision = suffixCollision(mf, byName);
                    if (collision != null) {
                        errors.add(collision);
                        continue;
                    }
                    byName.put(mf.getName(), mf);
                    existing = mf;
                }
                for (Metric m : mf.getMetricList()) {
                    String err = checkMetric(existing, m, seriesSeen);
                    if (err != null) {
                        errors.add(err);
                    }
                }
            }
        }
        if (errors.size() <= 1) {
            return errors.isEmpty() ? null : errors.getFirst();
        }
        StringBuilder b = new StringBuilder().append(errors.size()).append(" error(s) occurred:");
        for (String e : errors) {
            b.append("\n* ").append(e);
        }
        return b.toString();
    }

    private static String suffixCollision(MetricFamily mf, Map<String, MetricFamily> byName) {
        String name = mf.getName();
        String base = name.endsWith("_count") ? name.substring(0, name.length() - 6)
                : name.endsWith("_sum") ? name.substring(0, name.length() - 4)
                : name.endsWith("_bucket") ? name.substring(0, name.length() - 7) : null;
        if (base != null) {
            MetricFamily existing = byName.get(base);
            if (existing != null) {
                if (existing.getType() == MetricType.SUMMARY && !name.endsWith("_bucket")) {
                    return "collected metric named " + GoQuote.string(name) + " collides with previously collected summary named "
                            + GoQuote.string(base);
                }
                if (existing.getType() == MetricType.HISTOGRAM) {
                    return "collected metric named " + GoQuote.string(name) + " collides with previously collected histogram named "
                            + GoQuote.string(base);
                }
            }
        }
        MetricType t = mf.getType();
        if (t == MetricType.SUMMARY || t == MetricType.HISTOGRAM) {
            for (String suffix : new String[] {"_count", "_sum"}) {
                if (byName.containsKey(name + suffix)) {
                    return "collected histogram or summary named " + GoQuote.string(name)
                            + " collides with previously collected metric named " + GoQuote.string(name + suffix);
                }
            }
        }
        if (t == MetricType.HISTOGRAM && byName.containsKey(name + "_bucket")) {
            return "collected histogram named " + GoQuote.string(name) + " collides with previously collected metric named "
                    + GoQuote.string(name + "_bucket");
        }
        return null;
    }

    private static String checkMetric(MetricFamily mf, Metric m, Set<String> seen) {
        String name = mf.getName();
        MetricType t = mf.getType();
        boolean typeOk = switch (t) {
            case GAUGE -> m.hasGauge();
            case COUNTER -> m.hasCounter();
            case SUMMARY -> m.hasSummary();
            case HISTOGRAM -> m.hasHistogram();
            case UNTYPED -> m.hasUntyped();
            default -> true;
        };
        String quoted = GoQuote.string(name);
        if (!typeOk) {
            return "collected metric " + quoted + " { " + ProtoText.compact(m) + "} is not a " + t;
        }
        String previous = null;
        for (LabelPair lp : m.getLabelList()) {
            String ln = lp.getName();
            if (ln.equals(previous)) {
                return "collected metric " + quoted + " { " + ProtoText.compact(m) + "} has two or more labels with the same name: " + ln;
            }
            if (!GroupingKey.validLabelName(ln) || ln.startsWith("__")) {
                return "collected metric " + quoted + " { " + ProtoText.compact(m) + "} has a label with an invalid name: " + ln;
            }
            if (m.hasSummary() && ln.equals("quantile")) {
                return "collected metric " + quoted + " { " + ProtoText.compact(m) + "} must not have an explicit \"quantile\" label";
            }
            if (GoQuote.hasInvalidUtf8(lp.getValue())) {
                return "collected metric " + quoted + " { " + ProtoText.compact(m) + "} has a label named " + GoQuote.string(ln)
                        + " whose value is not utf8: " + GoQuote.string(lp.getValue());
            }
            previous = ln;
        }
        List<LabelPair> sorted = new ArrayList<>(m.getLabelList());
        sorted.sort(Comparator.comparing(LabelPair::getName));
        StringBuilder key = new StringBuilder(name).append('\u00ff');
        for (LabelPair lp : sorted) {
            key.append(lp.getName()).append('\u00ff').append(lp.getValue()).append('\u00ff');
        }
        if (!seen.add(key.toString())) {
            return "collected metric " + quoted + " { " + ProtoText.compact(m) + "} was collected before with the same name and label values";
        }
        return null;
    }
}

package io.specula.promql.engine;

import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.model.labels.Matcher;
import io.specula.promql.parser.At;
import io.specula.promql.parser.Call;
import io.specula.promql.parser.Expr;
import io.specula.promql.parser.VectorSelector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code info(v [, selector])}: adds the data labels of matching info series (by default
 * {@code target_info}) to each series of {@code v}, joined on the identifying labels
 * {@code instance} and {@code job}. Data-label matchers in the selector both filter the info
 * series and choose which labels are added; a base series without a matching info series is
 * kept only if every data matcher accepts the empty value.
 */
final class InfoFunction {
    private InfoFunction() {}

    private static final List<String> IDENTIFYING = List.of("instance", "job");

    static List<StepSeries> eval(Evaluator ev, Call c, Grid g) {
        List<StepSeries> base = ev.vector(c.args().get(0), g);
        List<Matcher> nameMatchers = new ArrayList<>(), dataMatchers = new ArrayList<>();
        if (c.args().size() > 1 && FunctionCalls.unwrap(c.args().get(1)) instanceof VectorSelector sel) {
            for (Matcher m : sel.matchers()) {
                (m.name().equals(Labels.METRIC_NAME) ? nameMatchers : dataMatchers).add(m);
            }
        }
        if (nameMatchers.isEmpty()) {
            nameMatchers.add(Matcher.equal(Labels.METRIC_NAME, "target_info"));
        } else if (nameMatchers.stream().allMatch(m -> m.type().isNegative())) {
            // Only exclusions given: the candidates are still info metrics.
            nameMatchers.add(Matcher.of(io.specula.model.labels.MatchType.REGEX, Labels.METRIC_NAME, ".+_info"));
        }
        List<Matcher> all = new ArrayList<>(nameMatchers);
        all.addAll(dataMatchers);
        List<StepSeries> infos = ev.vectorSelector(new VectorSelector(null, all, 0, null, At.NONE, false, false,
                c.position()), g, false);
        Map<List<String>, List<StepSeries>> byId = new HashMap<>();
        for (StepSeries s : infos) {
            byId.computeIfAbsent(identity(s.labels), k -> new ArrayList<>()).add(s);
        }
        Set<String> dataNames = new HashSet<>();
        boolean acceptEmpty = true;
        for (Matcher m : dataMatchers) {
            dataNames.add(m.name());
            acceptEmpty &= m.matches("");
        }
        Map<Labels, StepSeries> out = new LinkedHashMap<>();
        LabelsBuilder lb = new LabelsBuilder();
        for (StepSeries b : base) {
            if (isInfo(b.labels, nameMatchers)) {
                merge(out, b.labels, b, -1);
                continue;
            }
            List<StepSeries> cands = byId.getOrDefault(identity(b.labels), List.of());
            for (int i = 0; i < g.steps(); i++) {
                if (!b.has(i)) {
                    continue;
                }
                lb.reset(b.labels);
                boolean found = false;
                for (StepSeries info : cands) {
                    if (!info.has(i)) {
                        continue;
                    }
                    found = true;
                    Labels il = info.labels;
                    for (int k = 0; k < il.size(); k++) {
                        String n = il.name(k);
                        if (n.equals(Labels.METRIC_NAME) || IDENTIFYING.contains(n)) {
                            continue;
                        }
                        if (!dataNames.isEmpty() && !dataNames.contains(n)) {
                            continue;
                        }
                        if (lb.get(n).isEmpty()) {
                            lb.set(n, il.value(k));
                        }
                    }
                }
                if (!found && !acceptEmpty) {
                    continue;
                }
                merge(out, lb.build(), b, i);
            }
        }
        return new ArrayList<>(out.values());
    }

    private static void merge(Map<Labels, StepSeries> out, Labels l, StepSeries b, int step) {
        StepSeries o = out.get(l);
        if (o == null) {
            if (step < 0) {
                out.put(l, b);
                return;
            }
            o = new StepSeries(l, b.steps());
            o.dropName = b.dropName;
            out.put(l, o);
        }
        if (step < 0) {
            for (int i = 0; i < b.steps(); i++) {
                if (b.has(i)) {
                    o.set(i, b.v[i]);
                }
            }
        } else {
            o.set(step, b.v[step]);
        }
    }

    private static List<String> identity(Labels l) {
        List<String> id = new ArrayList<>(IDENTIFYING.size());
        for (String n : IDENTIFYING) {
            id.add(l.get(n));
        }
        return id;
    }

    /** A base series that is itself one of the info metrics passes through unchanged. */
    private static boolean isInfo(Labels l, List<Matcher> nameMatchers) {
        String name = l.get(Labels.METRIC_NAME);
        if (nameMatchers.stream().allMatch(m -> m.type().isNegative())) {
            return false;
        }
        for (Matcher m : nameMatchers) {
            if (!m.matches(name)) {
                return false;
            }
        }
        return true;
    }

}

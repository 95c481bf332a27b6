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
        // Info series are read as of the same time as the base samples (its @ and offset), and
        // carry their sample timestamps so the most recent one wins where several match.
        long[] shift = shift(c.args().get(0));
        At at = shift == null || shift[0] == 0 ? At.NONE : At.timestamp(shift[1]);
        long offset = shift == null ? 0 : shift[2];
        List<StepSeries> infos = ev.vectorSelector(new VectorSelector(null, all, offset, null, at, false, false,
                c.position()), g, Evaluator.Emit.INFO);
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
                final int step = i;
                List<StepSeries> present = new ArrayList<>();
                for (StepSeries info : cands) {
                    if (info.histogram(i) != null) {
                        throw QueryException.execution("info sample should be float");
                    }
                    if (info.has(i)) {
                        present.add(info);
                    }
                }
                present.sort((x, y) -> Double.compare(y.v[step], x.v[step]));
                Map<String, String[]> fromInfo = new HashMap<>();
                for (StepSeries info : present) {
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
                        String metric = il.get(Labels.METRIC_NAME);
                        String[] prev = fromInfo.get(n);
                        if (prev != null) {
                            // The newest series of one info metric wins; two info metrics must agree.
                            if (!prev[1].equals(metric) && !prev[0].equals(il.value(k))) {
                                throw QueryException.execution("conflicting label " + GoStrings.quote(n)
                                        + " with values " + GoStrings.quote(prev[0]) + " from " + prev[1] + " and "
                                        + GoStrings.quote(il.value(k)) + " from " + metric);
                            }
                            continue;
                        }
                        if (lb.get(n).isEmpty()) {
                            lb.set(n, il.value(k));
                            fromInfo.put(n, new String[] {il.value(k), metric});
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

    /**
     * The time shift of the selector the base expression reads first: {@code {hasAt, atMs, offsetMs}},
     * or null when there is none.
     */
    private static long[] shift(Expr e) {
        return switch (e) {
            case VectorSelector vs -> new long[] {vs.at().isSet() ? 1 : 0, vs.at().timestamp(), vs.offset()};
            case io.specula.promql.parser.MatrixSelector ms -> shift(ms.selector());
            case io.specula.promql.parser.SubqueryExpr sq -> {
                long[] inner = shift(sq.expr());
                if (inner != null && inner[0] == 1) {
                    yield inner;
                }
                long innerOffset = inner == null ? 0 : inner[2];
                yield new long[] {sq.at().isSet() ? 1 : 0, sq.at().timestamp(), sq.offset() + innerOffset};
            }
            case io.specula.promql.parser.ParenExpr p -> shift(p.expr());
            case io.specula.promql.parser.StepInvariantExpr si -> shift(si.expr());
            case io.specula.promql.parser.UnaryExpr u -> shift(u.expr());
            case io.specula.promql.parser.AggregateExpr a -> shift(a.expr());
            case io.specula.promql.parser.BinaryExpr b -> {
                long[] l = shift(b.lhs());
                yield l != null ? l : shift(b.rhs());
            }
            case Call call -> {
                for (Expr a : call.args()) {
                    long[] r = shift(a);
                    if (r != null) {
                        yield r;
                    }
                }
                yield null;
            }
            default -> null;
        };
    }

    private static void merge(Map<Labels, StepSeries> out, Labels l, StepSeries b, int step) {
        StepSeries o = out.get(l);
        if (o == null) {
            if (step < 0) {
                out.put(l, b);
                return;
            }
            o = new StepSeries(b.ctx, l, b.steps());
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

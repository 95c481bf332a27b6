package io.specula.rules;

import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.promql.engine.QueryException;
import io.specula.promql.engine.Sample;
import io.specula.rules.rulefmt.RuleSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A rule that writes its expression's result under a new metric name. */
public final class RecordingRule extends Rule {
    RecordingRule(RuleSpec spec, Labels labels) {
        super(spec, labels);
    }

    @Override
    List<Sample> eval(long evalTs, long queryOffsetMs, EvalContext ctx, int limit) {
        long ts = evalTs - queryOffsetMs;
        List<Sample> in = ctx.query(spec.expr(), spec.exprText(), ts);
        List<Sample> out = new ArrayList<>(in.size());
        Set<Labels> seen = new HashSet<>();
        LabelsBuilder b = new LabelsBuilder();
        for (Sample s : in) {
            b.reset(s.labels()).set(Labels.METRIC_NAME, spec.name());
            for (int i = 0; i < labels.size(); i++) {
                b.set(labels.name(i), labels.value(i));
            }
            Labels l = b.build();
            if (!seen.add(l)) {
                throw new QueryException(QueryException.Type.EXECUTION,
                        "vector contains metrics with the same labelset after applying rule labels");
            }
            out.add(new Sample(l, ts, s.v(), s.h()));
        }
        if (limit > 0 && out.size() > limit) {
            throw new QueryException(QueryException.Type.EXECUTION,
                    "exceeded limit of " + limit + " with " + out.size() + " series");
        }
        return out;
    }
}

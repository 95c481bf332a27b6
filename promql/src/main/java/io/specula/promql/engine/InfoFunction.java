package io.specula.promql.engine;

import io.specula.promql.parser.Call;
import java.util.List;

/**
 * {@code info(v [, selector])}: adds the data labels of matching info series (by default
 * {@code target_info}, joined on {@code instance} and {@code job}) to each series of {@code v}.
 */
final class InfoFunction {
    private InfoFunction() {}

    static List<StepSeries> eval(Evaluator ev, Call c, Grid g) {
        // Info-series enrichment is not implemented yet: the input passes through unchanged.
        return ev.vector(c.args().get(0), g);
    }
}

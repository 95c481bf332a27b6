package io.specula.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import io.specula.model.labels.Matcher;
import io.specula.promql.parser.ParseException;
import io.specula.tsdb.head.Head;
import io.specula.tsdb.storage.Appender;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.storage.Queryable;
import io.specula.tsdb.storage.SelectHints;
import io.specula.tsdb.storage.SeriesSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the engine tells storage in {@link SelectHints}. */
class SelectHintsTest {
    private final List<SelectHints> seen = new ArrayList<>();

    private Queryable recording(Head head) {
        return (mint, maxt) -> {
            Querier q = head.querier(mint, maxt);
            return new Querier() {
                @Override
                public SeriesSet select(boolean sorted, SelectHints hints, Matcher... matchers) {
                    seen.add(hints);
                    return q.select(sorted, hints, matchers);
                }

                @Override
                public List<String> labelValues(String name, Matcher... matchers) throws java.io.IOException {
                    return q.labelValues(name, matchers);
                }

                @Override
                public List<String> labelNames(Matcher... matchers) throws java.io.IOException {
                    return q.labelNames(matchers);
                }

                @Override
                public void close() {
                    q.close();
                }
            };
        };
    }

    private List<String> functions(String query) throws Exception {
        seen.clear();
        try (Head head = new Head()) {
            Appender app = head.appender();
            app.append(0, Labels.of("__name__", "x"), 0, 1);
            app.commit();
            Result r = new Engine(EngineOptions.forTests()).instantQuery(recording(head), query, 60_000).exec();
            assertThat(r.error()).isNull();
        }
        return seen.stream().map(SelectHints::function).toList();
    }

    @Test
    void select_function_isTheNearestEnclosingCallOrAggregation() throws Exception {
        assertThat(functions("rate(x[5m])")).containsExactly("rate");
        assertThat(functions("sum(rate(x[5m]))")).containsExactly("rate");
        assertThat(functions("sum(x)")).containsExactly("sum");
        assertThat(functions("-abs((x))")).containsExactly("abs");
        assertThat(functions("max_over_time(x[5m:1m])")).containsExactly("max_over_time");
        assertThat(functions("x")).containsOnlyNulls().hasSize(1);
        assertThat(functions("sum(x + 1)")).containsOnlyNulls().hasSize(1);
    }

    @Test
    void select_range_isTheRangeSelectorsRange() throws ParseException, Exception {
        functions("rate(x[5m])");
        assertThat(seen).singleElement().satisfies(h -> assertThat(h.range()).isEqualTo(300_000));
    }
}

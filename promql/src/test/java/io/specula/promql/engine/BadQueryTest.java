package io.specula.promql.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import io.specula.promql.parser.ParseException;
import io.specula.tsdb.head.Head;
import io.specula.tsdb.storage.Appender;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile query strings end as a ParseException, a QueryException when the query is created, or
 * a failed Result — never another throwable, a stack overflow or a hang.
 */
class BadQueryTest {
    private static final List<String> SEEDS = List.of(
            "sum by (job) (rate(req_total[5m]))",
            "req_total / on(instance) group_left(job) up",
            "histogram_quantile(0.9, sum by (le) (rate(req_bucket[5m])))",
            "max_over_time(rate(req_total[1m])[10m:30s] offset 1m)",
            "label_replace(req_total, \"x\", \"$1\", \"instance\", \"(.*)\")",
            "topk(3, req_total) or absent(nope) unless count_values(\"v\", req_total)",
            "req_total @ 100 > bool 3 ^ 2 ^ -1",
            "{__name__=~\"req.*\", instance!~\"(a|b)+\"}[5m] offset -1m");

    private Head head;
    private final Engine engine = new Engine(EngineOptions.forTests());

    @BeforeEach
    void load() throws Exception {
        head = new Head();
        Appender app = head.appender();
        for (int s = 0; s < 4; s++) {
            Labels l = Labels.of("__name__", "req_total", "instance", "i" + s, "job", "j");
            long ref = 0;
            for (int i = 0; i <= 40; i++) {
                ref = app.append(ref, l, i * 15_000L, i * (s + 1));
            }
        }
        app.commit();
    }

    @AfterEach
    void close() throws IOException {
        head.close();
    }

    @Test
    void query_tenThousandNestedParentheses_isAnErrorOrAnAnswer() {
        String deep = "(".repeat(10_000) + "req_total" + ")".repeat(10_000);
        runBoth(deep);
        runBoth("-".repeat(10_000) + "1");
        runBoth("sum(".repeat(10_000) + "req_total" + ")".repeat(10_000));
        runBoth("req_total" + " + req_total".repeat(10_000));
        runBoth("2" + " ^ 2".repeat(10_000));
    }

    @Test
    void query_hugeNumbersAndInvalidUtf8_areErrorsOrAnswers() {
        runBoth("1e999999 * req_total");
        runBoth("0x" + "f".repeat(100) + " + 1");
        runBoth(new String(new byte[] {'r', (byte) 0xc5, '{', (byte) 0xff, '}'}, StandardCharsets.ISO_8859_1));
        runBoth("req_total{instance=~\"" + "(a*)*".repeat(200) + "b\"}");
        runBoth("req_total[" + "9".repeat(40) + "y]");
        runBoth("req_total offset " + "9".repeat(40) + "y");
    }

    @Test
    void query_seededMutationsAndRandomBytes_neverThrowAnythingElse() {
        Random random = new Random(20261124L);
        for (int i = 0; i < 3_000; i++) {
            StringBuilder q = new StringBuilder(SEEDS.get(random.nextInt(SEEDS.size())));
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits && !q.isEmpty(); e++) {
                int at = random.nextInt(q.length());
                switch (random.nextInt(4)) {
                    case 0 -> q.deleteCharAt(at);
                    case 1 -> q.insert(at, "()[]{}\"'`@:,+-*/^=!~<>#\\ 0x1e5mNaNInf".charAt(random.nextInt(35)));
                    case 2 -> q.insert(at, q.substring(random.nextInt(q.length())));
                    default -> q.setCharAt(at, (char) random.nextInt(0x3000));
                }
            }
            runBoth(q.toString());
        }
        for (int i = 0; i < 1_000; i++) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            runBoth(new String(bytes, StandardCharsets.ISO_8859_1));
        }
    }

    /** Runs {@code query} as an instant and a range query; only the two documented outcomes are allowed. */
    private void runBoth(String query) {
        try {
            Result instant = engine.instantQuery(head, query, 300_000).exec();
            assertThat(instant.ok() || instant.error() != null).as(query).isTrue();
            Result range = engine.rangeQuery(head, query, 0, 600_000, 15_000).exec();
            assertThat(range.ok() || range.error() != null).as(query).isTrue();
        } catch (ParseException expected) {
            assertThat(expected.getMessage()).as(query).contains("parse error");
        } catch (QueryException expected) {
            // Refused when the query is created, e.g. a range query of a range vector.
            assertThat(expected.getMessage()).as(query).isNotBlank();
        }
    }
}

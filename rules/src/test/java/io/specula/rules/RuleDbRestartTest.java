package io.specula.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.promql.engine.Engine;
import io.specula.promql.engine.EngineOptions;
import io.specula.promql.engine.Query;
import io.specula.promql.engine.Vector;
import io.specula.tsdb.DB;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules over the real on-disk database across a restart: recording-rule output is readable by
 * PromQL, and an alert's {@code for} progress survives closing and reopening the database
 * (WAL replay of {@code ALERTS_FOR_STATE}).
 */
class RuleDbRestartTest {
    @TempDir
    Path dir;

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    private static int count(Engine engine, DB db, String q) {
        try (Query query = engine.instantQuery(db, q, System.currentTimeMillis())) {
            return ((Vector) query.exec().value()).samples().size();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void restart_recordingOutputReadableAndForStateRestored() throws Exception {
        Path rules = dir.resolve("rules.yml");
        Files.writeString(rules, """
                groups:
                - name: g
                  interval: 50ms
                  rules:
                  - record: answer
                    expr: vector(42)
                  - alert: Slow
                    expr: vector(1)
                    for: 1h
                """);
        Path data = dir.resolve("data");
        Engine engine = new Engine(EngineOptions.defaults());
        RuleManagerOptions o = RuleManagerOptions.defaults().withForState(60 * 60_000L, 0);
        long activeAt;
        try (DB db = DB.open(data, DB.Options.defaults())) {
            RuleManager m = new RuleManager(db, db, engine, AlertSink.NONE, o);
            m.update(List.of(rules.toString()), 60_000);
            AlertingRule r = m.alertingRules().getFirst();
            await(() -> r.restored() && count(engine, db, "ALERTS_FOR_STATE") == 1 && count(engine, db, "answer") == 1,
                    "recording and alert series written");
            activeAt = r.activeAlerts().getFirst().activeAtMs();
            Thread.sleep(2_200);
            m.close();
        }
        Thread.sleep(300);
        try (DB db = DB.open(data, DB.Options.defaults())) {
            RuleManager m = new RuleManager(db, db, engine, AlertSink.NONE, o);
            try {
                m.update(List.of(rules.toString()), 60_000);
                AlertingRule r = m.alertingRules().getFirst();
                await(r::restored, "for state restored after the restart");
                long restored = r.activeAlerts().getFirst().activeAtMs();
                assertThat(System.currentTimeMillis() - restored).as("pending time before the restart kept")
                        .isGreaterThanOrEqualTo(1_000);
                assertThat(restored).as("the outage is not counted").isGreaterThanOrEqualTo(activeAt / 1000 * 1000 + 300);
            } finally {
                m.close();
            }
        }
    }
}

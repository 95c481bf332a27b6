package io.specula.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.rules.rulefmt.RuleFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuleManagerTest {
    @TempDir
    Path dir;

    RulesFixture fx;
    RuleManager manager;

    @BeforeEach
    void setUp() {
        fx = new RulesFixture(dir);
        manager = fx.manager(RuleManagerOptions.defaults().withMaxConcurrentEvals(2));
    }

    @AfterEach
    void tearDown() throws Exception {
        manager.close();
        fx.close();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void update_runsGroupsOnTheirInterval() throws Exception {
        String f = fx.file("groups:\n- name: fast\n  interval: 50ms\n  rules:\n  - record: one\n    expr: vector(1)\n");
        manager.update(List.of(f), 60_000);
        RuleGroup g = manager.groups().getFirst();
        await(() -> g.evaluations.sum() >= 3, "three evaluations ran");
        assertThat(g.intervalMs()).isEqualTo(50);
        assertThat(fx.query("one", System.currentTimeMillis())).hasSize(1);
        assertThat(manager.metrics()).anySatisfy(s -> {
            assertThat(s.name()).isEqualTo("prometheus_rule_evaluations_total");
            assertThat(s.labels()).containsEntry("rule_group", f + ";fast");
            assertThat(s.value()).isGreaterThanOrEqualTo(3);
        });
    }

    @Test
    void update_globsAndDefaultInterval() throws Exception {
        fx.file("groups:\n- name: a\n  rules:\n  - record: one\n    expr: vector(1)\n");
        fx.file("groups:\n- name: b\n  interval: 2m\n  rules:\n  - record: two\n    expr: vector(2)\n");
        manager.update(List.of("rules*.yml"), dir, 30_000, manager.options());
        assertThat(manager.groups()).extracting(RuleGroup::name).containsExactly("a", "b");
        assertThat(manager.groups()).extracting(RuleGroup::intervalMs).containsExactly(30_000L, 120_000L);
    }

    @Test
    void update_invalidFile_keepsOldGroupsRunning() throws Exception {
        String good = fx.file("groups:\n- name: g\n  rules:\n  - record: one\n    expr: vector(1)\n");
        manager.update(List.of(good), 60_000);
        RuleGroup before = manager.groups().getFirst();
        String bad = fx.file("groups:\n- name: g\n  rules:\n  - record: one\n    expr: vector(\n");
        assertThatThrownBy(() -> manager.update(List.of(bad), 60_000))
                .isInstanceOf(RuleFileException.class)
                .hasMessageContaining(bad + ": 5:11: group \"g\", rule 1, \"one\": could not parse expression");
        assertThat(manager.groups()).containsExactly(before);
    }

    @Test
    void update_unchangedGroup_keepsRunningInstance() throws Exception {
        String f = fx.file("groups:\n- name: g\n  rules:\n  - record: one\n    expr: vector(1)\n");
        manager.update(List.of(f), 60_000);
        RuleGroup before = manager.groups().getFirst();
        manager.update(List.of(f), 60_000);
        assertThat(manager.groups().getFirst()).isSameAs(before);
        manager.update(List.of(f), 30_000);
        assertThat(manager.groups().getFirst()).as("a new default interval changes the group").isNotSameAs(before);
    }

    @Test
    void update_changedGroup_takesOverActiveAlerts() throws Exception {
        String f = fx.file("groups:\n- name: g\n  interval: 1h\n  rules:\n  - alert: X\n    expr: vector(1)\n    for: 1h\n");
        manager.update(List.of(f), 60_000);
        RuleGroup g = manager.groups().getFirst();
        g.evaluate(1_000_000);
        AlertingRule old = (AlertingRule) g.rules().getFirst();
        assertThat(old.state()).isEqualTo(AlertState.PENDING);
        Files.writeString(Path.of(f), Files.readString(Path.of(f))
                + "  - record: extra\n    expr: vector(2)\n");
        manager.update(List.of(f), 60_000);
        RuleGroup next = manager.groups().getFirst();
        assertThat(next).isNotSameAs(g);
        AlertingRule carried = (AlertingRule) next.rules().getFirst();
        assertThat(carried.activeAlerts()).singleElement()
                .satisfies(a -> assertThat(a.activeAtMs()).isEqualTo(1_000_000));
        assertThat(manager.activeAlerts()).hasSize(1);
        assertThat(manager.alertingRules()).containsExactly(carried);
        assertThat(next.evaluations.sum()).as("counters continue across the reload").isEqualTo(1);
    }

    @Test
    void update_removedGroup_marksItsSeriesStale() throws Exception {
        String f = fx.file("groups:\n- name: g\n  interval: 1h\n  rules:\n  - record: one\n    expr: vector(1)\n");
        manager.update(List.of(f), 60_000);
        long t = System.currentTimeMillis() - 10_000;
        manager.groups().getFirst().evaluate(t);
        assertThat(fx.query("one", t + 1)).hasSize(1);
        manager.update(List.of(), 60_000);
        assertThat(manager.groups()).isEmpty();
        assertThat(fx.query("one", System.currentTimeMillis() + 1)).as("staleness marker written").isEmpty();
    }

    @Test
    void close_stopsEvaluation() throws Exception {
        String f = fx.file("groups:\n- name: fast\n  interval: 20ms\n  rules:\n  - record: one\n    expr: vector(1)\n");
        manager.update(List.of(f), 60_000);
        RuleGroup g = manager.groups().getFirst();
        await(() -> g.evaluations.sum() >= 1, "an evaluation ran");
        manager.close();
        long n = g.evaluations.sum();
        Thread.sleep(100);
        assertThat(g.evaluations.sum()).isEqualTo(n);
        assertThatThrownBy(() -> manager.update(List.of(f), 60_000)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void restart_restoresForStateFromAlertsForState() throws Exception {
        String f = fx.file("groups:\n- name: g\n  interval: 50ms\n  rules:\n  - alert: X\n    expr: vector(1)\n"
                + "    for: 1h\n");
        RuleManagerOptions o = RuleManagerOptions.defaults().withForState(60 * 60_000L, 0);
        RuleManager first = fx.manager(o);
        first.update(List.of(f), 60_000);
        AlertingRule before = first.alertingRules().getFirst();
        await(() -> before.restored() && !alertsForState().isEmpty(),
                "the first run restored (nothing) and wrote ALERTS_FOR_STATE");
        long activeAt = before.activeAlerts().getFirst().activeAtMs();
        // Pending long enough that whole seconds (ALERTS_FOR_STATE's resolution) register.
        Thread.sleep(2_200);
        first.close();
        Thread.sleep(300);

        RuleManager second = fx.manager(o);
        try {
            second.update(List.of(f), 60_000);
            AlertingRule after = second.alertingRules().getFirst();
            await(after::restored, "the second run restored its for state");
            long restored = after.activeAlerts().getFirst().activeAtMs();
            // The time spent pending before the "restart" (over 1s) counts; the outage (300ms) does not.
            assertThat(System.currentTimeMillis() - restored).isGreaterThanOrEqualTo(1_000);
            assertThat(restored).isGreaterThanOrEqualTo(activeAt / 1000 * 1000 + 300);
        } finally {
            second.close();
        }
    }

    private List<io.specula.promql.engine.Sample> alertsForState() {
        try {
            return fx.query("ALERTS_FOR_STATE", System.currentTimeMillis());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}

package io.specula.pushgateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.exposition.proto.Counter;
import io.specula.model.exposition.proto.Gauge;
import io.specula.model.exposition.proto.LabelPair;
import io.specula.model.exposition.proto.Metric;
import io.specula.model.exposition.proto.MetricFamily;
import io.specula.model.exposition.proto.MetricType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The store's write rules and the consistency check behind them. */
class ConsistencyTest {
    private final MetricStore store = new MetricStore(() -> List.of(MetricFamily.newBuilder().setName("own_total")
            .setHelp("own").setType(MetricType.COUNTER).addMetric(Metric.newBuilder().setCounter(Counter.newBuilder().setValue(1)))
            .build()));
    private final Instant now = Instant.parse("2026-01-02T03:04:05.5Z");

    private void push(String job, String text, boolean replace) throws PushException {
        store.push(GroupingKey.parse(job, false, ""), TextFormatParser.parse(text.getBytes()), replace, true, now);
    }

    @Test
    void typeClashAcrossGroups_refusedNamingThePushedMetric() throws PushException {
        push("a", "# TYPE c counter\nc 1\n", false);
        assertThatThrownBy(() -> push("b", "# TYPE c gauge\nc 2\n", false)).hasMessage(MetricStore.INCONSISTENT
                + "collected metric \"c\" { label:<name:\"instance\" value:\"\" > label:<name:\"job\" value:\"b\" > gauge:<value:2 > } is not a COUNTER");
        assertThat(failureTime("b")).isEqualTo(now.getEpochSecond() + 0.5);
    }

    @Test
    void differentHelpAcrossGroups_accepted_latestPushWins() throws PushException {
        push("a", "# HELP c one\n# TYPE c counter\nc 1\n", false);
        push("b", "# HELP c two\n# TYPE c counter\nc 2\n", false);
        MetricFamily c = store.merged().stream().filter(f -> f.getName().equals("c")).findFirst().orElseThrow();
        assertThat(c.getMetricCount()).isEqualTo(2);
        assertThat(c.getHelp()).isEqualTo("two");
    }

    @Test
    void sameSeriesTwice_refused() {
        assertThatThrownBy(() -> push("a", "x 1\nx 2\n", false))
                .hasMessageEndingWith("untyped:<value:2 > } was collected before with the same name and label values");
    }

    @Test
    void timestamps_refusedEvenFirst() {
        assertThatThrownBy(() -> push("a", "x 1 1000\n", false)).hasMessage(MetricStore.INCONSISTENT + "pushed metrics must not have timestamps");
    }

    @Test
    void ownFamilyWithAnotherType_refused() {
        assertThatThrownBy(() -> push("a", "own_total 1\n", false))
                .hasMessage(MetricStore.INCONSISTENT + "gathered metric family own_total has type UNTYPED but should have COUNTER");
    }

    @Test
    void suffixCollisionWithASummary_refused() throws PushException {
        push("a", "# TYPE s summary\ns_sum 1\ns_count 1\n", false);
        assertThatThrownBy(() -> push("b", "s_count 1\n", false)).hasMessageContaining("collides with previously collected");
    }

    @Test
    void invalidLabelNames_andDuplicates_refused() {
        assertThatThrownBy(() -> push("a", "x{__y=\"1\"} 1\n", false)).hasMessageEndingWith("has a label with an invalid name: __y");
        Metric dup = Metric.newBuilder().addLabel(LabelPair.newBuilder().setName("a").setValue("1"))
                .addLabel(LabelPair.newBuilder().setName("a").setValue("2")).setGauge(Gauge.newBuilder().setValue(1)).build();
        String err = Consistency.check(List.of(), List.of(MetricFamily.newBuilder().setName("d").setType(MetricType.GAUGE).addMetric(dup).build()));
        assertThat(err).isEqualTo("collected metric \"d\" { label:<name:\"a\" value:\"1\" > label:<name:\"a\" value:\"2\" > gauge:<value:1 > }"
                + " has two or more labels with the same name: a");
    }

    @Test
    void severalErrors_listedAsTheGoMultiError() {
        Metric m = Metric.newBuilder().setCounter(Counter.newBuilder().setValue(1)).build();
        String err = Consistency.check(List.of(), List.of(
                MetricFamily.newBuilder().setName("g1").setType(MetricType.GAUGE).addMetric(m).build(),
                MetricFamily.newBuilder().setName("g2").setType(MetricType.GAUGE).addMetric(m).build()));
        assertThat(err).isEqualTo("2 error(s) occurred:\n* collected metric \"g1\" { counter:<value:1 > } is not a GAUGE"
                + "\n* collected metric \"g2\" { counter:<value:1 > } is not a GAUGE");
    }

    @Test
    void groupingLabelsOverrideTheBody_andInstanceIsAdded() throws PushException {
        store.push(GroupingKey.parse("j", false, "/zone/eu"), TextFormatParser.parse("m{job=\"x\",zone=\"us\",a=\"1\"} 1\n".getBytes()),
                false, true, now);
        Metric m = store.groups().getFirst().families().get("m").family().getMetric(0);
        assertThat(m.getLabelList()).extracting(l -> l.getName() + "=" + l.getValue())
                .containsExactly("a=1", "instance=", "job=j", "zone=eu");
    }

    @Test
    void put_replacesTheGroup_postOnlyItsFamilies_pushTimesKept() throws PushException {
        push("a", "x 1\ny 1\n", false);
        push("a", "x 2\n", false);
        assertThat(store.groups().getFirst().families()).containsKeys("x", "y", MetricStore.PUSH_TIME, MetricStore.PUSH_FAILURE_TIME);
        push("a", "z 1\n", true);
        assertThat(store.groups().getFirst().families().keySet())
                .containsExactlyInAnyOrder("z", MetricStore.PUSH_TIME, MetricStore.PUSH_FAILURE_TIME);
        assertThat(store.groups().getFirst().lastPushSuccessful()).isTrue();
    }

    @Test
    void delete_andWipe() throws PushException {
        push("a", "x 1\n", false);
        push("b", "x 2\n", false);
        store.delete(GroupingKey.parse("a", false, ""));
        assertThat(store.groups()).extracting(g -> g.key().job()).containsExactly("b");
        store.wipe();
        assertThat(store.groups()).isEmpty();
    }

    private double failureTime(String job) {
        for (MetricStore.Group g : store.groups()) {
            if (g.key().labels().equals(Map.of("job", job))) {
                return g.gaugeValue(MetricStore.PUSH_FAILURE_TIME);
            }
        }
        throw new AssertionError("no group " + job);
    }
}

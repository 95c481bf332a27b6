package io.specula.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.histogram.FloatHistogram;
import io.specula.model.histogram.Histogram;
import io.specula.model.labels.Labels;
import io.specula.model.labels.Matcher;
import io.specula.promql.engine.Engine;
import io.specula.promql.engine.EngineOptions;
import io.specula.promql.parser.HistogramNotation;
import io.specula.tsdb.chunkenc.FloatHistogramAppender;
import io.specula.tsdb.chunkenc.FloatHistogramChunk;
import io.specula.tsdb.storage.Appendable;
import io.specula.tsdb.storage.Appender;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.storage.Queryable;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.SelectHints;
import io.specula.tsdb.storage.Series;
import io.specula.tsdb.storage.SeriesSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules over native histograms, on a small in-test storage (the head stores no histograms on
 * this branch): one histogram series read through a float-histogram chunk, and an appender
 * that records what the rules write.
 */
class HistogramRulesTest {
    private static final long MIN = 60_000;

    @TempDir
    Path dir;

    /** A recorded append: a float ({@code fh} null) or a float histogram. */
    record Appended(Labels labels, long t, double v, FloatHistogram fh) {}

    private final List<Appended> appended = new ArrayList<>();

    @Test
    void recordingRule_storesTheHistogramResultAsFloatHistogram() throws Exception {
        RuleGroup g = group(storage("{{schema:0 count:4 sum:6 buckets:[1 2 1]}}", "{{schema:0 count:8 sum:12 buckets:[2 4 2]}}"), """
                groups:
                - name: g
                  rules:
                  - record: job:latency:sum
                    expr: sum by (job) (latency)
                """);
        g.evaluate(MIN);
        assertThat(g.rules().getFirst().lastError()).isEmpty();
        assertThat(appended).singleElement().satisfies(a -> {
            assertThat(a.labels()).isEqualTo(Labels.of("__name__", "job:latency:sum", "job", "a"));
            assertThat(a.t()).isEqualTo(MIN);
            assertThat(a.fh()).isNotNull();
            assertThat(a.fh().count).isEqualTo(8);
            assertThat(a.fh().sum).isEqualTo(12);
            assertThat(HistogramNotation.format(a.fh())).contains("buckets:[2 4 2]");
        });
    }

    @Test
    void alertingRule_histogramValue_printsAsPrometheusAndIsNoNumberForHumanize() throws Exception {
        RuleGroup g = group(storage("{{schema:0 count:4 sum:6 buckets:[1 2 1]}}", "{{schema:0 count:8 sum:12 buckets:[2 4 2]}}"), """
                groups:
                - name: g
                  rules:
                  - alert: Slow
                    expr: latency
                    annotations:
                      value: "{{ $value }}"
                      human: "{{ humanize $value }}"
                """);
        g.evaluate(MIN);
        AlertingRule rule = (AlertingRule) g.rules().getFirst();
        assertThat(rule.lastError()).isEmpty();
        assertThat(rule.activeAlerts()).singleElement().satisfies(a -> {
            // Go's FloatHistogram.String(): the sample kept as a histogram, not dropped or made 0.
            assertThat(a.annotations().get("value")).isEqualTo("{count:8, sum:12, (0.5,1]:2, (1,2]:4, (2,4]:2}");
            assertThat(a.annotations().get("human")).startsWith("<error expanding template: ")
                    .contains("can't convert *histogram.FloatHistogram to float");
        });
    }

    private RuleGroup group(Queryable q, String yaml) throws Exception {
        Path f = dir.resolve("rules.yml");
        Files.writeString(f, yaml);
        Appendable recording = () -> new Appender() {
            private final List<Appended> batch = new ArrayList<>();

            @Override
            public long append(long ref, Labels labels, long t, double v) {
                batch.add(new Appended(labels, t, v, null));
                return 1;
            }

            @Override
            public long appendHistogram(long ref, Labels labels, long st, long t, Histogram h, FloatHistogram fh) {
                batch.add(new Appended(labels, t, 0, fh.copy()));
                return 1;
            }

            @Override
            public void commit() {
                appended.addAll(batch);
            }

            @Override
            public void rollback() {
                batch.clear();
            }
        };
        RuleManagerOptions o = RuleManagerOptions.defaults();
        return new RuleManager(q, recording, new Engine(EngineOptions.defaults()), alerts -> { }, o)
                .loadGroups(List.of(f.toString()), MIN, o, false).values().iterator().next();
    }

    /** {@code latency{job="a"}} with the given histograms at 0, 1m, 2m, ... */
    private static Queryable storage(String... histograms) throws Exception {
        FloatHistogramChunk chunk = FloatHistogramChunk.create();
        FloatHistogramAppender app = chunk.appender();
        for (int i = 0; i < histograms.length; i++) {
            assertThat(app.append(null, i * MIN, HistogramNotation.parse(histograms[i]), false))
                    .isNotEqualTo(io.specula.tsdb.chunkenc.HistogramAppender.NEW_CHUNK);
        }
        FloatHistogramChunk data = app.chunk();
        Labels labels = Labels.of("__name__", "latency", "job", "a");
        return (mint, maxt) -> new Querier() {
            @Override
            public SeriesSet select(boolean sorted, SelectHints hints, Matcher... matchers) {
                boolean match = true;
                for (Matcher m : matchers) {
                    match &= m.matches(labels.get(m.name()));
                }
                boolean[] done = {!match};
                return new SeriesSet() {
                    @Override
                    public boolean next() {
                        if (done[0]) {
                            return false;
                        }
                        done[0] = true;
                        return true;
                    }

                    @Override
                    public Series at() {
                        return new Series() {
                            @Override
                            public Labels labels() {
                                return labels;
                            }

                            @Override
                            public SampleIterator iterator(SampleIterator reuse) {
                                return data.iterator(null);
                            }
                        };
                    }

                    @Override
                    public Exception err() {
                        return null;
                    }
                };
            }

            @Override
            public List<String> labelValues(String name, Matcher... matchers) {
                return List.of();
            }

            @Override
            public List<String> labelNames(Matcher... matchers) {
                return List.of();
            }

            @Override
            public void close() {}
        };
    }
}

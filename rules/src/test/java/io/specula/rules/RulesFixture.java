package io.specula.rules;

import io.specula.model.labels.Labels;
import io.specula.promql.engine.Engine;
import io.specula.promql.engine.EngineOptions;
import io.specula.promql.engine.Query;
import io.specula.promql.engine.Result;
import io.specula.promql.engine.Sample;
import io.specula.promql.engine.Vector;
import io.specula.promql.parser.PromQLParser;
import io.specula.tsdb.head.Head;
import io.specula.tsdb.storage.Appender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** An in-memory head, an engine, a recording alert sink and helpers shared by the rule tests. */
final class RulesFixture implements AutoCloseable {
    final Head head = new Head(1L << 50, null);
    final Engine engine = new Engine(EngineOptions.defaults());
    final List<Alert> sent = Collections.synchronizedList(new ArrayList<>());
    final AlertSink sink = sent::addAll;
    private final Path dir;
    private int files;

    RulesFixture(Path dir) {
        this.dir = dir;
    }

    RuleManager manager(RuleManagerOptions options) {
        return new RuleManager(head, head, engine, sink, options);
    }

    /** Writes a rule file and returns its path. */
    String file(String yaml) throws Exception {
        Path p = dir.resolve("rules" + (files++) + ".yml");
        Files.writeString(p, yaml);
        return p.toString();
    }

    /** Loads one group from {@code yaml} without starting it. */
    RuleGroup group(String yaml, RuleManagerOptions options, boolean restore) throws Exception {
        Map<String, RuleGroup> g = manager(options).loadGroups(List.of(file(yaml)), 60_000, options, restore);
        return g.values().iterator().next();
    }

    RuleGroup group(String yaml) throws Exception {
        return group(yaml, RuleManagerOptions.defaults(), false);
    }

    void add(String series, long t, double v) throws Exception {
        Appender app = head.appender();
        app.append(0, PromQLParser.parseMetric(series), t, v);
        app.commit();
    }

    /** Adds {@code values[i]} at {@code i * step}. */
    void series(String series, long step, double... values) throws Exception {
        Labels l = PromQLParser.parseMetric(series);
        Appender app = head.appender();
        for (int i = 0; i < values.length; i++) {
            app.append(0, l, i * step, values[i]);
        }
        app.commit();
    }

    List<Sample> query(String q, long t) throws Exception {
        try (Query query = engine.instantQuery(head, q, t)) {
            Result r = query.exec();
            if (!r.ok()) {
                throw r.error();
            }
            return ((Vector) r.value()).samples();
        }
    }

    @Override
    public void close() throws Exception {
        head.close();
    }
}

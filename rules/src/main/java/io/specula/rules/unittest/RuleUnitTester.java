package io.specula.rules.unittest;

import io.specula.model.config.ConfigException;
import io.specula.model.config.YamlConfigLoader;
import io.specula.model.labels.LabelNames;
import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.model.value.StaleNaN;
import io.specula.promql.engine.Engine;
import io.specula.promql.engine.EngineOptions;
import io.specula.promql.engine.Query;
import io.specula.promql.engine.Result;
import io.specula.promql.engine.Sample;
import io.specula.promql.engine.Scalar;
import io.specula.promql.engine.Vector;
import io.specula.promql.parser.ParseException;
import io.specula.promql.parser.ParserOptions;
import io.specula.promql.parser.PromQLParser;
import io.specula.promql.parser.SeriesDescription;
import io.specula.rules.ActiveAlert;
import io.specula.rules.AlertSink;
import io.specula.rules.AlertState;
import io.specula.rules.AlertingRule;
import io.specula.rules.Rule;
import io.specula.rules.RuleGroup;
import io.specula.rules.RuleManager;
import io.specula.rules.RuleManagerOptions;
import io.specula.rules.rulefmt.RuleFileException;
import io.specula.rules.rulefmt.RuleGlobs;
import io.specula.tsdb.head.Head;
import io.specula.tsdb.storage.AppendException;
import io.specula.tsdb.storage.Appender;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs rule unit-test files as {@code promtool test rules} does: the same file format, the
 * same evaluation (input series loaded at {@code k × interval} from time 0, every group
 * evaluated each {@code evaluation_interval}, alerts compared at the evaluation that covers
 * their {@code eval_time}), the same failure texts and exit code (1 when any file fails).
 */
public final class RuleUnitTester {
    private final PrintStream out;
    private final PrintStream err;

    public RuleUnitTester(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Runs every file; returns the exit code. */
    public int run(List<String> files) {
        boolean failed = false;
        for (String f : files) {
            List<String> errs = runFile(f);
            if (!errs.isEmpty()) {
                err.println("  FAILED:");
                for (String e : errs) {
                    err.println(e);
                    out.println();
                }
                failed = true;
            } else {
                out.println("  SUCCESS");
            }
            out.println();
        }
        out.flush();
        err.flush();
        return failed ? 1 : 0;
    }

    /** Runs one file and returns its failures, empty when it passes. */
    public List<String> runFile(String filename) {
        out.println("Unit Testing:  " + filename);
        UnitTestFile file;
        try {
            file = YamlConfigLoader.load(Path.of(filename), UnitTestFile.class);
        } catch (ConfigException e) {
            return List.of(e.getMessage());
        }
        if (file == null) {
            file = new UnitTestFile();
        }
        // Relative to the test file's directory, joined the way Go's filepath.Join does, so
        // file names in messages read as promtool prints them.
        Path base = Path.of(filename).getParent();
        List<String> ruleFiles = new ArrayList<>();
        try {
            for (String rf : file.ruleFiles) {
                String pattern = base == null || Path.of(rf).isAbsolute() ? rf : base.resolve(rf).normalize().toString();
                List<Path> m = RuleGlobs.expand(pattern, null);
                if (m.isEmpty()) {
                    err.println("  WARNING: no file match pattern " + pattern);
                }
                m.forEach(p -> ruleFiles.add(p.toString()));
            }
        } catch (IOException | RuntimeException e) {
            return List.of(String.valueOf(e.getMessage()));
        }
        long evalInterval = file.evaluationInterval == null || file.evaluationInterval.isZero() ? 60_000L
                : file.evaluationInterval.millis();
        Map<String, Integer> order = new HashMap<>();
        for (int i = 0; i < file.groupEvalOrder.size(); i++) {
            String g = file.groupEvalOrder.get(i);
            if (order.putIfAbsent(g, i) != null) {
                return List.of("group name repeated in evaluation order: " + g);
            }
        }
        List<String> errs = new ArrayList<>();
        for (UnitTestFile.TestGroup tg : file.tests) {
            if (tg != null) {
                errs.addAll(new GroupRun(tg, evalInterval, order, ruleFiles).run());
            }
        }
        return errs;
    }

    /** One {@code tests[]} entry against a fresh in-memory head. */
    private static final class GroupRun {
        private final UnitTestFile.TestGroup tg;
        private final long evalInterval;
        private final Map<String, Integer> order;
        private final List<String> ruleFiles;
        private Head head;
        private Engine engine;

        GroupRun(UnitTestFile.TestGroup tg, long evalInterval, Map<String, Integer> order, List<String> ruleFiles) {
            this.tg = tg;
            this.evalInterval = evalInterval;
            this.order = order;
            this.ruleFiles = ruleFiles;
        }

        List<String> run() {
            head = new Head(1L << 50, null);
            try {
                return runOnHead();
            } finally {
                try {
                    head.close();
                } catch (IOException e) {
                    // in-memory head: nothing to lose
                }
            }
        }

        private List<String> runOnHead() {
            // promtool loads an omitted interval as 0s: every value lands at time 0 and the first wins.
            long interval = tg.interval == null ? 0 : tg.interval.millis();
            String loadError = load(interval);
            if (loadError != null) {
                return List.of(loadError);
            }
            // promtool's test engine: at most 10,000 samples per query, 100s timeout, subqueries
            // without a step use the evaluation interval.
            EngineOptions d = EngineOptions.defaults();
            engine = new Engine(new EngineOptions(d.lookbackDelta(), 10_000, 100_000, d.maxConcurrency(),
                    evalInterval, false, false, ParserOptions.defaults()));
            LabelsBuilder eb = new LabelsBuilder();
            tg.externalLabels.forEach(eb::set);
            RuleManagerOptions opts = RuleManagerOptions.defaults().withExternal(eb.build(), tg.externalUrl);
            RuleManager manager = new RuleManager(head, head, engine, AlertSink.NONE, opts);
            List<RuleGroup> groups;
            try {
                groups = new ArrayList<>(manager.loadGroups(ruleFiles, interval > 0 ? interval : evalInterval, opts, false).values());
            } catch (RuleFileException e) {
                return e.errors();
            } catch (IOException e) {
                return List.of(String.valueOf(e.getMessage()));
            }
            groups.sort(Comparator.comparingInt(g -> order.getOrDefault(g.name(), 0)));
            for (RuleGroup g : groups) {
                for (Rule r : g.rules()) {
                    if (r instanceof AlertingRule ar) {
                        ar.setRestored(true);
                    }
                }
            }
            String testName = tg.name == null || tg.name.isEmpty() ? "" : "    name: " + tg.name + ",\n";

            // Alert checks grouped by eval_time, in time order.
            TreeMap<Long, List<UnitTestFile.AlertTestCase>> alertTests = new TreeMap<>();
            long maxt = 0;
            for (UnitTestFile.AlertTestCase a : tg.alertRuleTest) {
                if (a.alertname == null || a.alertname.isEmpty()) {
                    String in = tg.name == null || tg.name.isEmpty() ? "" : " (in TestGroup " + tg.name + ")";
                    return List.of("an item under alert_rule_test misses required attribute alertname at eval_time "
                            + a.evalTime + in);
                }
                alertTests.computeIfAbsent(a.evalTime.millis(), k -> new ArrayList<>()).add(a);
                maxt = Math.max(maxt, a.evalTime.millis());
            }
            for (UnitTestFile.PromqlTestCase p : tg.promqlExprTest) {
                maxt = Math.max(maxt, p.evalTime.millis());
            }

            List<String> errs = new ArrayList<>();
            for (long ts = 0; ts <= maxt; ts += evalInterval) {
                List<String> evalErrs = new ArrayList<>();
                for (RuleGroup g : groups) {
                    g.evaluate(ts);
                    for (Rule r : g.rules()) {
                        if (!r.lastError().isEmpty()) {
                            evalErrs.add("    rule: " + r.name() + ", time: " + GoFormat.duration(ts) + ", err: "
                                    + r.lastError());
                        }
                    }
                }
                errs.addAll(evalErrs);
                if (!evalErrs.isEmpty()) {
                    return errs;
                }
                while (!alertTests.isEmpty() && alertTests.firstKey() >= ts && alertTests.firstKey() < ts + evalInterval) {
                    List<UnitTestFile.AlertTestCase> cases = alertTests.pollFirstEntry().getValue();
                    for (UnitTestFile.AlertTestCase c : cases) {
                        List<LabelsAndAnnotations> got = firing(groups, c.alertname);
                        List<LabelsAndAnnotations> exp = new ArrayList<>();
                        for (UnitTestFile.ExpAlert ea : c.expAlerts) {
                            LabelsBuilder lb = new LabelsBuilder();
                            if (ea.expLabels != null) {
                                ea.expLabels.forEach(lb::set);
                            }
                            lb.set(AlertingRule.ALERT_NAME, c.alertname);
                            exp.add(new LabelsAndAnnotations(lb.build(), new TreeMap<>(
                                    ea.expAnnotations == null ? Map.of() : ea.expAnnotations)));
                        }
                        exp.sort(null);
                        got.sort(null);
                        if (!exp.equals(got)) {
                            errs.add(testName + "    alertname: " + c.alertname + ", time: " + c.evalTime + ", \n"
                                    + "        exp:" + indent(LabelsAndAnnotations.describe(exp), "            ")
                                    + ", \n        got:" + indent(LabelsAndAnnotations.describe(got), "            "));
                        }
                    }
                }
            }

            for (UnitTestFile.PromqlTestCase tc : tg.promqlExprTest) {
                String head = "    expr: " + GoFormat.quote(tc.expr) + ", time: " + tc.evalTime;
                List<Sample> got;
                try {
                    got = query(tc.expr, tc.evalTime.millis());
                } catch (ParseException e) {
                    errs.add(head + ", err: " + e.getMessage());
                    continue;
                } catch (RuntimeException e) {
                    errs.add(head + ", err: " + e.getMessage());
                    continue;
                }
                List<Sample> exp = new ArrayList<>();
                boolean bad = false;
                for (UnitTestFile.ExpSample s : tc.expSamples) {
                    try {
                        exp.add(new Sample(PromQLParser.parseMetric(s.labels), 0, s.value));
                    } catch (ParseException e) {
                        errs.add(head + ", err: labels " + GoFormat.quote(s.labels) + ": " + e.getMessage());
                        bad = true;
                        break;
                    }
                }
                if (bad) {
                    continue;
                }
                Comparator<Sample> byLabels = Comparator.comparing(Sample::labels);
                exp.sort(byLabels);
                got = new ArrayList<>(got);
                got.sort(byLabels);
                if (!sameSamples(exp, got)) {
                    errs.add(head + ",\n        exp: " + samples(exp) + "\n        got: " + samples(got));
                }
            }
            return errs;
        }

        private String load(long interval) {
            Appender app = head.appender();
            for (UnitTestFile.InputSeries in : tg.inputSeries) {
                SeriesDescription d;
                try {
                    d = SeriesDescription.parse(in.series + " " + in.values);
                } catch (ParseException e) {
                    app.rollback();
                    return e.getMessage();
                }
                long ref = 0;
                for (int k = 0; k < d.size(); k++) {
                    double v;
                    switch (d.kind(k)) {
                        case VALUE -> v = d.value(k);
                        case STALE -> v = StaleNaN.VALUE;
                        default -> {
                            continue;
                        }
                    }
                    try {
                        ref = app.append(ref, d.labels(), k * interval, v);
                    } catch (AppendException e) {
                        // a repeated series line: the first definition's samples stay
                    }
                }
            }
            try {
                app.commit();
            } catch (IOException e) {
                return String.valueOf(e.getMessage());
            }
            return null;
        }

        private List<Sample> query(String expr, long t) throws ParseException {
            try (Query q = engine.instantQuery(head, expr, t)) {
                Result r = q.exec();
                if (!r.ok()) {
                    throw r.error();
                }
                if (r.value() instanceof Vector v) {
                    return v.floatSamples();
                }
                if (r.value() instanceof Scalar s) {
                    return List.of(new Sample(Labels.EMPTY, s.t(), s.v()));
                }
                throw new IllegalStateException("rule result is not a vector or scalar");
            }
        }
    }

    /** The firing alerts of every alerting rule named {@code name}, across all groups. */
    private static List<LabelsAndAnnotations> firing(List<RuleGroup> groups, String name) {
        List<LabelsAndAnnotations> out = new ArrayList<>();
        for (RuleGroup g : groups) {
            for (Rule r : g.rules()) {
                if (r instanceof AlertingRule ar && ar.name().equals(name)) {
                    for (ActiveAlert a : ar.activeAlerts()) {
                        if (a.state() == AlertState.FIRING) {
                            out.add(new LabelsAndAnnotations(a.labels(), new TreeMap<>(a.annotations())));
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Exact comparison, as promtool's {@code reflect.DeepEqual} (so NaN never equals NaN). */
    private static boolean sameSamples(List<Sample> a, List<Sample> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).labels().equals(b.get(i).labels()) || !(a.get(i).v() == b.get(i).v())) {
                return false;
            }
        }
        return true;
    }

    private static String samples(List<Sample> s) {
        if (s.isEmpty()) {
            return "nil";
        }
        StringBuilder sb = new StringBuilder();
        for (Sample x : s) {
            if (!sb.isEmpty()) {
                sb.append(", ");
            }
            sb.append(x.labels()).append(' ').append(GoFormat.floatE(x.v()));
        }
        return sb.toString();
    }

    static String indent(String lines, String indent) {
        return lines.replace("\n", "\n" + indent);
    }

    /**
     * An alert as the tests compare it: labels, and annotations as a sorted map (Go's
     * {@code labels.FromMap} keeps empty values, which {@link Labels} drops).
     */
    record LabelsAndAnnotations(Labels labels, TreeMap<String, String> annotations)
            implements Comparable<LabelsAndAnnotations> {
        @Override
        public int compareTo(LabelsAndAnnotations o) {
            int c = labels.compareTo(o.labels);
            if (c != 0) {
                return c;
            }
            var a = annotations.entrySet().iterator();
            var b = o.annotations.entrySet().iterator();
            while (a.hasNext() && b.hasNext()) {
                var x = a.next();
                var y = b.next();
                c = Labels.compareUtf8(x.getKey(), y.getKey());
                if (c == 0) {
                    c = Labels.compareUtf8(x.getValue(), y.getValue());
                }
                if (c != 0) {
                    return c;
                }
            }
            return Integer.compare(annotations.size(), o.annotations.size());
        }

        private String annotationText() {
            StringBuilder sb = new StringBuilder("{");
            for (Map.Entry<String, String> e : annotations.entrySet()) {
                if (sb.length() > 1) {
                    sb.append(", ");
                }
                if (LabelNames.isValidLegacyLabelName(e.getKey())) {
                    sb.append(e.getKey());
                } else {
                    LabelNames.appendQuoted(sb, e.getKey());
                }
                LabelNames.appendQuoted(sb.append('='), e.getValue());
            }
            return sb.append('}').toString();
        }

        String text() {
            return "Labels:" + labels + "\nAnnotations:" + annotationText();
        }

        static String describe(List<LabelsAndAnnotations> l) {
            if (l.isEmpty()) {
                return "[]";
            }
            StringBuilder sb = new StringBuilder("[\n0:").append(indent("\n" + l.get(0).text(), "  "));
            for (int i = 1; i < l.size(); i++) {
                sb.append(",\n").append(i).append(':').append(indent("\n" + l.get(i).text(), "  "));
            }
            return sb.append("\n]").toString();
        }
    }

}

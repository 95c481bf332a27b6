package io.specula.promql.promqltest;

import io.specula.model.labels.Labels;
import io.specula.model.value.StaleNaN;
import io.specula.promql.engine.Engine;
import io.specula.promql.engine.EngineOptions;
import io.specula.promql.engine.Matrix;
import io.specula.promql.engine.Query;
import io.specula.promql.engine.QueryException;
import io.specula.promql.engine.Result;
import io.specula.promql.engine.Sample;
import io.specula.promql.engine.Scalar;
import io.specula.promql.engine.StringValue;
import io.specula.promql.engine.Value;
import io.specula.promql.engine.Vector;
import io.specula.promql.parser.Expr;
import io.specula.promql.parser.ParseException;
import io.specula.promql.parser.PromQLParser;
import io.specula.promql.parser.SeriesDescription;
import io.specula.tsdb.head.Head;
import io.specula.tsdb.storage.AppendException;
import io.specula.tsdb.storage.Appender;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a Prometheus PromQL test script ({@code load}, {@code clear}, {@code eval} with its
 * {@code expect} lines) against the engine and an in-memory head, including the implicit
 * step-invariance and range-mode re-checks of instant evals. Not thread-safe.
 */
public final class ScriptRunner {
    /**
     * The outcome of one {@code eval} command.
     *
     * @param histogramData whether the storage held native-histogram samples (which this engine
     *     does not load) when the eval ran
     */
    public record EvalOutcome(String file, int line, boolean passed, String expr, String expected, String got,
            boolean histogramData) {}

    /** All outcomes of one file; {@code error} is set when the file itself could not be run. */
    public record FileReport(String file, List<EvalOutcome> evals, String error) {
        public long passed() {
            return evals.stream().filter(EvalOutcome::passed).count();
        }

        public long failed() {
            return evals.size() - passed();
        }
    }

    private static final Pattern INSTANT = Pattern.compile("^(\\S+)\\s+instant\\s+at\\s+(\\S+)\\s+(.+)$");
    private static final Pattern RANGE = Pattern.compile(
            "^(\\S+)\\s+range\\s+from\\s+(\\S+)\\s+to\\s+(\\S+)\\s+step\\s+(\\S+)\\s+(.+)$");

    private final EngineOptions options;
    private final Engine engine;
    private Head head;
    private boolean histogramsLoaded;

    public ScriptRunner() {
        this(EngineOptions.forTests());
    }

    public ScriptRunner(EngineOptions options) {
        this.options = options;
        this.engine = new Engine(options);
    }

    public FileReport run(Path file) throws IOException {
        return run(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
    }

    public FileReport run(String name, String content) {
        List<EvalOutcome> out = new ArrayList<>();
        String[] raw = content.split("\n", -1);
        String[] lines = new String[raw.length];
        for (int i = 0; i < raw.length; i++) {
            String t = raw[i].strip();
            lines[i] = t.startsWith("#") ? "" : t;
        }
        head = newHead();
        try {
            int i = 0;
            while (i < lines.length) {
                String l = lines[i];
                if (l.isEmpty()) {
                    i++;
                    continue;
                }
                String word = l.split("\\s+")[0].toLowerCase(java.util.Locale.ROOT);
                int end = i + 1;
                while (end < lines.length && !lines[end].isEmpty()) {
                    end++;
                }
                if (word.equals("clear")) {
                    head.close();
                    head = newHead();
                    histogramsLoaded = false;
                    end = i + 1;
                } else if (word.startsWith("load")) {
                    load(l, lines, i + 1, end);
                } else if (word.startsWith("eval")) {
                    end = evalEnd(lines, i + 1, end);
                    out.add(eval(name, i + 1, l, lines, i + 1, end));
                } else {
                    return new FileReport(name, out, "line " + (i + 1) + ": unknown command: " + l);
                }
                i = end;
            }
            head.close();
        } catch (IOException | RuntimeException e) {
            return new FileReport(name, out, String.valueOf(e));
        }
        return new FileReport(name, out, null);
    }

    /**
     * The scripts load older samples after newer ones (each load starts at 0), so the head gets a
     * chunk range wide enough that nothing counts as out of bounds.
     */
    private static Head newHead() {
        return new Head(1L << 50, null);
    }

    /** A scalar result line ends an eval block. */
    private static int evalEnd(String[] lines, int from, int end) {
        for (int i = from; i < end; i++) {
            if (ValueSequence.number(lines[i]) != null) {
                return i + 1;
            }
        }
        return end;
    }

    // ---- load ----

    private void load(String header, String[] lines, int from, int end) throws IOException {
        String[] parts = header.split("\\s+");
        long interval = ValueSequence.duration(parts[1]);
        // A later line for the same series replaces an earlier one, as in Prometheus's runner.
        java.util.Map<Labels, ValueSequence> defs = new java.util.LinkedHashMap<>();
        // Start-timestamp offsets (ms) per series, from "metric{...}@st" lines; an omitted slot has none.
        java.util.Map<Labels, SeriesDescription> starts = new java.util.HashMap<>();
        SeriesDescription pendingSt = null;
        int pendingLine = 0;
        for (int i = from; i < end; i++) {
            SeriesDescription d;
            try {
                d = SeriesDescription.parse(lines[i]);
            } catch (ParseException e) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage());
            }
            if (pendingSt != null) {
                if (d.isStartTimestamps() || !d.labels().equals(pendingSt.labels())) {
                    throw new IllegalArgumentException("line " + pendingLine
                            + ": a start-timestamp line must be followed by the samples of the same series");
                }
                if (d.size() != pendingSt.size()) {
                    throw new IllegalArgumentException("line " + (i + 1) + ": " + d.size() + " samples but "
                            + pendingSt.size() + " start timestamps on line " + pendingLine);
                }
                starts.put(d.labels(), pendingSt);
                pendingSt = null;
            } else if (d.isStartTimestamps()) {
                pendingSt = d;
                pendingLine = i + 1;
                continue;
            } else {
                starts.remove(d.labels());
            }
            defs.put(d.labels(), ValueSequence.of(d));
            histogramsLoaded |= d.hasHistograms() || header.toLowerCase(java.util.Locale.ROOT).startsWith("load_with_nhcb");
        }
        if (pendingSt != null) {
            throw new IllegalArgumentException("line " + pendingLine
                    + ": a start-timestamp line must be followed by the samples of the same series");
        }
        Appender app = head.appender();
        if (header.toLowerCase(java.util.Locale.ROOT).startsWith("load_with_nhcb")) {
            addNhcb(defs, interval, app);
        }
        for (java.util.Map.Entry<Labels, ValueSequence> d : defs.entrySet()) {
            Labels labels = d.getKey();
            ValueSequence seq = d.getValue();
            SeriesDescription st = starts.get(labels);
            if (seq.histogram) {
                app = loadHistogramSeries(app, labels, seq, st, interval);
                continue;
            }
            long ref = 0;
            for (int k = 0; k < seq.size; k++) {
                double v = seq.values[k];
                if (ValueSequence.isAbsent(v)) {
                    continue;
                }
                long t = k * interval;
                try {
                    ref = app.append(ref, labels, startTime(st, k, t), t, v);
                } catch (AppendException e) {
                    // Out-of-order or duplicate sample in a later load: skipped, as the scripts rarely rely on it.
                }
            }
        }
        app.commit();
    }

    /**
     * Appends a series that holds native histograms (float histograms, as Prometheus's runner
     * appends them), perhaps mixed with floats. The head applies a batch's floats before its
     * histograms, so the batch is committed wherever the series changes between the two: the
     * samples then go in in time order, and a stale marker after a histogram becomes the
     * head's histogram stale marker. Returns the appender to go on with.
     */
    private Appender loadHistogramSeries(Appender app, Labels labels, ValueSequence seq, SeriesDescription st,
            long interval) throws IOException {
        long ref = 0;
        Boolean lastWasHistogram = null;
        for (int k = 0; k < seq.size; k++) {
            double v = seq.values[k];
            if (ValueSequence.isAbsent(v)) {
                continue;
            }
            boolean histogram = ValueSequence.isHistogram(v);
            if (lastWasHistogram != null && lastWasHistogram != histogram) {
                app.commit();
                app = head.appender();
            }
            lastWasHistogram = histogram;
            long t = k * interval;
            try {
                if (histogram) {
                    ref = app.appendHistogram(ref, labels, startTime(st, k, t), t, null, seq.hists[k]);
                } else {
                    ref = app.append(ref, labels, startTime(st, k, t), t, v);
                }
            } catch (AppendException | io.specula.model.histogram.HistogramException e) {
                // Out-of-order, duplicate or invalid sample in a later load: skipped, as for floats.
            }
        }
        return app;
    }

    /** The start time of sample {@code k} at {@code t} from its {@code @st} offset, 0 (unknown) without one. */
    private static long startTime(SeriesDescription st, int k, long t) {
        return st == null || st.kind(k) != SeriesDescription.Kind.VALUE ? 0 : t + (long) st.value(k);
    }

    /**
     * {@code load_with_nhcb}: each classic histogram ({@code x_bucket{le=…}}, with optional
     * {@code x_count} and {@code x_sum}) is also loaded as a native histogram with custom buckets
     * named {@code x}, as Prometheus's runner does: the finite {@code le} bounds become the
     * custom values, the cumulative bucket counts become per-bucket counts. The {@code +Inf}
     * bucket may be missing (the count then comes from {@code x_count} or the last bucket).
     */
    private void addNhcb(java.util.Map<Labels, ValueSequence> defs, long interval, Appender app) {
        java.util.Map<Labels, java.util.TreeMap<Double, ValueSequence>> buckets = new java.util.LinkedHashMap<>();
        for (java.util.Map.Entry<Labels, ValueSequence> d : defs.entrySet()) {
            Labels l = d.getKey();
            String name = l.get(Labels.METRIC_NAME);
            if (!name.endsWith("_bucket") || !l.has("le") || d.getValue().histogram) {
                continue;
            }
            double le;
            try {
                le = HistogramQuantileLe.parse(l.get("le"));
            } catch (NumberFormatException e) {
                continue;
            }
            Labels base = l.toBuilder().delete("le").set(Labels.METRIC_NAME, name.substring(0, name.length() - 7)).build();
            buckets.computeIfAbsent(base, k -> new java.util.TreeMap<>()).put(le, d.getValue());
        }
        for (java.util.Map.Entry<Labels, java.util.TreeMap<Double, ValueSequence>> e : buckets.entrySet()) {
            java.util.TreeMap<Double, ValueSequence> bs = e.getValue();
            Labels base = e.getKey();
            String name = base.get(Labels.METRIC_NAME);
            ValueSequence count = defs.get(base.toBuilder().set(Labels.METRIC_NAME, name + "_count").build());
            ValueSequence sum = defs.get(base.toBuilder().set(Labels.METRIC_NAME, name + "_sum").build());
            double[] bounds = bs.keySet().stream().filter(x -> x != Double.POSITIVE_INFINITY).mapToDouble(Double::doubleValue).toArray();
            int size = 0;
            for (ValueSequence v : bs.values()) {
                size = Math.max(size, v.size);
            }
            for (int k = 0; k < size; k++) {
                double[] counts = new double[bs.size()];
                boolean ok = true;
                int i = 0;
                double prev = 0;
                for (ValueSequence v : bs.values()) {
                    double c = k < v.size ? v.values[k] : Double.longBitsToDouble(ValueSequence.ABSENT_BITS);
                    if (ValueSequence.isAbsent(c) || ValueSequence.isHistogram(c) || io.specula.model.value.StaleNaN.is(c)) {
                        ok = false;
                        break;
                    }
                    counts[i++] = c - prev;
                    prev = c;
                }
                if (!ok) {
                    continue;
                }
                double total = count != null && k < count.size && !ValueSequence.isAbsent(count.values[k]) ? count.values[k] : prev;
                if (!bs.containsKey(Double.POSITIVE_INFINITY) && total > prev) {
                    // Without a +Inf bucket, observations the count holds beyond the last bound go into it.
                    counts = java.util.Arrays.copyOf(counts, counts.length + 1);
                    counts[counts.length - 1] = total - prev;
                }
                io.specula.model.histogram.FloatHistogram h = new io.specula.model.histogram.FloatHistogram();
                h.schema = io.specula.model.histogram.Schemas.CUSTOM_BUCKETS;
                h.customValues = bounds;
                h.positiveSpans = io.specula.model.histogram.Spans.of(0, counts.length);
                h.positiveBuckets = counts;
                h.count = total;
                h.sum = sum != null && k < sum.size && !ValueSequence.isAbsent(sum.values[k]) ? sum.values[k] : 0;
                try {
                    app.appendHistogram(0, base, 0, k * interval, null, h.compact(0));
                } catch (AppendException | io.specula.model.histogram.HistogramException ex) {
                    // as for the other samples of a load
                }
            }
        }
    }

    /** The {@code le} label's number, as Prometheus parses it. */
    private static final class HistogramQuantileLe {
        static double parse(String le) {
            Double d = ValueSequence.number(le.strip());
            if (d == null) {
                throw new NumberFormatException(le);
            }
            return d;
        }
    }

    // ---- eval ----

    private static final class Expect {
        boolean fail, ordered, warnAny, infoAny, noWarn, noInfo, rangeVector, hasScalar, hasString;
        String failMsg, failRegex, string;
        final List<String[]> warns = new ArrayList<>(), infos = new ArrayList<>();
        long rvStart, rvEnd, rvStep;
        double scalar;
        final List<Labels> series = new ArrayList<>();
        final List<ValueSequence> values = new ArrayList<>();
        final List<String> text = new ArrayList<>();
    }

    private EvalOutcome eval(String file, int line, String header, String[] lines, int from, int end) {
        Matcher im = INSTANT.matcher(header), rm = RANGE.matcher(header);
        boolean range;
        String exprText, cmd;
        long start, stop = 0, step = 0;
        if (im.matches()) {
            range = false;
            cmd = im.group(1);
            start = ValueSequence.duration(im.group(2));
            exprText = im.group(3);
        } else if (rm.matches()) {
            range = true;
            cmd = rm.group(1);
            start = ValueSequence.duration(rm.group(2));
            stop = ValueSequence.duration(rm.group(3));
            step = ValueSequence.duration(rm.group(4));
            exprText = rm.group(5);
        } else {
            return new EvalOutcome(file, line, false, header, "", "invalid eval command", histogramsLoaded);
        }
        Expect ex = new Expect();
        String c = cmd.toLowerCase(java.util.Locale.ROOT);
        ex.fail = c.equals("eval_fail");
        ex.warnAny = c.equals("eval_warn");
        ex.infoAny = c.equals("eval_info");
        ex.ordered = c.equals("eval_ordered");
        try {
            for (int i = from; i < end; i++) {
                body(ex, lines[i]);
            }
        } catch (RuntimeException | ParseException e) {
            return new EvalOutcome(file, line, false, exprText, "", "invalid eval body: " + e.getMessage(),
                    histogramsLoaded);
        }
        Expr expr;
        try {
            expr = PromQLParser.parse(exprText, options.parserOptions());
        } catch (ParseException e) {
            String r = checkFailure(ex, e.getMessage());
            return new EvalOutcome(file, line, r == null, exprText, expected(ex), r == null ? "" : r, histogramsLoaded);
        }
        String problem = range ? runRange(ex, expr, exprText, start, stop, step) : runInstant(ex, expr, exprText, start);
        return new EvalOutcome(file, line, problem == null, exprText, expected(ex), problem == null ? "" : problem,
                histogramsLoaded);
    }

    private void body(Expect ex, String l) throws ParseException {
        if (l.startsWith("expected_fail_message")) {
            ex.fail = true;
            ex.failMsg = l.substring("expected_fail_message".length()).strip();
            return;
        }
        if (l.startsWith("expected_fail_regexp")) {
            ex.fail = true;
            ex.failRegex = l.substring("expected_fail_regexp".length()).strip();
            return;
        }
        if (l.startsWith("expect ")) {
            String rest = l.substring(7).strip();
            String kind = rest.split("\\s+")[0];
            String arg = rest.substring(kind.length()).strip();
            String msg = null, regex = null;
            if (arg.startsWith("msg:")) {
                msg = arg.substring(4).strip();
            } else if (arg.startsWith("regex:")) {
                regex = arg.substring(6).strip();
            }
            switch (kind) {
                case "fail" -> {
                    ex.fail = true;
                    ex.failMsg = msg;
                    ex.failRegex = regex;
                }
                case "warn" -> {
                    ex.warnAny = true;
                    if (msg != null || regex != null) {
                        ex.warns.add(new String[] {msg, regex});
                    }
                }
                case "info" -> {
                    ex.infoAny = true;
                    if (msg != null || regex != null) {
                        ex.infos.add(new String[] {msg, regex});
                    }
                }
                case "no_warn" -> ex.noWarn = true;
                case "no_info" -> ex.noInfo = true;
                case "ordered" -> ex.ordered = true;
                case "range" -> {
                    Matcher m = Pattern.compile("vector\\s+from\\s+(\\S+)\\s+to\\s+(\\S+)\\s+step\\s+(\\S+)").matcher(arg);
                    if (!m.matches()) {
                        throw new IllegalArgumentException("invalid expect range vector: " + l);
                    }
                    ex.rangeVector = true;
                    ex.rvStart = ValueSequence.duration(m.group(1));
                    ex.rvEnd = ValueSequence.duration(m.group(2));
                    ex.rvStep = ValueSequence.duration(m.group(3));
                }
                case "string" -> {
                    ex.hasString = true;
                    ex.string = unquote(arg);
                }
                default -> throw new IllegalArgumentException("unknown expect: " + l);
            }
            return;
        }
        Double num = ValueSequence.number(l);
        if (num != null) {
            ex.hasScalar = true;
            ex.scalar = num;
            ex.text.add(l);
            return;
        }
        SeriesDescription d = SeriesDescription.parse(l);
        ex.series.add(d.labels());
        ex.values.add(ValueSequence.of(d));
        ex.text.add(l);
    }

    private static String unquote(String s) {
        String t = s.strip();
        if (t.length() >= 2 && t.startsWith("`") && t.endsWith("`")) {
            return t.substring(1, t.length() - 1);
        }
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
            StringBuilder b = new StringBuilder();
            for (int i = 1; i < t.length() - 1; i++) {
                char ch = t.charAt(i);
                if (ch == '\\' && i + 1 < t.length() - 1) {
                    char n = t.charAt(++i);
                    b.append(switch (n) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        default -> n;
                    });
                } else {
                    b.append(ch);
                }
            }
            return b.toString();
        }
        return t;
    }

    private static String expected(Expect ex) {
        StringBuilder b = new StringBuilder();
        if (ex.fail) {
            b.append("fail").append(ex.failMsg != null ? " msg: " + ex.failMsg : "")
                    .append(ex.failRegex != null ? " regex: " + ex.failRegex : "");
        }
        if (ex.hasString) {
            b.append("string ").append(ex.string);
        }
        for (String t : ex.text) {
            if (!b.isEmpty()) {
                b.append('\n');
            }
            b.append(t);
        }
        return b.toString();
    }

    /** Null when the failure matches what the eval expects, else a description. */
    private static String checkFailure(Expect ex, String message) {
        if (!ex.fail) {
            return "unexpected error: " + message;
        }
        if (ex.failMsg != null && !ex.failMsg.equals(message)) {
            return "expected error " + GoQuote.q(ex.failMsg) + " but got " + GoQuote.q(message);
        }
        if (ex.failRegex != null && !Pattern.compile(ex.failRegex).matcher(message).find()) {
            return "expected error matching " + GoQuote.q(ex.failRegex) + " but got " + GoQuote.q(message);
        }
        return null;
    }

    private Result exec(Expr expr, String text, long start, long end, long step, boolean range) {
        io.specula.tsdb.storage.Queryable storage = head;
        try (Query q = range ? engine.rangeQuery(storage, expr, text, start, end, step)
                : engine.instantQuery(storage, expr, text, start)) {
            return q.exec();
        } catch (QueryException e) {
            return new Result(null, e, new io.specula.promql.engine.Annotations(), null);
        }
    }

    private String runRange(Expect ex, Expr expr, String text, long start, long end, long step) {
        Result r = exec(expr, text, start, end, step, true);
        if (r.error() != null) {
            return checkFailure(ex, r.error().getMessage());
        }
        if (ex.fail) {
            return "expected an error, got a result";
        }
        String a = checkAnnotations(ex, r);
        if (a != null) {
            return a;
        }
        return compareMatrix(ex, r.value(), start, end, step);
    }

    private String runInstant(Expect ex, Expr expr, String text, long t) {
        Result r = exec(expr, text, t, t, 0, false);
        if (r.error() != null) {
            return checkFailure(ex, r.error().getMessage());
        }
        if (ex.fail) {
            return "expected an error, got " + render(r.value());
        }
        String a = checkAnnotations(ex, r);
        if (a != null) {
            return a;
        }
        String p = compareInstant(ex, r.value());
        if (p != null) {
            return p;
        }
        boolean timeDependent = AtRewriter.usesTime(expr) || usesQueryBounds(text);
        if (!ex.rangeVector && !ex.hasString && !ex.ordered && !usesQueryBounds(text)) {
            p = rangeMode(ex, expr, text, t);
            if (p != null) {
                return "range-mode check: " + p;
            }
        }
        if (!timeDependent) {
            Expr pinned = AtRewriter.pin(expr, t);
            long[] times = t == 0 ? new long[] {-1000, 0, 1000} : new long[] {-10 * t, 0, t / 5, t, 10 * t};
            for (long et : times) {
                Result rr = exec(pinned, text, et, et, 0, false);
                if (rr.error() != null) {
                    return "step-invariance check at " + et + "ms: unexpected error: " + rr.error().getMessage();
                }
                p = compareInstant(ex, rr.value());
                if (p != null) {
                    return "step-invariance check at " + et + "ms: " + p;
                }
            }
        }
        return null;
    }

    private static boolean usesQueryBounds(String text) {
        String t = text.toLowerCase(java.util.Locale.ROOT).replaceAll("\\s+", "");
        return t.contains("start()") || t.contains("end()") || t.contains("range()") || t.contains("step()");
    }

    private String rangeMode(Expect ex, Expr expr, String text, long t) {
        Result r;
        try {
            r = exec(expr, text, t - 60_000, t + 60_000, 60_000, true);
        } catch (QueryException e) {
            return "unexpected error: " + e.getMessage();
        }
        if (r.error() != null) {
            return "unexpected error: " + r.error().getMessage();
        }
        if (!(r.value() instanceof Matrix m)) {
            return "expected a matrix, got " + render(r.value());
        }
        List<Sample> vec = new ArrayList<>();
        for (Matrix.Series s : m.series()) {
            for (int i = 0; i < s.size(); i++) {
                if (s.ts()[i] == t) {
                    vec.add(new Sample(s.labels(), t, s.vs()[i], s.histogram(i)));
                    break;
                }
            }
        }
        if (ex.hasScalar) {
            if (vec.isEmpty()) {
                return "no value in the middle step";
            }
            return compareInstant(ex, new Scalar(t, vec.get(0).v()));
        }
        return compareInstant(ex, new Vector(vec));
    }

    private static String checkAnnotations(Expect ex, Result r) {
        String w = checkKind("warning", ex.warnAny, ex.noWarn, ex.warns, r.annotations().warnings());
        return w != null ? w : checkKind("info", ex.infoAny, ex.noInfo, ex.infos, r.annotations().infos());
    }

    private static String checkKind(String kind, boolean any, boolean none, List<String[]> patterns, List<String> got) {
        if (none && !got.isEmpty()) {
            return "unexpected " + kind + " annotations: " + got;
        }
        if (any && got.isEmpty()) {
            return "expected " + kind + " annotations, got none";
        }
        if (patterns.isEmpty()) {
            return null;
        }
        for (String[] p : patterns) {
            if (got.stream().noneMatch(a -> matches(p, a))) {
                return "expected " + kind + " " + (p[0] != null ? p[0] : "matching " + p[1]) + ", got " + got;
            }
        }
        for (String a : got) {
            if (patterns.stream().noneMatch(p -> matches(p, a))) {
                return "unexpected " + kind + " annotation: " + a;
            }
        }
        return null;
    }

    private static boolean matches(String[] p, String a) {
        return p[0] != null ? p[0].equals(a) : Pattern.compile(p[1]).matcher(a).find();
    }

    private static String compareInstant(Expect ex, Value v) {
        if (ex.hasString) {
            if (v instanceof StringValue s && s.v().equals(ex.string)) {
                return null;
            }
            return "expected string " + GoQuote.q(ex.string) + ", got " + render(v);
        }
        if (ex.hasScalar) {
            if (v instanceof Scalar s && almostEqual(ex.scalar, s.v())) {
                return null;
            }
            return "expected scalar " + ex.scalar + ", got " + render(v);
        }
        if (ex.rangeVector) {
            return compareMatrix(ex, v, ex.rvStart, ex.rvEnd, ex.rvStep);
        }
        if (!(v instanceof Vector vec)) {
            return "expected an instant vector, got " + render(v);
        }
        if (vec.samples().size() != ex.series.size()) {
            return "expected " + ex.series.size() + " samples, got " + vec.samples().size() + ": " + render(v);
        }
        for (int i = 0; i < vec.samples().size(); i++) {
            Sample s = vec.samples().get(i);
            int idx = ex.series.indexOf(s.labels());
            if (idx < 0) {
                return "unexpected series " + s.labels() + ": " + render(v);
            }
            if (ex.ordered && idx != i) {
                return "series " + s.labels() + " at position " + i + ", expected at " + idx + ": " + render(v);
            }
            ValueSequence seq = ex.values.get(idx);
            if (seq.size != 1) {
                return "expected one value per series for " + s.labels();
            }
            if (ValueSequence.isHistogram(seq.values[0]) || s.isHistogram()) {
                String p = compareHistogram(seq, 0, s.h(), s.labels());
                if (p != null) {
                    return p;
                }
                continue;
            }
            if (!sameValue(seq.values[0], s.v())) {
                return "value of " + s.labels() + ": expected " + seq.values[0] + ", got " + s.v();
            }
        }
        return null;
    }

    private static String compareMatrix(Expect ex, Value v, long start, long end, long step) {
        if (!(v instanceof Matrix m)) {
            return "expected a matrix, got " + render(v);
        }
        for (int i = 1; i < m.series().size(); i++) {
            if (m.series().get(i - 1).labels().compareTo(m.series().get(i).labels()) >= 0) {
                return "matrix not sorted by labels";
            }
        }
        int expectedNonEmpty = 0;
        for (ValueSequence seq : ex.values) {
            boolean any = false;
            for (int i = 0; i < seq.size; i++) {
                any |= !ValueSequence.isAbsent(seq.values[i]);
            }
            if (any || seq.histogram) {
                expectedNonEmpty++;
            }
        }
        if (m.series().size() != expectedNonEmpty) {
            return "expected " + expectedNonEmpty + " series, got " + m.series().size() + ": " + render(v);
        }
        for (Matrix.Series s : m.series()) {
            int idx = ex.series.indexOf(s.labels());
            if (idx < 0) {
                return "unexpected series " + s.labels() + ": " + render(v);
            }
            ValueSequence seq = ex.values.get(idx);
            int k = 0;
            for (int i = 0; i < seq.size; i++) {
                double e = seq.values[i];
                if (ValueSequence.isAbsent(e)) {
                    continue;
                }
                long t = start + i * step;
                if (k >= s.size()) {
                    return "series " + s.labels() + ": missing point at " + t + ": " + render(v);
                }
                if (s.ts()[k] != t) {
                    return "series " + s.labels() + ": expected point at " + t + ", got one at " + s.ts()[k] + ": "
                            + render(v);
                }
                if (ValueSequence.isHistogram(e) || s.histogram(k) != null) {
                    String p = compareHistogram(seq, i, s.histogram(k), s.labels());
                    if (p != null) {
                        return "at " + t + ": " + p;
                    }
                } else if (!sameValue(e, s.vs()[k])) {
                    return "series " + s.labels() + " at " + t + ": expected " + e + ", got " + s.vs()[k];
                }
                k++;
            }
            if (k != s.size()) {
                return "series " + s.labels() + ": unexpected extra points: " + render(v);
            }
        }
        return null;
    }

    /**
     * Prometheus's comparison of native histograms: both compacted, then schema, counts and sum
     * (within the float tolerance), custom bounds, zero bucket and buckets; the counter-reset
     * hint only where the script states one.
     */
    private static String compareHistogram(ValueSequence seq, int i, io.specula.model.histogram.FloatHistogram got, Labels l) {
        io.specula.model.histogram.FloatHistogram exp = seq.hists[i];
        if (exp == null) {
            return "value of " + l + ": expected " + seq.values[i] + ", got histogram "
                    + io.specula.promql.parser.HistogramNotation.format(got);
        }
        if (got == null) {
            return "value of " + l + ": expected histogram " + io.specula.promql.parser.HistogramNotation.format(exp) + ", got a float";
        }
        io.specula.model.histogram.FloatHistogram e = exp.copy().compact(0);
        io.specula.model.histogram.FloatHistogram g = got.copy().compact(0);
        boolean same = e.schema == g.schema && almostEqual(e.count, g.count) && almostEqual(e.sum, g.sum)
                && (!e.usesCustomBuckets() || io.specula.model.histogram.Schemas.customBoundsMatch(e.customValues, g.customValues))
                && e.zeroThreshold == g.zeroThreshold && almostEqual(e.zeroCount, g.zeroCount)
                && java.util.Arrays.equals(e.positiveSpans, g.positiveSpans) && bucketsMatch(e.positiveBuckets, g.positiveBuckets)
                && java.util.Arrays.equals(e.negativeSpans, g.negativeSpans) && bucketsMatch(e.negativeBuckets, g.negativeBuckets)
                && (exp.counterResetHint == io.specula.model.histogram.CounterResetHint.UNKNOWN || exp.counterResetHint == got.counterResetHint);
        if (same) {
            return null;
        }
        return "value of " + l + ": expected " + io.specula.promql.parser.HistogramNotation.format(exp) + ", got "
                + io.specula.promql.parser.HistogramNotation.format(got);
    }

    private static boolean bucketsMatch(double[] a, double[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (!almostEqual(a[i], b[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameValue(double expected, double got) {
        if (StaleNaN.is(expected) || StaleNaN.is(got)) {
            return StaleNaN.is(expected) && StaleNaN.is(got);
        }
        return almostEqual(expected, got);
    }

    static boolean almostEqual(double a, double b) {
        if (Double.isNaN(a) && Double.isNaN(b)) {
            return true;
        }
        if (a == b) {
            return true;
        }
        double eps = 1e-6;
        double absSum = Math.abs(a) + Math.abs(b);
        double diff = Math.abs(a - b);
        if (a == 0 || b == 0 || absSum < Double.MIN_NORMAL) {
            return diff < eps * Double.MIN_NORMAL;
        }
        return diff / Math.min(absSum, Double.MAX_VALUE) < eps;
    }

    static String render(Value v) {
        if (v == null) {
            return "nothing";
        }
        return switch (v) {
            case Scalar s -> "scalar " + s.v();
            case StringValue s -> "string " + GoQuote.q(s.v());
            case Vector vec -> {
                StringBuilder b = new StringBuilder("{");
                for (Sample s : vec.samples()) {
                    b.append(' ').append(s.labels()).append(' ')
                            .append(s.isHistogram() ? io.specula.promql.parser.HistogramNotation.format(s.h()) : String.valueOf(s.v())).append(';');
                }
                yield b.append(" }").toString();
            }
            case Matrix m -> {
                StringBuilder b = new StringBuilder("[");
                for (Matrix.Series s : m.series()) {
                    b.append(' ').append(s.labels()).append(" =");
                    for (int i = 0; i < s.size(); i++) {
                        b.append(' ').append(s.histogram(i) != null ? io.specula.promql.parser.HistogramNotation.format(s.histogram(i))
                                : String.valueOf(s.vs()[i])).append('@').append(s.ts()[i]);
                    }
                    b.append(';');
                }
                yield b.append(" ]").toString();
            }
        };
    }

    /** Quoting for messages. */
    static final class GoQuote {
        static String q(String s) {
            return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
    }
}

package io.specula.web;

import io.specula.model.exposition.GoFloat;
import io.specula.model.labels.Labels;
import io.specula.model.labels.Matcher;
import io.specula.model.value.StaleNaN;
import io.specula.promql.parser.ParseException;
import io.specula.promql.parser.PromQLParser;
import io.specula.tsdb.DB;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.SelectHints;
import io.specula.tsdb.storage.SeriesSet;
import io.specula.tsdb.storage.ValueType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * {@code /federate}: the latest sample within the lookback delta of every series any
 * {@code match[]} selects, in the text format 0.0.4 as Prometheus writes it: families sorted
 * by name, each with {@code # TYPE name untyped}; a series' own labels first, then the external
 * labels it does not have (plus {@code instance=""} when it has no instance), with the sample's
 * timestamp. Stale markers are left out.
 */
final class Federation {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private Federation() {}

    /** A selector that does not parse: answered with its message and 400. */
    static final class BadSelector extends Exception {
        BadSelector(String message) {
            super(message, null, false, false);
        }
    }

    private record Point(Labels labels, long t, double v) {}

    static String render(DB db, List<String> selectors, Labels external, long nowMs, long lookbackMs)
            throws BadSelector, IOException {
        List<Matcher[]> sets = new ArrayList<>();
        for (String s : selectors) {
            try {
                sets.add(PromQLParser.parseMetricSelector(s).toArray(new Matcher[0]));
            } catch (ParseException e) {
                throw new BadSelector(e.getMessage());
            }
        }
        long mint = nowMs - lookbackMs;
        TreeMap<Labels, Point> latest = new TreeMap<>();
        try (Querier q = db.querier(mint, nowMs)) {
            SelectHints hints = new SelectHints(mint, nowMs, 0, null, 0);
            SampleIterator it = null;
            for (Matcher[] set : sets) {
                SeriesSet ss = q.select(true, hints, set);
                while (ss.next()) {
                    Labels l = ss.at().labels();
                    if (latest.containsKey(l)) {
                        continue;
                    }
                    it = ss.at().iterator(it);
                    long t = Long.MIN_VALUE;
                    double v = 0;
                    for (int vt = it.seek(mint + 1); vt != ValueType.NONE; vt = it.next()) {
                        if (it.atT() > nowMs) {
                            break;
                        }
                        if (vt == ValueType.FLOAT) {
                            t = it.atT();
                            v = it.atV();
                        }
                    }
                    if (t != Long.MIN_VALUE && !StaleNaN.is(v)) {
                        latest.put(l, new Point(l, t, v));
                    }
                }
                if (ss.err() != null) {
                    throw new IOException(ss.err().getMessage(), ss.err());
                }
            }
        }
        List<Point> points = new ArrayList<>(latest.values());
        points.sort(Comparator.comparing((Point p) -> p.labels.metricName() == null ? "" : p.labels.metricName())
                .thenComparing(Point::labels));
        // External labels plus an empty instance, in name order (a builder would drop the empty value).
        TreeMap<String, String> ext = new TreeMap<>();
        external.forEach(ext::put);
        ext.putIfAbsent("instance", "");
        StringBuilder sb = new StringBuilder();
        String family = null;
        for (Point p : points) {
            String name = p.labels.metricName() == null ? "" : p.labels.metricName();
            if (!name.equals(family)) {
                family = name;
                sb.append("# TYPE ").append(name).append(" untyped\n");
            }
            sb.append(name);
            char sep = '{';
            for (int i = 0; i < p.labels.size(); i++) {
                if (!p.labels.name(i).equals(Labels.METRIC_NAME)) {
                    label(sb.append(sep), p.labels.name(i), p.labels.value(i));
                    sep = ',';
                }
            }
            for (var e : ext.entrySet()) {
                if (!p.labels.has(e.getKey())) {
                    label(sb.append(sep), e.getKey(), e.getValue());
                    sep = ',';
                }
            }
            if (sep == ',') {
                sb.append('}');
            }
            sb.append(' ').append(GoFloat.format(p.v)).append(' ').append(p.t).append('\n');
        }
        return sb.toString();
    }

    private static void label(StringBuilder sb, String name, String value) {
        sb.append(name).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                default -> sb.append(c);
            }
        }
        sb.append('"');
    }
}

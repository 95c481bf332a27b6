package io.specula.web.api;

import io.specula.model.labels.LabelNames;
import io.specula.model.labels.Labels;
import io.specula.model.labels.Matcher;
import io.specula.promql.parser.ParseException;
import io.specula.tsdb.DB;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.storage.SelectHints;
import io.specula.tsdb.storage.SeriesSet;
import io.specula.web.ServerContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** {@code series}, {@code labels} and {@code label/<name>/values}. */
final class SeriesApi {
    private static final Matcher[] NONE = new Matcher[0];

    private final ServerContext ctx;

    SeriesApi(ServerContext ctx) {
        this.ctx = ctx;
    }

    Reply series(Params p) throws ApiException {
        if (p.all("match[]").isEmpty()) {
            throw ApiException.badData("no match[] parameter provided");
        }
        int limit = p.limit();
        long start = p.time("start", Params.MIN_TIME);
        long end = p.time("end", Params.MAX_TIME);
        List<List<Matcher>> sets;
        try {
            sets = p.matchers();
        } catch (ParseException e) {
            throw ApiException.invalidParam("match[]", e.getMessage());
        } catch (ApiException e) {
            throw ApiException.invalidParam("match[]", e.getMessage());
        }
        DB db = ServerDb.require(ctx);
        // Several selectors may select the same series: a sorted set merges them, as Prometheus's merge does.
        TreeSet<Labels> out = new TreeSet<>();
        List<String> warnings = new ArrayList<>();
        boolean truncated = false;
        try (Querier q = ctx.queryable(db).querier(start, end)) {
            SelectHints hints = new SelectHints(start, end, 0, "series", 0);
            for (List<Matcher> set : sets) {
                SeriesSet ss = q.select(true, hints, set.toArray(NONE));
                while (ss.next()) {
                    out.add(ss.at().labels());
                    if (limit > 0 && out.size() > limit) {
                        out.pollLast();
                        truncated = true;
                    }
                }
                if (ss.err() != null) {
                    throw new ApiException(ApiException.Type.EXECUTION, ss.err().getMessage());
                }
                warnings.addAll(ss.warnings());
            }
        } catch (IOException e) {
            throw new ApiException(ApiException.Type.EXECUTION, e.getMessage());
        }
        if (truncated) {
            warnings.add("results truncated due to limit");
        }
        return Reply.of(j -> {
            j.beginArray();
            for (Labels l : out) {
                j.labels(l);
            }
            j.endArray();
        }, warnings);
    }

    Reply labelNames(Params p) throws ApiException {
        int limit = p.limit();
        long start = p.time("start", Params.MIN_TIME);
        long end = p.time("end", Params.MAX_TIME);
        List<List<Matcher>> sets = matchers(p);
        DB db = ServerDb.require(ctx);
        TreeSet<String> names = new TreeSet<>();
        try (Querier q = db.querier(start, end)) {
            if (sets.isEmpty()) {
                names.addAll(q.labelNames());
            }
            for (List<Matcher> set : sets) {
                names.addAll(q.labelNames(set.toArray(NONE)));
            }
        } catch (IOException e) {
            throw new ApiException(ApiException.Type.EXECUTION, e.getMessage());
        }
        return truncated(new ArrayList<>(names), limit);
    }

    Reply labelValues(String rawName, Params p) throws ApiException {
        String name = rawName.startsWith("U__") ? unescape(rawName) : rawName;
        if (!LabelNames.isValidUtf8Name(name)) {
            throw ApiException.badData("invalid label name: " + Params.goQuote(name));
        }
        int limit = p.limit();
        long start = p.time("start", Params.MIN_TIME);
        long end = p.time("end", Params.MAX_TIME);
        List<List<Matcher>> sets = matchers(p);
        DB db = ServerDb.require(ctx);
        TreeSet<String> values = new TreeSet<>();
        try (Querier q = db.querier(start, end)) {
            if (sets.isEmpty()) {
                values.addAll(q.labelValues(name));
            }
            for (List<Matcher> set : sets) {
                values.addAll(q.labelValues(name, set.toArray(NONE)));
            }
        } catch (IOException e) {
            throw new ApiException(ApiException.Type.EXECUTION, e.getMessage());
        }
        return truncated(new ArrayList<>(values), limit);
    }

    private static List<List<Matcher>> matchers(Params p) throws ApiException {
        try {
            return p.matchers();
        } catch (ParseException e) {
            throw ApiException.badData(e.getMessage());
        }
    }

    private static Reply truncated(List<String> list, int limit) {
        if (limit > 0 && list.size() > limit) {
            List<String> cut = list.subList(0, limit);
            return Reply.of(j -> j.strings(cut), List.of("results truncated due to limit"));
        }
        return Reply.of(j -> j.strings(list));
    }

    /**
     * Undoes Prometheus's value-encoding escaping of a label name in a URL path
     * ({@code U__} prefix, {@code __} for {@code _}, {@code _hex_} for other code points); a
     * malformed name is returned unchanged.
     */
    static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        int i = 3;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '_') {
                sb.append(c);
                i++;
                continue;
            }
            if (i + 1 < s.length() && s.charAt(i + 1) == '_') {
                sb.append('_');
                i += 2;
                continue;
            }
            int close = s.indexOf('_', i + 1);
            if (close < 0 || close == i + 1) {
                return s;
            }
            try {
                sb.appendCodePoint(Integer.parseInt(s, i + 1, close, 16));
            } catch (IllegalArgumentException e) {
                return s;
            }
            i = close + 1;
        }
        return sb.toString();
    }
}

package io.specula.remote.read;

import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.model.labels.MatchType;
import io.specula.model.labels.Matcher;
import io.specula.remote.prompb.Prompb;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.storage.SampleIterator;
import io.specula.tsdb.storage.SelectHints;
import io.specula.tsdb.storage.Series;
import io.specula.tsdb.storage.SeriesSet;
import io.specula.tsdb.storage.ValueType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A {@link Querier} over one {@code remote_read} endpoint, as Prometheus's: without
 * {@code read_recent} it asks only for data older than the local storage's start (and nothing
 * when the query starts after it); a query lacking any of the {@code required_matchers} (as
 * equality matchers) is not sent; with {@code filter_external_labels} the server's matchers get
 * one for each external label the query does not name, and those labels are removed from the
 * answer. A failed read is a warning on the (empty) result, never a failed query: the remote
 * side is secondary to the local TSDB. Label names and values are not read remotely.
 */
public final class RemoteReadQuerier implements Querier {
    private final RemoteReadClient client;
    private final long mint;
    private final long maxt;
    private final Labels externalLabels;
    private final long localStartTime;

    /**
     * @param externalLabels the running configuration's external labels (ignored without
     *     {@code filter_external_labels})
     * @param localStartTime the local storage's start time with its safety margin (ms)
     */
    public RemoteReadQuerier(RemoteReadClient client, long mint, long maxt, Labels externalLabels, long localStartTime) {
        this.client = client;
        this.mint = mint;
        this.maxt = maxt;
        this.externalLabels = client.config().filtersExternalLabels() ? externalLabels : Labels.EMPTY;
        this.localStartTime = localStartTime;
    }

    @Override
    public SeriesSet select(boolean sorted, SelectHints hints, Matcher... matchers) {
        RemoteReadConfig cfg = client.config();
        if (!requiredMatchersPresent(cfg.requiredMatchers, matchers)) {
            return SeriesSet.EMPTY;
        }
        long end = maxt;
        if (!cfg.readRecent) {
            if (mint > localStartTime) {
                return SeriesSet.EMPTY;
            }
            end = Math.min(end, localStartTime);
        }
        List<String> added = new ArrayList<>();
        Prompb.Query.Builder q = Prompb.Query.newBuilder().setStartTimestampMs(mint).setEndTimestampMs(end);
        for (Matcher m : matchers) {
            q.addMatchers(toProto(m));
        }
        for (int i = 0; i < externalLabels.size(); i++) {
            String name = externalLabels.name(i);
            if (Arrays.stream(matchers).noneMatch(m -> m.name().equals(name))) {
                q.addMatchers(toProto(Matcher.equal(name, externalLabels.value(i))));
                added.add(name);
            }
        }
        if (hints != null) {
            Prompb.ReadHints.Builder h = Prompb.ReadHints.newBuilder().setStartMs(hints.start()).setEndMs(hints.end())
                    .setStepMs(hints.step()).setRangeMs(hints.range());
            if (hints.function() != null) {
                h.setFunc(hints.function());
            }
            q.setHints(h);
        }
        List<RemoteReadClient.SeriesData> got;
        try {
            got = client.read(q.build());
        } catch (IOException e) {
            return new Answer(List.of(), List.of("error reading from remote_read " + name(cfg) + ": " + e.getMessage()));
        }
        List<RemoteReadClient.SeriesData> out = new ArrayList<>(got.size());
        for (RemoteReadClient.SeriesData s : got) {
            if (added.isEmpty()) {
                out.add(s);
            } else {
                LabelsBuilder b = s.labels().toBuilder();
                added.forEach(b::delete);
                out.add(new RemoteReadClient.SeriesData(b.build(), s.t(), s.v()));
            }
        }
        // Merging needs label order; a server's order is not to be trusted.
        out.sort(Comparator.comparing(RemoteReadClient.SeriesData::labels));
        return new Answer(out, List.of());
    }

    private static String name(RemoteReadConfig cfg) {
        return cfg.name != null && !cfg.name.isEmpty() ? cfg.name : cfg.url;
    }

    static boolean requiredMatchersPresent(Map<String, String> required, Matcher[] matchers) {
        if (required == null) {
            return true;
        }
        for (Map.Entry<String, String> r : required.entrySet()) {
            boolean found = false;
            for (Matcher m : matchers) {
                if (m.type() == MatchType.EQUAL && m.name().equals(r.getKey()) && m.value().equals(r.getValue())) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return false;
            }
        }
        return true;
    }

    private static Prompb.LabelMatcher toProto(Matcher m) {
        Prompb.LabelMatcher.Type t = switch (m.type()) {
            case EQUAL -> Prompb.LabelMatcher.Type.EQ;
            case NOT_EQUAL -> Prompb.LabelMatcher.Type.NEQ;
            case REGEX -> Prompb.LabelMatcher.Type.RE;
            case NOT_REGEX -> Prompb.LabelMatcher.Type.NRE;
        };
        return Prompb.LabelMatcher.newBuilder().setType(t).setName(m.name()).setValue(m.value()).build();
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
    public void close() {
        // nothing held between selects
    }

    /** The decoded series as a set, with the read's warnings. */
    private static final class Answer implements SeriesSet {
        private final List<RemoteReadClient.SeriesData> series;
        private final List<String> warnings;
        private int i = -1;

        Answer(List<RemoteReadClient.SeriesData> series, List<String> warnings) {
            this.series = series;
            this.warnings = warnings;
        }

        @Override
        public boolean next() {
            return ++i < series.size();
        }

        @Override
        public Series at() {
            RemoteReadClient.SeriesData d = series.get(i);
            return new Series() {
                @Override
                public Labels labels() {
                    return d.labels();
                }

                @Override
                public SampleIterator iterator(SampleIterator reuse) {
                    return new ArrayIterator(d.t(), d.v());
                }
            };
        }

        @Override
        public Exception err() {
            return null;
        }

        @Override
        public List<String> warnings() {
            return warnings;
        }
    }

    /** Float samples from two parallel arrays. */
    private static final class ArrayIterator implements SampleIterator {
        private final long[] t;
        private final double[] v;
        private int i = -1;

        ArrayIterator(long[] t, double[] v) {
            this.t = t;
            this.v = v;
        }

        @Override
        public int next() {
            return ++i < t.length ? ValueType.FLOAT : end();
        }

        private int end() {
            i = t.length;
            return ValueType.NONE;
        }

        @Override
        public int seek(long ts) {
            if (i < 0) {
                i = 0;
            }
            while (i < t.length && t[i] < ts) {
                i++;
            }
            return i < t.length ? ValueType.FLOAT : ValueType.NONE;
        }

        @Override
        public long atT() {
            return t[i];
        }

        @Override
        public double atV() {
            return v[i];
        }

        @Override
        public Exception err() {
            return null;
        }
    }
}

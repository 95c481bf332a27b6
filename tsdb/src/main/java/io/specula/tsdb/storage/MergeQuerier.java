package io.specula.tsdb.storage;

import io.specula.model.labels.Labels;
import io.specula.model.labels.Matcher;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.TreeSet;

/**
 * One querier over several (the blocks and the head): series with equal labels from
 * different sources become one series whose samples are merged by time, a timestamp present
 * in more than one source counted once (overlapping blocks, a block and the head after a
 * restart). Children are asked for sorted series so they can be merged in one pass.
 */
public final class MergeQuerier implements Querier {
    private final List<Querier> queriers;

    public MergeQuerier(List<Querier> queriers) {
        this.queriers = List.copyOf(queriers);
    }

    /** The querier itself when there is one, a merge otherwise. */
    public static Querier of(List<Querier> queriers) {
        return queriers.size() == 1 ? queriers.get(0) : new MergeQuerier(queriers);
    }

    @Override
    public SeriesSet select(boolean sorted, SelectHints hints, Matcher... matchers) {
        if (queriers.isEmpty()) {
            return SeriesSet.EMPTY;
        }
        if (queriers.size() == 1) {
            return queriers.get(0).select(sorted, hints, matchers);
        }
        List<SeriesSet> sets = new ArrayList<>(queriers.size());
        for (Querier q : queriers) {
            sets.add(q.select(true, hints, matchers));
        }
        return new MergedSeriesSet(sets);
    }

    @Override
    public List<String> labelValues(String name, Matcher... matchers) throws IOException {
        TreeSet<String> out = new TreeSet<>();
        for (Querier q : queriers) {
            out.addAll(q.labelValues(name, matchers));
        }
        return new ArrayList<>(out);
    }

    @Override
    public List<String> labelNames(Matcher... matchers) throws IOException {
        TreeSet<String> out = new TreeSet<>();
        for (Querier q : queriers) {
            out.addAll(q.labelNames(matchers));
        }
        return new ArrayList<>(out);
    }

    @Override
    public void close() {
        for (Querier q : queriers) {
            q.close();
        }
    }

    /** K-way merge of sorted series sets by labels. */
    private static final class MergedSeriesSet implements SeriesSet {
        private final PriorityQueue<SeriesSet> heap = new PriorityQueue<>((a, b) -> a.at().labels().compareTo(b.at().labels()));
        private final List<SeriesSet> sets;
        private final List<SeriesSet> current = new ArrayList<>();
        private Series at;
        private Exception err;

        MergedSeriesSet(List<SeriesSet> sets) {
            this.sets = sets;
            for (SeriesSet s : sets) {
                if (s.next()) {
                    heap.add(s);
                } else if (s.err() != null) {
                    err = s.err();
                }
            }
        }

        @Override
        public boolean next() {
            for (SeriesSet s : current) { // advance the sets whose series we returned last
                if (s.next()) {
                    heap.add(s);
                } else if (s.err() != null && err == null) {
                    err = s.err();
                }
            }
            current.clear();
            if (err != null || heap.isEmpty()) {
                return false;
            }
            SeriesSet first = heap.poll();
            current.add(first);
            Labels labels = first.at().labels();
            while (!heap.isEmpty() && heap.peek().at().labels().equals(labels)) {
                current.add(heap.poll());
            }
            if (current.size() == 1) {
                at = first.at();
            } else {
                List<Series> parts = new ArrayList<>(current.size());
                for (SeriesSet s : current) {
                    parts.add(s.at());
                }
                at = new ChainedSeries(labels, parts);
            }
            return true;
        }

        @Override
        public Series at() {
            return at;
        }

        @Override
        public Exception err() {
            return err;
        }

        @Override
        public List<String> warnings() {
            List<String> out = new ArrayList<>();
            for (SeriesSet s : sets) {
                out.addAll(s.warnings());
            }
            return out;
        }
    }

    /**
     * Merges sample iterators by time; a timestamp present in several is returned once, with
     * the value of the first input that has it.
     */
    public static SampleIterator mergeSamples(SampleIterator... inputs) {
        return inputs.length == 1 ? inputs[0] : new MergedSampleIterator(inputs);
    }

    /** Series with equal labels from several sources, read as one. */
    record ChainedSeries(Labels labels, List<Series> parts) implements Series {
        @Override
        public SampleIterator iterator(SampleIterator reuse) {
            SampleIterator[] its = new SampleIterator[parts.size()];
            SampleIterator[] old = reuse instanceof MergedSampleIterator m && m.inputs.length == its.length ? m.inputs : null;
            for (int i = 0; i < its.length; i++) {
                its[i] = parts.get(i).iterator(old != null ? old[i] : null);
            }
            return new MergedSampleIterator(its);
        }
    }

    /**
     * Merges sample iterators by timestamp, each timestamp once. Linear in the number of
     * inputs per sample: there are few (a block or two and the head).
     */
    static final class MergedSampleIterator implements SampleIterator {
        final SampleIterator[] inputs;
        private final boolean[] live;
        private final int[] types; // value type each input is on
        private int cur = -1; // input positioned on the current sample
        private boolean started;
        private Exception err;

        MergedSampleIterator(SampleIterator[] inputs) {
            this.inputs = inputs;
            this.live = new boolean[inputs.length];
            this.types = new int[inputs.length];
        }

        @Override
        public int next() {
            if (!started) {
                started = true;
                for (int i = 0; i < inputs.length; i++) {
                    live[i] = advance(i, inputs[i].next());
                }
            } else if (cur >= 0) {
                long t = inputs[cur].atT();
                for (int i = 0; i < inputs.length; i++) { // drop this timestamp everywhere
                    if (live[i] && inputs[i].atT() == t) {
                        live[i] = advance(i, inputs[i].next());
                    }
                }
            }
            return pick();
        }

        @Override
        public int seek(long t) {
            if (started && cur >= 0 && inputs[cur].atT() >= t) {
                return types[cur];
            }
            started = true;
            for (int i = 0; i < inputs.length; i++) {
                if (live[i] || cur < 0) {
                    live[i] = advance(i, inputs[i].seek(t));
                }
            }
            return pick();
        }

        private boolean advance(int i, int type) {
            if (type == ValueType.NONE && inputs[i].err() != null && err == null) {
                err = inputs[i].err();
            }
            types[i] = type;
            return type != ValueType.NONE;
        }

        private int pick() {
            cur = -1;
            if (err != null) {
                return ValueType.NONE;
            }
            for (int i = 0; i < inputs.length; i++) {
                if (live[i] && (cur < 0 || inputs[i].atT() < inputs[cur].atT())) {
                    cur = i;
                }
            }
            return cur < 0 ? ValueType.NONE : types[cur];
        }

        @Override
        public long atT() {
            return inputs[cur].atT();
        }

        @Override
        public double atV() {
            return inputs[cur].atV();
        }

        @Override
        public io.specula.model.histogram.Histogram atHistogram(io.specula.model.histogram.Histogram reuse) {
            return inputs[cur].atHistogram(reuse);
        }

        @Override
        public io.specula.model.histogram.FloatHistogram atFloatHistogram(io.specula.model.histogram.FloatHistogram reuse) {
            return inputs[cur].atFloatHistogram(reuse);
        }

        @Override
        public long atST() {
            return inputs[cur].atST();
        }

        @Override
        public boolean hasStartTimestamps() {
            for (SampleIterator in : inputs) {
                if (in.hasStartTimestamps()) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public Exception err() {
            return err;
        }
    }
}

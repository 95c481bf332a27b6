package io.specula.tsdb.head;

import io.specula.model.labels.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The head's series, found by label hash (to create or look up on append) and by reference
 * (the fast path of a scrape that remembers refs). Lock striping keeps concurrent scrapes of
 * different targets from contending; the stripe count is a power of two.
 */
final class SeriesStore {
    private static final int STRIPES = 1 << 10;

    private final Stripe[] stripes = new Stripe[STRIPES];

    private static final class Stripe {
        // Hash collisions of the 64-bit label hash are possible, so a hash maps to a list.
        // Primitive maps: a series costs two table slots here, not two boxed keys and entries.
        final LongObjectMap<Object> byHash = new LongObjectMap<>();
        final LongObjectMap<MemSeries> byRef = new LongObjectMap<>();
    }

    SeriesStore() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe();
        }
    }

    private Stripe hashStripe(long hash) {
        return stripes[(int) (hash ^ (hash >>> 32)) & (STRIPES - 1)];
    }

    private Stripe refStripe(long ref) {
        return stripes[(int) ref & (STRIPES - 1)];
    }

    MemSeries byRef(long ref) {
        Stripe s = refStripe(ref);
        synchronized (s) {
            return s.byRef.get(ref);
        }
    }

    MemSeries byLabels(Labels labels) {
        long h = labels.hash();
        Stripe s = hashStripe(h);
        synchronized (s) {
            return find(s.byHash.get(h), labels);
        }
    }

    /**
     * The series with these labels, made by {@code create} when absent.
     *
     * @return the series; {@code created[0]} tells whether it is new
     */
    MemSeries getOrCreate(Labels labels, Supplier<MemSeries> create, boolean[] created) {
        long h = labels.hash();
        Stripe s = hashStripe(h);
        MemSeries series;
        synchronized (s) {
            Object entry = s.byHash.get(h);
            series = find(entry, labels);
            if (series != null) {
                created[0] = false;
                return series;
            }
            series = create.get();
            if (entry == null) {
                s.byHash.put(h, series);
            } else if (entry instanceof MemSeries other) {
                List<MemSeries> list = new ArrayList<>(2);
                list.add(other);
                list.add(series);
                s.byHash.put(h, list);
            } else {
                @SuppressWarnings("unchecked")
                List<MemSeries> list = (List<MemSeries>) entry;
                list.add(series);
            }
        }
        Stripe r = refStripe(series.ref);
        synchronized (r) {
            r.byRef.put(series.ref, series);
        }
        created[0] = true;
        return series;
    }

    private static MemSeries find(Object entry, Labels labels) {
        if (entry instanceof MemSeries s) {
            return s.labels.equals(labels) ? s : null;
        }
        if (entry instanceof List<?> list) {
            for (Object o : list) {
                MemSeries s = (MemSeries) o;
                if (s.labels.equals(labels)) {
                    return s;
                }
            }
        }
        return null;
    }

    /** Removes every series for which {@code remove} is true; returns the removed ones. */
    List<MemSeries> removeIf(Predicate<MemSeries> remove) {
        List<MemSeries> removed = new ArrayList<>();
        for (Stripe s : stripes) {
            List<MemSeries> gone = new ArrayList<>();
            synchronized (s) {
                s.byRef.forEachValue(series -> {
                    if (remove.test(series)) {
                        gone.add(series);
                    }
                });
            }
            for (MemSeries series : gone) {
                forget(series);
                removed.add(series);
            }
        }
        return removed;
    }

    /** Calls {@code action} for every series, stripe by stripe (under the stripe's lock). */
    void forEach(java.util.function.Consumer<MemSeries> action) {
        for (Stripe s : stripes) {
            synchronized (s) {
                s.byRef.forEachValue(action);
            }
        }
    }

    private void forget(MemSeries series) {
        Stripe r = refStripe(series.ref);
        synchronized (r) {
            r.byRef.remove(series.ref);
        }
        long h = series.labels.hash();
        Stripe s = hashStripe(h);
        synchronized (s) {
            Object entry = s.byHash.get(h);
            if (entry == series) {
                s.byHash.remove(h);
            } else if (entry instanceof List<?> list) {
                list.remove(series);
                if (list.size() == 1) {
                    s.byHash.put(h, list.get(0));
                }
            }
        }
    }
}

package io.specula.alertmanager.template;

import io.specula.model.labels.Labels;
import io.specula.template.GoTyped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A label or annotation set as notification templates see it (Alertmanager's
 * {@code template.KV}): a string map, ranged over in key order, with the helper methods
 * {@code .SortedPairs}, {@code .Names}, {@code .Values} and {@code .Remove}. Not modified
 * after construction; {@link #remove} returns a copy.
 */
public final class KV extends TreeMap<String, String> implements GoTyped {
    public KV() {}

    public KV(Map<String, String> m) {
        super(m);
    }

    public static KV of(Labels l) {
        KV kv = new KV();
        for (int i = 0; i < l.size(); i++) {
            kv.put(l.name(i), l.value(i));
        }
        return kv;
    }

    @Override
    public String goTypeName() {
        return "template.KV";
    }

    /** The pairs sorted by name. */
    public Pairs sortedPairs() {
        Pairs p = new Pairs();
        forEach((k, v) -> p.add(new Pair(k, v)));
        return p;
    }

    /** The names in sorted order. */
    public List<String> names() {
        return new ArrayList<>(keySet());
    }

    /** The values, in the order of their sorted names. */
    public List<String> values() {
        return new ArrayList<>(super.values());
    }

    /** A copy without the given names. */
    public KV remove(List<String> names) {
        KV kv = new KV(this);
        for (String n : names) {
            kv.remove((Object) n);
        }
        return kv;
    }

    /** One name/value pair ({@code template.Pair}). */
    public record Pair(String name, String value) implements GoTyped {
        @Override
        public String goTypeName() {
            return "template.Pair";
        }
    }

    /** A list of pairs ({@code template.Pairs}) with {@code .Names} and {@code .Values}. */
    public static final class Pairs extends ArrayList<Pair> implements GoTyped {
        @Override
        public String goTypeName() {
            return "template.Pairs";
        }

        public List<String> names() {
            List<String> out = new ArrayList<>(size());
            forEach(p -> out.add(p.name()));
            return out;
        }

        public List<String> values() {
            List<String> out = new ArrayList<>(size());
            forEach(p -> out.add(p.value()));
            return out;
        }
    }
}

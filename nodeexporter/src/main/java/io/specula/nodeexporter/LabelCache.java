package io.specula.nodeexporter;

import io.specula.model.labels.Labels;
import java.util.HashMap;

/**
 * Label sets of one label, kept across scrapes so that a device seen every scrape costs a map
 * lookup, not a new {@link Labels}. Bounded: past {@value #MAX} entries it starts over (devices
 * that come and go cannot grow it without limit).
 */
final class LabelCache {
    private static final int MAX = 4096;
    private final String name;
    private final HashMap<String, Labels> map = new HashMap<>();

    LabelCache(String name) {
        this.name = name;
    }

    Labels get(String value) {
        Labels l = map.get(value);
        if (l == null) {
            if (map.size() >= MAX) {
                map.clear();
            }
            l = Labels.of(name, value);
            map.put(value, l);
        }
        return l;
    }
}

package io.specula.alertmanager.nflog;

import io.specula.alertmanager.persist.StateFile;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The notification log (Alertmanager's {@code nflog}): per aggregation group and receiver
 * integration, which alerts were firing and which resolved at the last successful
 * notification, and when. The dedup stage reads it to decide whether a flush needs to
 * notify at all. Entries expire after the retention. Thread-safe.
 */
public final class NotificationLog {
    /** One log entry; the sets hold alert fingerprints. */
    public record Entry(Set<Long> firing, Set<Long> resolved, Instant timestamp, Instant expiresAt) {}

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final Supplier<Instant> clock;
    private final Duration retention;
    private final StateFile file;

    public NotificationLog(Supplier<Instant> clock, Duration retention, StateFile file) {
        this.clock = clock;
        this.retention = retention;
        this.file = file;
        if (file != null) {
            load();
        }
    }

    private static String key(String groupKey, String receiver) {
        return receiver + "\u0000" + groupKey;
    }

    public Entry query(String groupKey, String receiver) {
        return entries.get(key(groupKey, receiver));
    }

    public void log(String groupKey, String receiver, Set<Long> firing, Set<Long> resolved) {
        Instant now = clock.get();
        entries.put(key(groupKey, receiver), new Entry(Set.copyOf(firing), Set.copyOf(resolved), now, now.plus(retention)));
    }

    /** Drops expired entries; returns how many. */
    public int gc() {
        Instant now = clock.get();
        int before = entries.size();
        entries.values().removeIf(e -> !e.expiresAt().isAfter(now));
        return before - entries.size();
    }

    public void snapshot() throws IOException {
        if (file == null) {
            return;
        }
        ObjectNode root = StateFile.JSON.createObjectNode();
        ArrayNode arr = root.putArray("entries");
        entries.forEach((k, e) -> {
            int sep = k.indexOf('\u0000');
            ObjectNode o = arr.addObject();
            o.put("receiver", k.substring(0, sep));
            o.put("groupKey", k.substring(sep + 1));
            ArrayNode f = o.putArray("firing");
            e.firing().forEach(f::add);
            ArrayNode r = o.putArray("resolved");
            e.resolved().forEach(r::add);
            o.put("timestamp", e.timestamp().toString());
            o.put("expiresAt", e.expiresAt().toString());
        });
        file.write(root);
    }

    private void load() {
        JsonNode root = file.read();
        if (root == null) {
            return;
        }
        try {
            for (JsonNode o : root.required("entries")) {
                Set<Long> firing = new HashSet<>();
                o.required("firing").forEach(n -> firing.add(n.asLong()));
                Set<Long> resolved = new HashSet<>();
                o.required("resolved").forEach(n -> resolved.add(n.asLong()));
                entries.put(key(o.required("groupKey").asString(), o.required("receiver").asString()),
                        new Entry(firing, resolved, Instant.parse(o.required("timestamp").asString()),
                                Instant.parse(o.required("expiresAt").asString())));
            }
        } catch (RuntimeException e) {
            entries.clear();
            file.setAside(Objects.toString(e.getMessage(), e.toString()));
        }
    }

    public int size() {
        return entries.size();
    }
}

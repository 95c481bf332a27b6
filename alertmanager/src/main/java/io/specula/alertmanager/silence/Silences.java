package io.specula.alertmanager.silence;

import io.specula.alertmanager.persist.StateFile;
import io.specula.model.labels.Labels;
import io.specula.model.labels.MatchType;
import io.specula.model.labels.Matcher;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The silences (Alertmanager's {@code silence} package): create, update, expire, query, and
 * the question the pipeline asks, {@link #mutes}. Expired silences are kept for the
 * retention, then dropped by {@link #gc()}. State is snapshotted with {@link #snapshot()}.
 * Thread-safe.
 */
public final class Silences {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Silences.class);
    private final ConcurrentHashMap<String, Silence> byId = new ConcurrentHashMap<>();
    private final Supplier<Instant> clock;
    private final Duration retention;
    private final StateFile file;

    /**
     * @param file where to snapshot, or null to keep silences in memory only
     */
    public Silences(Supplier<Instant> clock, Duration retention, StateFile file) {
        this.clock = clock;
        this.retention = retention;
        this.file = file;
        if (file != null) {
            load();
        }
    }

    /**
     * Creates a silence or updates the one named by {@code s.id()}. As in Alertmanager, a
     * change that cannot be made in place (other matchers, a new start of an active
     * silence, anything on an expired one) expires the old silence and creates a new one.
     *
     * @return the id of the silence now in force
     */
    public String set(Silence s) throws SilenceException {
        Instant now = clock.get();
        validate(s, now);
        synchronized (this) {
            Silence prev = s.id() == null || s.id().isEmpty() ? null : byId.get(s.id());
            if (s.id() != null && !s.id().isEmpty() && prev == null) {
                throw new SilenceException("silence " + s.id() + " not found", true);
            }
            if (prev != null && canUpdate(prev, s, now)) {
                byId.put(prev.id(), new Silence(prev.id(), s.matchers(), s.startsAt(), s.endsAt(), now,
                        s.createdBy(), s.comment()));
                persist();
                return prev.id();
            }
            if (prev != null && prev.stateAt(now) != SilenceState.EXPIRED) {
                expireAt(prev, now);
            }
            Instant start = s.startsAt().isBefore(now) ? now : s.startsAt();
            if (!s.endsAt().isAfter(now)) {
                throw new SilenceException("end time can't be in the past");
            }
            String id = UUID.randomUUID().toString();
            byId.put(id, new Silence(id, s.matchers(), start, s.endsAt(), now, s.createdBy(), s.comment()));
            persist();
            return id;
        }
    }

    private static boolean canUpdate(Silence prev, Silence next, Instant now) {
        if (!prev.matchers().equals(next.matchers()) && !sameMatchers(prev.matchers(), next.matchers())) {
            return false;
        }
        return switch (prev.stateAt(now)) {
            case PENDING -> !next.startsAt().isBefore(now) && next.endsAt().isAfter(next.startsAt());
            case ACTIVE -> next.startsAt().equals(prev.startsAt()) && !next.endsAt().isBefore(now);
            case EXPIRED -> false;
        };
    }

    private static boolean sameMatchers(List<Matcher> a, List<Matcher> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            Matcher x = a.get(i);
            Matcher y = b.get(i);
            if (x.type() != y.type() || !x.name().equals(y.name()) || !x.value().equals(y.value())) {
                return false;
            }
        }
        return true;
    }

    private static void validate(Silence s, Instant now) throws SilenceException {
        if (s.matchers().isEmpty()) {
            throw new SilenceException("silence invalid: at least one matcher required");
        }
        boolean anyNonEmpty = false;
        for (Matcher m : s.matchers()) {
            if (m.name().isEmpty()) {
                throw new SilenceException("silence invalid: invalid label matcher: empty label name");
            }
            anyNonEmpty |= !m.matchesEmpty();
        }
        if (!anyNonEmpty) {
            throw new SilenceException("silence invalid: at least one matcher must not match the empty string");
        }
        if (s.startsAt() == null || s.endsAt() == null) {
            throw new SilenceException("silence invalid: missing start or end time");
        }
        if (s.endsAt().isBefore(s.startsAt())) {
            throw new SilenceException("silence invalid: end time must not be before start time");
        }
    }

    /** Ends a silence now: a pending one simply ends, an active one stops muting. */
    public void expire(String id) throws SilenceException {
        Instant now = clock.get();
        synchronized (this) {
            Silence s = byId.get(id);
            if (s == null) {
                throw new SilenceException("silence " + id + " not found", true);
            }
            if (s.stateAt(now) == SilenceState.EXPIRED) {
                throw new SilenceException("silence " + id + " already expired");
            }
            expireAt(s, now);
            persist();
        }
    }

    /**
     * Silences change rarely and matter a lot: each change is written at once, so a crash
     * (even kill -9) loses none; the periodic snapshot covers garbage collection.
     */
    private void persist() {
        try {
            snapshot();
        } catch (IOException e) {
            LOG.error("writing silences snapshot failed: file={} err={}", file.path(), e.toString());
        }
    }

    private void expireAt(Silence s, Instant now) {
        Instant start = s.stateAt(now) == SilenceState.PENDING ? now : s.startsAt();
        byId.put(s.id(), s.withTimes(start, now, now));
    }

    public Silence get(String id) {
        return byId.get(id);
    }

    /** All silences accepted by the filter, in no particular order. */
    public List<Silence> query(Predicate<Silence> filter) {
        List<Silence> out = new ArrayList<>();
        for (Silence s : byId.values()) {
            if (filter.test(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /** The ids of the active silences that mute the label set, sorted. */
    public List<String> mutes(Labels labels) {
        Instant now = clock.get();
        List<String> ids = new ArrayList<>();
        for (Silence s : byId.values()) {
            if (s.stateAt(now) == SilenceState.ACTIVE && s.matches(labels)) {
                ids.add(s.id());
            }
        }
        ids.sort(null);
        return ids;
    }

    public Instant now() {
        return clock.get();
    }

    /** Drops silences expired for longer than the retention; returns how many. */
    public int gc() {
        Instant cutoff = clock.get().minus(retention);
        int before = byId.size();
        byId.values().removeIf(s -> s.endsAt().isBefore(cutoff));
        return before - byId.size();
    }

    /** Writes the snapshot file (no-op without storage). */
    public synchronized void snapshot() throws IOException {
        if (file == null) {
            return;
        }
        ObjectNode root = StateFile.JSON.createObjectNode();
        ArrayNode arr = root.putArray("silences");
        for (Silence s : byId.values()) {
            ObjectNode o = arr.addObject();
            o.put("id", s.id());
            ArrayNode ms = o.putArray("matchers");
            for (Matcher m : s.matchers()) {
                ms.addObject().put("name", m.name()).put("type", m.type().operator()).put("value", m.value());
            }
            o.put("startsAt", s.startsAt().toString());
            o.put("endsAt", s.endsAt().toString());
            o.put("updatedAt", s.updatedAt().toString());
            o.put("createdBy", s.createdBy());
            o.put("comment", s.comment());
        }
        file.write(root);
    }

    private void load() {
        JsonNode root = file.read();
        if (root == null) {
            return;
        }
        try {
            for (JsonNode o : root.required("silences")) {
                List<Matcher> ms = new ArrayList<>();
                for (JsonNode m : o.required("matchers")) {
                    ms.add(Matcher.of(type(m.required("type").asString()), m.required("name").asString(),
                            m.required("value").asString()));
                }
                Silence s = new Silence(o.required("id").asString(), List.copyOf(ms),
                        Instant.parse(o.required("startsAt").asString()), Instant.parse(o.required("endsAt").asString()),
                        Instant.parse(o.required("updatedAt").asString()), o.path("createdBy").asString(""),
                        o.path("comment").asString(""));
                byId.put(s.id(), s);
            }
        } catch (RuntimeException e) {
            byId.clear();
            file.setAside(Objects.toString(e.getMessage(), e.toString()));
        }
    }

    private static MatchType type(String op) {
        for (MatchType t : MatchType.values()) {
            if (t.operator().equals(op)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown matcher type " + op);
    }

    public int size() {
        return byId.size();
    }
}

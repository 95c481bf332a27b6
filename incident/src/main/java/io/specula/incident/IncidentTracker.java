package io.specula.incident;

import io.specula.model.labels.Labels;
import io.specula.model.value.GoTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Groups alerts into incidents and names each incident's probable root cause, from snapshots
 * of the alerts, the entity graph and the health signals ({@link #observe}); and assigns an
 * alert the moment it is first sent ({@link #assign}).
 *
 * <p>An entity is <em>unhealthy</em> when it has a pending or firing alert, a health signal, or
 * (a service) an unhealthy pod. A new alert joins the oldest open incident that has an entity
 * connected to the alert's through unhealthy entities (so two failures on healthy neighbours
 * stay apart, and with no topology only alerts on the same entity share an incident); otherwise
 * it opens one. Its incident never changes while the alert lives: an alert that resolves and
 * fires again within the rejoin window comes back to it. The root cause is found by walking
 * down the dependencies from every symptom through unhealthy entities to one with no unhealthy
 * dependency, preferring the deepest, then the lowest layer (node, pod, instance, service), then
 * the earliest unhealthy.
 *
 * <p>Thread-safe (one lock); nothing here queries storage.
 */
public final class IncidentTracker {
    /** Closed incidents kept for the API (and for their alerts' resolved notifications). */
    static final int MAX_CLOSED = 200;
    static final int MAX_TIMELINE = 500;

    /** An alert of the rule manager as the tracker sees it; {@code state} is pending or firing. */
    public record ActiveAlert(Labels labels, String state, double value, long activeAtMs, long firedAtMs) {}

    /** What a notification carries: the incident id and the two annotations. */
    public record Assignment(String incidentId, String rootCause, String summary) {}

    /** Receives what metrics want to know. */
    public interface Listener {
        Listener NONE = new Listener() {};

        default void created() {}

        default void rootCauseNamed(long secondsSinceStartMs) {}

        default void closed(int alerts) {}
    }

    private volatile long rejoinWindowMs;
    private final Listener listener;
    private final Map<String, State> open = new LinkedHashMap<>();
    private final Deque<State> closed = new ArrayDeque<>();
    private final Map<Labels, Member> byAlert = new HashMap<>();
    /** Open incidents whose cause or path changed since {@link #drainChanged()} last ran. */
    private final Set<String> changed = new TreeSet<>();
    private EntityGraph graph = EntityGraph.EMPTY;
    private Map<Entity, List<Evidence>> health = Map.of();
    private Map<Entity, Integer> components = Map.of();
    /** Since when each signal series has held, remembered beyond the signals' lookback. */
    private Map<String, Long> signalSince = new HashMap<>();

    public IncidentTracker(long rejoinWindowMs, Listener listener) {
        this.rejoinWindowMs = rejoinWindowMs;
        this.listener = listener == null ? Listener.NONE : listener;
    }

    /** Changes the rejoin window (a reload); incidents and their alerts stay as they are. */
    public void rejoinWindow(long ms) {
        this.rejoinWindowMs = ms;
    }

    private static final class Member {
        final Labels labels;
        final Entity entity;
        final State incident;
        String state;
        long activeAt;
        long firedAt;
        long resolvedAt;
        final long joinedAt;

        Member(Labels labels, Entity entity, State incident, long joinedAt) {
            this.labels = labels;
            this.entity = entity;
            this.incident = incident;
            this.joinedAt = joinedAt;
        }
    }

    private static final class State {
        final String id;
        final long started;
        long lastActive;
        long resolved;
        final Map<Labels, Member> members = new LinkedHashMap<>();
        final List<Incident.Event> timeline = new ArrayList<>();
        Incident.RootCause root;
        List<Incident.Hop> path = List.of();
        String explanation = "";
        /** What decides whether the alerts' annotations are out of date: cause, how it shows, path. */
        String key = "";

        State(String id, long started) {
            this.id = id;
            this.started = started;
            this.lastActive = started;
        }

        Set<Entity> entities() {
            Set<Entity> out = new TreeSet<>();
            for (Member m : members.values()) {
                if (m.entity != null) {
                    out.add(m.entity);
                }
            }
            for (Incident.Hop h : path) {
                out.add(h.entity());
            }
            return out;
        }

        boolean active() {
            for (Member m : members.values()) {
                if (!m.state.equals("resolved")) {
                    return true;
                }
            }
            return false;
        }

        void event(Incident.Event e) {
            if (timeline.size() >= MAX_TIMELINE) {
                timeline.remove(1); // keep the first event: when it began
            }
            timeline.add(e);
        }
    }

    /**
     * Takes in the current alerts, graph and health signals: alerts join or open incidents,
     * vanished alerts resolve, incidents idle longer than the rejoin window close, root causes
     * are re-ranked.
     *
     * @return the ids of open incidents whose root cause or explanation changed (their alerts'
     *     annotations are out of date)
     */
    public synchronized List<String> observe(long now, List<ActiveAlert> snapshot, EntityGraph g,
            Map<Entity, List<Evidence>> signals) {
        this.graph = g;
        List<ActiveAlert> alerts = new ArrayList<>(snapshot.size());
        for (ActiveAlert a : snapshot) {
            Member m = byAlert.get(a.labels());
            if (m != null && m.state.equals("firing") && a.state().equals("pending") && m.firedAt >= a.activeAtMs()) {
                // The snapshot predates the send that made this activation fire: no step back.
                a = new ActiveAlert(a.labels(), "firing", a.value(), a.activeAtMs(), m.firedAt);
            }
            alerts.add(a);
        }
        Map<Entity, List<Evidence>> h = new HashMap<>();
        Map<String, Long> since = new HashMap<>();
        signals.forEach((e, evs) -> {
            List<Evidence> list = new ArrayList<>();
            for (Evidence ev : evs) {
                String k = ev.name() + ev.series();
                long t = Math.min(ev.sinceMs(), signalSince.getOrDefault(k, Long.MAX_VALUE));
                since.put(k, t);
                list.add(ev.withSince(t));
            }
            h.put(e, list);
        });
        this.signalSince = since;
        for (ActiveAlert a : alerts) {
            Entity e = g.resolve(a.labels());
            if (e != null) {
                h.computeIfAbsent(e, k -> new ArrayList<>()).add(alertEvidence(a));
            }
        }
        // A service is as unhealthy as a pod it runs on.
        for (Entity e : g.entities()) {
            if (e.kind() != Entity.Kind.SERVICE) {
                continue;
            }
            for (Entity dep : g.dependencies(e).keySet()) {
                List<Evidence> ev = h.get(dep);
                if (dep.kind() == Entity.Kind.POD && ev != null && hasDirect(ev)) {
                    long first = ev.stream().mapToLong(Evidence::sinceMs).min().orElse(now);
                    h.computeIfAbsent(e, k -> new ArrayList<>()).add(new Evidence(Evidence.DERIVED, "unhealthy_pod",
                            dep.toString(), Double.NaN, first, "", dep + " unhealthy", ""));
                }
            }
        }
        for (List<Evidence> ev : h.values()) {
            ev.sort(Comparator.comparingLong(Evidence::sinceMs));
        }
        this.health = h;
        this.components = components(g, h.keySet());

        Set<Labels> seen = new HashSet<>();
        for (ActiveAlert a : alerts) {
            seen.add(a.labels());
            Member m = member(a.labels(), a.state(), a.activeAtMs(), now);
            String before = m.state;
            m.state = a.state();
            m.activeAt = a.activeAtMs();
            m.firedAt = a.firedAtMs();
            m.resolvedAt = 0;
            if (!a.state().equals(before)) {
                m.incident.event(new Incident.Event(now, "alert_" + a.state(), m.labels.get("alertname"), m.labels,
                        m.entity, m.labels.get("alertname") + " " + a.state() + (m.entity == null ? "" : " on " + m.entity)));
            }
        }
        for (State s : open.values()) {
            for (Member m : s.members.values()) {
                if (!seen.contains(m.labels) && !m.state.equals("resolved")) {
                    resolve(m, now);
                }
            }
        }
        for (var it = open.values().iterator(); it.hasNext(); ) {
            State s = it.next();
            if (s.active()) {
                s.lastActive = now;
            } else if (now - s.lastActive > rejoinWindowMs) {
                it.remove();
                close(s, now);
                continue;
            }
            rank(s, now);
        }
        return drainChanged();
    }

    /**
     * The ids of open incidents whose root cause, the way it shows (alert state) or path changed
     * since the last call: their alerts' annotations are out of date.
     */
    public synchronized List<String> drainChanged() {
        List<String> out = new ArrayList<>();
        for (String id : changed) {
            if (open.containsKey(id)) {
                out.add(id);
            }
        }
        changed.clear();
        return out;
    }

    /**
     * The incident of an alert about to be sent, assigning it now if it has none yet (an alert
     * that fired at its first evaluation reaches the sink before {@link #observe} saw it).
     *
     * @param resolved whether the alert being sent is resolved (it then never opens an incident)
     */
    public synchronized Assignment assign(Labels labels, long activeAtMs, boolean resolved, long now) {
        Member m = byAlert.get(labels);
        if (m == null && resolved) {
            return null;
        }
        if (m == null || (!resolved && !open.containsKey(m.incident.id))) {
            m = member(labels, "firing", activeAtMs, now);
        }
        if (!resolved && !m.state.equals("firing")) {
            // Sent unresolved means firing: take it in now rather than at the next observe, so
            // a cause that just fired is named as firing in this very notification.
            if (!m.state.equals("pending")) {
                m.activeAt = activeAtMs;
            }
            m.state = "firing";
            m.firedAt = now;
            m.incident.event(new Incident.Event(now, "alert_firing", labels.get("alertname"), labels, m.entity,
                    labels.get("alertname") + " firing" + (m.entity == null ? "" : " on " + m.entity)));
            if (m.entity != null) {
                markFiring(m);
            }
            rank(m.incident, now);
        }
        State s = m.incident;
        return new Assignment(s.id, s.root == null ? "" : s.root.text(), summary(s));
    }

    /** The current annotations of an incident, or null when it is not known. */
    public synchronized Assignment current(String id) {
        State s = open.get(id);
        return s == null ? null : new Assignment(s.id, s.root == null ? "" : s.root.text(), summary(s));
    }

    /** Open incidents first (newest first), then closed ones (newest first). */
    public synchronized List<Incident> incidents() {
        List<Incident> out = new ArrayList<>();
        List<State> o = new ArrayList<>(open.values());
        o.sort(Comparator.comparingLong((State s) -> s.started).reversed());
        for (State s : o) {
            out.add(view(s, s.active() ? "open" : "resolved"));
        }
        for (var it = closed.descendingIterator(); it.hasNext(); ) {
            out.add(view(it.next(), "resolved"));
        }
        return out;
    }

    public synchronized Incident incident(String id) {
        State s = open.get(id);
        if (s != null) {
            return view(s, s.active() ? "open" : "resolved");
        }
        for (State c : closed) {
            if (c.id.equals(id)) {
                return view(c, "resolved");
            }
        }
        return null;
    }

    /** Incidents with a pending or firing alert. */
    public synchronized int openCount() {
        int n = 0;
        for (State s : open.values()) {
            n += s.active() ? 1 : 0;
        }
        return n;
    }

    /** Alerts pending or firing across open incidents. */
    public synchronized int activeAlerts() {
        int n = 0;
        for (State s : open.values()) {
            for (Member m : s.members.values()) {
                n += m.state.equals("resolved") ? 0 : 1;
            }
        }
        return n;
    }

    /** The alert's member, joining or opening an incident when it has none (or only a closed one). State "new" if created. */
    private Member member(Labels labels, String state, long activeAt, long now) {
        Member m = byAlert.get(labels);
        if (m != null && open.containsKey(m.incident.id)) {
            return m;
        }
        Entity e = graph.resolve(labels);
        State target = null;
        if (e != null) {
            // The alert's entity is unhealthy now even if the last observe did not see it yet.
            Set<Integer> comps = new HashSet<>();
            if (components.containsKey(e)) {
                comps.add(components.get(e));
            } else {
                for (Entity n : neighbours(e)) {
                    if (components.containsKey(n)) {
                        comps.add(components.get(n));
                    }
                }
            }
            for (State s : open.values()) {
                if (target != null && target.started <= s.started) {
                    continue;
                }
                for (Entity x : s.entities()) {
                    if (x.equals(e) || comps.contains(components.get(x))) {
                        target = s;
                        break;
                    }
                }
            }
        }
        if (target == null) {
            long seed = activeAt;
            target = new State(id(labels, seed), now);
            while (known(target.id)) {
                seed += 1000;
                target = new State(id(labels, seed), now);
            }
            open.put(target.id, target);
            listener.created();
        }
        m = new Member(labels, e, target, now);
        m.state = "new";
        target.members.put(labels, m);
        byAlert.put(labels, m);
        return m;
    }

    /** Puts the member's alert into the health snapshot as firing (replacing it as pending). */
    private void markFiring(Member m) {
        Map<Entity, List<Evidence>> h = new HashMap<>(health);
        List<Evidence> list = new ArrayList<>(h.getOrDefault(m.entity, List.of()));
        String series = m.labels.toString();
        list.removeIf(e -> e.isAlert() && e.series().equals(series));
        list.add(new Evidence(Evidence.ALERT, m.labels.get("alertname"), series, Double.NaN, m.activeAt, "firing",
                m.labels.get("alertname") + " firing", alertsExpr(m.labels)));
        list.sort(Comparator.comparingLong(Evidence::sinceMs));
        boolean wasHealthy = !h.containsKey(m.entity);
        h.put(m.entity, list);
        health = h;
        if (wasHealthy) {
            components = components(graph, h.keySet());
        }
    }

    private boolean known(String id) {
        if (open.containsKey(id)) {
            return true;
        }
        for (State c : closed) {
            if (c.id.equals(id)) {
                return true;
            }
        }
        return false;
    }

    private List<Entity> neighbours(Entity e) {
        List<Entity> out = new ArrayList<>(graph.dependencies(e).keySet());
        out.addAll(graph.dependents(e));
        return out;
    }

    private void resolve(Member m, long now) {
        m.state = "resolved";
        m.resolvedAt = now;
        m.incident.event(new Incident.Event(now, "alert_resolved", m.labels.get("alertname"), m.labels, m.entity,
                m.labels.get("alertname") + " resolved" + (m.entity == null ? "" : " on " + m.entity)));
    }

    private void close(State s, long now) {
        s.resolved = now;
        listener.closed(s.members.size());
        closed.addLast(s);
        while (closed.size() > MAX_CLOSED) {
            State old = closed.removeFirst();
            for (Labels l : old.members.keySet()) {
                byAlert.remove(l, old.members.get(l));
            }
        }
    }

    /** Stable across restarts for the same first alert: a hash of its labels and start second. */
    static String id(Labels first, long activeAtMs) {
        long h = first.hash() * 0x9E3779B97F4A7C15L + Math.floorDiv(activeAtMs, 1000L);
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        String hex = Long.toHexString(h);
        return "0".repeat(16 - hex.length()) + hex;
    }

    private static Evidence alertEvidence(ActiveAlert a) {
        return new Evidence(Evidence.ALERT, a.labels().get("alertname"), a.labels().toString(), a.value(),
                a.activeAtMs(), a.state(), a.labels().get("alertname") + " " + a.state(), alertsExpr(a.labels()));
    }

    /** {@code ALERTS{alertname="…", …}}: the series Prometheus writes for the alert. */
    static String alertsExpr(Labels l) {
        return "ALERTS" + HealthSignals.matchers(l);
    }

    private static boolean hasDirect(List<Evidence> ev) {
        for (Evidence e : ev) {
            if (!e.source().equals(Evidence.DERIVED)) {
                return true;
            }
        }
        return false;
    }

    /** Connected components of the unhealthy entities over dependency edges between them. */
    private static Map<Entity, Integer> components(EntityGraph g, Set<Entity> unhealthy) {
        Map<Entity, Integer> comp = new HashMap<>();
        int next = 0;
        for (Entity start : unhealthy) {
            if (comp.containsKey(start)) {
                continue;
            }
            int c = next++;
            Deque<Entity> todo = new ArrayDeque<>();
            todo.add(start);
            comp.put(start, c);
            while (!todo.isEmpty()) {
                Entity e = todo.poll();
                List<Entity> nbrs = new ArrayList<>(g.dependencies(e).keySet());
                nbrs.addAll(g.dependents(e));
                for (Entity n : nbrs) {
                    if (unhealthy.contains(n) && !comp.containsKey(n)) {
                        comp.put(n, c);
                        todo.add(n);
                    }
                }
            }
        }
        return comp;
    }

    /** Re-ranks the root cause of {@code s}; true when cause, path or explanation changed. */
    private boolean rank(State s, long now) {
        Set<Entity> starts = new TreeSet<>();
        for (Member m : s.members.values()) {
            if (m.entity != null && !m.state.equals("resolved")) {
                starts.add(m.entity);
            }
        }
        if (starts.isEmpty()) {
            return false; // keep the last cause of an incident that is winding down
        }
        Map<Entity, Map<Entity, Entity>> parents = new HashMap<>();
        Map<Entity, Integer> depth = new HashMap<>();
        Map<Entity, Entity> deepestFrom = new HashMap<>();
        for (Entity st : starts) {
            Map<Entity, Entity> parent = new HashMap<>();
            Map<Entity, Integer> dist = new HashMap<>();
            dist.put(st, 0);
            Deque<Entity> todo = new ArrayDeque<>();
            todo.add(st);
            while (!todo.isEmpty()) {
                Entity e = todo.poll();
                for (Entity d : graph.walkDependencies(e).keySet()) {
                    if (health.containsKey(d) && !dist.containsKey(d)) {
                        dist.put(d, dist.get(e) + 1);
                        parent.put(d, e);
                        todo.add(d);
                    }
                }
            }
            parents.put(st, parent);
            dist.forEach((e, n) -> {
                if (n >= depth.getOrDefault(e, -1)) {
                    if (n > depth.getOrDefault(e, -1) || st.compareTo(deepestFrom.get(e)) < 0) {
                        deepestFrom.put(e, st);
                    }
                    depth.put(e, n);
                }
            });
        }
        List<Entity> candidates = new ArrayList<>();
        for (Entity e : depth.keySet()) {
            boolean sink = true;
            for (Entity d : graph.walkDependencies(e).keySet()) {
                if (health.containsKey(d)) {
                    sink = false;
                    break;
                }
            }
            if (sink) {
                candidates.add(e);
            }
        }
        if (candidates.isEmpty()) {
            candidates.addAll(depth.keySet()); // a cycle of unhealthy services
        }
        Comparator<Entity> best = Comparator
                .comparing((Entity e) -> hasDirect(health.getOrDefault(e, List.of())) ? 0 : 1)
                .thenComparing(e -> -depth.get(e))
                .thenComparing(Entity::kind)
                .thenComparingLong(e -> earliest(health.getOrDefault(e, List.of()), now))
                .thenComparing(e -> e);
        candidates.sort(best);
        Entity cause = candidates.getFirst();
        Entity symptom = deepestFrom.get(cause);
        List<Entity> chain = new ArrayList<>();
        Map<Entity, Entity> parent = parents.get(symptom);
        for (Entity e = cause; e != null; e = parent.get(e)) {
            chain.addFirst(e);
        }
        List<Incident.Hop> path = new ArrayList<>();
        for (int i = 0; i < chain.size(); i++) {
            Entity e = chain.get(i);
            String via = i == 0 ? "" : graph.walkDependencies(chain.get(i - 1)).getOrDefault(e, "");
            List<Entity> parallel = new ArrayList<>();
            if (i > 0) {
                Entity next = i + 1 < chain.size() ? chain.get(i + 1) : null;
                for (Entity sib : graph.walkDependencies(chain.get(i - 1)).keySet()) {
                    if (!sib.equals(e) && sib.kind() == e.kind() && health.containsKey(sib)
                            && (next == null || graph.walkDependencies(sib).containsKey(next))) {
                        parallel.add(sib);
                    }
                }
            }
            path.add(new Incident.Hop(e, via, List.copyOf(health.getOrDefault(e, List.of())), List.copyOf(parallel)));
        }
        List<Evidence> causeEvidence = health.getOrDefault(cause, List.of());
        String text = causeText(cause, causeEvidence);
        String explanation = explanation(chain, causeEvidence);
        StringBuilder key = new StringBuilder(causeKey(causeEvidence));
        for (Entity e : chain) {
            key.append('|').append(e);
        }
        boolean changed = !key.toString().equals(s.key);
        s.key = key.toString();
        if (changed) {
            this.changed.add(s.id);
        }
        boolean newCause = s.root == null || !s.root.entity().equals(cause);
        long namedAt = newCause ? now : s.root.namedAtMs();
        s.root = new Incident.RootCause(cause, text, List.copyOf(causeEvidence), namedAt);
        s.path = List.copyOf(path);
        s.explanation = explanation;
        if (newCause) {
            s.event(new Incident.Event(now, "root_cause", "", Labels.EMPTY, cause, "root cause: " + text));
            listener.rootCauseNamed(now - s.started);
        }
        return changed;
    }

    private static String causeKey(List<Evidence> ev) {
        for (String want : new String[] {"firing", "pending"}) {
            for (Evidence e : ev) {
                if (e.isAlert() && e.state().equals(want)) {
                    return e.name() + "/" + want;
                }
            }
        }
        for (Evidence e : ev) {
            if (e.source().equals(Evidence.SIGNAL)) {
                return e.name();
            }
        }
        return "";
    }

    private static long earliest(List<Evidence> ev, long now) {
        long t = now;
        for (Evidence e : ev) {
            t = Math.min(t, e.sinceMs());
        }
        return t;
    }

    /** {@code NodeMemoryExhausted on node node-1}: a firing alert, else a pending one, else the first signal. */
    static String causeText(Entity cause, List<Evidence> ev) {
        for (String want : new String[] {"firing", "pending"}) {
            for (Evidence e : ev) {
                if (e.isAlert() && e.state().equals(want)) {
                    return e.name() + (want.equals("pending") ? " (pending)" : "") + " on " + cause;
                }
            }
        }
        for (Evidence e : ev) {
            if (e.source().equals(Evidence.SIGNAL)) {
                return e.text() + " on " + cause;
            }
        }
        return cause + " unhealthy";
    }

    private static String explanation(List<Entity> chain, List<Evidence> causeEvidence) {
        Entity cause = chain.getLast();
        StringBuilder sb = new StringBuilder();
        if (chain.size() == 1) {
            sb.append(cause).append(" is failing by itself");
        } else {
            sb.append(chain.getFirst()).append(" fails because ").append(cause).append(" beneath it is unhealthy, through ");
            for (int i = 1; i < chain.size(); i++) {
                sb.append(i > 1 ? " → " : "").append(chain.get(i));
            }
        }
        List<String> what = new ArrayList<>();
        for (Evidence e : causeEvidence) {
            if (!e.source().equals(Evidence.DERIVED) && what.size() < 3) {
                what.add(e.text() + " since " + GoTime.rfc3339Millis(java.time.Instant.ofEpochMilli(e.sinceMs())));
            }
        }
        if (!what.isEmpty()) {
            sb.append(" (").append(String.join("; ", what)).append(')');
        }
        return sb.toString();
    }

    private static String summary(State s) {
        StringBuilder sb = new StringBuilder("Incident ").append(s.id).append(" since ")
                .append(GoTime.rfc3339Millis(java.time.Instant.ofEpochMilli(s.started)));
        if (s.root != null) {
            sb.append(": root cause ").append(s.root.text()).append("; path ");
            for (int i = 0; i < s.path.size(); i++) {
                sb.append(i > 0 ? " → " : "").append(s.path.get(i).entity());
            }
        }
        return sb.toString();
    }

    private Incident view(State s, String state) {
        List<Incident.Member> members = new ArrayList<>();
        for (Member m : s.members.values()) {
            members.add(new Incident.Member(m.labels, m.entity, m.state, m.activeAt, m.firedAt, m.resolvedAt, m.joinedAt));
        }
        return new Incident(s.id, state, s.started, s.lastActive, s.resolved, List.copyOf(members),
                List.copyOf(s.entities()), s.root, s.path, s.explanation, summary(s), List.copyOf(s.timeline));
    }
}

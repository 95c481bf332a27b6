package io.specula.incident;

import io.specula.model.labels.Labels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The entities the server knows of and which depends on which ({@code service app} on
 * {@code service auth}, a pod on its node, a service on its pods), each edge with the reason it
 * exists. Also maps label sets (alerts, series) onto entities: see {@link #resolve}. Immutable
 * and thread-safe once built.
 */
public final class EntityGraph {
    /** Workload labels of kube-state-metrics series; their value names a service. */
    static final String[] WORKLOAD_LABELS = {"deployment", "statefulset", "daemonset", "cronjob", "job_name"};

    public static final EntityGraph EMPTY = new Builder().build();

    private final Set<Entity> entities;
    private final Map<Entity, Map<Entity, String>> dependsOn;
    private final Map<Entity, Set<Entity>> dependents;
    private final Map<String, Entity> instances;
    private final Map<String, List<Entity>> podsByName;

    private EntityGraph(Builder b) {
        this.entities = Collections.unmodifiableSet(new TreeSet<>(b.entities));
        Map<Entity, Map<Entity, String>> deps = new HashMap<>();
        Map<Entity, Set<Entity>> rev = new HashMap<>();
        b.dependsOn.forEach((from, tos) -> {
            deps.put(from, Collections.unmodifiableMap(new TreeMap<>(tos)));
            for (Entity to : tos.keySet()) {
                rev.computeIfAbsent(to, k -> new TreeSet<>()).add(from);
            }
        });
        this.dependsOn = deps;
        this.dependents = rev;
        this.instances = Map.copyOf(b.instances);
        Map<String, List<Entity>> pods = new HashMap<>();
        for (Entity e : entities) {
            if (e.kind() == Entity.Kind.POD) {
                pods.computeIfAbsent(e.shortName(), k -> new ArrayList<>()).add(e);
            }
        }
        this.podsByName = pods;
    }

    public Set<Entity> entities() {
        return entities;
    }

    /** What {@code e} depends on, each with the reason the edge exists, sorted. */
    public Map<Entity, String> dependencies(Entity e) {
        return dependsOn.getOrDefault(e, Map.of());
    }

    /**
     * What a root-cause walk goes down to from {@code e}: its dependencies, and for a pod also the
     * services its services call (a pod of {@code auth} calls what {@code auth} calls).
     */
    public Map<Entity, String> walkDependencies(Entity e) {
        Map<Entity, String> deps = dependencies(e);
        if (e.kind() != Entity.Kind.POD) {
            return deps;
        }
        Map<Entity, String> out = new TreeMap<>(deps);
        for (Entity s : dependents(e)) {
            if (s.kind() == Entity.Kind.SERVICE) {
                dependencies(s).forEach((to, why) -> {
                    if (to.kind() == Entity.Kind.SERVICE) {
                        out.putIfAbsent(to, "as part of " + s + ": " + why);
                    }
                });
            }
        }
        return out;
    }

    /** What depends on {@code e}. */
    public Set<Entity> dependents(Entity e) {
        return dependents.getOrDefault(e, Set.of());
    }

    /** Whether the graph holds any edge at all (no topology: alerts are never merged by it). */
    public boolean hasEdges() {
        return !dependsOn.isEmpty();
    }

    public int edgeCount() {
        int n = 0;
        for (Map<Entity, String> m : dependsOn.values()) {
            n += m.size();
        }
        return n;
    }

    /**
     * The entity a label set is about, most specific first: a pod ({@code pod} and
     * {@code namespace}), a node ({@code node}), what the {@code instance} is known to be (a
     * scraped pod, node or job), a workload ({@code deployment}, {@code statefulset}, …), a
     * {@code service} label, a service-graph {@code server}, the {@code job}, and last the
     * instance itself. Null when none of these labels is present.
     */
    public Entity resolve(Labels l) {
        String pod = l.get("pod");
        if (!pod.isEmpty()) {
            String ns = l.get("namespace");
            Entity e = Entity.pod(ns, pod);
            if (ns.isEmpty() && !entities.contains(e)) {
                List<Entity> same = podsByName.getOrDefault(pod, List.of());
                if (same.size() == 1) {
                    return same.getFirst();
                }
            }
            return e;
        }
        String node = l.get("node");
        if (!node.isEmpty()) {
            return Entity.node(node);
        }
        String instance = l.get("instance");
        if (!instance.isEmpty()) {
            Entity known = instances.get(instance);
            if (known != null) {
                return known;
            }
        }
        for (String w : WORKLOAD_LABELS) {
            String v = l.get(w);
            if (!v.isEmpty()) {
                return Entity.service(v);
            }
        }
        for (String name : new String[] {"service", "server", "job"}) {
            String v = l.get(name);
            if (!v.isEmpty()) {
                return Entity.service(v);
            }
        }
        return instance.isEmpty() ? null : new Entity(Entity.Kind.INSTANCE, instance);
    }

    /** Collects entities, edges and instance aliases; later reasons for the same edge are dropped. Not thread-safe. */
    public static final class Builder {
        private final Set<Entity> entities = new java.util.HashSet<>();
        private final Map<Entity, Map<Entity, String>> dependsOn = new LinkedHashMap<>();
        private final Map<String, Entity> instances = new HashMap<>();

        public Builder entity(Entity e) {
            entities.add(e);
            return this;
        }

        /** {@code from} depends on {@code to}, because {@code reason}. Self-edges are ignored. */
        public Builder dependsOn(Entity from, Entity to, String reason) {
            if (from.equals(to)) {
                return this;
            }
            entities.add(from);
            entities.add(to);
            dependsOn.computeIfAbsent(from, k -> new LinkedHashMap<>()).putIfAbsent(to, reason);
            return this;
        }

        /** Series with this {@code instance} label are about {@code e}. */
        public Builder instance(String instance, Entity e) {
            entities.add(e);
            instances.putIfAbsent(instance, e);
            return this;
        }

        public boolean has(Entity e) {
            return entities.contains(e);
        }

        public Set<Entity> entitiesOf(Entity.Kind kind) {
            Set<Entity> out = new TreeSet<>();
            for (Entity e : entities) {
                if (e.kind() == kind) {
                    out.add(e);
                }
            }
            return out;
        }

        public EntityGraph build() {
            return new EntityGraph(this);
        }
    }
}

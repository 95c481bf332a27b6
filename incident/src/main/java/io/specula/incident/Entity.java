package io.specula.incident;

/**
 * Something that can fail and that alerts and series name: a node, a pod, a service (a scrape
 * job, a {@code service} label, a workload that owns pods, a service-graph node), or an
 * instance no other entity claims. Pods are named {@code namespace/pod} when the namespace is
 * known. Immutable.
 */
public record Entity(Kind kind, String name) implements Comparable<Entity> {

    /** Kinds in the order a root cause prefers them when all else is equal: lowest layer first. */
    public enum Kind {
        NODE("node"), POD("pod"), INSTANCE("instance"), SERVICE("service");

        public final String apiName;

        Kind(String apiName) {
            this.apiName = apiName;
        }

        /** The kind named {@code s} ({@code node}, {@code pod}, …), or null. */
        public static Kind of(String s) {
            for (Kind k : values()) {
                if (k.apiName.equals(s)) {
                    return k;
                }
            }
            return null;
        }
    }

    public Entity {
        if (kind == null || name == null || name.isEmpty()) {
            throw new IllegalArgumentException("an entity needs a kind and a name");
        }
    }

    public static Entity node(String name) {
        return new Entity(Kind.NODE, name);
    }

    public static Entity service(String name) {
        return new Entity(Kind.SERVICE, name);
    }

    /** A pod; {@code namespace} may be null or empty. */
    public static Entity pod(String namespace, String pod) {
        return new Entity(Kind.POD, namespace == null || namespace.isEmpty() ? pod : namespace + "/" + pod);
    }

    /** The pod's name without its namespace (the whole name for other kinds). */
    public String shortName() {
        return kind == Kind.POD ? name.substring(name.indexOf('/') + 1) : name;
    }

    /**
     * Parses a reference as the configuration writes it: {@code kind:name} ({@code node:node-1},
     * {@code pod:prod/db-sync-0}, {@code service:auth}) or a bare name, which is a service.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Entity parse(String ref) {
        if (ref == null || ref.isBlank()) {
            throw new IllegalArgumentException("empty entity reference");
        }
        int colon = ref.indexOf(':');
        if (colon < 0) {
            return service(ref.strip());
        }
        Kind k = Kind.of(ref.substring(0, colon));
        String name = ref.substring(colon + 1).strip();
        if (k == null) {
            throw new IllegalArgumentException("unknown entity kind \"" + ref.substring(0, colon)
                    + "\" in \"" + ref + "\" (want node, pod, service or instance)");
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException("entity reference \"" + ref + "\" has no name");
        }
        return new Entity(k, name);
    }

    @Override
    public int compareTo(Entity o) {
        int c = kind.compareTo(o.kind);
        return c != 0 ? c : name.compareTo(o.name);
    }

    /** {@code node node-1}: how summaries and annotations name it. */
    @Override
    public String toString() {
        return kind.apiName + " " + name;
    }
}

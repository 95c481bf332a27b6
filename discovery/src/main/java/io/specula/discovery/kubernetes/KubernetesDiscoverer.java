package io.specula.discovery.kubernetes;

import io.specula.discovery.Discoverer;
import io.specula.discovery.TargetGroup;
import io.specula.discovery.config.KubernetesSdConfig;
import io.specula.discovery.kubernetes.Informer.Kind;
import io.specula.httpclient.HttpClients;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * {@code kubernetes_sd_configs}: watches the objects a role needs (per configured namespace, with
 * the configured selectors) and sends one target group per object of the role, rebuilt as soon
 * as the object or anything it draws labels from changes (a service for endpoints, a pod for
 * its endpoints, a node or namespace with {@code attach_metadata}). Groups are sent only when
 * they changed; a deleted object's source is retracted with an empty group.
 */
public final class KubernetesDiscoverer implements Discoverer {
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesDiscoverer.class);

    private final KubernetesSdConfig config;
    private final ClusterAccess fixedAccess;
    private final java.nio.file.Path baseDir;
    private final List<Informer> informers = new ArrayList<>();
    private final Set<String> dirty = new LinkedHashSet<>();
    private final Map<String, TargetGroup> sent = new HashMap<>();
    private Kind primary;

    /** @param baseDir the config file's directory, which a relative {@code kubeconfig_file} starts from, or null */
    public KubernetesDiscoverer(KubernetesSdConfig config, java.nio.file.Path baseDir) {
        this.config = config;
        this.fixedAccess = null;
        this.baseDir = baseDir;
    }

    /** With the cluster access given (tests: the in-cluster configuration from a fake environment). */
    KubernetesDiscoverer(KubernetesSdConfig config, ClusterAccess access) {
        this.config = config;
        this.fixedAccess = access;
        this.baseDir = null;
    }

    @Override
    public void run(Sink sink) throws InterruptedException {
        ClusterAccess access;
        KubeApi api;
        try {
            access = fixedAccess != null ? fixedAccess : ClusterAccess.of(config, baseDir);
            api = new KubeApi(access);
        } catch (IOException | HttpClients.ClientConfigException e) {
            KubernetesMetrics.failure();
            LOG.error("msg=\"Cannot create service discovery\" type=kubernetes role={} err=\"{}\"", config.role, e.getMessage());
            Thread.sleep(Long.MAX_VALUE);
            return;
        }
        List<Thread> threads = new ArrayList<>();
        try {
            createInformers(api, access.ownNamespace());
            for (Informer inf : informers) {
                threads.add(Thread.ofVirtual().name("k8s-sd-" + inf.kind.plural()).start(() -> {
                    try {
                        inf.run();
                    } catch (InterruptedException e) {
                        // stopped
                    }
                }));
            }
            synchronized (this) {
                while (!informers.stream().allMatch(Informer::synced)) {
                    wait(100);
                }
            }
            List<TargetGroup> initial = new ArrayList<>();
            synchronized (this) {
                dirty.clear();
            }
            for (Informer inf : informers) {
                if (inf.kind.equals(primary)) {
                    for (JsonNode obj : inf.objects()) {
                        TargetGroup g = build(obj);
                        sent.put(g.source(), g);
                        initial.add(g);
                    }
                }
            }
            sink.send(initial);
            while (true) {
                List<String> keys;
                synchronized (this) {
                    while (dirty.isEmpty()) {
                        wait();
                    }
                    keys = new ArrayList<>(dirty);
                    dirty.clear();
                }
                List<TargetGroup> out = new ArrayList<>();
                for (String key : keys) {
                    JsonNode obj = primaryObject(key);
                    TargetGroup g = obj == null ? TargetGroup.empty(source(key)) : build(obj);
                    TargetGroup prev = obj == null ? sent.remove(g.source()) : sent.put(g.source(), g);
                    if (obj == null ? prev != null : !g.equals(prev)) {
                        out.add(g);
                    }
                }
                if (!out.isEmpty()) {
                    sink.send(out);
                }
            }
        } finally {
            threads.forEach(Thread::interrupt);
            api.close();
        }
    }

    private List<String> namespaces(String own) {
        List<String> ns = new ArrayList<>(config.names());
        if (config.ownNamespace() && own != null) {
            ns.add(own);
        }
        if (ns.isEmpty()) {
            ns.add(""); // all namespaces
        }
        return ns;
    }

    private void createInformers(KubeApi api, String own) {
        String role = config.role;
        primary = switch (role) {
            case "node" -> Kind.NODES;
            case "pod" -> Kind.PODS;
            case "service" -> Kind.SERVICES;
            case "endpoints" -> Kind.ENDPOINTS;
            case "endpointslice" -> Kind.ENDPOINTSLICES;
            case "ingress" -> Kind.INGRESSES;
            default -> throw new IllegalStateException("unvalidated role " + role);
        };
        if (primary == Kind.NODES) {
            add(api, Kind.NODES, "");
            return;
        }
        for (String ns : namespaces(own)) {
            add(api, primary, ns);
            if (primary == Kind.ENDPOINTS || primary == Kind.ENDPOINTSLICES) {
                add(api, Kind.SERVICES, ns);
                add(api, Kind.PODS, ns);
            }
        }
        boolean nodeMeta = config.attachNode() && (primary == Kind.PODS || primary == Kind.ENDPOINTS || primary == Kind.ENDPOINTSLICES);
        if (nodeMeta) {
            add(api, Kind.NODES, "");
        }
        if (config.attachNamespace()) {
            add(api, Kind.NAMESPACES, "");
        }
    }

    private void add(KubeApi api, Kind kind, String ns) {
        KubernetesSdConfig.Selector s = config.selectorFor(kind.metricRole() == null ? "namespace" : kind.metricRole());
        informers.add(new Informer(api, kind, ns, s.label, s.field, this::changed));
    }

    /** Marks the role objects an event touches for rebuilding. */
    private void changed(Informer source, String op, JsonNode obj) {
        if (source.kind.metricRole() != null) {
            KubernetesMetrics.event(source.kind.metricRole(), op);
        }
        Kind k = source.kind;
        synchronized (this) {
            if (k.equals(primary)) {
                dirty.add(Informer.key(obj));
            } else if (k == Kind.SERVICES) {
                String ns = Meta.namespace(obj);
                String name = Meta.name(obj);
                forPrimary(p -> ns.equals(Meta.namespace(p)) && (primary == Kind.ENDPOINTS
                        ? name.equals(Meta.name(p))
                        : name.equals(Meta.text(p.path("metadata").path("labels"), "kubernetes.io/service-name"))));
            } else if (k == Kind.PODS) {
                String ns = Meta.namespace(obj);
                String name = Meta.name(obj);
                forPrimary(p -> ns.equals(Meta.namespace(p)) && referencesPod(p, name));
            } else if (k == Kind.NODES) {
                String node = Meta.name(obj);
                forPrimary(p -> onNode(p, node));
            } else if (k == Kind.NAMESPACES) {
                String ns = Meta.name(obj);
                forPrimary(p -> ns.equals(Meta.namespace(p)));
            }
            notifyAll();
        }
    }

    private void forPrimary(java.util.function.Predicate<JsonNode> p) {
        for (Informer inf : informers) {
            if (inf.kind.equals(primary)) {
                for (JsonNode o : inf.objects()) {
                    if (p.test(o)) {
                        dirty.add(Informer.key(o));
                    }
                }
            }
        }
    }

    /** Whether an endpoints or endpointslice object has an address backed by the named pod. */
    private boolean referencesPod(JsonNode p, String pod) {
        boolean[] found = {false};
        java.util.function.Consumer<JsonNode> check = ref -> {
            if ("Pod".equals(Meta.text(ref, "kind")) && pod.equals(Meta.text(ref, "name"))) {
                found[0] = true;
            }
        };
        if (primary == Kind.ENDPOINTS) {
            for (JsonNode subset : p.path("subsets")) {
                subset.path("addresses").forEach(a -> check.accept(a.path("targetRef")));
                subset.path("notReadyAddresses").forEach(a -> check.accept(a.path("targetRef")));
            }
        } else {
            p.path("endpoints").forEach(e -> check.accept(e.path("targetRef")));
        }
        return found[0];
    }

    private boolean onNode(JsonNode p, String node) {
        if (primary == Kind.PODS) {
            return node.equals(Meta.text(p, "spec", "nodeName"));
        }
        String json = p.toString(); // endpoints name their node per address; any mention is enough to rebuild
        return json.contains("\"" + node + "\"");
    }

    private JsonNode primaryObject(String key) {
        for (Informer inf : informers) {
            if (inf.kind.equals(primary)) {
                JsonNode o = inf.get(key);
                if (o != null) {
                    return o;
                }
            }
        }
        return null;
    }

    private String source(String key) {
        int slash = key.indexOf('/');
        String ns = slash < 0 ? "" : key.substring(0, slash);
        String name = key.substring(slash + 1);
        return switch (config.role) {
            case "node" -> "node/" + name;
            case "pod" -> Roles.podSource(ns, name);
            case "service" -> Roles.serviceSource(ns, name);
            case "endpoints" -> Endpoints.endpointsSource(ns, name);
            case "endpointslice" -> Endpoints.sliceSource(ns, name);
            default -> Roles.ingressSource(ns, name);
        };
    }

    private final Roles.Lookup lookup = new Roles.Lookup() {
        @Override
        public JsonNode node(String name) {
            return find(Kind.NODES, name);
        }

        @Override
        public JsonNode namespace(String name) {
            return find(Kind.NAMESPACES, name);
        }

        @Override
        public JsonNode pod(String namespace, String name) {
            return find(Kind.PODS, namespace + "/" + name);
        }

        @Override
        public JsonNode service(String namespace, String name) {
            return find(Kind.SERVICES, namespace + "/" + name);
        }

        private JsonNode find(Kind kind, String key) {
            for (Informer inf : informers) {
                if (inf.kind.equals(kind)) {
                    JsonNode o = inf.get(key);
                    if (o != null) {
                        return o;
                    }
                }
            }
            return null;
        }
    };

    private TargetGroup build(JsonNode obj) {
        boolean node = config.attachNode();
        boolean ns = config.attachNamespace();
        return switch (config.role) {
            case "node" -> Roles.node(obj);
            case "pod" -> Roles.pod(obj, lookup, node, ns);
            case "service" -> Roles.service(obj, lookup, ns);
            case "endpoints" -> Endpoints.endpoints(obj, lookup, node, ns);
            case "endpointslice" -> Endpoints.slice(obj, lookup, node, ns);
            default -> Roles.ingress(obj, lookup, ns);
        };
    }

    /** The last resourceVersion each informer saw (tests). */
    List<String> resourceVersions() {
        return informers.stream().map(Informer::resourceVersion).toList();
    }

    /** The informers' lists so far, summed (tests: a 410 must cause a second list). */
    long lists() {
        return informers.stream().mapToLong(Informer::relists).sum();
    }
}

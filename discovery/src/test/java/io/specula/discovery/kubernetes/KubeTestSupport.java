package io.specula.discovery.kubernetes;

import io.specula.discovery.Discoverer;
import io.specula.discovery.TargetGroup;
import io.specula.discovery.config.DiscoveryConfigs;
import io.specula.model.config.YamlConfigLoader;
import io.specula.model.labels.Labels;
import io.specula.testsupport.kube.FakeKubeApiServer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Loads the fixture cluster into the fake, builds discoverers from YAML and collects their groups. */
final class KubeTestSupport {
    private KubeTestSupport() {}

    /** A job holding only discovery keys, as a scrape config would. */
    static final class Job extends DiscoveryConfigs {}

    static void loadFixture(FakeKubeApiServer fake) throws Exception {
        try (InputStream in = KubeTestSupport.class.getResourceAsStream("/kubernetes/cluster.json")) {
            JsonNode all = JsonMapper.builder().build().readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            for (JsonNode o : all) {
                fake.apply(o.toString());
            }
        }
    }

    static Job job(String sdYaml) throws Exception {
        Job j = YamlConfigLoader.parse("kubernetes_sd_configs:\n" + sdYaml, "test.yml", Job.class);
        j.validateDiscovery(true);
        return j;
    }

    static Discoverer discoverer(String sdYaml) throws Exception {
        return job(sdYaml).discoverers(null).getFirst();
    }

    /** Runs a discoverer on its own thread and keeps the latest group of every source. */
    static final class Running implements AutoCloseable {
        final Map<String, TargetGroup> groups = new ConcurrentHashMap<>();
        final List<Long> sendTimes = java.util.Collections.synchronizedList(new ArrayList<>());
        final Thread thread;

        Running(Discoverer d) {
            thread = Thread.ofVirtual().start(() -> {
                try {
                    d.run(gs -> {
                        sendTimes.add(System.nanoTime());
                        for (TargetGroup g : gs) {
                            if (g.targets().isEmpty()) {
                                groups.remove(g.source());
                            } else {
                                groups.put(g.source(), g);
                            }
                        }
                    });
                } catch (InterruptedException e) {
                    // stopped
                }
            });
        }

        /** The targets of a source as Prometheus shows discovered labels: group labels, then the target's. */
        List<Map<String, String>> targets(String source) {
            TargetGroup g = groups.get(source);
            List<Map<String, String>> out = new ArrayList<>();
            if (g == null) {
                return out;
            }
            for (Labels t : g.targets()) {
                Map<String, String> m = new TreeMap<>(map(g.labels()));
                m.putAll(map(t));
                out.add(m);
            }
            return out;
        }

        @Override
        public void close() throws InterruptedException {
            thread.interrupt();
            thread.join(5000);
        }
    }

    static Map<String, String> map(Labels l) {
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i < l.size(); i++) {
            m.put(l.name(i), l.value(i));
        }
        return m;
    }

    /** A label map from name, value pairs; names without the {@code __} prefix get {@code __meta_kubernetes_}. */
    static Map<String, String> m(String... kv) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            String k = kv[i].startsWith("__") || kv[i].equals("instance") ? kv[i] : "__meta_kubernetes_" + kv[i];
            out.put(k, kv[i + 1]);
        }
        return out;
    }

    @SafeVarargs
    static Map<String, String> all(Map<String, String>... parts) {
        Map<String, String> out = new TreeMap<>();
        for (Map<String, String> p : parts) {
            out.putAll(p);
        }
        return out;
    }
}

package io.specula.discovery.consul;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.discovery.TargetGroup;
import io.specula.discovery.config.ConsulSdConfig;
import io.specula.model.config.PromDuration;
import io.specula.model.config.Secret;
import io.specula.model.labels.Labels;
import io.specula.testsupport.Await;
import io.specula.testsupport.FakeConsul;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Consul discovery against the fake Consul API: labels, catalog watch, filters, auth, blocking queries. */
class ConsulDiscovererTest {
    FakeConsul consul;
    Thread running;
    final Map<String, TargetGroup> groups = new ConcurrentHashMap<>();
    final AtomicInteger sends = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        consul = new FakeConsul();
        consul.load("state1.json");
    }

    @AfterEach
    void stop() throws Exception {
        if (running != null) {
            running.interrupt();
            running.join(5000);
        }
        consul.close();
    }

    private ConsulSdConfig config() {
        ConsulSdConfig c = new ConsulSdConfig();
        c.server = consul.address();
        c.refreshInterval = PromDuration.ofMillis(50);
        return c;
    }

    private ConsulDiscoverer run(ConsulSdConfig c) throws Exception {
        new Validator(c).validate();
        ConsulDiscoverer d = new ConsulDiscoverer(c, 200);
        running = Thread.ofVirtual().start(() -> {
            try {
                d.run(gs -> {
                    sends.incrementAndGet();
                    gs.forEach(g -> groups.put(g.source(), g));
                });
            } catch (InterruptedException stopped) {
                // done
            }
        });
        return d;
    }

    private Labels target(String service, String id) {
        return groups.get(service).targets().stream().filter(t -> id.equals(t.get("__meta_consul_service_id"))).findFirst().orElseThrow();
    }

    @Test
    void catalogWatch_everyServiceWithEveryLabel() throws Exception {
        run(config());
        Await.until(Duration.ofSeconds(5), () -> groups.keySet().containsAll(List.of("web", "db", "cache", "consul")));
        assertThat(groups.get("web").labels().toString()).isEqualTo("{__meta_consul_dc=\"dc1\", __meta_consul_service=\"web\"}");
        assertThat(target("web", "web-1").toString()).isEqualTo("{__address__=\"10.1.0.1:8080\", "
                + "__meta_consul_address=\"10.1.0.1\", __meta_consul_health=\"passing\", "
                + "__meta_consul_metadata_os_family=\"linux\", __meta_consul_metadata_rack=\"r1\", "
                + "__meta_consul_node=\"node-a\", __meta_consul_service_id=\"web-1\", "
                + "__meta_consul_service_metadata_team_name=\"core\", __meta_consul_service_metadata_version=\"1.2\", "
                + "__meta_consul_service_port=\"8080\", __meta_consul_tagged_address_lan=\"10.1.0.1\", "
                + "__meta_consul_tagged_address_wan=\"203.0.113.1\", __meta_consul_tags=\",prod,http,\"}");
        // the service address wins over the node's; the worst check decides health; maintenance beats all
        Labels web2 = target("web", "web-2");
        assertThat(web2.get("__address__")).isEqualTo("10.2.0.5:8080");
        assertThat(web2.get("__meta_consul_service_address")).isEqualTo("10.2.0.5");
        assertThat(web2.get("__meta_consul_health")).isEqualTo("warning");
        assertThat(target("db", "db-1").get("__meta_consul_health")).isEqualTo("critical");
        assertThat(target("cache", "cache-1").get("__meta_consul_health")).isEqualTo("maintenance");
        assertThat(target("cache", "cache-1").get("__meta_consul_tags")).isEqualTo(",,");
        assertThat(consul.requests).anyMatch(r -> r.startsWith("/v1/agent/self"))
                .anyMatch(r -> r.startsWith("/v1/catalog/services?stale&wait=120000ms"))
                .anyMatch(r -> r.startsWith("/v1/health/service/web?stale&wait=120000ms"));
    }

    @Test
    void blockingQueries_changeArrivesWithoutPolling_removedServiceRetracted() throws Exception {
        run(config());
        Await.until(Duration.ofSeconds(5), () -> groups.containsKey("cache") && groups.containsKey("web"));
        long before = consul.index();
        // the catalog watch and the four service watches all end up blocked on the current index
        try {
            Await.until(Duration.ofSeconds(5), () -> consul.requests.stream().filter(r -> r.contains("index=" + before + "&")).count() >= 5);
        } catch (AssertionError e) {
            throw new AssertionError("index " + before + ", requests: " + consul.requests, e);
        }
        int requests = consul.requests.size();
        Thread.sleep(500);
        // no busy polling while nothing changes
        assertThat(consul.requests.size() - requests).isZero();
        consul.load("state2.json");
        Await.until(Duration.ofSeconds(3), () -> groups.containsKey("api") && groups.get("cache").targets().isEmpty()
                && groups.get("web").targets().size() == 1);
        assertThat(target("db", "db-1").get("__meta_consul_health")).isEqualTo("passing");
        assertThat(target("api", "api-1").get("__address__")).isEqualTo("10.3.0.9:9000");
    }

    @Test
    void tagsServicesNodeMetaFilters_andDatacenterNamespacePartition() throws Exception {
        ConsulSdConfig c = config();
        c.tags = List.of("http");
        c.nodeMeta = Map.of("rack", "r1");
        c.filter = "\"prod\" in ServiceTags";
        c.healthFilter = "Service.Meta.version != \"9\"";
        c.datacenter = "dc1";
        c.partition = "part-a";
        c.namespace = "team";
        c.tagSeparator = "|";
        c.allowStale = false;
        run(c);
        Await.until(Duration.ofSeconds(5), () -> groups.containsKey("web"));
        Thread.sleep(300);
        // only web carries the tag; only node-a has rack r1
        assertThat(groups.keySet()).containsExactly("web");
        assertThat(groups.get("web").targets()).extracting(l -> l.get("__meta_consul_service_id")).containsExactly("web-1");
        assertThat(target("web", "web-1").get("__meta_consul_tags")).isEqualTo("|prod|http|");
        assertThat(groups.get("web").labels().get("__meta_consul_partition")).isEqualTo("part-a");
        assertThat(consul.requests).noneMatch(r -> r.startsWith("/v1/agent/self"))
                .anyMatch(r -> r.startsWith("/v1/catalog/services?dc=dc1&wait=120000ms&node-meta=rack%3Ar1&ns=team&partition=part-a&filter=%22prod%22+in+ServiceTags"))
                .anyMatch(r -> r.contains("/v1/health/service/web?dc=dc1") && r.contains("tag=http") && r.contains("filter=Service.Meta.version"));
    }

    @Test
    void fixedServices_tokenBasicAuthPathPrefix() throws Exception {
        consul.requiredToken = "s3cret";
        consul.requiredBasicAuth = "prom:pw";
        consul.pathPrefix = "/consul";
        ConsulSdConfig c = config();
        c.services = List.of("db", "missing");
        c.token = Secret.of("s3cret");
        c.username = "prom";
        c.password = Secret.of("pw");
        c.pathPrefix = "/consul";
        run(c);
        Await.until(Duration.ofSeconds(5), () -> groups.containsKey("db") && groups.containsKey("missing"));
        assertThat(groups.get("db").targets()).hasSize(1);
        assertThat(groups.get("missing").targets()).isEmpty();
        assertThat(consul.requests).noneMatch(r -> r.contains("/v1/catalog/services"));
    }

    @Test
    void wrongToken_failsAndRetries_thenRecovers() throws Exception {
        consul.requiredToken = "right";
        ConsulSdConfig c = config();
        c.services = List.of("web");
        c.datacenter = "dc1";
        c.token = Secret.of("wrong");
        ConsulDiscoverer d = run(c);
        Await.until(Duration.ofSeconds(5), () -> d.failures() >= 2);
        assertThat(groups).isEmpty();
        consul.requiredToken = "wrong";
        Await.until(Duration.ofSeconds(5), () -> groups.containsKey("web"));
    }

    /** Runs the package-private validation of the config as the loader would. */
    private record Validator(ConsulSdConfig c) {
        void validate() throws Exception {
            var m = ConsulSdConfig.class.getDeclaredMethod("validate");
            m.setAccessible(true);
            m.invoke(c);
        }
    }
}

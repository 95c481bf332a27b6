package io.specula.app.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.specula.discovery.dns.DnsDiscoverer;
import io.specula.testsupport.RealDnsServer;
import io.specula.testsupport.RealPrometheus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dns_sd_configs} in Specula and in the real Prometheus 2.42, both asking the same BIND 9
 * through a resolv.conf of the test's: {@code /api/v1/targets} must agree before and after the
 * zone changes. Prometheus reads only {@code /etc/resolv.conf} and asks on port 53, so it runs in
 * its own mount namespace with the test's file bound over it, and BIND listens on port 53 of 127.0.0.1: this needs root (CI runs as root); elsewhere the test skips.
 */
class DnsDiscoveryDifferentialTest {
    @TempDir
    Path dir;

    private static final String ZONE = """
            @ IN NS ns1.sd.test.
            ns1 IN A 127.0.0.1
            _web._tcp IN SRV 0 0 8080 web1.sd.test.
            _web._tcp IN SRV 0 0 8081 web2.sd.test.
            _web._tcp IN SRV 0 0 8082 web3.sd.test.
            web1 IN A 10.0.0.1
            web1 IN A 10.0.0.2
            web1 IN AAAA 2001:db8::1
            alias IN CNAME web1
            """;

    private static final String CONFIG = """
            global: {scrape_interval: 1h}
            scrape_configs:
              - job_name: dns-srv
                dns_sd_configs:
                  - names: [_web._tcp.sd.test, _gone._tcp.sd.test]
                    refresh_interval: 1s
                relabel_configs:
                  - {source_labels: [__meta_dns_srv_record_port], regex: "8081", action: drop}
                  - {source_labels: [__meta_dns_srv_record_target], target_label: srv_target}
              - job_name: dns-a
                dns_sd_configs:
                  - {names: [web1, alias.sd.test], type: A, port: 9100, refresh_interval: 1s}
                relabel_configs:
                  - {source_labels: [__meta_dns_name], target_label: dns_name}
              - job_name: dns-aaaa
                dns_sd_configs:
                  - {names: [web1.sd.test], type: AAAA, port: 9100, refresh_interval: 1s}
              - job_name: dns-big
                dns_sd_configs:
                  - {names: [_big._tcp.sd.test], refresh_interval: 1s}
            """;

    private static String big(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append("_big._tcp IN SRV 0 0 ").append(9000 + i).append(" host-").append(i).append(".example.org.\n");
        }
        return b.toString();
    }

    private static boolean portFree(String address, int port) {
        try (var tcp = new java.net.ServerSocket(port, 1, java.net.InetAddress.getByName(address));
                var udp = new java.net.DatagramSocket(port, java.net.InetAddress.getByName(address))) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean canUseNamespaces() {
        try {
            return "root".equals(System.getProperty("user.name"))
                    && new ProcessBuilder("unshare", "-m", "true").start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void targets_sameAsPrometheus_beforeAndAfterZoneChanges() throws Exception {
        assumeTrue(RealPrometheus.available(), RealPrometheus.BINARY + " missing: install Debian's prometheus (or run .ci/run)");
        assumeTrue(RealDnsServer.available(), RealDnsServer.NAMED + " missing: install Debian's bind9 (or run .ci/run)");
        assumeTrue(canUseNamespaces(), "DNS differential skipped: needs root and unshare(1) to give Prometheus its own /etc/resolv.conf");

        // BIND listens only on addresses of an interface, and Prometheus asks only on port 53
        String address = "127.0.0.1";
        assumeTrue(portFree(address, 53), "DNS differential skipped: port 53 on 127.0.0.1 is taken");
        Map<String, String> zones = new LinkedHashMap<>();
        zones.put("sd.test", ZONE + big(60));
        Path resolv = dir.resolve("resolv.conf");
        Files.writeString(resolv, "nameserver " + address + "\nsearch sd.test\noptions ndots:1\n");
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, CONFIG);

        System.setProperty(DnsDiscoverer.RESOLV_CONF_PROPERTY, resolv.toString());
        System.setProperty(DnsDiscoverer.PORT_PROPERTY, "53");
        try (RealDnsServer dns = RealDnsServer.start(dir.resolve("bind"), address, 53, zones, 512);
                RealPrometheus prom = RealPrometheus.start(config, dir.resolve("prom"),
                        List.of("unshare", "-m", "sh", "-c", "mount --bind \"$0\" /etc/resolv.conf && exec \"$@\"", resolv.toString()));
                Server specula = TargetsComparison.startSpecula(config, dir.resolve("specula"))) {
            String promUrl = prom.url("/api/v1/targets");
            String speculaUrl = "http://127.0.0.1:" + specula.port() + "/api/v1/targets";

            var before = TargetsComparison.await(promUrl, n -> n.containsKey("dns-big") && n.get("dns-big").containsKey("active")
                    && n.get("dns-big").get("active").size() == 60 && n.containsKey("dns-aaaa"));
            var ours = TargetsComparison.awaitEqual(speculaUrl, before);
            assertThat(ours).isEqualTo(before);
            assertThat(TargetsComparison.mentions(before, "__meta_dns_srv_record_port=8081")).as("the dropped SRV target").isTrue();

            // web3 goes, web4 comes, the big set shrinks, an A record changes
            zones.put("sd.test", ZONE.replace("8082 web3", "8083 web4").replace("10.0.0.2", "10.0.0.7") + big(40));
            dns.setZone("sd.test", zones.get("sd.test"));
            var after = TargetsComparison.await(promUrl, n -> TargetsComparison.mentions(n, "web4.sd.test:8083")
                    && TargetsComparison.mentions(n, "10.0.0.7:9100") && n.get("dns-big").get("active").size() == 40);
            var oursAfter = TargetsComparison.awaitEqual(speculaUrl, after);
            assertThat(oursAfter).isEqualTo(after);
        } finally {
            System.clearProperty(DnsDiscoverer.RESOLV_CONF_PROPERTY);
            System.clearProperty(DnsDiscoverer.PORT_PROPERTY);
        }
    }
}

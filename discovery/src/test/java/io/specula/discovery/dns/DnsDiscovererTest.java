package io.specula.discovery.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.specula.discovery.TargetGroup;
import io.specula.discovery.config.DnsSdConfig;
import io.specula.model.config.PromDuration;
import io.specula.model.labels.Labels;
import io.specula.testsupport.RealDnsServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DNS discovery against a real BIND 9 on a loopback port: every record type, rcodes, TCP fallback. */
class DnsDiscovererTest {
    @TempDir
    static Path dir;
    static RealDnsServer dns;

    static final String ZONE = """
            @ IN NS ns1.sd.test.
            @ IN NS ns2.sd.test.
            @ IN MX 10 mail1.sd.test.
            @ IN MX 20 mail2.sd.test.
            ns1 IN A 127.0.0.1
            ns2 IN A 127.0.0.2
            _web._tcp IN SRV 0 0 8080 web1.sd.test.
            _web._tcp IN SRV 0 0 8081 web2.sd.test.
            web1 IN A 10.0.0.1
            web1 IN A 10.0.0.2
            web1 IN AAAA 2001:db8::1
            web1 IN AAAA ::ffff:10.1.2.3
            alias IN CNAME web1
            changing IN A 10.9.9.9
            """;

    @BeforeAll
    static void startDns() throws Exception {
        assumeTrue(RealDnsServer.available(), RealDnsServer.NAMED + " missing: install Debian's bind9 (or run .ci/run) to test DNS discovery");
        StringBuilder zone = new StringBuilder(ZONE);
        for (int i = 0; i < 60; i++) {
            zone.append("_big._tcp IN SRV 0 0 ").append(9000 + i).append(" host-").append(i).append(".example.org.\n");
        }
        Map<String, String> zones = new LinkedHashMap<>();
        zones.put("sd.test", zone.toString());
        zones.put("broken.test", null);
        dns = RealDnsServer.start(dir.resolve("bind"), "127.0.0.1", RealDnsServer.freePort("127.0.0.1"), zones, 512);
    }

    @AfterAll
    static void stopDns() throws Exception {
        if (dns != null) {
            dns.close();
        }
    }

    private static DnsDiscoverer discoverer(String type, int port, String... names) {
        return discoverer(new ResolvConf(List.of("127.0.0.1"), dns.port(), List.of("sd.test."), 1), type, port, names);
    }

    private static DnsDiscoverer discoverer(ResolvConf rc, String type, int port, String... names) {
        DnsSdConfig c = new DnsSdConfig();
        c.names = List.of(names);
        c.type = type;
        c.port = port;
        c.refreshInterval = PromDuration.ofSeconds(30);
        return new DnsDiscoverer(c, () -> rc);
    }

    private static List<String> targets(TargetGroup g) {
        List<String> out = new ArrayList<>();
        for (Labels l : g.targets()) {
            out.add(l.toString());
        }
        return out;
    }

    @Test
    void srv_targetsWithRecordLabels() throws Exception {
        List<TargetGroup> gs = discoverer("SRV", 0, "_web._tcp.sd.test").refresh();
        assertThat(gs).hasSize(1);
        assertThat(gs.get(0).source()).isEqualTo("_web._tcp.sd.test");
        assertThat(targets(gs.get(0))).containsExactlyInAnyOrder(
                "{__address__=\"web1.sd.test:8080\", __meta_dns_name=\"_web._tcp.sd.test\", __meta_dns_srv_record_port=\"8080\", __meta_dns_srv_record_target=\"web1.sd.test.\"}",
                "{__address__=\"web2.sd.test:8081\", __meta_dns_name=\"_web._tcp.sd.test\", __meta_dns_srv_record_port=\"8081\", __meta_dns_srv_record_target=\"web2.sd.test.\"}");
    }

    @Test
    void a_followsCnameAndUsesPort_aaaaInGoForm() throws Exception {
        List<TargetGroup> a = discoverer("A", 9100, "alias.sd.test").refresh();
        assertThat(targets(a.get(0))).containsExactlyInAnyOrder(
                "{__address__=\"10.0.0.1:9100\", __meta_dns_name=\"alias.sd.test\"}",
                "{__address__=\"10.0.0.2:9100\", __meta_dns_name=\"alias.sd.test\"}");
        List<TargetGroup> aaaa = discoverer("aaaa", 9100, "web1.sd.test").refresh();
        assertThat(targets(aaaa.get(0))).containsExactlyInAnyOrder(
                "{__address__=\"[2001:db8::1]:9100\", __meta_dns_name=\"web1.sd.test\"}",
                "{__address__=\"10.1.2.3:9100\", __meta_dns_name=\"web1.sd.test\"}");
    }

    @Test
    void mxAndNs_targetsWithRecordLabels() throws Exception {
        List<TargetGroup> mx = discoverer("MX", 25, "sd.test").refresh();
        assertThat(targets(mx.get(0))).containsExactlyInAnyOrder(
                "{__address__=\"mail1.sd.test:25\", __meta_dns_mx_record_target=\"mail1.sd.test.\", __meta_dns_name=\"sd.test\"}",
                "{__address__=\"mail2.sd.test:25\", __meta_dns_mx_record_target=\"mail2.sd.test.\", __meta_dns_name=\"sd.test\"}");
        List<TargetGroup> ns = discoverer("NS", 53, "sd.test").refresh();
        assertThat(targets(ns.get(0))).containsExactlyInAnyOrder(
                "{__address__=\"ns1.sd.test:53\", __meta_dns_name=\"sd.test\", __meta_dns_ns_record_target=\"ns1.sd.test.\"}",
                "{__address__=\"ns2.sd.test:53\", __meta_dns_name=\"sd.test\", __meta_dns_ns_record_target=\"ns2.sd.test.\"}");
    }

    @Test
    void searchList_shortNameResolvedAndLabelledAsConfigured() throws Exception {
        List<TargetGroup> gs = discoverer("A", 80, "web1").refresh();
        assertThat(gs.get(0).source()).isEqualTo("web1");
        assertThat(targets(gs.get(0))).contains("{__address__=\"10.0.0.1:80\", __meta_dns_name=\"web1\"}");
    }

    @Test
    void truncatedUdpAnswer_retriedOverTcp() throws Exception {
        List<TargetGroup> gs = discoverer("SRV", 0, "_big._tcp.sd.test").refresh();
        assertThat(gs.get(0).targets()).hasSize(60);
        assertThat(targets(gs.get(0))).contains(
                "{__address__=\"host-59.example.org:9059\", __meta_dns_name=\"_big._tcp.sd.test\", __meta_dns_srv_record_port=\"9059\", __meta_dns_srv_record_target=\"host-59.example.org.\"}");
    }

    @Test
    void nxdomain_emptiesTheGroup_servfail_keepsItOut() throws Exception {
        DnsDiscoverer d = discoverer("A", 80, "missing.sd.test", "x.broken.test", "web1.sd.test");
        List<TargetGroup> gs = d.refresh();
        Map<String, TargetGroup> bySource = new LinkedHashMap<>();
        gs.forEach(g -> bySource.put(g.source(), g));
        // NXDOMAIN for every candidate: an empty group, which retracts earlier targets
        assertThat(bySource).containsKey("missing.sd.test");
        assertThat(bySource.get("missing.sd.test").targets()).isEmpty();
        // SERVFAIL: no group at all, so whatever the name had before stays
        assertThat(bySource).doesNotContainKey("x.broken.test");
        assertThat(bySource.get("web1.sd.test").targets()).hasSize(2);
        assertThat(d.failures()).isEqualTo(1);
        assertThat(d.lookups()).isEqualTo(3);
    }

    @Test
    void deadFirstServer_secondAnswers() throws Exception {
        ResolvConf rc = new ResolvConf(List.of("127.0.0.2", "127.0.0.1"), dns.port(), List.of(), 1);
        List<TargetGroup> gs = discoverer(rc, "A", 80, "web1.sd.test").refresh();
        assertThat(gs.get(0).targets()).hasSize(2);
    }

    @Test
    void recordRemoved_groupEmptiesAfterZoneChange() throws Exception {
        DnsDiscoverer d = discoverer("A", 80, "changing.sd.test");
        assertThat(targets(d.refresh().get(0))).containsExactly("{__address__=\"10.9.9.9:80\", __meta_dns_name=\"changing.sd.test\"}");
        StringBuilder zone = new StringBuilder(ZONE.replace("changing IN A 10.9.9.9\n", "changing IN A 10.9.9.8\n"));
        dns.setZone("sd.test", zone.toString());
        assertThat(targets(d.refresh().get(0))).containsExactly("{__address__=\"10.9.9.8:80\", __meta_dns_name=\"changing.sd.test\"}");
        dns.setZone("sd.test", ZONE.replace("changing IN A 10.9.9.9\n", ""));
        List<TargetGroup> gs = d.refresh();
        assertThat(gs).hasSize(1);
        assertThat(gs.get(0).targets()).isEmpty();
    }
}

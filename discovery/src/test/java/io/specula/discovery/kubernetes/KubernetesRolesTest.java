package io.specula.discovery.kubernetes;

import static io.specula.discovery.kubernetes.KubeTestSupport.all;
import static io.specula.discovery.kubernetes.KubeTestSupport.m;
import static org.assertj.core.api.Assertions.assertThat;

import io.specula.discovery.kubernetes.KubeTestSupport.Running;
import io.specula.testsupport.Await;
import io.specula.testsupport.kube.FakeKubeApiServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every role against the fixture cluster served by the fake API server: each target's labels
 * equal, label for label, what Prometheus's Kubernetes discovery documents and builds for the
 * same objects (docs/configuration/configuration.md, discovery/kubernetes).
 */
class KubernetesRolesTest {
    static FakeKubeApiServer fake;

    @BeforeAll
    static void start() throws Exception {
        fake = new FakeKubeApiServer();
        KubeTestSupport.loadFixture(fake);
    }

    @AfterAll
    static void stop() throws Exception {
        fake.close();
    }

    private Running run(String role, String extra) throws Exception {
        Running r = new Running(KubeTestSupport.discoverer("  - role: " + role + "\n    api_server: " + fake.url() + "\n" + extra));
        Await.until(Duration.ofSeconds(10), () -> !r.sendTimes.isEmpty());
        return r;
    }

    // The pod web-1 as every role that is backed by it sees it (without the namespace).
    static final Map<String, String> WEB1 = m(
            "pod_name", "web-1", "pod_ip", "10.1.0.5", "pod_ipv4", "10.1.0.5", "pod_ipv6", "fd00::1:5",
            "pod_ready", "true", "pod_phase", "Running",
            "pod_node_name", "node-1", "pod_host_ip", "10.0.0.1", "pod_uid", "uid-web-1",
            "pod_label_app", "web", "pod_labelpresent_app", "true",
            "pod_label_app_kubernetes_io_name", "web", "pod_labelpresent_app_kubernetes_io_name", "true",
            "pod_labelpresent_empty", "true",
            "pod_annotation_prometheus_io_scrape", "true", "pod_annotationpresent_prometheus_io_scrape", "true",
            "pod_annotation_prometheus_io_port", "8080", "pod_annotationpresent_prometheus_io_port", "true",
            "pod_controller_kind", "ReplicaSet", "pod_controller_name", "web-5d9c");
    static final Map<String, String> SERVICE_WEB = m(
            "service_name", "web", "service_label_app", "web", "service_labelpresent_app", "true",
            "service_annotation_prometheus_io_probe", "true", "service_annotationpresent_prometheus_io_probe", "true");
    static final Map<String, String> NS = m("namespace", "web");

    @Test
    void pod_everyContainerPortPortlessContainerAndInitContainer() throws Exception {
        try (Running r = run("pod", "")) {
            assertThat(r.targets("pod/web/web-1")).containsExactly(
                    all(NS, WEB1, m("__address__", "10.1.0.5:8080", "pod_container_name", "app",
                            "pod_container_id", "containerd://c0ffee", "pod_container_image", "shop/web:1.2",
                            "pod_container_port_number", "8080", "pod_container_port_name", "http",
                            "pod_container_port_protocol", "TCP", "pod_container_init", "false")),
                    all(NS, WEB1, m("__address__", "10.1.0.5:9100", "pod_container_name", "app",
                            "pod_container_id", "containerd://c0ffee", "pod_container_image", "shop/web:1.2",
                            "pod_container_port_number", "9100", "pod_container_port_name", "metrics",
                            "pod_container_port_protocol", "TCP", "pod_container_init", "false")),
                    all(NS, WEB1, m("__address__", "10.1.0.5", "pod_container_name", "sidecar",
                            "pod_container_id", "containerd://5ide", "pod_container_image", "proxy:3",
                            "pod_container_init", "false")),
                    all(NS, WEB1, m("__address__", "10.1.0.5:7000", "pod_container_name", "init",
                            "pod_container_id", "containerd://1n1t", "pod_container_image", "busybox:1",
                            "pod_container_port_number", "7000", "pod_container_port_protocol", "UDP",
                            "pod_container_init", "true")));
            // No IP yet: no group at all, as Prometheus.
            assertThat(r.groups).doesNotContainKey("pod/web/pending");
            // IPv6 pod addresses are bracketed; a pod without a Ready condition is "unknown".
            assertThat(r.targets("pod/default/v6").getFirst())
                    .containsEntry("__address__", "[fd00:0::5]:80")
                    .containsEntry("__meta_kubernetes_pod_ipv6", "fd00:0::5")
                    .doesNotContainKey("__meta_kubernetes_pod_ipv4")
                    .containsEntry("__meta_kubernetes_pod_ready", "unknown")
                    .doesNotContainKey("__meta_kubernetes_pod_container_port_name");
            // port-less: bracketed, in Go's canonical form (Prometheus 3)
            assertThat(r.targets("pod/default/v6").get(1)).containsEntry("__address__", "[fd00::5]");
        }
    }

    @Test
    void node_addressPrecedenceInstanceAndAddressLabels() throws Exception {
        try (Running r = run("node", "")) {
            assertThat(r.targets("node/node-1")).containsExactly(all(m(
                    "__address__", "10.0.0.1:10250", "instance", "node-1",
                    "node_name", "node-1", "node_provider_id", "aws:///z1/i-0001",
                    "node_label_kubernetes_io_hostname", "node-1", "node_labelpresent_kubernetes_io_hostname", "true",
                    "node_label_topology_kubernetes_io_zone", "z1", "node_labelpresent_topology_kubernetes_io_zone", "true",
                    "node_annotation_node_alpha_kubernetes_io_ttl", "0", "node_annotationpresent_node_alpha_kubernetes_io_ttl", "true",
                    "node_address_Hostname", "node-1", "node_address_ExternalIP", "203.0.113.1",
                    "node_address_InternalIP", "10.0.0.1")));
            assertThat(r.targets("node/node-2")).containsExactly(all(m(
                    "__address__", "node-2.example.com:10250", "instance", "node-2", "node_name", "node-2",
                    "node_address_Hostname", "node-2.local", "node_address_ExternalDNS", "node-2.example.com")));
            assertThat(r.groups).doesNotContainKey("node/node-3"); // no address: no target
        }
    }

    @Test
    void service_clusterIpExternalNameAndLoadBalancer() throws Exception {
        try (Running r = run("service", "    namespaces:\n      names: [web]\n")) {
            assertThat(r.targets("svc/web/web")).containsExactly(all(NS, SERVICE_WEB, m(
                    "__address__", "web.web.svc:80", "service_port_name", "http", "service_port_number", "80",
                    "service_port_protocol", "TCP", "service_type", "ClusterIP", "service_cluster_ip", "10.96.0.10")));
            assertThat(r.targets("svc/web/ext")).containsExactly(all(NS, m("service_name", "ext",
                    "__address__", "ext.web.svc:5432", "service_port_number", "5432", "service_port_protocol", "TCP",
                    "service_type", "ExternalName", "service_external_name", "db.example.com")));
            assertThat(r.targets("svc/web/lb")).containsExactly(all(NS, m("service_name", "lb",
                    "__address__", "lb.web.svc:443", "service_port_name", "https", "service_port_number", "443",
                    "service_port_protocol", "TCP", "service_type", "LoadBalancer", "service_cluster_ip", "10.96.0.11",
                    "service_loadbalancer_ip", "198.51.100.7")));
        }
    }

    private static final Map<String, String> WEB1_9100 = all(WEB1, m("__address__", "10.1.0.5:9100",
            "pod_container_name", "app", "pod_container_image", "shop/web:1.2", "pod_container_port_name", "metrics",
            "pod_container_port_number", "9100", "pod_container_port_protocol", "TCP", "pod_container_init", "false"));
    private static final Map<String, String> WEB1_7000 = all(WEB1, m("__address__", "10.1.0.5:7000",
            "pod_container_name", "init", "pod_container_image", "busybox:1",
            "pod_container_port_number", "7000", "pod_container_port_protocol", "UDP", "pod_container_init", "true"));
    private static final Map<String, String> WEB1_8080 = all(WEB1, m("pod_container_name", "app",
            "pod_container_image", "shop/web:1.2", "pod_container_port_name", "http", "pod_container_port_number", "8080",
            "pod_container_port_protocol", "TCP", "pod_container_init", "false"));

    @Test
    void endpoints_serviceAndPodLabelsNotReadyAddressesAndUnnamedContainerPorts() throws Exception {
        Map<String, String> group = all(NS, SERVICE_WEB, m("endpoints_name", "web",
                "endpoints_label_app", "web", "endpoints_labelpresent_app", "true"));
        try (Running r = run("endpoints", "")) {
            assertThat(r.targets("endpoints/web/web")).containsExactly(
                    all(group, WEB1_8080, m("__address__", "10.1.0.5:8080", "endpoint_port_name", "http",
                            "endpoint_port_protocol", "TCP", "endpoint_ready", "true", "endpoint_node_name", "node-1",
                            "endpoint_address_target_kind", "Pod", "endpoint_address_target_name", "web-1")),
                    all(group, m("__address__", "10.1.0.6:8080", "endpoint_port_name", "http",
                            "endpoint_port_protocol", "TCP", "endpoint_ready", "false", "endpoint_hostname", "web-2")),
                    all(group, WEB1_9100),
                    all(group, WEB1_7000));
        }
    }

    @Test
    void endpointslice_conditionsTopologyAndAppProtocol() throws Exception {
        Map<String, String> group = all(NS, SERVICE_WEB, m("endpointslice_name", "web-x7k2p",
                "endpointslice_address_type", "IPv4",
                "endpointslice_label_kubernetes_io_service_name", "web",
                "endpointslice_labelpresent_kubernetes_io_service_name", "true",
                "endpointslice_label_endpointslice_kubernetes_io_managed_by", "endpointslice-controller.k8s.io",
                "endpointslice_labelpresent_endpointslice_kubernetes_io_managed_by", "true"));
        Map<String, String> port = m("endpointslice_port_name", "http", "endpointslice_port_protocol", "TCP",
                "endpointslice_port", "8080", "endpointslice_port_app_protocol", "http");
        try (Running r = run("endpointslice", "")) {
            assertThat(r.targets("endpointslice/web/web-x7k2p")).containsExactly(
                    all(group, port, WEB1_8080, m("__address__", "10.1.0.5:8080",
                            "endpointslice_endpoint_conditions_ready", "true",
                            "endpointslice_endpoint_conditions_serving", "true",
                            "endpointslice_endpoint_conditions_terminating", "false",
                            "endpointslice_address_target_kind", "Pod", "endpointslice_address_target_name", "web-1",
                            "endpointslice_endpoint_node_name", "node-1", "endpointslice_endpoint_zone", "z1",
                            "endpointslice_endpoint_topology_kubernetes_io_hostname", "node-1",
                            "endpointslice_endpoint_topology_present_kubernetes_io_hostname", "true")),
                    all(group, port, m("__address__", "10.1.0.6:8080",
                            "endpointslice_endpoint_conditions_ready", "false", "endpointslice_endpoint_hostname", "web-2")),
                    all(group, WEB1_9100),
                    all(group, WEB1_7000));
        }
    }

    @Test
    void ingress_tlsWildcardSchemeAndDefaultPaths() throws Exception {
        Map<String, String> group = all(NS, m("ingress_name", "web", "ingress_class_name", "nginx",
                "ingress_label_app", "web", "ingress_labelpresent_app", "true",
                "ingress_annotation_kubernetes_io_ingress_class", "nginx",
                "ingress_annotationpresent_kubernetes_io_ingress_class", "true"));
        try (Running r = run("ingress", "")) {
            assertThat(r.targets("ingress/web/web")).containsExactly(
                    all(group, m("__address__", "www.example.com", "ingress_scheme", "https",
                            "ingress_host", "www.example.com", "ingress_path", "/")),
                    all(group, m("__address__", "www.example.com", "ingress_scheme", "https",
                            "ingress_host", "www.example.com", "ingress_path", "/api")),
                    all(group, m("__address__", "plain.example.org", "ingress_scheme", "http",
                            "ingress_host", "plain.example.org", "ingress_path", "/")),
                    // "*.example.com" covers one label only
                    all(group, m("__address__", "deep.www.example.com", "ingress_scheme", "http",
                            "ingress_host", "deep.www.example.com", "ingress_path", "/")));
        }
    }

    @Test
    void attachMetadata_nodeAndNamespaceLabels() throws Exception {
        try (Running r = run("pod", "    attach_metadata:\n      node: true\n      namespace: true\n")) {
            assertThat(r.targets("pod/web/web-1").getFirst()).containsAllEntriesOf(m(
                    "node_name", "node-1", "node_label_topology_kubernetes_io_zone", "z1",
                    "node_labelpresent_topology_kubernetes_io_zone", "true",
                    "namespace_label_team", "shop", "namespace_labelpresent_team", "true",
                    "namespace_annotation_owner", "ops@example.com", "namespace_annotationpresent_owner", "true"));
        }
    }

    @Test
    void selectors_labelAndFieldAreAppliedByTheServer() throws Exception {
        try (Running r = run("pod", "    selectors:\n      - role: pod\n        label: app in (web, api)\n        field: status.phase=Running\n")) {
            Await.until(Duration.ofSeconds(5), () -> r.groups.containsKey("pod/web/web-1"));
            assertThat(r.groups.keySet()).containsExactly("pod/web/web-1");
        }
        try (Running r = run("node", "    selectors:\n      - role: node\n        field: metadata.name!=node-1\n")) {
            Await.until(Duration.ofSeconds(5), () -> r.groups.containsKey("node/node-2"));
            assertThat(r.groups.keySet()).containsExactly("node/node-2");
        }
    }

    @Test
    void namespaces_onlyTheNamedOnesAreWatched() throws Exception {
        try (Running r = run("pod", "    namespaces:\n      names: [default]\n")) {
            Await.until(Duration.ofSeconds(5), () -> r.groups.containsKey("pod/default/v6"));
            assertThat(r.groups.keySet()).isEqualTo(java.util.Set.of("pod/default/v6"));
        }
    }

    static List<String> sources(Running r) {
        return List.copyOf(r.groups.keySet());
    }
}

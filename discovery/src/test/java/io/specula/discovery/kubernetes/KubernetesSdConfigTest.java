package io.specula.discovery.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** kubernetes_sd_configs validation with Prometheus's messages. */
class KubernetesSdConfigTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        {api_server: 'http://a:1'}                                   | role missing (one of: pod, service, endpoints, endpointslice, node, ingress)
        {role: pods}                                                 | unknown Kubernetes SD role "pods"
        {role: pod, api_server: 'http://a:1', kubeconfig_file: k}    | cannot use 'kubeconfig_file' and 'api_server' simultaneously
        {role: pod, kubeconfig_file: k, basic_auth: {username: u}}   | cannot use a custom HTTP client configuration together with 'kubeconfig_file'
        {role: pod, bearer_token: t}                                 | to use custom HTTP client configuration please provide the 'api_server' URL explicitly
        {role: pod, api_server: 'http://a:1', namespaces: {own_namespace: true}} | cannot use 'api_server' and 'namespaces.own_namespace' simultaneously
        {role: pod, kubeconfig_file: k, namespaces: {own_namespace: true}}       | cannot use 'kubeconfig_file' and 'namespaces.own_namespace' simultaneously
        {role: pod, selectors: [{role: pod}, {role: pod}]}           | duplicated selector role: pod
        {role: pod, selectors: [{role: service}]}                    | pod role supports only pod selectors
        {role: endpoints, selectors: [{role: node}]}                 | endpoints role supports only pod, service, endpoints selectors
        {role: endpointslice, selectors: [{role: ingress}]}          | endpointslice role supports only pod, service, endpointslice selectors
        {role: node, selectors: [{role: nodes}]}                     | unknown Kubernetes SD role "nodes"
        {role: pod, selectors: [{role: pod, field: 'spec.nodeName'}]}| invalid selector: 'spec.nodeName'; can't understand 'spec.nodeName'
        {role: pod, selectors: [{role: pod, label: 'a in b'}]}       | unable to parse requirement: found 'b', expected: '('
        {role: pod, selectors: [{role: pod, label: 'a=b c'}]}        | unable to parse requirement: invalid label value: "b c"
        """)
    void invalid_isRefusedWithPrometheusWording(String yaml, String message) {
        assertThatThrownBy(() -> KubeTestSupport.job("  - " + yaml + "\n")).hasMessageContaining(message);
    }

    @Test
    void valid_configsLoad() throws Exception {
        KubeTestSupport.job("""
                  - role: pod
                    attach_metadata: {node: true, namespace: true}
                    selectors:
                      - role: pod
                        label: "app in (a,b),!legacy,tier!=db,env"
                        field: "spec.nodeName=node-1,status.phase!=Failed"
                      - role: node
                        label: "kubernetes.io/os==linux"
                  - role: endpoints
                    api_server: https://k8s.example.com:6443
                    tls_config: {insecure_skip_verify: true}
                    authorization: {credentials: secret}
                    namespaces: {names: [a, b]}
                  - role: node
                    kubeconfig_file: /etc/kube/config
                  - role: ingress
                    namespaces: {own_namespace: true}
                """);
        assertThat(KubeTestSupport.job("  - role: service\n").kubernetesSdConfigs().getFirst().role).isEqualTo("service");
    }
}

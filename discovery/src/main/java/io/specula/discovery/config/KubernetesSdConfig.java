package io.specula.discovery.config;

import io.specula.discovery.kubernetes.Selectors;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A {@code kubernetes_sd_config}: Prometheus's keys, defaults and validation messages. The
 * API server is reached through {@code api_server} (with the inline HTTP client keys), a
 * {@code kubeconfig_file}, or, with neither, the in-cluster service account.
 */
public final class KubernetesSdConfig extends SdHttpClientConfig {
    public static final List<String> ROLES = List.of("node", "pod", "service", "endpoints", "endpointslice", "ingress");

    public String apiServer;
    public String role;
    public String kubeconfigFile;
    public Namespaces namespaces;
    public List<Selector> selectors;
    public AttachMetadata attachMetadata;

    public static final class Namespaces {
        public boolean ownNamespace;
        public List<String> names;
    }

    public static final class Selector {
        public String role;
        public String label;
        public String field;
    }

    public static final class AttachMetadata {
        public boolean node;
        public boolean namespace;
    }

    public List<String> names() {
        return namespaces == null || namespaces.names == null ? List.of() : namespaces.names;
    }

    public boolean ownNamespace() {
        return namespaces != null && namespaces.ownNamespace;
    }

    public boolean attachNode() {
        return attachMetadata != null && attachMetadata.node;
    }

    public boolean attachNamespace() {
        return attachMetadata != null && attachMetadata.namespace;
    }

    public List<Selector> selectors() {
        return selectors == null ? List.of() : selectors;
    }

    /** The label and field selector configured for objects of {@code role} ("" when none). */
    public Selector selectorFor(String role) {
        for (Selector s : selectors()) {
            if (role.equals(s.role)) {
                return s;
            }
        }
        Selector none = new Selector();
        none.role = role;
        return none;
    }

    void validate() throws ConfigValidationException {
        if (role == null || role.isEmpty()) {
            throw new ConfigValidationException("role missing (one of: pod, service, endpoints, endpointslice, node, ingress)");
        }
        checkRole(role);
        for (Selector s : selectors()) {
            if (s == null) {
                throw new ConfigValidationException("empty or null section in selectors");
            }
            if (s.role != null && !s.role.isEmpty()) {
                checkRole(s.role);
            }
        }
        validateHttp();
        boolean api = apiServer != null && !apiServer.isEmpty();
        boolean kubeconfig = kubeconfigFile != null && !kubeconfigFile.isEmpty();
        if (api) {
            try {
                URI u = new URI(apiServer);
                if (u.getScheme() == null || u.getHost() == null) {
                    throw new ConfigValidationException("parse \"" + apiServer + "\": invalid URL, scheme and host are required");
                }
            } catch (URISyntaxException e) {
                throw new ConfigValidationException("parse \"" + apiServer + "\": " + e.getReason());
            }
        }
        if (api && kubeconfig) {
            throw new ConfigValidationException("cannot use 'kubeconfig_file' and 'api_server' simultaneously");
        }
        if (kubeconfig && customHttp()) {
            throw new ConfigValidationException("cannot use a custom HTTP client configuration together with 'kubeconfig_file'");
        }
        if (!api && customHttp()) {
            throw new ConfigValidationException("to use custom HTTP client configuration please provide the 'api_server' URL explicitly");
        }
        if (api && ownNamespace()) {
            throw new ConfigValidationException("cannot use 'api_server' and 'namespaces.own_namespace' simultaneously");
        }
        if (kubeconfig && ownNamespace()) {
            throw new ConfigValidationException("cannot use 'kubeconfig_file' and 'namespaces.own_namespace' simultaneously");
        }
        Set<String> seen = new HashSet<>();
        List<String> allowed = allowedSelectorRoles();
        for (Selector s : selectors()) {
            String r = s.role == null ? "" : s.role;
            if (!seen.add(r)) {
                throw new ConfigValidationException("duplicated selector role: " + r);
            }
            if (!allowed.contains(r)) {
                throw new ConfigValidationException(role + " role supports only " + String.join(", ", allowed) + " selectors");
            }
            try {
                Selectors.parseField(s.field);
                Selectors.parseLabel(s.label);
            } catch (IllegalArgumentException e) {
                throw new ConfigValidationException(e.getMessage());
            }
        }
    }

    /**
     * Which objects' selectors a role accepts: those it watches. Node selectors also apply to the
     * node metadata a role attaches with {@code attach_metadata.node} (Prometheus 3).
     */
    private List<String> allowedSelectorRoles() {
        List<String> out = new ArrayList<>(switch (role) {
            case "endpoints" -> List.of("pod", "service", "endpoints");
            case "endpointslice" -> List.of("pod", "service", "endpointslice");
            default -> List.of(role);
        });
        if (attachNode() && (role.equals("pod") || role.equals("endpoints") || role.equals("endpointslice"))) {
            out.add("node");
        }
        return out;
    }

    private static void checkRole(String r) throws ConfigValidationException {
        if (!ROLES.contains(r)) {
            throw new ConfigValidationException("unknown Kubernetes SD role \"" + r + "\"");
        }
    }

    /** Whether any HTTP client key differs from Prometheus's defaults (its DeepEqual check). */
    private boolean customHttp() {
        return basicAuth != null || authorization != null || oauth2 != null || bearerToken != null
                || notEmpty(bearerTokenFile) || tlsConfigSet() || notEmpty(proxyUrl) || notEmpty(noProxy)
                || !followRedirects || !enableHttp2 || (httpHeaders != null && !httpHeaders.isEmpty());
    }

    private boolean tlsConfigSet() {
        TlsConfig t = tlsConfig;
        return t != null && (notEmpty(t.ca) || notEmpty(t.caFile) || notEmpty(t.cert) || notEmpty(t.certFile)
                || t.key != null || notEmpty(t.keyFile) || notEmpty(t.serverName) || t.insecureSkipVerify
                || notEmpty(t.minVersion) || notEmpty(t.maxVersion));
    }
}

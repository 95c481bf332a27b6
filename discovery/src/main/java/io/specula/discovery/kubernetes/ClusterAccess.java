package io.specula.discovery.kubernetes;

import io.specula.discovery.config.KubernetesSdConfig;
import io.specula.model.config.HttpClientConfig;
import io.specula.model.config.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Where the API server is and how to authenticate to it, from one of Prometheus's three
 * sources: {@code api_server} with the inline HTTP client keys, a kubeconfig file, or the pod's
 * service account (in-cluster). Every source ends as an {@link HttpClientConfig}, so the one
 * HTTP client factory builds the client and credential files are re-read at each request (a
 * rotated service-account token is picked up without a restart).
 *
 * @param server the API server's base URL, without a trailing slash
 * @param http TLS and authentication
 * @param exec a kubeconfig exec credential plugin, or null
 * @param ownNamespace the pod's namespace (in-cluster with {@code own_namespace}), or null
 */
record ClusterAccess(String server, HttpClientConfig http, ExecCredentials exec, String ownNamespace) {
    static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

    static ClusterAccess of(KubernetesSdConfig c, Path baseDir) throws IOException {
        if (c.kubeconfigFile != null && !c.kubeconfigFile.isEmpty()) {
            Path p = Path.of(c.kubeconfigFile);
            return kubeconfig(p.isAbsolute() || baseDir == null ? p : baseDir.resolve(p));
        }
        if (c.apiServer != null && !c.apiServer.isEmpty()) {
            return new ClusterAccess(strip(c.apiServer), c, null, null);
        }
        return inCluster(System.getenv(), SERVICE_ACCOUNT, c.ownNamespace());
    }

    /** client-go's in-cluster configuration. */
    static ClusterAccess inCluster(Map<String, String> env, Path saDir, boolean ownNamespace) throws IOException {
        String host = env.get("KUBERNETES_SERVICE_HOST");
        String port = env.get("KUBERNETES_SERVICE_PORT");
        if (host == null || host.isEmpty() || port == null || port.isEmpty()) {
            throw new IOException("unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined");
        }
        Path token = saDir.resolve("token");
        if (!Files.isReadable(token)) {
            throw new IOException("open " + token + ": no such file or directory");
        }
        HttpClientConfig h = new HttpClientConfig();
        h.authorization = new HttpClientConfig.Authorization();
        h.authorization.type = "Bearer";
        h.authorization.credentialsFile = token.toString();
        Path ca = saDir.resolve("ca.crt");
        if (Files.isReadable(ca)) {
            h.tlsConfig = new HttpClientConfig.TlsConfig();
            h.tlsConfig.caFile = ca.toString();
        }
        String ns = null;
        if (ownNamespace) {
            Path nsFile = saDir.resolve("namespace");
            try {
                ns = Files.readString(nsFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IOException("could not determine the pod's namespace: open " + nsFile + ": " + e.getMessage());
            }
            if (ns.isEmpty()) {
                throw new IOException("could not read own namespace name (empty file)");
            }
        }
        return new ClusterAccess("https://" + Meta.joinHostPort(host, port), h, null, ns);
    }

    /** The current context of a kubeconfig file: its cluster's server and TLS, its user's credentials. */
    static ClusterAccess kubeconfig(Path file) throws IOException {
        JsonNode root;
        try {
            root = YAMLMapper.builder().build().readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JacksonException e) {
            throw new IOException("error loading config file \"" + file + "\": " + e.getOriginalMessage());
        }
        Path dir = file.toAbsolutePath().getParent();
        String current = Meta.text(root, "current-context");
        if (current.isEmpty()) {
            throw new IOException("invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable");
        }
        JsonNode ctx = named(root, "contexts", current, "context");
        if (ctx == null) {
            throw new IOException("invalid configuration: context was not found for specified context: " + current);
        }
        String clusterName = Meta.text(ctx, "cluster");
        JsonNode cluster = named(root, "clusters", clusterName, "cluster");
        if (cluster == null) {
            throw new IOException("invalid configuration: cluster \"" + clusterName + "\" not found");
        }
        String server = Meta.text(cluster, "server");
        if (server.isEmpty()) {
            throw new IOException("invalid configuration: no server found for cluster \"" + clusterName + "\"");
        }
        JsonNode user = named(root, "users", Meta.text(ctx, "user"), "user");
        if (user == null) {
            user = tools.jackson.databind.node.MissingNode.getInstance();
        }
        HttpClientConfig h = new HttpClientConfig();
        HttpClientConfig.TlsConfig tls = new HttpClientConfig.TlsConfig();
        tls.ca = decoded(cluster, "certificate-authority-data");
        tls.caFile = path(dir, Meta.text(cluster, "certificate-authority"));
        tls.insecureSkipVerify = cluster.path("insecure-skip-tls-verify").asBoolean(false);
        tls.serverName = nonEmpty(Meta.text(cluster, "tls-server-name"));
        tls.cert = decoded(user, "client-certificate-data");
        tls.certFile = path(dir, Meta.text(user, "client-certificate"));
        String key = decoded(user, "client-key-data");
        tls.key = key == null ? null : Secret.of(key);
        tls.keyFile = path(dir, Meta.text(user, "client-key"));
        h.tlsConfig = tls;
        if (!Meta.text(cluster, "proxy-url").isEmpty()) {
            h.proxyUrl = Meta.text(cluster, "proxy-url");
        }
        if (!Meta.text(user, "token").isEmpty() || !Meta.text(user, "tokenFile").isEmpty()) {
            h.authorization = new HttpClientConfig.Authorization();
            h.authorization.type = "Bearer";
            if (!Meta.text(user, "tokenFile").isEmpty()) {
                h.authorization.credentialsFile = path(dir, Meta.text(user, "tokenFile"));
            } else {
                h.authorization.credentials = Secret.of(Meta.text(user, "token"));
            }
        } else if (!Meta.text(user, "username").isEmpty()) {
            h.basicAuth = new HttpClientConfig.BasicAuth();
            h.basicAuth.username = Meta.text(user, "username");
            h.basicAuth.password = Secret.of(Meta.text(user, "password"));
        }
        ExecCredentials exec = null;
        JsonNode e = user.path("exec");
        if (e.isObject()) {
            List<String> cmd = new ArrayList<>();
            String command = Meta.text(e, "command");
            // A command with a path separator is relative to the kubeconfig's directory.
            cmd.add(command.contains("/") ? path(dir, command) : command);
            e.path("args").forEach(a -> cmd.add(a.asString()));
            List<String[]> env = new ArrayList<>();
            e.path("env").forEach(v -> env.add(new String[] {Meta.text(v, "name"), Meta.text(v, "value")}));
            exec = new ExecCredentials(cmd, env, Meta.text(e, "apiVersion"), server);
        } else if (user.path("auth-provider").isObject()) {
            throw new IOException("kubeconfig user auth-provider \"" + Meta.text(user, "auth-provider", "name")
                    + "\" is not supported by Specula: use an exec credential plugin");
        }
        return new ClusterAccess(strip(server), h, exec, null);
    }

    private static JsonNode named(JsonNode root, String list, String name, String field) {
        for (JsonNode n : root.path(list)) {
            if (name.equals(Meta.text(n, "name"))) {
                return n.path(field);
            }
        }
        return null;
    }

    private static String decoded(JsonNode n, String field) throws IOException {
        String v = Meta.text(n, field);
        if (v.isEmpty()) {
            return null;
        }
        try {
            return new String(Base64.getMimeDecoder().decode(v), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IOException("kubeconfig: " + field + " is not valid base64: " + e.getMessage());
        }
    }

    private static String path(Path dir, String p) {
        if (p == null || p.isEmpty()) {
            return null;
        }
        return dir == null ? p : dir.resolve(p).toString();
    }

    private static String nonEmpty(String s) {
        return s.isEmpty() ? null : s;
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}

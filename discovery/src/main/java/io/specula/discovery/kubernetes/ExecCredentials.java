package io.specula.discovery.kubernetes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A kubeconfig {@code exec} credential plugin (client.authentication.k8s.io): runs the command,
 * reads the {@code ExecCredential} it prints and keeps its bearer token until it expires or the
 * API server refuses it. Thread-safe.
 */
final class ExecCredentials {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final List<String> command;
    private final List<String[]> env;
    private final String apiVersion;
    private final String server;
    private String token;
    private Instant expiry;

    ExecCredentials(List<String> command, List<String[]> env, String apiVersion, String server) {
        this.command = List.copyOf(command);
        this.env = List.copyOf(env);
        this.apiVersion = apiVersion.isEmpty() ? "client.authentication.k8s.io/v1" : apiVersion;
        this.server = server;
    }

    /** The current token, running the plugin when there is none or it expired. */
    synchronized String token() throws IOException {
        if (token == null || (expiry != null && Instant.now().isAfter(expiry.minusSeconds(10)))) {
            run();
        }
        return token;
    }

    /** Forgets the token (after a 401), so the next request runs the plugin again. */
    synchronized void invalidate() {
        token = null;
    }

    private void run() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        for (String[] e : env) {
            pb.environment().put(e[0], e[1]);
        }
        pb.environment().put("KUBERNETES_EXEC_INFO", "{\"apiVersion\":\"" + apiVersion
                + "\",\"kind\":\"ExecCredential\",\"spec\":{\"interactive\":false,\"cluster\":{\"server\":\"" + server + "\"}}}");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("exec plugin: " + e.getMessage());
        }
        byte[] out;
        try {
            out = p.getInputStream().readNBytes(1 << 20);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("exec plugin: " + command.getFirst() + " did not finish within 30s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("exec plugin interrupted");
        }
        if (p.exitValue() != 0) {
            throw new IOException("exec plugin: " + command.getFirst() + " exited with status " + p.exitValue());
        }
        JsonNode cred = JSON.readTree(new String(out, StandardCharsets.UTF_8));
        String t = Meta.text(cred, "status", "token");
        if (t.isEmpty()) {
            throw new IOException("exec plugin: " + command.getFirst() + " returned no status.token");
        }
        String exp = Meta.text(cred, "status", "expirationTimestamp");
        token = t;
        expiry = exp.isEmpty() ? null : Instant.parse(exp);
    }
}

package io.specula.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small PKI for TLS tests, made with the running JDK's keytool: a CA, a server certificate for
 * 127.0.0.1/localhost and a client certificate (SAN {@code client.example}), both signed by the
 * CA, written as PEM files with PKCS#8 keys, as Prometheus's tools take them.
 */
public record TestPki(Path caCert, Path serverCert, Path serverKey, Path clientCert, Path clientKey) {
    private static final String PASS = "changeit";

    public static TestPki create(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path ca = dir.resolve("ca.p12");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=Specula test CA",
                "-ext", "bc:c", "-validity", "3", "-storetype", "PKCS12", "-keystore", ca.toString(), "-storepass", PASS);
        Path caPem = dir.resolve("ca.pem");
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", PASS, "-file", caPem.toString());
        Path[] server = leaf(dir, ca, "server", "CN=localhost", "SAN=ip:127.0.0.1,dns:localhost");
        Path[] client = leaf(dir, ca, "client", "CN=client", "SAN=dns:client.example");
        return new TestPki(caPem, server[0], server[1], client[0], client[1]);
    }

    /** A key pair signed by the CA: {certificate PEM, PKCS#8 key PEM}. */
    private static Path[] leaf(Path dir, Path ca, String name, String dname, String san) throws IOException, InterruptedException {
        Path ks = dir.resolve(name + ".p12");
        keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname,
                "-validity", "3", "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", PASS);
        Path csr = dir.resolve(name + ".csr");
        keytool("-certreq", "-alias", name, "-keystore", ks.toString(), "-storepass", PASS, "-file", csr.toString());
        Path cert = dir.resolve(name + ".pem");
        keytool("-gencert", "-alias", "ca", "-keystore", ca.toString(), "-storepass", PASS, "-infile", csr.toString(),
                "-outfile", cert.toString(), "-rfc", "-validity", "3", "-ext", san);
        Path key = dir.resolve(name + "-key.pem");
        try (InputStream in = Files.newInputStream(ks)) {
            KeyStore k = KeyStore.getInstance("PKCS12");
            k.load(in, PASS.toCharArray());
            Key priv = k.getKey(name, PASS.toCharArray());
            String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(priv.getEncoded());
            Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----\n");
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
        return new Path[] {cert, key};
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + out);
        }
    }
}

package io.specula.scrape;

import io.specula.testsupport.TestServer;
import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import io.specula.scrape.config.GlobalConfig;
import io.specula.scrape.config.ScrapeConfig;
import io.specula.scrape.config.ScrapeConfigs;
import io.specula.discovery.TargetGroup;
import io.specula.httpclient.HttpClients;
import io.specula.tsdb.head.Head;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scraping over HTTPS with a self-signed certificate made by the JDK's keytool. */
class TlsScrapeTest {
    @TempDir
    static Path dir;

    private static TestServer server;
    private static Path caPem;
    private final List<HttpClient> clients = new ArrayList<>();

    private static void keytool(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    @BeforeAll
    static void startServer() throws Exception {
        Path ks = dir.resolve("server.p12");
        keytool("-genkeypair", "-alias", "srv", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-keystore", ks.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit");
        caPem = dir.resolve("ca.pem");
        keytool("-exportcert", "-rfc", "-alias", "srv", "-keystore", ks.toString(), "-storepass", "changeit",
                "-file", caPem.toString());
        server = new TestServer(ks, "changeit");
        server.body = "secure_metric 1\n";
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    private Target scrape(String tlsYaml, Head head) throws Exception {
        ScrapeConfig c = ScrapeConfigs.parse("scrape_configs:\n  - job_name: tls\n    scheme: https\n" + tlsYaml.indent(4),
                "t", GlobalConfig.defaults()).getFirst();
        HttpClient client = HttpClients.create(c, "tls");
        clients.add(client);
        TargetGroup g = new TargetGroup("0", List.of(Labels.of("__address__", server.address())), Labels.EMPTY);
        Target t = new TargetBuilder(c).build(g, g.targets().getFirst()).target();
        new ScrapeLoop(t, c, new HttpScraper(client, c, t), head, new ScrapeCache(), ScrapeOptions.DEFAULT)
                .scrapeAndReport(1_700_000_000_000L);
        return t;
    }

    @Test
    void https_trustedByCaFile_orInsecureSkipVerify_otherwiseRefused() throws Exception {
        try (Head head = new Head()) {
            assertThat(scrape("tls_config: {ca_file: " + caPem + "}", head).lastError()).isEmpty();
            assertThat(scrape("tls_config: {ca: " + quoted(Files.readString(caPem)) + "}", head).lastError()).isEmpty();
            assertThat(scrape("tls_config: {insecure_skip_verify: true}", head).lastError()).isEmpty();
            assertThat(scrape("tls_config: {ca_file: " + caPem + ", server_name: localhost}", head).lastError()).isEmpty();
            assertThat(scrape("tls_config: {ca_file: " + caPem + ", server_name: other.example}", head).lastError())
                    .isNotEmpty(); // the certificate does not name other.example
            Target untrusted = scrape("", head);
            assertThat(untrusted.health()).isEqualTo(Target.Health.DOWN);
            assertThat(untrusted.lastError()).startsWith("Get \"https://" + server.address() + "/metrics\": ");
            assertThat(Stored.named(head, "secure_metric")).isNotEmpty();
        } finally {
            clients.forEach(HttpClients::stopQuietly);
        }
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\n", "\\n") + "\"";
    }
}

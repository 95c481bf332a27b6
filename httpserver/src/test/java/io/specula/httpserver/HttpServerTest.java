package io.specula.httpserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.testsupport.Await;
import io.specula.testsupport.TestPki;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import io.specula.model.config.Pem;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCrypt;

class HttpServerTest {
    @TempDir
    static Path dir;
    static TestPki pki;
    static String aliceHash;

    private HttpServer server;

    @BeforeAll
    static void setUp() throws Exception {
        pki = TestPki.create(dir.resolve("pki"));
        aliceHash = BCrypt.hashpw("wonderland", BCrypt.gensalt(4));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /** Answers "hello" on every path. */
    private static final Handler HELLO = new Handler.Abstract() {
        @Override
        public boolean handle(Request req, Response resp, Callback cb) {
            Content.Sink.write(resp, true, "hello", cb);
            return true;
        }
    };

    private HttpServer start(String webConfig) throws IOException {
        Path f = null;
        if (webConfig != null) {
            f = dir.resolve("web-" + System.nanoTime() + ".yml");
            Files.writeString(f, webConfig);
        }
        server = HttpServer.start(new HttpServer.Options("test", "127.0.0.1:0", f, 30_000, 0), HELLO);
        return server;
    }

    private static HttpResponse<String> get(HttpClient client, String url, String user, String pass) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8)));
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static SSLContext tlsContext(boolean withClientCert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", Pem.certificates(Files.readString(pki.caCert())).iterator().next());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (withClientCert) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", Pem.privateKey(Files.readString(pki.clientKey())), "x".toCharArray(),
                    Pem.certificates(Files.readString(pki.clientCert())).toArray(new Certificate[0]));
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "x".toCharArray());
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    private static String tls(String extra) {
        return "tls_server_config:\n  cert_file: " + pki.serverCert() + "\n  key_file: " + pki.serverKey() + "\n" + extra;
    }

    @Test
    void start_withoutWebConfig_servesPlainHttp() throws Exception {
        start(null);
        HttpResponse<String> r = get(HttpClient.newHttpClient(), "http://127.0.0.1:" + server.port() + "/x", null, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("hello");
        assertThat(server.tls()).isFalse();
    }

    @Test
    void basicAuth_refusesMissingWrongAndUnknown_acceptsTheRightPassword_everywhere() throws Exception {
        start("basic_auth_users:\n  alice: '" + aliceHash + "'\nhttp_server_config:\n  headers:\n    X-Frame-Options: deny\n");
        HttpClient c = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + server.port();
        HttpResponse<String> none = get(c, base + "/-/healthy", null, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Basic");
        assertThat(none.body()).isEqualTo("Unauthorized\n");
        assertThat(get(c, base + "/", "alice", "nope").statusCode()).isEqualTo(401);
        assertThat(get(c, base + "/", "bob", "wonderland").statusCode()).isEqualTo(401);
        HttpResponse<String> ok = get(c, base + "/api", "alice", "wonderland");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("X-Frame-Options")).hasValue("deny");
        // The verdict is cached: the second request does not pay bcrypt again (and still passes).
        assertThat(get(c, base + "/api", "alice", "wonderland").statusCode()).isEqualTo(200);
    }

    @Test
    void tls_servesHttp2AndHttp1_withTheConfiguredCertificate() throws Exception {
        start(tls(""));
        assertThat(server.tls()).isTrue();
        HttpClient h2 = HttpClient.newBuilder().sslContext(tlsContext(false)).version(HttpClient.Version.HTTP_2).build();
        HttpResponse<String> r = get(h2, "https://127.0.0.1:" + server.port() + "/", null, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_2);
        HttpClient h1 = HttpClient.newBuilder().sslContext(tlsContext(false)).version(HttpClient.Version.HTTP_1_1).build();
        assertThat(get(h1, "https://127.0.0.1:" + server.port() + "/", null, null).version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThatThrownBy(() -> get(HttpClient.newHttpClient(), "http://127.0.0.1:" + server.port() + "/", null, null))
                .as("plain HTTP on a TLS port").isInstanceOf(IOException.class);
    }

    @Test
    void tls_http2Off_negotiatesHttp1() throws Exception {
        start(tls("http_server_config:\n  http2: false\n"));
        HttpClient h2 = HttpClient.newBuilder().sslContext(tlsContext(false)).version(HttpClient.Version.HTTP_2).build();
        assertThat(get(h2, "https://127.0.0.1:" + server.port() + "/", null, null).version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    }

    @Test
    void clientCertificates_requiredVerifiedAndSanChecked() throws Exception {
        start(tls("  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: " + pki.caCert()
                + "\n  client_allowed_sans: [client.example]\n"));
        String url = "https://127.0.0.1:" + server.port() + "/";
        assertThat(get(HttpClient.newBuilder().sslContext(tlsContext(true)).build(), url, null, null).statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> get(HttpClient.newBuilder().sslContext(tlsContext(false)).build(), url, null, null))
                .as("no client certificate").isInstanceOf(IOException.class);
        server.stop();
        start(tls("  client_auth_type: RequireAndVerifyClientCert\n  client_ca_file: " + pki.caCert()
                + "\n  client_allowed_sans: [other.example]\n"));
        String url2 = "https://127.0.0.1:" + server.port() + "/";
        assertThatThrownBy(() -> get(HttpClient.newBuilder().sslContext(tlsContext(true)).build(), url2, null, null))
                .as("a certificate without an allowed SAN").isInstanceOf(IOException.class);
    }

    @Test
    void webConfigChanges_applyWithoutRestart_andAnInvalidOneKeepsTheOld() throws Exception {
        Path f = dir.resolve("reloaded.yml");
        Files.writeString(f, "basic_auth_users:\n  alice: '" + aliceHash + "'\n");
        server = HttpServer.start(new HttpServer.Options("test", "127.0.0.1:0", f, 30_000, 0), HELLO);
        HttpClient c = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + server.port() + "/";
        assertThat(get(c, base, "carol", "pw").statusCode()).isEqualTo(401);
        Files.writeString(f, "basic_auth_users:\n  carol: '" + BCrypt.hashpw("pw", BCrypt.gensalt(4)) + "'\n");
        Await.until(Duration.ofSeconds(10), () -> status(c, base, "carol", "pw") == 200);
        Files.writeString(f, "basic_auth_users:\n  carol: nothash\n");
        Thread.sleep(2500);
        assertThat(get(c, base, "carol", "pw").statusCode()).isEqualTo(200);
    }

    @Test
    void rateLimit_answers429BeyondTheBurst() throws Exception {
        start("rate_limit:\n  interval: 1m\n  burst: 2\n");
        HttpClient c = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + server.port() + "/";
        List<Integer> codes = List.of(status(c, base, null, null), status(c, base, null, null), status(c, base, null, null));
        assertThat(codes).containsExactly(200, 200, 429);
    }

    @Test
    void start_invalidWebConfig_failsInOneLine() {
        assertThatThrownBy(() -> start("basic_auth_users:\n  a: b\n"))
                .isInstanceOf(IOException.class).hasMessageContaining("hashedSecret too short");
    }

    private static int status(HttpClient c, String url, String user, String pass) {
        try {
            return get(c, url, user, pass).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

}

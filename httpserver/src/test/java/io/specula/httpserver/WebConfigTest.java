package io.specula.httpserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.model.config.ConfigException;
import io.specula.testsupport.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCrypt;

class WebConfigTest {
    @TempDir
    static Path dir;
    static TestPki pki;

    @BeforeAll
    static void pki() throws Exception {
        pki = TestPki.create(dir.resolve("pki"));
    }

    private static WebConfig load(String yaml) throws Exception {
        Path f = Files.createTempFile(dir, "web", ".yml");
        Files.writeString(f, yaml);
        return WebConfig.load(f);
    }

    private static String tls(String extra) {
        return "tls_server_config:\n  cert_file: " + pki.serverCert() + "\n  key_file: " + pki.serverKey() + "\n" + extra;
    }

    @Test
    void load_emptyFile_isPlainHttpWithoutAuth() throws Exception {
        WebConfig c = load("");
        assertThat(c.tlsServerConfig.enabled()).isFalse();
        assertThat(c.basicAuthUsers).isEmpty();
        assertThat(c.httpServerConfig.http2).isTrue();
    }

    @Test
    void load_fullTlsConfig_isAccepted() throws Exception {
        WebConfig c = load(tls("""
                  client_auth_type: RequireAndVerifyClientCert
                  client_ca_file: %s
                  client_allowed_sans: [client.example]
                  min_version: TLS12
                  max_version: TLS13
                  cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]
                  curve_preferences: [CurveP256, X25519]
                  prefer_server_cipher_suites: false
                http_server_config:
                  http2: false
                  headers:
                    Strict-Transport-Security: max-age=31536000
                    X-Frame-Options: deny
                rate_limit:
                  interval: 1s
                  burst: 5
                basic_auth_users:
                  alice: %s
                """.formatted(pki.caCert(), BCrypt.hashpw("secret", BCrypt.gensalt(4)))));
        assertThat(c.tlsServerConfig.enabled()).isTrue();
        TlsServer.Material m = TlsServer.load(c.tlsServerConfig);
        assertThat(m.clientAuth()).isEqualTo(TlsServer.ClientAuth.REQUIRE_AND_VERIFY);
        assertThat(m.protocols()).containsExactly("TLSv1.2", "TLSv1.3");
        assertThat(m.curves()).containsExactly("secp256r1", "x25519");
        assertThat(m.ciphers()).startsWith("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256").contains("TLS_AES_128_GCM_SHA256");
        assertThat(m.trustStore().size()).isEqualTo(1);
    }

    @Test
    void load_relativeFiles_areResolvedAgainstTheConfigsDirectory() throws Exception {
        Path f = dir.resolve("pki").resolve("web.yml");
        Files.writeString(f, "tls_server_config:\n  cert_file: server.pem\n  key_file: server-key.pem\n");
        assertThat(WebConfig.load(f).tlsServerConfig.certFile).isEqualTo(pki.serverCert().toString());
    }

    @Test
    void load_invalidInput_isRefusedWithTheToolkitsWords() {
        String hash = BCrypt.hashpw("x", BCrypt.gensalt(4));
        assertRefused("basic_auth_users:\n  a: nothash\n", "crypto/bcrypt: hashedSecret too short to be a bcrypted password");
        assertRefused("basic_auth_users:\n  a: '" + hash.replace("$2a$04", "$3a$04") + "'\n",
                "bcrypt algorithm version '3' requested is newer than current version '2'");
        assertRefused("basic_auth_users:\n  a: '" + hash.replace("$2a$04", "$2a$99") + "'\n", "cost 99 is outside allowed range");
        assertRefused("http_server_config:\n  headers:\n    Server: x\n", "HTTP header \"Server\" can not be configured");
        assertRefused("http_server_config:\n  headers:\n    X-Frame-Options: allow\n",
                "invalid value for X-Frame-Options. Expected one of: [\"deny\" \"sameorigin\"], but got: \"allow\"");
        assertRefused("tls_server_config:\n  key_file: " + pki.serverKey() + "\n", "missing one of cert or cert_file");
        assertRefused("tls_server_config:\n  cert_file: " + pki.serverCert() + "\n", "missing one of key or key_file");
        assertRefused("tls_server_config:\n  cert_file: /nonexistent.pem\n  key_file: " + pki.serverKey() + "\n",
                "failed to read cert_file (/nonexistent.pem): open /nonexistent.pem: no such file or directory");
        assertRefused(tls("  client_auth_type: Sometimes\n"), "invalid ClientAuth: Sometimes");
        assertRefused(tls("  client_ca_file: " + pki.caCert() + "\n"), "client CA's have been configured without a Client Auth Policy");
        assertRefused(tls("  client_auth_type: VerifyClientCertIfGiven\n  client_allowed_sans: [a]\n"), "client_allowed_sans requires");
        assertRefused(tls("  cipher_suites: [TLS_NULL]\n"), "unknown cipher: TLS_NULL");
        assertRefused(tls("  curve_preferences: [CurveP999]\n"), "unknown curve: CurveP999");
        assertRefused(tls("  min_version: TLS14\n"), "unknown TLS version: TLS14");
        assertRefused("tls_server_config:\n  cert_file: " + pki.serverKey() + "\n  key_file: " + pki.serverKey() + "\n",
                "failed to load X509KeyPair");
        assertRefused("tls_server_configs: {}\n", "tls_server_configs");
    }

    private static void assertRefused(String yaml, String message) {
        assertThatThrownBy(() -> load(yaml)).as(yaml).isInstanceOf(ConfigException.class).hasMessageContaining(message);
    }
}

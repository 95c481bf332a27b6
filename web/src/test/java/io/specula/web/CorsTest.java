package io.specula.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.tsdb.DB;
import io.specula.tsdb.head.Head;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --web.cors.origin} other than the default: only matching origins (fully anchored) are allowed. */
class CorsTest {
    @TempDir
    static Path tmp;
    static TestContext ctx;
    static WebServer server;

    @BeforeAll
    static void start() throws Exception {
        ctx = new TestContext();
        ctx.flags.put(WebServer.CORS_FLAG, "https?://(a|b)\\.example");
        ctx.db = DB.open(tmp, new DB.Options(Head.DEFAULT_CHUNK_RANGE, 10 * Head.DEFAULT_CHUNK_RANGE, 0, 0));
        server = WebServer.start(ctx, new WebOptions("127.0.0.1:0", "", "", false, false, Duration.ofMinutes(2),
                Duration.ofMinutes(5)));
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        ctx.db.close();
    }

    private static HttpResponse<String> get(String origin) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/query?query=1"));
        if (origin != null) {
            b.header("Origin", origin);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void matchingOrigin_isEchoed() throws Exception {
        HttpResponse<String> r = get("https://a.example");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://a.example");
        assertThat(r.headers().firstValue("Access-Control-Allow-Methods")).hasValue("GET, POST, OPTIONS");
        assertThat(r.headers().firstValue("Vary")).hasValue("Origin");
    }

    @Test
    void otherOrigin_getsNoAllowOrigin() throws Exception {
        for (String o : new String[] {"https://c.example", "https://a.example.evil", "xhttps://a.example"}) {
            HttpResponse<String> r = get(o);
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).as(o).isEmpty();
            assertThat(r.headers().firstValue("Access-Control-Allow-Headers")).as(o).isPresent();
        }
        assertThat(get(null).headers().firstValue("Access-Control-Allow-Headers")).isEmpty();
    }
}

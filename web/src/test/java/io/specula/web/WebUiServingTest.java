package io.specula.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.specula.ui.UiAssets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The UI as the server serves it: redirect, client-side routes, caching, prefix and title. */
class WebUiServingTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private static HttpResponse<String> get(int port, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static WebServer start(String external, String prefix, String title) throws Exception {
        assumeTrue(UiAssets.load("index.html", "", "t") != null,
                "the UI was not built (-Dskip.ui): run the build with npm to test serving it");
        return WebServer.start(new TestContext(), new WebOptions("127.0.0.1:0", external, prefix, false, false,
                Duration.ofMinutes(2), Duration.ofMinutes(5), null, 0, title));
    }

    @Test
    void get_routePrefix_redirectPagesAssetsAndApi() throws Exception {
        WebServer s = start("http://prom.example:9090/prom/", "/prom", "My <Prom>");
        try {
            int port = s.port();
            HttpResponse<String> root = get(port, "/prom/");
            assertThat(root.statusCode()).isEqualTo(302);
            assertThat(root.headers().firstValue("Location")).hasValue("/prom/query");

            for (String route : new String[] {"/prom/query", "/prom/graph?g0.expr=up&g0.tab=0", "/prom/alerts", "/prom/a/b/c"}) {
                HttpResponse<String> page = get(port, route);
                assertThat(page.statusCode()).as(route).isEqualTo(200);
                assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
                assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
                assertThat(page.body()).contains("<base href=\"/prom/\">", "<title>My &lt;Prom&gt;</title>",
                        "\"title\":\"My \\u003cProm\\u003e\"");
            }
            Matcher m = Pattern.compile("src=\"\\./(assets/[^\"]+\\.js)\"").matcher(get(port, "/prom/query").body());
            assertThat(m.find()).isTrue();
            HttpResponse<String> js = get(port, "/prom/" + m.group(1), "Accept-Encoding", "gzip");
            assertThat(js.statusCode()).isEqualTo(200);
            assertThat(js.headers().firstValue("Cache-Control")).hasValue("public, max-age=31536000, immutable");
            assertThat(js.headers().firstValue("Content-Encoding")).hasValue("gzip");
            assertThat(js.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
            assertThat(get(port, "/prom/" + m.group(1)).body()).isNotEmpty();

            assertThat(get(port, "/prom/assets/nope.js").statusCode()).isEqualTo(404);
            assertThat(get(port, "/prom/assets/%2e%2e/index.html").statusCode()).isIn(400, 404);
            assertThat(get(port, "/prom/api/v1/nope").statusCode()).isEqualTo(404);
            assertThat(get(port, "/prom/-/nope").statusCode()).isEqualTo(404);
            assertThat(get(port, "/query").statusCode()).isEqualTo(404); // outside the route prefix
        } finally {
            s.stop();
        }
    }

    @Test
    void get_proxyStripsExternalPath_linksUseExternalPath() throws Exception {
        // A reverse proxy serves https://example.org/monitoring/ and strips the path: no route prefix.
        WebServer s = start("https://example.org/monitoring", "", WebOptions.DEFAULT_PAGE_TITLE);
        try {
            HttpResponse<String> root = get(s.port(), "/");
            assertThat(root.headers().firstValue("Location")).hasValue("/monitoring/query");
            assertThat(get(s.port(), "/targets").body()).contains("<base href=\"/monitoring/\">",
                    "<title>" + WebOptions.DEFAULT_PAGE_TITLE + "</title>");
        } finally {
            s.stop();
        }
    }
}

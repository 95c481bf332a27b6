package io.specula.alertmanager.notify;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A local Jetty endpoint standing in for Slack, PagerDuty, Telegram, …: records each request
 * (method, path with query, headers, body) and answers with a settable status, content type
 * and body; can fail the first N requests. Optionally TLS with a given key store.
 */
public final class FakeEndpoint implements AutoCloseable {
    public record Received(String method, String pathAndQuery, Map<String, String> headers, String body) {
        public JsonNode json() {
            return JsonMapper.builder().build().readTree(body);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private final Server server = new Server();
    private final ServerConnector connector;
    private final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
    final AtomicInteger failFirst = new AtomicInteger();
    volatile int failStatus = 500;
    volatile int status = 200;
    public volatile String contentType = "text/plain";
    public volatile String replyBody = "ok";
    private final boolean tls;

    public FakeEndpoint() throws Exception {
        this(null, null);
    }

    /** With TLS when {@code keyStore} is given (PKCS12, password {@code changeit}). */
    FakeEndpoint(Path keyStore, String unused) throws Exception {
        tls = keyStore != null;
        if (tls) {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (var in = java.nio.file.Files.newInputStream(keyStore)) {
                ks.load(in, "changeit".toCharArray());
            }
            ssl.setKeyStore(ks);
            ssl.setKeyStorePassword("changeit");
            connector = new ServerConnector(server, ssl);
        } else {
            connector = new ServerConnector(server);
        }
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String body = Content.Source.asString(request, StandardCharsets.UTF_8);
                Map<String, String> headers = new TreeMap<>();
                for (HttpField f : request.getHeaders()) {
                    headers.put(f.getLowerCaseName(), f.getValue());
                }
                String q = request.getHttpURI().getQuery();
                String path = request.getHttpURI().getPath() + (q == null ? "" : "?" + q);
                received.add(new Received(request.getMethod(), path, headers, body));
                boolean fail = failFirst.getAndDecrement() > 0;
                response.setStatus(fail ? failStatus : status);
                response.getHeaders().put("Content-Type", contentType);
                Content.Sink.write(response, true, fail ? "failing on purpose" : replyBody, callback);
                return true;
            }
        });
        server.start();
    }

    public String url(String path) {
        return (tls ? "https" : "http") + "://127.0.0.1:" + connector.getLocalPort() + path;
    }

    /** The next request, or null after 5 s. */
    public Received next() throws InterruptedException {
        return received.poll(5, TimeUnit.SECONDS);
    }

    public int count() {
        return received.size();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}

package io.specula.rules.notifier;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/** An Alertmanager stand-in on loopback that records every request and answers as told. */
final class FakeAlertmanager implements AutoCloseable {
    /** One received request. */
    record Received(String method, String path, String contentType, String userAgent, String authorization, String body,
                    long atNanos) {}

    private final Server server = new Server();
    private final ServerConnector connector;
    final List<Received> requests = new CopyOnWriteArrayList<>();
    volatile int status = 200;
    /** The first this many requests are answered 503, then {@link #status}. */
    volatile int failFirst;
    volatile long delayMillis;
    /** When set, answered as JSON (lets the fake act as an HTTP SD endpoint too). */
    volatile String jsonBody;

    FakeAlertmanager() throws Exception {
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String body = Content.Source.asString(request, StandardCharsets.UTF_8);
                requests.add(new Received(request.getMethod(), request.getHttpURI().getPath(),
                        request.getHeaders().get(HttpHeader.CONTENT_TYPE), request.getHeaders().get(HttpHeader.USER_AGENT),
                        request.getHeaders().get(HttpHeader.AUTHORIZATION), body, System.nanoTime()));
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
                response.setStatus(requests.size() <= failFirst ? 503 : status);
                String json = jsonBody;
                if (json != null) {
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                    Content.Sink.write(response, true, json, callback);
                    return true;
                }
                callback.succeeded();
                return true;
            }
        });
        server.start();
    }

    /** {@code 127.0.0.1:port}, what a static config lists. */
    String address() {
        return "127.0.0.1:" + connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}

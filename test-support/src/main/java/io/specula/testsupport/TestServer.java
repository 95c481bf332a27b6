package io.specula.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/** A scrape target (or SD endpoint) on loopback whose answer tests change at will. */
public final class TestServer implements AutoCloseable {
    private final Server server = new Server();
    private final ServerConnector connector;

    public volatile int status = 200;
    public volatile String contentType = "text/plain; version=0.0.4; charset=utf-8";
    public volatile String body = "";
    public volatile boolean gzip;
    public volatile long delayMillis;
    /** When positive, the body's first half is sent, then the server stalls this long before the rest. */
    public volatile long stallMillis;
    /** When set, requests without this exact Authorization header get 401. */
    public volatile String requiredAuthorization;
    public volatile String lastAccept;
    public volatile String lastAcceptEncoding;
    public volatile String lastPathAndQuery;
    /** The host the last request was for: the target's, when this server acts as a proxy. */
    public volatile String lastHost;
    public volatile String lastCustomHeader;
    public final AtomicInteger requests = new AtomicInteger();

    public TestServer() throws Exception {
        this(null, null);
    }

    /** An HTTPS server when {@code keystore} (PKCS12) is given. */
    public TestServer(java.nio.file.Path keystore, String password) throws Exception {
        if (keystore == null) {
            connector = new ServerConnector(server);
        } else {
            org.eclipse.jetty.util.ssl.SslContextFactory.Server ssl = new org.eclipse.jetty.util.ssl.SslContextFactory.Server();
            ssl.setKeyStorePath(keystore.toString());
            ssl.setKeyStorePassword(password);
            ssl.setKeyStoreType("PKCS12");
            connector = new ServerConnector(server, ssl);
        }
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                requests.incrementAndGet();
                lastAccept = request.getHeaders().get(HttpHeader.ACCEPT);
                lastAcceptEncoding = request.getHeaders().get(HttpHeader.ACCEPT_ENCODING);
                lastPathAndQuery = request.getHttpURI().getPathQuery();
                lastHost = request.getHttpURI().getHost();
                lastCustomHeader = request.getHeaders().get("X-Custom");
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
                String auth = requiredAuthorization;
                if (auth != null && !auth.equals(request.getHeaders().get(HttpHeader.AUTHORIZATION))) {
                    response.setStatus(401);
                    callback.succeeded();
                    return true;
                }
                response.setStatus(status);
                if (contentType != null) {
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
                }
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                if (gzip) {
                    response.getHeaders().put(HttpHeader.CONTENT_ENCODING, "gzip");
                    bytes = gzip(bytes);
                }
                if (stallMillis > 0) {
                    int half = bytes.length / 2;
                    org.eclipse.jetty.util.FutureCallback first = new org.eclipse.jetty.util.FutureCallback();
                    response.write(false, ByteBuffer.wrap(bytes, 0, half), first);
                    first.get();
                    Thread.sleep(stallMillis);
                    response.write(true, ByteBuffer.wrap(bytes, half, bytes.length - half), callback);
                    return true;
                }
                response.write(true, ByteBuffer.wrap(bytes), callback);
                return true;
            }
        });
        server.start();
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }

    public String address() {
        return "127.0.0.1:" + connector.getLocalPort();
    }

    public String url(String path) {
        return "http://" + address() + path;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}

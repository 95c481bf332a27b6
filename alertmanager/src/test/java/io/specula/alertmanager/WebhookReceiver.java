package io.specula.alertmanager;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A local webhook endpoint for tests: records every POST, can fail the first N. */
final class WebhookReceiver implements AutoCloseable {
    record Received(Instant at, JsonNode body, String userAgent, String authorization) {}

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpServer server;
    private final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
    final AtomicInteger failFirst = new AtomicInteger();
    final AtomicInteger attempts = new AtomicInteger();
    volatile int failStatus = 500;
    /** How long to sleep before answering, to play a hanging receiver. */
    volatile long delayMillis;

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            attempts.incrementAndGet();
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int status = 200;
            if (failFirst.getAndDecrement() > 0) {
                status = failStatus;
            } else {
                received.add(new Received(Instant.now(), JSON.readTree(new String(body, StandardCharsets.UTF_8)),
                        ex.getRequestHeaders().getFirst("User-Agent"), ex.getRequestHeaders().getFirst("Authorization")));
            }
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** The next notification, or null after the timeout. */
    Received poll(Duration timeout) throws InterruptedException {
        return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    List<Received> drain() {
        List<Received> out = new ArrayList<>();
        received.drainTo(out);
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

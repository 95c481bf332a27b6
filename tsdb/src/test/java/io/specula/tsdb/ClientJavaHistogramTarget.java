package io.specula.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A Prometheus Java client 1.x target serving native histograms over protobuf, for tests against
 * the real Prometheus: {@code test_latency_seconds{path="/a"}} spreads wider every round (the
 * client adds buckets, so chunks get recoded), {@code path="/b"} holds negative and zero
 * observations, {@code test_reset} counts from zero again on {@link #resetCounter()}, and with
 * {@code coarse} a {@code test_size_bytes} whose client reduces its resolution. An observer
 * thread adds 20 observations per series every 50 ms; scrapes are counted at the target.
 */
public final class ClientJavaHistogramTarget implements AutoCloseable {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    // Swapped atomically for a fresh histogram to make a counter reset (unregistering would
    // let a scrape see the series missing and write a stale marker instead).
    private final AtomicReference<Histogram> resettable = new AtomicReference<>(resetHistogram());
    private final AtomicInteger scrapes = new AtomicInteger();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicBoolean resetNow = new AtomicBoolean();
    private final Thread observer;
    private final HTTPServer server;

    public ClientJavaHistogramTarget(long seed, boolean coarse) throws Exception {
        Histogram latency = Histogram.builder().name("test_latency_seconds").help("h").labelNames("path").nativeOnly().register(registry);
        Histogram size = coarse ? Histogram.builder().name("test_size_bytes").help("h").nativeOnly().nativeInitialSchema(0)
                .nativeMaxNumberOfBuckets(12).register(registry) : null;
        registry.register((Collector) () -> {
            scrapes.incrementAndGet();
            return resettable.get().collect();
        });
        Random rnd = new Random(seed);
        observer = new Thread(() -> {
            int round = 0;
            while (!stop.get()) {
                round++;
                for (int i = 0; i < 20; i++) {
                    latency.labelValues("/a").observe(Math.exp(rnd.nextGaussian() * (1 + round / 50.0)));
                    latency.labelValues("/b").observe(i % 5 == 0 ? 0 : -Math.exp(rnd.nextGaussian()));
                    if (size != null) {
                        size.observe(Math.exp(rnd.nextGaussian() * (2 + round / 20.0)));
                    }
                    resettable.get().observe(1 + rnd.nextDouble()); // one octave: the schema never changes
                }
                if (resetNow.compareAndSet(true, false)) { // a counter reset: the histogram starts again from zero
                    Histogram fresh = resetHistogram();
                    fresh.observe(1.5); // never exposed empty (an empty one has no native part)
                    resettable.set(fresh);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        server = HTTPServer.builder().inetAddress(InetAddress.getLoopbackAddress()).port(0).registry(registry).buildAndStart();
        observer.start();
    }

    private static Histogram resetHistogram() {
        return Histogram.builder().name("test_reset").help("h").nativeOnly().build();
    }

    /** A prometheus.yml scraping this target every 500 ms as job {@code client_java}. */
    public String prometheusConfig() {
        return """
                global:
                  scrape_interval: 500ms
                scrape_configs:
                  - job_name: client_java
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(server.getPort());
    }

    public int scrapes() {
        return scrapes.get();
    }

    /** Waits until the target has been scraped {@code atLeast} times in all (60 s at most). */
    public void awaitScrapes(int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (scrapes.get() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(scrapes.get()).as("scrapes of the target").isGreaterThanOrEqualTo(atLeast);
    }

    /** Makes {@code test_reset} start again from zero, and returns once the next scrape will see it. */
    public void resetCounter() throws InterruptedException {
        resetNow.set(true);
        while (resetNow.get()) {
            Thread.sleep(10);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        observer.join();
        server.close();
    }
}

package io.specula.app;

import io.specula.model.config.ConfigException;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the long-running commands share: reload on SIGHUP, orderly stop on SIGTERM/SIGINT. */
public final class Daemons {
    private static final Logger LOG = LoggerFactory.getLogger(Daemons.class);

    private Daemons() {}

    /** Something that re-reads its configuration; on error it has logged why and kept the old one. */
    @FunctionalInterface
    public interface Reloadable {
        void reload() throws ConfigException;
    }

    /**
     * Reloads on SIGHUP (on a virtual thread, so the signal handler returns at once) and runs
     * {@code stop} on SIGTERM/SIGINT, then blocks until {@code stop} has run or {@code stopped}
     * counts down (e.g. after {@code /-/quit}).
     */
    public static void run(Reloadable reloadable, Runnable stop, CountDownLatch stopped) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Received shutdown signal, exiting gracefully...");
            stop.run();
            stopped.countDown();
        }, "shutdown"));
        onHangup(reloadable);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @SuppressWarnings("removal")
    private static void onHangup(Reloadable reloadable) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> Thread.ofVirtual().start(() -> {
                try {
                    reloadable.reload();
                } catch (ConfigException e) {
                    // reload() has logged why; the running configuration stays.
                }
            }));
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.warn("SIGHUP reload unavailable on this platform: err={}", e.getMessage());
        }
    }
}

package io.specula.alertmanager.notify;

import java.time.Instant;

/**
 * One configured delivery target of a receiver (one entry of e.g. {@code webhook_configs}).
 * Implementations are thread-safe; {@link #send} may be called concurrently for different
 * groups.
 */
public interface Integration {
    /** The integration type as Alertmanager names it ({@code webhook}). */
    String name();

    /** Position among the receiver's integrations of the same type. */
    int index();

    boolean sendResolved();

    /**
     * Delivers one notification; must give up by {@code deadline}.
     *
     * @throws NotifyException when it failed, saying whether a retry may succeed
     */
    void send(NotificationData data, Instant deadline) throws NotifyException, InterruptedException;
}

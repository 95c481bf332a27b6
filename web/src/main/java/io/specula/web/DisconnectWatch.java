package io.specula.web;

import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * Notices that the client of a request being handled has gone away, so a query it started can be
 * canceled (Prometheus's handlers stop when Go's request context is done).
 *
 * <p>Jetty 12 does not read an HTTP/1 connection while a request is handled, so a client that
 * closes its socket is only seen when the response is written. While armed, this watch asks the
 * connection's end point to report readability: end of stream means the client is gone. Bytes that
 * arrive instead (a pipelined next request, which clients hardly ever send) are consumed by the
 * watch, so the response then closes the connection ({@link #consumedInput()}); the client resends
 * its unanswered request as HTTP/1.1 requires. An end point someone else reads already (HTTP/2,
 * where stream resets reach {@link Request#addFailureListener}) is left alone.
 *
 * <p>Lifetime: one per request, armed at most once, stopped before the response is written.
 */
final class DisconnectWatch implements Callback {
    private final Request request;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicBoolean fired = new AtomicBoolean();
    private volatile Runnable onGone;
    private volatile boolean consumed;
    private volatile EndPoint endPoint;

    DisconnectWatch(Request request) {
        this.request = request;
    }

    /** Starts watching; {@code gone} runs at most once, on a Jetty thread. Returns the handle that stops it. */
    AutoCloseable arm(Runnable gone) {
        onGone = gone;
        request.addFailureListener(t -> fire());
        EndPoint ep = request.getConnectionMetaData().getConnection().getEndPoint();
        endPoint = ep;
        if (!ep.tryFillInterested(this)) {
            endPoint = null; // read by its connection already (HTTP/2) or by a pending read
        }
        return this::stop;
    }

    /** Stops watching (idempotent); after it {@code gone} never runs. */
    void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        EndPoint ep = endPoint;
        if (ep instanceof AbstractEndPoint a && ep.isFillInterested()) {
            // Only this watch is fill-interested while the request is handled: withdraw it so the
            // connection can read the next request itself.
            a.getFillInterest().onFail(new CancellationException("request handled"));
        }
    }

    /** Whether the watch read bytes of a following request, so the connection must close after this response. */
    boolean consumedInput() {
        return consumed;
    }

    @Override
    public void succeeded() {
        EndPoint ep = endPoint;
        if (stopped.get() || ep == null) {
            return;
        }
        try {
            // An empty buffer in Jetty's flush mode: fill appends after its limit.
            int n = ep.fill(BufferUtil.allocate(256));
            if (n < 0) {
                fire();
            } else if (n > 0) {
                consumed = true;
            } else if (!stopped.get()) {
                ep.tryFillInterested(this);
            }
        } catch (IOException e) {
            fire();
        }
    }

    @Override
    public void failed(Throwable x) {
        if (!stopped.get()) {
            fire(); // the end point closed under the request
        }
    }

    private void fire() {
        Runnable r = onGone;
        if (r != null && !stopped.get() && fired.compareAndSet(false, true)) {
            r.run();
        }
    }
}

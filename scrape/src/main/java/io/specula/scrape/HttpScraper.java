package io.specula.scrape;

import io.specula.model.textparse.ScrapeProtocol;
import io.specula.scrape.config.ScrapeConfig;
import io.specula.httpclient.HttpClients;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPInputStream;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;

/**
 * Fetches one target's exposition over HTTP, as Prometheus's scraper does: GET with the Accept
 * header built from {@code scrape_protocols}, {@code Accept-Encoding: gzip} (or
 * {@code identity} without {@code enable_compression}), {@code X-Prometheus-Scrape-Timeout-Seconds},
 * the whole exchange bounded by {@code scrape_timeout}, only HTTP 200 accepted, the body
 * (decompressed) bounded by {@code body_size_limit} and read into the caller's reusable buffer.
 * Error messages follow Prometheus's ({@code server returned HTTP status …},
 * {@code body size limit exceeded}, {@code … context deadline exceeded}).
 *
 * <p>One per scrape loop; {@link #abort()} may be called from another thread.
 */
final class HttpScraper {
    static final String USER_AGENT = "Specula/0.1";

    private final HttpClient client;
    private final ScrapeConfig config;
    private final Target target;
    private final String accept;
    private final long bodySizeLimit;
    private volatile Request inFlight;

    private static final int INITIAL_BUFFER = 64 * 1024;
    /** The body of the last scrape: {@code buf[0, length)}; valid until the next scrape. */
    byte[] buf = new byte[INITIAL_BUFFER];
    int length;
    String contentType;
    /** Bytes taken from the connection by the last scrape (compressed, when gzip): what it cost us. */
    long wireBytes;

    HttpScraper(HttpClient client, ScrapeConfig config, Target target) {
        this(client, config, target, 0);
    }

    /** @param ceiling a server-wide body limit applied on top of {@code body_size_limit}; 0 for none */
    HttpScraper(HttpClient client, ScrapeConfig config, Target target, long ceiling) {
        this.client = client;
        this.config = config;
        this.target = target;
        this.accept = acceptHeader(config.protocols, config.metricNameEscapingScheme);
        long limit = config.bodySizeLimit == null || config.bodySizeLimit.bytes() <= 0 ? Long.MAX_VALUE : config.bodySizeLimit.bytes();
        this.bodySizeLimit = ceiling > 0 ? Math.min(limit, ceiling) : limit;
    }

    /**
     * Prometheus 3's Accept header: the configured protocols with falling q weights (0.6 for the
     * first, as five protocols exist), the escaping scheme on the 1.0.0 text formats, then
     * {@code *}{@code /*}.
     */
    static String acceptHeader(List<ScrapeProtocol> protocols, String escaping) {
        StringBuilder sb = new StringBuilder();
        int weight = ScrapeProtocol.values().length + 1;
        for (ScrapeProtocol p : protocols) {
            sb.append(mediaType(p));
            if (p == ScrapeProtocol.PROMETHEUS_TEXT_1_0_0 || p == ScrapeProtocol.OPENMETRICS_TEXT_1_0_0) {
                sb.append(";escaping=").append(escaping);
            }
            sb.append(";q=0.").append(weight--).append(',');
        }
        return sb.append("*/*;q=0.").append(weight).toString();
    }

    private static String mediaType(ScrapeProtocol p) {
        return switch (p) {
            case PROMETHEUS_PROTO -> "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited";
            case OPENMETRICS_TEXT_0_0_1 -> "application/openmetrics-text;version=0.0.1";
            case OPENMETRICS_TEXT_1_0_0 -> "application/openmetrics-text;version=1.0.0";
            case PROMETHEUS_TEXT_0_0_4 -> "text/plain;version=0.0.4";
            case PROMETHEUS_TEXT_1_0_0 -> "text/plain;version=1.0.0";
        };
    }

    String accept() {
        return accept;
    }

    /** Fetches the body into {@link #buf}; sets {@link #length} and {@link #contentType}. */
    void scrape() throws ScrapeException, InterruptedException {
        // One huge (or refused) answer must not pin its buffer for the target's lifetime.
        if (buf.length > (1 << 20) && buf.length > 4L * length) {
            buf = new byte[Math.max(INITIAL_BUFFER, length * 2)];
        }
        length = 0;
        wireBytes = 0;
        long timeout = target.timeoutMillis();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
        Request req = client.newRequest(target.url())
                .timeout(timeout, TimeUnit.MILLISECONDS)
                .headers(h -> {
                    h.put(HttpHeader.ACCEPT, accept);
                    h.put(HttpHeader.ACCEPT_ENCODING, config.enableCompression ? "gzip" : "identity");
                    h.put(HttpHeader.USER_AGENT, USER_AGENT);
                    h.put("X-Prometheus-Scrape-Timeout-Seconds", seconds(timeout));
                });
        try {
            HttpClients.authorize(req, config);
        } catch (IOException e) {
            throw new ScrapeException(e.getMessage());
        }
        InputStreamResponseListener listener = new InputStreamResponseListener();
        inFlight = req;
        try {
            req.send(listener);
            Response resp;
            try {
                resp = listener.get(timeout + 1000, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                req.abort(e);
                throw deadlineExceeded();
            } catch (ExecutionException e) {
                throw failure(e.getCause() == null ? e : e.getCause(), deadline);
            }
            if (resp.getStatus() != HttpStatus.OK_200) {
                req.abort(new IOException("unexpected status"));
                throw new ScrapeException("server returned HTTP status " + resp.getStatus() + " "
                        + (resp.getReason() == null ? HttpStatus.getMessage(resp.getStatus()) : resp.getReason()));
            }
            contentType = resp.getHeaders().get(HttpHeader.CONTENT_TYPE);
            String encoding = resp.getHeaders().get(HttpHeader.CONTENT_ENCODING);
            boolean gzip = encoding != null && encoding.strip().toLowerCase(Locale.ROOT).equals("gzip");
            try (InputStream raw = new Counting(listener.getInputStream()); InputStream in = gzip ? new GZIPInputStream(raw, 8192) : raw) {
                read(in, req);
            } catch (IOException e) {
                if (e instanceof LimitExceeded) {
                    req.abort(e);
                    throw new ScrapeException("body size limit exceeded");
                }
                throw failure(e, deadline);
            }
        } catch (ScrapeException e) {
            // A failed body is never parsed: a target that keeps failing at its limit must not
            // keep a buffer of that size between scrapes (the next one grows it again if needed).
            if (buf.length > INITIAL_BUFFER) {
                buf = new byte[INITIAL_BUFFER];
            }
            length = 0;
            throw e;
        } finally {
            inFlight = null;
        }
    }

    /** Counts what is read from the connection into {@link #wireBytes}. */
    private final class Counting extends java.io.FilterInputStream {
        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                wireBytes++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                wireBytes += n;
            }
            return n;
        }
    }

    /** Marks the body limit, so the caller can tell it from a transport error. */
    private static final class LimitExceeded extends IOException {
        LimitExceeded() {
            super("body size limit exceeded", null);
        }
    }

    private void read(InputStream in, Request req) throws IOException {
        int n = 0;
        while (true) {
            if (n == buf.length) {
                if (n >= bodySizeLimit) {
                    if (in.read() < 0) {
                        break;
                    }
                    throw new LimitExceeded();
                }
                buf = java.util.Arrays.copyOf(buf, (int) Math.min(Math.min((long) buf.length * 2, Integer.MAX_VALUE - 16),
                        Math.max(bodySizeLimit, buf.length + 1)));
            }
            int max = (int) Math.min(buf.length - n, bodySizeLimit - n);
            if (max == 0) {
                if (in.read() < 0) {
                    break;
                }
                throw new LimitExceeded();
            }
            int r = in.read(buf, n, max);
            if (r < 0) {
                break;
            }
            n += r;
        }
        length = n;
    }

    private ScrapeException failure(Throwable t, long deadline) {
        if (t instanceof TimeoutException || t.getCause() instanceof TimeoutException || System.nanoTime() - deadline >= 0) {
            return deadlineExceeded();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return new ScrapeException("Get \"" + target.url() + "\": " + m);
    }

    private ScrapeException deadlineExceeded() {
        return new ScrapeException("Get \"" + target.url() + "\": context deadline exceeded");
    }

    /** Cancels a scrape in progress, if any (the loop is stopping). */
    void abort() {
        Request r = inFlight;
        if (r != null) {
            r.abort(new IOException("scrape loop stopped"));
        }
    }

    private static String seconds(long millis) {
        if (millis % 1000 == 0) {
            return Long.toString(millis / 1000);
        }
        return java.math.BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
    }
}

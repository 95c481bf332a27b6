package io.specula.httpserver;

import io.specula.model.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * What the web configuration asks of every request, before the application sees it: the
 * request rate limit, the extra response headers and basic authentication. Every path is
 * covered, health endpoints included, as with Prometheus.
 *
 * <p>bcrypt is slow on purpose, so verdicts are cached by (user, hash, password digest) and
 * checks run one at a time, as the toolkit does; an unknown user is checked against a fixed
 * hash so that timing does not tell which users exist. Thread-safe; {@link #update} swaps the
 * configuration atomically.
 */
final class WebConfigHandler extends Handler.Wrapper {
    /** bcrypt of a password nobody has: unknown users cost as much as known ones. */
    private static final String DECOY_HASH = "$2y$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi";
    private static final int CACHE_SIZE = 100;

    private record State(Map<String, Secret> users, Map<String, String> headers, TokenBucket limiter) {}

    private volatile State state;
    private final ReentrantLock bcryptLock = new ReentrantLock();
    private final Map<String, Boolean> verdicts = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    WebConfigHandler(Handler app, WebConfig config) {
        super(app);
        update(config);
    }

    void update(WebConfig c) {
        if (c == null) {
            state = new State(Map.of(), Map.of(), null);
            return;
        }
        TokenBucket limiter = c.rateLimit.interval == null || c.rateLimit.interval.isZero()
                ? null : new TokenBucket(c.rateLimit.interval.millis(), c.rateLimit.burst);
        state = new State(Map.copyOf(c.basicAuthUsers),
                c.httpServerConfig.headers == null ? Map.of() : Map.copyOf(c.httpServerConfig.headers), limiter);
        synchronized (verdicts) {
            verdicts.clear();
        }
    }

    @Override
    public boolean handle(Request req, Response resp, Callback cb) throws Exception {
        State s = state;
        if (s.limiter != null && !s.limiter.tryTake()) {
            return plain(resp, cb, 429, "Too Many Requests");
        }
        s.headers.forEach((k, v) -> resp.getHeaders().put(k, v));
        if (s.users.isEmpty() || authorized(s, req.getHeaders().get(HttpHeader.AUTHORIZATION))) {
            return super.handle(req, resp, cb);
        }
        resp.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic");
        return plain(resp, cb, 401, "Unauthorized");
    }

    /** Answers as Go's {@code http.Error} does. */
    private static boolean plain(Response resp, Callback cb, int status, String text) {
        resp.setStatus(status);
        resp.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        resp.getHeaders().put("X-Content-Type-Options", "nosniff");
        Content.Sink.write(resp, true, text + "\n", cb);
        return true;
    }

    private boolean authorized(State s, String header) {
        if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return false;
        }
        String user = decoded.substring(0, colon);
        String pass = decoded.substring(colon + 1);
        Secret known = s.users.get(user);
        String hash = known == null ? DECOY_HASH : known.reveal();
        String key = digest(user, hash, pass);
        Boolean ok;
        synchronized (verdicts) {
            ok = verdicts.get(key);
        }
        if (ok == null) {
            bcryptLock.lock();
            try {
                ok = Bcrypt.matches(pass, hash);
            } finally {
                bcryptLock.unlock();
            }
            synchronized (verdicts) {
                verdicts.put(key, ok);
            }
        }
        return ok && known != null;
    }

    /** The cache key: no password is kept in memory in the clear. */
    private static String digest(String user, String hash, String pass) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {user, hash, pass}) {
                d.update(part.getBytes(StandardCharsets.UTF_8));
                d.update((byte) 0);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code rate_limit}: one token every interval, up to {@code burst} saved (Go's rate.Limiter). */
    static final class TokenBucket {
        private final double perMilli;
        private final double burst;
        private double tokens;
        private long last = System.nanoTime();

        TokenBucket(long intervalMillis, int burst) {
            this.perMilli = 1.0 / intervalMillis;
            this.burst = burst;
            this.tokens = burst;
        }

        synchronized boolean tryTake() {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - last) / 1e6 * perMilli);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return true;
            }
            return false;
        }
    }
}

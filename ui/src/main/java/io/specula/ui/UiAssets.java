package io.specula.ui;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The built web UI (classpath {@code specula-ui/}, written there by the npm build) as HTTP
 * answers, independent of the server that writes them: the server and the Alertmanager each
 * map a GET below their route prefix to {@link #get}. Hashed files under {@code /assets/} are
 * immutable; every other path (a client-side route) answers the app's HTML page, rewritten
 * with a {@code <base href>} of the external URL's path and the page title, and never cached.
 *
 * <p>Thread-safe; assets are read once and kept (with their gzip form) for the process's life.
 */
public final class UiAssets {
    private static final String ROOT = "specula-ui/";
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";
    private static final String NO_CACHE = "no-cache";

    /** One answer. {@code gzipped} is null when compressing would not help. */
    public record Asset(String contentType, String cacheControl, byte[] body, byte[] gzipped) {}

    private final String page;
    private final ClassLoader loader;
    private final Map<String, Asset> cache = new ConcurrentHashMap<>();
    private final Asset index;

    private UiAssets(String page, ClassLoader loader, Asset index) {
        this.page = page;
        this.loader = loader;
        this.index = index;
    }

    /**
     * The UI whose entry page is {@code page} ({@code index.html} for the server,
     * {@code alertmanager.html} for the Alertmanager), or null when the jar holds no UI
     * (built with {@code -Dskip.ui}).
     *
     * @param basePath the external URL's path ("" or "/prefix"): where the browser finds the UI
     * @param title the page title ({@code --web.page-title})
     */
    public static UiAssets load(String page, String basePath, String title) {
        ClassLoader loader = UiAssets.class.getClassLoader();
        byte[] html = read(loader, ROOT + page);
        if (html == null) {
            return null;
        }
        String base = basePath == null || basePath.isEmpty() || basePath.equals("/") ? "/"
                : (basePath.endsWith("/") ? basePath : basePath + "/");
        String text = new String(html, StandardCharsets.UTF_8);
        String head = "<base href=\"" + escapeHtml(base) + "\">\n    <script>window.__SPECULA__="
                + "{\"base\":" + jsString(base) + ",\"title\":" + jsString(title) + "}</script>";
        text = text.replace("<!--SPECULA_HEAD-->", head);
        text = text.replaceFirst("<title>[^<]*</title>", "<title>" + java.util.regex.Matcher.quoteReplacement(escapeHtml(title)) + "</title>");
        return new UiAssets(page, loader, asset("text/html; charset=utf-8", NO_CACHE, text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * The answer to a GET of {@code path} (below the route prefix, starting with "/"): an asset,
     * the app page for any other path, or null for a missing file under {@code /assets/} (404).
     */
    public Asset get(String path) {
        if (path.startsWith("/assets/")) {
            String name = path.substring("/assets/".length());
            if (name.isEmpty() || name.contains("/") || name.contains("..") || name.contains("\\")) {
                return null;
            }
            return cache.computeIfAbsent(name, n -> {
                byte[] b = read(loader, ROOT + "assets/" + n);
                return b == null ? null : asset(contentType(n), IMMUTABLE, b);
            });
        }
        return index;
    }

    /**
     * Writes the answer to a GET or HEAD of {@code path}: the asset (gzip'd when accepted) or the
     * page, or a plain 404 for a missing asset.
     */
    public void serve(String path, Request req, Response resp, Callback cb) {
        Asset a = get(path);
        if (a == null) {
            resp.setStatus(404);
            resp.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
            resp.write(true, StandardCharsets.UTF_8.encode("404 page not found\n"), cb);
            return;
        }
        resp.setStatus(200);
        resp.getHeaders().put(HttpHeader.CONTENT_TYPE, a.contentType());
        resp.getHeaders().put(HttpHeader.CACHE_CONTROL, a.cacheControl());
        resp.getHeaders().put("X-Content-Type-Options", "nosniff");
        byte[] body = a.body();
        if (a.gzipped() != null) {
            resp.getHeaders().put(HttpHeader.VARY, "Accept-Encoding");
            String ae = req.getHeaders().get(HttpHeader.ACCEPT_ENCODING);
            if (ae != null && ae.contains("gzip")) {
                body = a.gzipped();
                resp.getHeaders().put(HttpHeader.CONTENT_ENCODING, "gzip");
            }
        }
        resp.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        resp.write(true, req.getMethod().equals("HEAD") ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), cb);
    }

    /** Writes a 302 to {@code location}. */
    public static void redirect(String location, Response resp, Callback cb) {
        resp.setStatus(302);
        resp.getHeaders().put(HttpHeader.LOCATION, location);
        resp.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
        resp.write(true, ByteBuffer.allocate(0), cb);
    }

    /** The entry page this UI serves. */
    public String page() {
        return page;
    }

    static String contentType(String name) {
        String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return switch (ext) {
            case "js", "mjs" -> "text/javascript; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "html" -> "text/html; charset=utf-8";
            case "svg" -> "image/svg+xml";
            case "png" -> "image/png";
            case "ico" -> "image/x-icon";
            case "woff2" -> "font/woff2";
            case "json", "map" -> "application/json";
            default -> "application/octet-stream";
        };
    }

    private static Asset asset(String type, String cacheControl, byte[] body) {
        byte[] gz = null;
        if (body.length > 1024 && !type.startsWith("image/png") && !type.startsWith("font/")) {
            ByteArrayOutputStream z = new ByteArrayOutputStream(body.length / 3 + 64);
            try (GZIPOutputStream out = new GZIPOutputStream(z)) {
                out.write(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // in-memory streams do not fail
            }
            gz = z.toByteArray();
        }
        return new Asset(type, cacheControl, body, gz);
    }

    private static byte[] read(ClassLoader loader, String name) {
        try (InputStream in = loader.getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + name + " from the UI jar", e);
        }
    }

    private static String escapeHtml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** A JSON string safe inside a script element (no "</script>" can close it). */
    private static String jsString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '<' -> b.append("\\u003c");
                case '>' -> b.append("\\u003e");
                case '&' -> b.append("\\u0026");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}

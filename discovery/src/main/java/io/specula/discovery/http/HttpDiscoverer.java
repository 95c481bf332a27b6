package io.specula.discovery.http;

import io.specula.model.config.ConfigException;
import io.specula.discovery.config.HttpSdConfig;
import io.specula.discovery.config.StaticConfig;
import io.specula.discovery.Discoverer;
import io.specula.discovery.StaticDiscoverer;
import io.specula.discovery.TargetGroup;
import io.specula.discovery.TargetGroups;
import io.specula.httpclient.HttpClients;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code http_sd_configs}: GETs {@code url} every {@code refresh_interval} and expects HTTP 200
 * with {@code Content-Type: application/json} and a JSON list of {@code {targets, labels}}.
 * Every group gets {@code __meta_url} and the source {@code <url>:<index>}; groups the answer no
 * longer has are retracted; a failed refresh is logged and the previous groups stay.
 */
public final class HttpDiscoverer implements Discoverer {
    private static final Logger LOG = LoggerFactory.getLogger(HttpDiscoverer.class);
    public static final String META_URL = "__meta_url";
    /** Prometheus's check: JSON, optionally with a UTF-8 charset. */
    private static final Pattern JSON_TYPE = Pattern.compile("(?i)^application/json;?\\s*(charset=utf-8)?$");
    /** Answers above this are refused rather than buffered. */
    private static final int MAX_BODY = 64 << 20;

    private final HttpSdConfig config;
    private int lastCount;
    private volatile long failures;

    public HttpDiscoverer(HttpSdConfig config) {
        this.config = config;
    }

    /** Failed refreshes so far ({@code prometheus_sd_http_failures_total}). */
    public long failures() {
        return failures;
    }

    @Override
    public void run(Sink sink) throws InterruptedException {
        HttpClient client;
        try {
            client = HttpClients.create(config, "http-sd");
        } catch (HttpClients.ClientConfigException e) {
            LOG.error("msg=\"Cannot create HTTP SD client\" url={} err=\"{}\"", config.url, e.getMessage());
            Thread.sleep(Long.MAX_VALUE);
            return;
        }
        try {
            while (true) {
                try {
                    List<TargetGroup> groups = refresh(client);
                    sink.send(groups);
                } catch (ConfigException | IOException e) {
                    failures++;
                    LOG.error("msg=\"Unable to refresh target groups\" url={} err=\"{}\"", config.url, e.getMessage());
                }
                Thread.sleep(config.refreshInterval.millis());
            }
        } finally {
            HttpClients.stopQuietly(client);
        }
    }

    /** One fetch: the groups now, plus empty groups for indices the previous answer had. */
    List<TargetGroup> refresh(HttpClient client) throws ConfigException, IOException, InterruptedException {
        Request req = client.newRequest(config.url)
                .timeout(Math.max(1000, config.refreshInterval.millis()), TimeUnit.MILLISECONDS)
                .headers(h -> {
                    h.put(HttpHeader.ACCEPT, "application/json");
                    h.put(HttpHeader.USER_AGENT, "Specula");
                    h.put("X-Prometheus-Refresh-Interval-Seconds", Long.toString(config.refreshInterval.seconds()));
                });
        HttpClients.authorize(req, config);
        ContentResponse resp;
        try {
            resp = new CompletableResponseListener(req, MAX_BODY).send()
                    .get(config.refreshInterval.millis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("Get \"" + config.url + "\": context deadline exceeded");
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            throw new IOException("Get \"" + config.url + "\": " + c.getMessage());
        }
        if (resp.getStatus() != 200) {
            throw new IOException("server returned HTTP status " + resp.getStatus() + " " + nz(resp.getReason()));
        }
        String ct = resp.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (ct == null || !JSON_TYPE.matcher(ct.strip()).matches()) {
            throw new IOException("unsupported content type \"" + nz(ct) + "\"");
        }
        byte[] body = resp.getContent();
        List<StaticConfig> raw = TargetGroups.parseJson(new String(body, StandardCharsets.UTF_8), config.url);
        List<TargetGroup> out = new ArrayList<>(raw.size());
        Map<String, String> meta = Map.of(META_URL, config.url);
        for (int i = 0; i < raw.size(); i++) {
            out.add(StaticDiscoverer.toGroup(raw.get(i), config.url + ":" + i, meta));
        }
        for (int i = raw.size(); i < lastCount; i++) {
            out.add(TargetGroup.empty(config.url + ":" + i));
        }
        lastCount = raw.size();
        return out;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}

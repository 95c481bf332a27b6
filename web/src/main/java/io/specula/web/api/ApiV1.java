package io.specula.web.api;

import io.specula.web.ServerContext;
import io.specula.web.WebOptions;
import java.util.List;

/**
 * Prometheus's HTTP API v1 without the HTTP server: {@link #handle} routes a path below
 * {@code /api/v1} to its endpoint and {@link #render} turns the outcome into Prometheus's JSON
 * envelope ({@code {"status":"success","data":…,"warnings":[…],"infos":[…]}} or
 * {@code {"status":"error","errorType":…,"error":…}}). Thread-safe.
 */
public final class ApiV1 {
    /**
     * What an endpoint answers: HTTP status, content type and either a body or, for a success
     * with data, the {@code reply} to stream with {@link #stream}.
     */
    public record Response(int status, String contentType, String body, Reply reply) {
        Response(int status, String contentType, String body) {
            this(status, contentType, body, null);
        }
    }

    /** The outcome of routing: an endpoint ran, or the path/method is unknown to the API. */
    public enum Route { FOUND, NOT_FOUND, METHOD_NOT_ALLOWED }

    private final QueryApi query;
    private final ExemplarsApi exemplars;
    private final SeriesApi series;
    private final TargetsApi targets;
    private final ServerContext ctx;
    private final StatusApi status;
    private final AdminApi admin;
    private final RulesApi rules;
    private final IncidentsApi incidents;

    /**
     * @param queryObserver receives every executed query's statistics (self-metrics); may be null
     */
    public ApiV1(ServerContext ctx, WebOptions opts, java.util.function.Consumer<io.specula.promql.engine.QueryStats> queryObserver) {
        this.ctx = ctx;
        this.query = new QueryApi(ctx, opts, queryObserver);
        this.exemplars = new ExemplarsApi(ctx);
        this.series = new SeriesApi(ctx);
        this.targets = new TargetsApi(ctx, opts);
        this.status = new StatusApi(ctx);
        this.admin = new AdminApi(ctx, opts);
        this.rules = new RulesApi(ctx);
        this.incidents = new IncidentsApi(ctx);
    }

    /** Stops the query timeout timer. */
    public void close() {
        query.close();
    }

    /**
     * The handler name used in {@code prometheus_http_requests_total{handler}} for {@code path}
     * (below {@code /api/v1}), e.g. {@code /api/v1/label/:name/values}.
     */
    public static String handlerName(String path) {
        if (path.startsWith("/label/") && path.endsWith("/values")) {
            return "/api/v1/label/:name/values";
        }
        if (path.startsWith("/incidents/")) {
            return "/api/v1/incidents/:id";
        }
        return "/api/v1" + path;
    }

    /** Whether {@code method} may call {@code path}; {@link Route#NOT_FOUND} for unknown paths. */
    public static Route route(String path, String method) {
        boolean get = method.equals("GET") || method.equals("HEAD");
        boolean post = method.equals("POST");
        boolean put = method.equals("PUT");
        if (method.equals("OPTIONS")) {
            return Route.FOUND;
        }
        switch (path) {
            case "/query", "/query_range", "/query_exemplars", "/format_query", "/parse_query", "/labels", "/series" -> {
                return get || post ? Route.FOUND : Route.METHOD_NOT_ALLOWED;
            }
            case "/targets", "/targets/metadata", "/targets/relabel_steps", "/metadata", "/scrape_pools", "/status/config", "/status/flags",
                 "/status/runtimeinfo", "/status/buildinfo", "/status/tsdb", "/status/tsdb/blocks", "/status/walreplay",
                 "/rules", "/alerts", "/alertmanagers", "/incidents" -> {
                return get ? Route.FOUND : Route.METHOD_NOT_ALLOWED;
            }
            case "/admin/tsdb/snapshot", "/admin/tsdb/delete_series", "/admin/tsdb/clean_tombstones" -> {
                return post || put ? Route.FOUND : Route.METHOD_NOT_ALLOWED;
            }
            default -> {
                if (path.startsWith("/incidents/") && path.length() > "/incidents/".length()
                        && path.indexOf('/', "/incidents/".length()) < 0) {
                    return get ? Route.FOUND : Route.METHOD_NOT_ALLOWED;
                }
                if (path.startsWith("/label/") && path.endsWith("/values") && path.length() > "/label//values".length()
                        && path.indexOf('/', "/label/".length()) == path.length() - "/values".length()) {
                    return get ? Route.FOUND : Route.METHOD_NOT_ALLOWED;
                }
                return Route.NOT_FOUND;
            }
        }
    }

    /** Runs the endpoint at {@code path} (which {@link #route} accepted) and renders its JSON. */
    public Response handle(String path, String method, Params p) {
        if (method.equals("OPTIONS")) {
            return new Response(204, null, "");
        }
        try {
            Reply r = dispatch(path, p);
            if (r.data() == null) {
                return new Response(204, null, "");
            }
            return new Response(200, "application/json", null, r);
        } catch (ApiException e) {
            return error(e);
        } catch (RuntimeException e) {
            return error(new ApiException(ApiException.Type.INTERNAL, String.valueOf(e.getMessage() == null ? e : e.getMessage())));
        }
    }

    /** The endpoints Prometheus's agent answers with "unavailable with Prometheus Agent". */
    private static final java.util.Set<String> AGENT_REFUSED = java.util.Set.of("/query", "/query_range", "/query_exemplars",
            "/format_query", "/parse_query", "/labels", "/series", "/alertmanagers", "/status/tsdb", "/status/tsdb/blocks",
            "/alerts", "/rules", "/incidents", "/admin/tsdb/snapshot", "/admin/tsdb/delete_series", "/admin/tsdb/clean_tombstones");

    private Reply dispatch(String path, Params p) throws ApiException {
        if (ctx.agent() && (AGENT_REFUSED.contains(path) || path.startsWith("/label/"))) {
            throw new ApiException(ApiException.Type.EXECUTION, "unavailable with Prometheus Agent");
        }
        return switch (path) {
            case "/query" -> query.instant(p);
            case "/query_range" -> query.range(p);
            case "/query_exemplars" -> exemplars.query(p);
            case "/format_query" -> query.format(p);
            case "/parse_query" -> query.parse(p);
            case "/series" -> series.series(p);
            case "/labels" -> series.labelNames(p);
            case "/targets" -> targets.targets(p);
            case "/targets/metadata" -> targets.targetMetadata(p);
            case "/targets/relabel_steps" -> targets.relabelSteps(p);
            case "/metadata" -> targets.metadata(p);
            case "/scrape_pools" -> targets.scrapePools();
            case "/status/config" -> status.config();
            case "/status/flags" -> status.flags();
            case "/status/runtimeinfo" -> status.runtimeInfo();
            case "/status/buildinfo" -> status.buildInfo();
            case "/status/tsdb" -> status.tsdb(p);
            case "/status/tsdb/blocks" -> status.blocks();
            case "/status/walreplay" -> status.walReplay();
            case "/rules" -> rules.rules(p);
            case "/alerts" -> rules.alerts();
            case "/alertmanagers" -> rules.alertmanagers();
            case "/incidents" -> incidents.list(p);
            case "/admin/tsdb/snapshot" -> admin.snapshot(p);
            case "/admin/tsdb/delete_series" -> admin.deleteSeries(p);
            case "/admin/tsdb/clean_tombstones" -> admin.cleanTombstones();
            default -> path.startsWith("/incidents/") ? incidents.get(path.substring("/incidents/".length()))
                    : series.labelValues(path.substring("/label/".length(), path.length() - "/values".length()), p);
        };
    }

    /** The success envelope of {@code r} (exposed for tests of the envelope rules). */
    public static String renderForTest(Reply r) {
        Json j = new Json();
        render(r, j);
        return j.toString();
    }

    /** Writes the success envelope of {@code r} to {@code out} as it is produced (UTF-8 JSON). */
    public static void stream(Reply r, java.io.Writer out) {
        Json j = new Json(out);
        render(r, j);
        j.flush();
    }

    private static void render(Reply r, Json j) {
        j.beginObject().name("status").value("success").name("data");
        r.data().accept(j);
        annotations(j, "warnings", r.warnings());
        annotations(j, "infos", r.infos());
        j.endObject();
    }

    /** Prometheus shows at most this many warnings and this many infos, then says how many it left out. */
    static final int MAX_ANNOTATIONS = 10;

    private static void annotations(Json j, String name, List<String> list) {
        if (list.isEmpty()) {
            return;
        }
        j.name(name).beginArray();
        for (int i = 0; i < Math.min(MAX_ANNOTATIONS, list.size()); i++) {
            j.value(list.get(i));
        }
        if (list.size() > MAX_ANNOTATIONS) {
            j.value((list.size() - MAX_ANNOTATIONS) + (name.equals("warnings") ? " more warning" : " more info")
                    + " annotations omitted");
        }
        j.endArray();
    }

    /** The error envelope with the type's status code. */
    public static Response error(ApiException e) {
        Json j = new Json();
        j.beginObject().name("status").value("error").name("errorType").value(e.type().apiName)
                .name("error").value(e.getMessage()).endObject();
        return new Response(e.type().status, "application/json", j.toString());
    }
}

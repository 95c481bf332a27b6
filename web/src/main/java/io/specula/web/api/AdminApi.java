package io.specula.web.api;

import io.specula.model.labels.Matcher;
import io.specula.promql.parser.ParseException;
import io.specula.promql.parser.PromQLParser;
import io.specula.tsdb.DB;
import io.specula.web.ServerContext;
import io.specula.web.WebOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** {@code admin/tsdb/*}: only with {@code --web.enable-admin-api}, otherwise Prometheus's error. */
final class AdminApi {
    private static final DateTimeFormatter SNAPSHOT_TIME = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'");

    private final ServerContext ctx;
    private final WebOptions opts;

    AdminApi(ServerContext ctx, WebOptions opts) {
        this.ctx = ctx;
        this.opts = opts;
    }

    private void enabled() throws ApiException {
        if (!opts.enableAdminApi()) {
            throw new ApiException(ApiException.Type.UNAVAILABLE, "admin APIs disabled");
        }
    }

    Reply deleteSeries(Params p) throws ApiException {
        enabled();
        if (p.all("match[]").isEmpty()) {
            throw ApiException.badData("no match[] parameter provided");
        }
        long start = p.time("start", Params.MIN_TIME);
        long end = p.time("end", Params.MAX_TIME);
        List<List<Matcher>> sets = new ArrayList<>();
        for (String s : p.all("match[]")) {
            try {
                sets.add(PromQLParser.parseMetricSelector(s));
            } catch (ParseException e) {
                throw ApiException.invalidParam("match[]", e.getMessage());
            }
        }
        DB db = ServerDb.require(ctx);
        for (List<Matcher> set : sets) {
            try {
                db.delete(start, end, set.toArray(new Matcher[0]));
            } catch (IOException | IllegalArgumentException e) {
                throw new ApiException(ApiException.Type.INTERNAL, e.getMessage());
            }
        }
        return Reply.NO_CONTENT;
    }

    Reply cleanTombstones() throws ApiException {
        enabled();
        try {
            ServerDb.require(ctx).cleanTombstones();
        } catch (IOException e) {
            throw new ApiException(ApiException.Type.INTERNAL, e.getMessage());
        }
        return Reply.NO_CONTENT;
    }

    Reply snapshot(Params p) throws ApiException {
        enabled();
        boolean skipHead = false;
        String s = p.get("skip_head");
        if (!s.isEmpty()) {
            skipHead = switch (s) {
                case "1", "t", "T", "TRUE", "true", "True" -> true;
                case "0", "f", "F", "FALSE", "false", "False" -> false;
                default -> throw ApiException.invalidParam("skip_head",
                        "unable to parse boolean: strconv.ParseBool: parsing " + Params.goQuote(s) + ": invalid syntax");
            };
        }
        DB db = ServerDb.require(ctx);
        String dataDir = ctx.flags().get("storage.tsdb.path");
        if (dataDir == null || dataDir.isEmpty()) {
            throw new ApiException(ApiException.Type.INTERNAL, "create snapshot: data directory unknown");
        }
        String name = SNAPSHOT_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)) + "-"
                + String.format("%016x", ThreadLocalRandom.current().nextLong(Long.MAX_VALUE));
        Path dir = Path.of(dataDir, "snapshots", name);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ApiException(ApiException.Type.INTERNAL, "create snapshot directory: " + e.getMessage());
        }
        try {
            db.snapshot(dir, !skipHead);
        } catch (IOException e) {
            throw new ApiException(ApiException.Type.INTERNAL, "create snapshot: " + e.getMessage());
        }
        return Reply.of(j -> j.beginObject().name("name").value(name).endObject());
    }
}

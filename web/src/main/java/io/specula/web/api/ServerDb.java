package io.specula.web.api;

import io.specula.tsdb.DB;
import io.specula.web.ServerContext;

/** The storage of a request, or Prometheus's {@code unavailable} error while it is still opening. */
final class ServerDb {
    private ServerDb() {}

    static DB require(ServerContext ctx) throws ApiException {
        DB db = ctx.db();
        if (db == null) {
            throw new ApiException(ApiException.Type.UNAVAILABLE, "TSDB not ready");
        }
        return db;
    }
}

package io.specula.tsdb.storage;

import java.io.IOException;

/** Something that can be queried over [mint, maxt] (inclusive, ms). */
public interface Queryable {
    Querier querier(long mint, long maxt) throws IOException;
}

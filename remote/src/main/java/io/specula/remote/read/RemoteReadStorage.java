package io.specula.remote.read;

import io.specula.httpclient.HttpClients;
import io.specula.model.labels.Labels;
import io.specula.tsdb.storage.MergeQuerier;
import io.specula.tsdb.storage.Querier;
import io.specula.tsdb.storage.Queryable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The {@code remote_read} endpoints of the running configuration, and the queryable that
 * merges them with the local storage for PromQL and the series APIs (Prometheus's fanout
 * storage: local primary, remote reads secondary). Thread-safe; {@link #applyConfig} swaps the
 * clients on reload.
 */
public final class RemoteReadStorage implements AutoCloseable {
    private final String userAgent;
    private volatile List<RemoteReadClient> clients = List.of();

    public RemoteReadStorage(String userAgent) {
        this.userAgent = userAgent;
    }

    /**
     * Replaces the endpoints; on error the old ones stay.
     *
     * @throws HttpClients.ClientConfigException when a client cannot be built (unreadable TLS files)
     */
    public synchronized void applyConfig(List<RemoteReadConfig> configs) throws HttpClients.ClientConfigException {
        List<RemoteReadClient> next = new ArrayList<>();
        try {
            for (RemoteReadConfig c : configs) {
                next.add(new RemoteReadClient(c, userAgent));
            }
        } catch (HttpClients.ClientConfigException e) {
            next.forEach(RemoteReadClient::close);
            throw e;
        }
        List<RemoteReadClient> old = clients;
        clients = List.copyOf(next);
        old.forEach(RemoteReadClient::close);
    }

    /**
     * The local storage merged with every endpoint; the local one alone when there is none.
     *
     * @param localStartTime the local storage's start time plus its safety margin, read per query
     */
    public Queryable fanout(Queryable local, Supplier<Labels> externalLabels, LongSupplier localStartTime) {
        return (mint, maxt) -> {
            List<RemoteReadClient> cs = clients;
            Querier primary = local.querier(mint, maxt);
            if (cs.isEmpty()) {
                return primary;
            }
            List<Querier> all = new ArrayList<>(cs.size() + 1);
            all.add(primary);
            Labels ext = externalLabels.get();
            long start = localStartTime.getAsLong();
            for (RemoteReadClient c : cs) {
                all.add(new RemoteReadQuerier(c, mint, maxt, ext, start));
            }
            return new MergeQuerier(all);
        };
    }

    @Override
    public synchronized void close() {
        clients.forEach(RemoteReadClient::close);
        clients = List.of();
    }

    /** For tests and the API: how many endpoints are configured. */
    public int size() {
        return clients.size();
    }
}

package io.specula.remote.write;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * {@code round_robin_dns}: each new connection resolves the receiver's name afresh and tries its
 * addresses in a random order, so connections spread over every address behind the name
 * (Prometheus picks one address at random per dial). The TLS name stays the configured host.
 */
final class RoundRobinResolver implements SocketAddressResolver {
    static void install(HttpClient client) {
        client.setSocketAddressResolver(new RoundRobinResolver());
    }

    @Override
    public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
        try {
            List<InetSocketAddress> out = new ArrayList<>();
            for (InetAddress a : InetAddress.getAllByName(host)) {
                out.add(new InetSocketAddress(a, port));
            }
            Collections.shuffle(out);
            promise.succeeded(out);
        } catch (UnknownHostException e) {
            promise.failed(e);
        }
    }
}

package io.specula.model.config;

/**
 * A {@code --web.listen-address} value as Go's {@code net.Listen} takes it: {@code host:port},
 * {@code :port} for all interfaces, {@code [v6]:port}; port 0 picks a free one.
 *
 * @param host the host to bind, without brackets; empty for all interfaces
 */
public record ListenAddress(String host, int port) {

    /** @throws ConfigException naming {@code flag} when there is no port or it is not a number */
    public static ListenAddress parse(String flag, String address) throws ConfigException {
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            throw new ConfigException(flag + " " + address + ": missing port");
        }
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(address.substring(colon + 1));
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return new ListenAddress(host, port);
        } catch (NumberFormatException e) {
            throw new ConfigException(flag + " " + address + ": invalid port");
        }
    }
}

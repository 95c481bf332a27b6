package io.specula.discovery.dns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What DNS discovery takes from {@code resolv.conf}, read as Prometheus's resolver library
 * reads it: {@code nameserver} lines, {@code search} (or {@code domain}, the last one wins) and
 * {@code options ndots:N} (default 1, at most 15). Other lines and options are ignored.
 *
 * @param servers name server addresses, in order
 * @param port the port every server is asked on (53 outside tests)
 * @param search search domains, each fully qualified (ending in a dot)
 * @param ndots names with more labels than this are tried as given before the search list
 */
public record ResolvConf(List<String> servers, int port, List<String> search, int ndots) {
    public static final Path SYSTEM = Path.of("/etc/resolv.conf");

    public ResolvConf {
        servers = List.copyOf(servers);
        search = List.copyOf(search);
    }

    /** Reads {@code file}; the servers are asked on {@code port}. */
    public static ResolvConf read(Path file, int port) throws IOException {
        return parse(Files.readString(file), port);
    }

    static ResolvConf parse(String text, int port) {
        List<String> servers = new ArrayList<>();
        List<String> search = new ArrayList<>();
        int ndots = 1;
        for (String line : text.split("\n")) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 0 || f[0].isEmpty()) {
                continue;
            }
            switch (f[0]) {
                case "nameserver" -> {
                    if (f.length > 1) {
                        servers.add(f[1]);
                    }
                }
                case "domain" -> {
                    search.clear();
                    if (f.length > 1) {
                        search.add(fqdn(f[1]));
                    }
                }
                case "search" -> {
                    search.clear();
                    for (int i = 1; i < f.length; i++) {
                        search.add(fqdn(f[i]));
                    }
                }
                case "options" -> {
                    for (int i = 1; i < f.length; i++) {
                        if (f[i].startsWith("ndots:")) {
                            try {
                                ndots = Math.clamp(Integer.parseInt(f[i].substring(6)), 0, 15);
                            } catch (NumberFormatException e) {
                                ndots = 0; // the Go library leaves it at zero when the number does not parse
                            }
                        }
                    }
                }
                default -> { }
            }
        }
        return new ResolvConf(servers, port, search, ndots);
    }

    /**
     * The fully qualified names to try for {@code name}, in order: as given when it is already
     * rooted; otherwise as given first if it has more than {@code ndots} labels, then with each
     * search domain, then as given last if it did not.
     */
    public List<String> nameList(String name) {
        if (name.endsWith(".")) {
            return List.of(name);
        }
        boolean enoughDots = countLabels(name) > ndots;
        String fq = fqdn(name);
        List<String> out = new ArrayList<>(search.size() + 1);
        if (enoughDots) {
            out.add(fq);
        }
        for (String s : search) {
            out.add(fqdn(fq + s));
        }
        if (!enoughDots) {
            out.add(fq);
        }
        return out;
    }

    static String fqdn(String s) {
        return s.endsWith(".") ? s : s + ".";
    }

    private static int countLabels(String name) {
        if (name.isEmpty() || name.equals(".")) {
            return 0;
        }
        int labels = 1;
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) == '.' && i != name.length() - 1) {
                labels++;
            }
        }
        return labels;
    }
}

package io.specula.testsupport;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real DNS server for tests: Debian's BIND 9 ({@code named}, package {@code bind9}) running in
 * the foreground as the current user, authoritative only, with its own configuration and zones
 * in a directory of the test's, listening on one loopback address and port.
 *
 * <p>Zones are given without their SOA record (added here with a serial that grows on every
 * {@link #setZone} so the change can be awaited); a zone whose text is null is configured with
 * a missing file, so BIND answers SERVFAIL for names in it. UDP answers are capped at
 * {@code maxUdpSize} bytes, so larger ones come back truncated and clients must retry over TCP.
 */
public final class RealDnsServer implements AutoCloseable {
    public static final Path NAMED = Path.of("/usr/sbin/named");

    private final Path dir;
    private final String address;
    private final int port;
    private final Process process;
    private final Map<String, Integer> serials = new LinkedHashMap<>();

    /** Whether BIND is installed. */
    public static boolean available() {
        return Files.isExecutable(NAMED);
    }

    /** A free port on {@code address} for both UDP and TCP (best effort). */
    public static int freePort(String address) throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getByName(address))) {
                int p = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(p, InetAddress.getByName(address))) {
                    return p;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IOException("no free port on " + address);
    }

    private RealDnsServer(Path dir, String address, int port, Map<String, String> zones, int maxUdpSize) throws Exception {
        this.dir = dir;
        this.address = address;
        this.port = port;
        StringBuilder conf = new StringBuilder();
        conf.append("options {\n  directory \"").append(dir).append("\";\n")
                .append("  pid-file \"").append(dir.resolve("named.pid")).append("\";\n")
                .append("  session-keyfile \"").append(dir.resolve("session.key")).append("\";\n")
                .append("  listen-on port ").append(port).append(" { ").append(address).append("; };\n")
                .append("  listen-on-v6 { none; };\n  recursion no;\n  notify no;\n")
                .append("  max-udp-size ").append(maxUdpSize).append(";\n};\ncontrols { };\n");
        for (Map.Entry<String, String> z : zones.entrySet()) {
            conf.append("zone \"").append(z.getKey()).append("\" { type primary; file \"")
                    .append(dir.resolve(z.getKey() + ".db")).append("\"; };\n");
            if (z.getValue() != null) {
                writeZone(z.getKey(), z.getValue());
            }
        }
        Files.writeString(dir.resolve("named.conf"), conf);
        process = new ProcessBuilder(NAMED.toString(), "-g", "-n", "1", "-c", dir.resolve("named.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("named.log").toFile()).start();
        try {
            awaitLog("running", Duration.ofSeconds(20));
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /**
     * Starts BIND on {@code address:port} with {@code zones} (origin → records without SOA, or
     * null for a zone that fails to load and so answers SERVFAIL).
     */
    public static RealDnsServer start(Path dir, String address, int port, Map<String, String> zones, int maxUdpSize)
            throws Exception {
        Files.createDirectories(dir);
        return new RealDnsServer(dir, address, port, zones, maxUdpSize);
    }

    public String address() {
        return address;
    }

    public int port() {
        return port;
    }

    /** Replaces a zone's records and waits until BIND serves the new version. */
    public synchronized void setZone(String origin, String records) throws Exception {
        int serial = writeZone(origin, records);
        new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
        awaitLog("zone " + origin + "/IN: loaded serial " + serial, Duration.ofSeconds(20));
    }

    private int writeZone(String origin, String records) throws IOException {
        int serial = serials.merge(origin, 1, Integer::sum);
        String text = "$TTL 0\n@ IN SOA ns." + origin + ". hostmaster." + origin + ". " + serial + " 3600 600 86400 0\n" + records + "\n";
        Path file = dir.resolve(origin + ".db");
        Path tmp = dir.resolve(origin + ".db.tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return serial;
    }

    private void awaitLog(String needle, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String log = Files.exists(dir.resolve("named.log")) ? Files.readString(dir.resolve("named.log")) : "";
            if (log.contains(needle)) {
                return;
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("named did not log \"" + needle + "\"; its log:\n" + log);
            }
            Thread.sleep(50);
        }
    }

    /** The server's log so far (for assertion messages). */
    public String log() throws IOException {
        return Files.readString(dir.resolve("named.log"));
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

}

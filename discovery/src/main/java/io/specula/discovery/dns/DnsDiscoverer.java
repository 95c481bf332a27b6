package io.specula.discovery.dns;

import io.specula.discovery.Discoverer;
import io.specula.discovery.SdMetrics;
import io.specula.discovery.TargetGroup;
import io.specula.discovery.config.DnsSdConfig;
import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.model.value.GoNet;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * {@code dns_sd_configs}: every {@code refresh_interval}, each name is looked up and becomes one
 * group whose source is the name as configured.
 *
 * <p>The lookup follows Prometheus: {@code resolv.conf} is re-read each time; the name is tried
 * with the search list and {@code ndots}; each candidate is asked of the servers in order (UDP
 * with EDNS0 for 4096 bytes, then TCP when the answer is truncated) until one answers NOERROR or
 * NXDOMAIN. The first NOERROR answer wins; when every candidate got NXDOMAIN the group is empty
 * (its targets go away); when some candidate got no usable answer from any server (SERVFAIL,
 * REFUSED, timeouts) the name keeps its previous targets.
 */
public final class DnsDiscoverer implements Discoverer {
    private static final Logger LOG = LoggerFactory.getLogger(DnsDiscoverer.class);
    /** Lets tests and sandboxes point discovery at another resolv.conf and port, as Prometheus cannot. */
    public static final String RESOLV_CONF_PROPERTY = "specula.discovery.dns.resolvConf";
    public static final String PORT_PROPERTY = "specula.discovery.dns.port";
    /** The Go resolver library's default per-exchange timeout. */
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final int EDNS_SIZE = 4096;

    public static final String NAME = "__meta_dns_name";
    public static final String SRV_TARGET = "__meta_dns_srv_record_target";
    public static final String SRV_PORT = "__meta_dns_srv_record_port";
    public static final String MX_TARGET = "__meta_dns_mx_record_target";
    public static final String NS_TARGET = "__meta_dns_ns_record_target";

    /** Reads the resolver settings at every lookup. */
    @FunctionalInterface
    public interface ResolvSource {
        ResolvConf get() throws IOException;
    }

    private final DnsSdConfig config;
    private final int qtype;
    private final ResolvSource resolv;
    private final AtomicLong lookups = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    /** Uses {@code /etc/resolv.conf} (or the file and port named by the system properties above). */
    public DnsDiscoverer(DnsSdConfig config) {
        this(config, systemResolv());
    }

    public DnsDiscoverer(DnsSdConfig config, ResolvSource resolv) {
        this.config = config;
        this.qtype = Type.value(config.recordType());
        this.resolv = resolv;
    }

    static ResolvSource systemResolv() {
        String file = System.getProperty(RESOLV_CONF_PROPERTY);
        int port = Integer.getInteger(PORT_PROPERTY, 53);
        Path path = file == null ? ResolvConf.SYSTEM : Path.of(file);
        return () -> ResolvConf.read(path, port);
    }

    /** Lookups so far ({@code prometheus_sd_dns_lookups_total}). */
    public long lookups() {
        return lookups.get();
    }

    /** Failed lookups so far ({@code prometheus_sd_dns_lookup_failures_total}). */
    public long failures() {
        return failures.get();
    }

    @Override
    public void run(Sink sink) throws InterruptedException {
        while (true) {
            List<TargetGroup> groups = refresh();
            if (!groups.isEmpty()) {
                sink.send(groups);
            }
            Thread.sleep(config.refreshInterval.millis());
        }
    }

    /** One round: a group for every name that got a definite answer; names that failed are left out. */
    public List<TargetGroup> refresh() throws InterruptedException {
        List<TargetGroup> out = new ArrayList<>();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<TargetGroup>> fs = new ArrayList<>();
            for (String name : config.names) {
                fs.add(ex.submit((Callable<TargetGroup>) () -> refreshOne(name)));
            }
            for (Future<TargetGroup> f : fs) {
                try {
                    TargetGroup g = f.get();
                    if (g != null) {
                        out.add(g);
                    }
                } catch (ExecutionException e) {
                    LOG.error("msg=\"Error refreshing DNS targets\" err=\"{}\"", String.valueOf(e.getCause()));
                }
            }
        }
        return out;
    }

    private TargetGroup refreshOne(String name) throws InterruptedException {
        Message resp;
        lookups.incrementAndGet();
        SdMetrics.inc(SdMetrics.DNS_LOOKUPS, null);
        try {
            resp = lookupWithSearchPath(name);
        } catch (IOException e) {
            failures.incrementAndGet();
            SdMetrics.inc(SdMetrics.DNS_LOOKUP_FAILURES, null);
            LOG.error("msg=\"Error refreshing DNS targets\" err=\"{}\"", e.getMessage());
            return null;
        }
        List<Labels> targets = new ArrayList<>();
        if (resp != null) {
            for (Record r : resp.getSection(Section.ANSWER)) {
                Labels t = target(name, r);
                if (t != null) {
                    targets.add(t);
                }
            }
        }
        return new TargetGroup(name, targets, Labels.EMPTY);
    }

    private Labels target(String name, Record r) {
        String port = Integer.toString(config.port);
        LabelsBuilder b = new LabelsBuilder();
        switch (r) {
            case SRVRecord srv -> {
                String t = srv.getTarget().toString();
                b.set(SRV_TARGET, t).set(SRV_PORT, Integer.toString(srv.getPort()));
                b.set("__address__", GoNet.joinHostPort(trimDots(t), Integer.toString(srv.getPort())));
            }
            case MXRecord mx -> {
                String t = mx.getTarget().toString();
                b.set(MX_TARGET, t).set("__address__", GoNet.joinHostPort(trimDots(t), port));
            }
            case NSRecord ns -> {
                String t = ns.getTarget().toString();
                b.set(NS_TARGET, t).set("__address__", GoNet.joinHostPort(trimDots(t), port));
            }
            case ARecord a -> b.set("__address__", GoNet.joinHostPort(GoNet.ipString(a.getAddress().getAddress()), port));
            case AAAARecord a -> b.set("__address__", GoNet.joinHostPort(GoNet.ipString(aaaaBytes(a)), port));
            case CNAMERecord c -> {
                return null; // the chain to the A/AAAA records comes in the same answer
            }
            default -> {
                LOG.warn("msg=\"Invalid record\" record=\"{}\"", r);
                return null;
            }
        }
        b.set(NAME, name);
        return b.build();
    }

    /** The record's 16 bytes even when Java would turn an IPv4-mapped address into an Inet4Address. */
    private static byte[] aaaaBytes(AAAARecord a) {
        byte[] wire = a.rdataToWireCanonical();
        return wire.length == 16 ? wire : a.getAddress().getAddress();
    }

    /** Go's {@code strings.TrimRight(name, ".")}. */
    private static String trimDots(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '.') {
            end--;
        }
        return s.substring(0, end);
    }

    /**
     * The answer for the first candidate name that exists, an empty answer (null) when every
     * candidate is NXDOMAIN, or an error when some candidate got no usable answer.
     */
    Message lookupWithSearchPath(String name) throws IOException, InterruptedException {
        ResolvConf conf;
        try {
            conf = resolv.get();
        } catch (IOException e) {
            throw new IOException("could not load resolv.conf: " + e.getMessage(), e);
        }
        boolean allValid = true;
        for (String candidate : conf.nameList(name)) {
            Message m = lookupFromAnyServer(candidate, conf);
            if (m == null) {
                allValid = false;
            } else if (m.getRcode() == Rcode.NOERROR) {
                return m;
            }
        }
        if (allValid) {
            return null;
        }
        throw new IOException("could not resolve \"" + name + "\": all servers responded with errors to at least one search domain");
    }

    /** The first NOERROR or NXDOMAIN answer from the servers in order, or null when none gave one. */
    private Message lookupFromAnyServer(String name, ResolvConf conf) throws InterruptedException {
        Record question;
        try {
            question = Record.newRecord(Name.fromString(name), qtype, DClass.IN);
        } catch (TextParseException e) {
            LOG.warn("msg=\"DNS resolution failed\" name={} err=\"{}\"", name, e.getMessage());
            return null;
        }
        for (String server : conf.servers()) {
            try {
                Message m = ask(question, new InetSocketAddress(server, conf.port()));
                if (m.getRcode() == Rcode.NOERROR || m.getRcode() == Rcode.NXDOMAIN) {
                    return m;
                }
            } catch (IOException e) {
                LOG.warn("msg=\"DNS resolution failed\" server={} name={} err=\"{}\"", server, name,
                        e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        return null;
    }

    /** One question to one server: UDP with EDNS0, retried over TCP when the answer comes back truncated. */
    private static Message ask(Record question, InetSocketAddress server) throws IOException {
        SimpleResolver udp = new SimpleResolver(server);
        udp.setTimeout(TIMEOUT);
        udp.setEDNS(0, EDNS_SIZE, 0, List.of());
        udp.setIgnoreTruncation(true);
        Message m = udp.send(Message.newQuery(question));
        if (!m.getHeader().getFlag(Flags.TC)) {
            return m;
        }
        SimpleResolver tcp = new SimpleResolver(server);
        tcp.setTimeout(TIMEOUT);
        tcp.setTCP(true);
        tcp.setEDNS(-1); // as Prometheus: the TCP retry carries no OPT record
        Message t = tcp.send(Message.newQuery(question));
        if (t.getHeader().getFlag(Flags.TC)) {
            throw new IOException("got truncated message on TCP (64kiB limit exceeded?)");
        }
        return t;
    }
}

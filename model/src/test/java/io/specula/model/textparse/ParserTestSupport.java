package io.specula.model.textparse;

import io.specula.model.labels.LabelsBuilder;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Renders parser entries as short strings, so tests can compare whole expositions at once. */
final class ParserTestSupport {
    private ParserTestSupport() {}

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * One string per entry: {@code HELP name text}, {@code TYPE name type}, {@code UNIT name unit},
     * {@code COMMENT text}, {@code {labels} value [@ts] [ct=ms] [# exemplar]}.
     */
    static List<String> render(Parser p) throws ParseException {
        List<String> out = new ArrayList<>();
        LabelsBuilder lb = new LabelsBuilder();
        Exemplar ex = new Exemplar();
        for (Entry e; (e = p.next()) != null; ) {
            switch (e) {
                case SERIES -> {
                    p.labels(lb);
                    StringBuilder sb = new StringBuilder().append(lb.build()).append(' ').append(p.value());
                    if (p.hasTimestamp()) {
                        sb.append(" @").append(p.timestamp());
                    }
                    if (p.hasCreatedTimestamp()) {
                        sb.append(" ct=").append(p.createdTimestamp());
                    }
                    if (p.exemplar(ex)) {
                        sb.append(" # ").append(ex.labels).append(' ').append(ex.value);
                        if (ex.hasTimestamp) {
                            sb.append(" @").append(ex.timestamp);
                        }
                    }
                    out.add(sb.toString());
                }
                case HELP -> out.add("HELP " + p.metricFamily() + " " + p.text());
                case TYPE -> out.add("TYPE " + p.metricFamily() + " " + p.type().text());
                case UNIT -> out.add("UNIT " + p.metricFamily() + " " + p.text());
                case COMMENT -> out.add("COMMENT " + p.text());
            }
        }
        return out;
    }

    static List<String> text(String body) throws ParseException {
        return render(new PromTextParser(bytes(body)));
    }

    static List<String> om(String body) throws ParseException {
        return render(new OpenMetricsParser(bytes(body)));
    }

    /** The message of the ParseException parsing {@code body} to the end throws, or "parsed". */
    static String error(Parser p) {
        try {
            while (p.next() != null) {
                // to the end
            }
            return "parsed";
        } catch (ParseException e) {
            return e.getMessage();
        }
    }

    /** Bytes allocated by this thread so far, or -1 when the JVM cannot tell. */
    static long allocatedBytes() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                && t.isThreadAllocatedMemorySupported() && t.isThreadAllocatedMemoryEnabled()) {
            return t.getThreadAllocatedBytes(Thread.currentThread().threadId());
        }
        return -1;
    }
}

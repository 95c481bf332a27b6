package io.specula.scrape;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.specula.model.histogram.HistogramException;
import io.specula.model.labels.LabelsBuilder;
import io.specula.model.textparse.Entry;
import io.specula.model.textparse.Exemplar;
import io.specula.model.textparse.ParseException;
import io.specula.model.textparse.Parser;

/**
 * The protobuf exposition parser (with native histograms on and off) and the NHCB conversion over
 * it on arbitrary bytes: they parse or refuse with a {@link ParseException}, never anything else;
 * a histogram that parses either validates or is refused with a {@link HistogramException}, which
 * the scrape loop turns into a failed scrape. Seed: three families (a native + classic histogram
 * with an exemplar, a counter with an exemplar, a summary).
 */
class ProtobufParserFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void parse(byte[] body) {
        drain(new ProtobufParser(body, 0, body.length, true, true));
        drain(new ProtobufParser(body, 0, body.length, false, false));
        drain(new NhcbParser(new ProtobufParser(body, 0, body.length, true, true), false));
    }

    private static void drain(Parser p) {
        LabelsBuilder lb = new LabelsBuilder();
        Exemplar ex = new Exemplar();
        try {
            for (Entry e; (e = p.next()) != null; ) {
                if (e == Entry.SERIES) {
                    p.seriesBytes();
                    p.labels(lb);
                    lb.build();
                    p.value();
                    if (p.hasTimestamp()) {
                        p.timestamp();
                    }
                    for (int i = 0; i < 100 && p.exemplar(ex); i++) {
                        ex.reset();
                    }
                    if (p.hasCreatedTimestamp()) {
                        p.createdTimestamp();
                    }
                    if (p instanceof HistogramSource hs && hs.isHistogram()) {
                        try {
                            if (hs.histogram() != null) {
                                hs.histogram().validate();
                            } else {
                                hs.floatHistogram().validate();
                            }
                        } catch (HistogramException refused) {
                            // an invalid histogram fails the scrape with this message
                        }
                    }
                } else if (e == Entry.HELP || e == Entry.UNIT) {
                    p.text();
                } else if (e == Entry.TYPE) {
                    p.type();
                }
            }
        } catch (ParseException expected) {
            // a refusal is the contract for bad input
        }
    }
}

package io.specula.model.fuzz;

import io.specula.model.labels.LabelsBuilder;
import io.specula.model.textparse.Entry;
import io.specula.model.textparse.Exemplar;
import io.specula.model.textparse.ParseException;
import io.specula.model.textparse.Parser;

/** Reads everything a parser offers; bad input must end in a {@link ParseException} and nothing else. */
final class FuzzedExposition {
    private FuzzedExposition() {}

    static void drain(Parser p) {
        LabelsBuilder lb = new LabelsBuilder();
        Exemplar ex = new Exemplar();
        try {
            for (Entry e; (e = p.next()) != null; ) {
                if (e == Entry.SERIES) {
                    p.labels(lb);
                    lb.build();
                    p.value();
                    if (p.hasTimestamp()) {
                        p.timestamp();
                    }
                    p.exemplar(ex);
                    if (p.hasCreatedTimestamp()) {
                        p.createdTimestamp();
                    }
                } else if (e == Entry.HELP || e == Entry.UNIT) {
                    p.text();
                } else if (e == Entry.TYPE) {
                    p.type();
                }
            }
        } catch (ParseException expected) {
            // a refusal with a position is the contract for bad input
        }
    }
}

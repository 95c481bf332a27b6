package io.specula.model.textparse;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.model.labels.Labels;
import io.specula.model.labels.LabelsBuilder;
import io.specula.model.labels.SymbolTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParserSymbolsTest {

    private static List<Labels> series(Parser p, SymbolTable symbols) throws ParseException {
        List<Labels> out = new ArrayList<>();
        LabelsBuilder b = new LabelsBuilder();
        for (Entry e; (e = p.next()) != null; ) {
            if (e == Entry.SERIES) {
                p.labels(b, symbols);
                out.add(b.build());
            }
        }
        return out;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void labels_withSymbols_sharesStringsAcrossSeries_text() throws ParseException {
        byte[] body = bytes("up{job=\"node\",path=\"a\\\"b\"} 1\nup{job=\"node\",path=\"a\\\"b\",zone=\"é\"} 0\n");
        List<Labels> s = series(new PromTextParser(body), new SymbolTable());
        assertThat(s.get(1)).isEqualTo(Labels.of("__name__", "up", "job", "node", "path", "a\"b", "zone", "é"));
        assertThat(s.get(0).get("job")).isSameAs(s.get(1).get("job"));
        assertThat(s.get(0).get("path")).isSameAs(s.get(1).get("path")); // escaped values are interned too
        assertThat(s.get(0).name(1)).isSameAs(s.get(1).name(1));
        assertThat(s.get(0).metricName()).isSameAs(s.get(1).metricName());
    }

    @Test
    void labels_withSymbols_sharesStringsAcrossSeries_openMetrics() throws ParseException {
        byte[] body = bytes("# TYPE up gauge\nup{job=\"node\",i=\"1\"} 1\nup{job=\"node\",i=\"2\"} 0\n# EOF\n");
        List<Labels> s = series(new OpenMetricsParser(body), new SymbolTable());
        assertThat(s.get(1)).isEqualTo(Labels.of("__name__", "up", "job", "node", "i", "2"));
        assertThat(s.get(0).get("job")).isSameAs(s.get(1).get("job"));
    }

    @Test
    void labels_withoutSymbols_equalResults() throws ParseException {
        byte[] body = bytes("m{a=\"x\\ny\"} 1\n");
        assertThat(series(new PromTextParser(body), null)).isEqualTo(series(new PromTextParser(body), new SymbolTable()));
    }
}

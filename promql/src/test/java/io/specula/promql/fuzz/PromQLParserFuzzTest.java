package io.specula.promql.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.specula.promql.parser.Expr;
import io.specula.promql.parser.ParseException;
import io.specula.promql.parser.ParserOptions;
import io.specula.promql.parser.PromQLParser;
import io.specula.promql.parser.Printer;
import java.nio.charset.StandardCharsets;

/**
 * The PromQL parser on arbitrary text: it parses or refuses with a position; what parses prints
 * (as {@code format_query} does) to text that parses again to the same printed form.
 */
class PromQLParserFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void parseAndPrint(byte[] text) throws ParseException {
        String query = new String(text, StandardCharsets.UTF_8);
        Expr e;
        try {
            e = PromQLParser.parse(query, ParserOptions.defaults());
        } catch (ParseException expected) {
            return;
        }
        String printed = Printer.print(e);
        String again = Printer.print(PromQLParser.parse(printed, ParserOptions.defaults()));
        if (!again.equals(printed)) {
            throw new AssertionError("format_query is not stable: " + printed + " -> " + again);
        }
    }
}

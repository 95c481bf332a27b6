package io.specula.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected strings are what Go's fmt.Sprintf prints for the same format and arguments. */
class GoFmtTest {

    private static String f(String format, Object... args) {
        return GoFmt.sprintf(format, args);
    }

    @Test
    void sprintf_strings() {
        assertThat(f("%s|%v|%q", "a", "b", "c\"d\n")).isEqualTo("a|b|\"c\\\"d\\n\"");
        assertThat(f("[%5s][%-5s][%.2s][%5.1s]", "ab", "ab", "abc", "xyz")).isEqualTo("[   ab][ab   ][ab][    x]");
        assertThat(f("%x %X % x", "hi", "hi", "hi")).isEqualTo("6869 6869 68 69");
        assertThat(f("%#q", "a")).isEqualTo("`a`");
        assertThat(f("%05s", "ab")).isEqualTo("000ab"); // Go 1.19, as Prometheus 2.42 was built
    }

    @Test
    void sprintf_integers() {
        assertThat(f("%d|%5d|%-5d|%05d|%+d|% d", 42L, 42L, 42L, -42L, 42L, 42L)).isEqualTo("42|   42|42   |-0042|+42| 42");
        assertThat(f("%x|%X|%o|%b|%#x|%#o|%O", 255L, 255L, 8L, 5L, 255L, 8L, 8L)).isEqualTo("ff|FF|10|101|0xff|010|0o10");
        assertThat(f("%c|%q|%U|%#U", 65L, 65L, 0x1F600L, 65L)).isEqualTo("A|'A'|U+1F600|U+0041 'A'");
        assertThat(f("%.3d|%8.3d|%v", 7L, -7L, 3)).isEqualTo("007|    -007|3");
        assertThat(f("%x", -255L)).isEqualTo("-ff");
    }

    @Test
    void sprintf_floats() {
        assertThat(f("%f|%.2f|%.0f|%8.3f|%-8.2f|%08.2f", 3.14159, 3.14159, 2.5, 3.14159, 1.5, -1.5))
                .isEqualTo("3.141590|3.14|2|   3.142|1.50    |-0001.50");
        assertThat(f("%e|%.2e|%E|%.0e", 1234.5678, 1234.5678, 0.000123, 5.0)).isEqualTo("1.234568e+03|1.23e+03|1.230000E-04|5e+00");
        assertThat(f("%g|%g|%g|%g|%G", 1234.5678, 0.00001234, 1e21, 100000.0, 1e-7)).isEqualTo("1234.5678|1.234e-05|1e+21|100000|1E-07");
        assertThat(f("%.4g|%.4g|%.4g|%.4g|%.4g|%.3g", 1.5, 1234.5678, 12345.0, 0.0001234, 123456.0, 0.0)).isEqualTo("1.5|1235|1.234e+04|0.0001234|1.235e+05|0");
        assertThat(f("%v|%v|%v", 0.1 + 0.2, 1e6, -0.0)).isEqualTo("0.30000000000000004|1e+06|-0");
        assertThat(f("%.2f|%.1f|%.1f", 0.125, 0.25, 0.35)).isEqualTo("0.12|0.2|0.3");
        assertThat(f("%f|%v|%5.1f|%+f|%.2f", Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, Double.NaN, -0.001))
                .isEqualTo("+Inf|-Inf|  NaN|+NaN|-0.00");
        assertThat(f("%+.1e", 12345.0)).isEqualTo("+1.2e+04");
        assertThat(f("%.4g", 1e100)).isEqualTo("1e+100");
    }

    @Test
    void sprintf_badVerbsMissingAndExtra() {
        assertThat(f("%d", "x")).isEqualTo("%!d(string=x)");
        assertThat(f("%f", 5L)).isEqualTo("%!f(int=5)");
        assertThat(f("%s", 5L)).isEqualTo("%!s(int=5)");
        assertThat(f("%d %d", 1L)).isEqualTo("1 %!d(MISSING)");
        assertThat(f("%d", 1L, "a", 2L)).isEqualTo("1%!(EXTRA string=a, int=2)");
        assertThat(f("%", 1L)).isEqualTo("%!(NOVERB)%!(EXTRA int=1)");
        assertThat(f("%z", 1L)).isEqualTo("%!z(int=1)");
        assertThat(f("%s|%v|%d", null, null, null)).isEqualTo("%!s(<nil>)|<nil>|%!d(<nil>)");
        assertThat(f("100%%")).isEqualTo("100%");
        assertThat(f("%t|%v|%d", true, false, true)).isEqualTo("true|false|%!d(bool=true)");
    }

    @Test
    void sprintf_compositeValues() {
        assertThat(f("%v|%d|%s|%q", List.of(1L, 2L), List.of(1L, 2L), List.of("a", "b"), List.of("a", "b")))
                .isEqualTo("[1 2]|[1 2]|[a b]|[\"a\" \"b\"]");
        assertThat(f("%v", Map.of("b", 1L, "a", 2L))).isEqualTo("map[a:2 b:1]");
        assertThat(f("%*d|%.*f", 5L, 42L, 2L, 3.14159)).isEqualTo("   42|3.14");
        assertThat(f("%v|%s|%d", new GoDuration(90_000_000_000L), new GoDuration(1_500_000L), new GoDuration(5L)))
                .isEqualTo("1m30s|1.5ms|5");
    }

    @Test
    void sprint_spacesBetweenNonStrings() {
        assertThat(GoFmt.sprint(new Object[] {1L, 2L, "a", 3L, "b", "c"})).isEqualTo("1 2a3bc");
        assertThat(GoFmt.sprintln(new Object[] {1L, "a"})).isEqualTo("1 a\n");
    }

    @Test
    void durations_printLikeGo() {
        assertThat(new GoDuration(0)).hasToString("0s");
        assertThat(new GoDuration(999)).hasToString("999ns");
        assertThat(new GoDuration(1_500)).hasToString("1.5µs");
        assertThat(new GoDuration(3_600_000_000_000L)).hasToString("1h0m0s");
        assertThat(new GoDuration(3_723_500_000_000L)).hasToString("1h2m3.5s");
        assertThat(new GoDuration(-61_000_000_000L)).hasToString("-1m1s");
    }

    @Test
    void times_formatWithGoLayouts() {
        GoTime t = new GoTime(java.time.Instant.parse("2024-03-05T14:07:09.120Z"), java.time.ZoneOffset.UTC);
        assertThat(t).hasToString("2024-03-05 14:07:09.12 +0000 UTC");
        assertThat(t.Format("2006-01-02T15:04:05Z07:00")).isEqualTo("2024-03-05T14:07:09Z");
        assertThat(t.Format("Mon Jan _2 3:04PM .000 MST")).isEqualTo("Tue Mar  5 2:07PM .120 UTC");
        assertThat(t.Format("January 2, 2006 15:04:05.999 -07:00")).isEqualTo("March 5, 2024 14:07:09.12 +00:00");
        GoTime berlin = new GoTime(t.instant(), java.time.ZoneId.of("Europe/Berlin"));
        assertThat(berlin.Format("15:04 MST -0700")).isEqualTo("15:07 CET +0100");
        assertThat(GoTime.ZERO).hasToString("0001-01-01 00:00:00 +0000 UTC");
        assertThat(GoTime.ZERO.IsZero()).isTrue();
    }
}

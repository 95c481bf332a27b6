package io.specula.template;

import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * Formats a {@link GoTime} with a Go layout: the reference time {@code Mon Jan 2 15:04:05 MST
 * 2006} written the way the output should look ({@code 2006-01-02}, {@code 3:04PM},
 * {@code -07:00}, {@code .000}, ...). Anything that is not a layout element is copied.
 */
final class GoTimeLayout {
    private GoTimeLayout() {}

    static String format(GoTime t, String layout) {
        ZonedDateTime z = t.zoned();
        StringBuilder b = new StringBuilder(layout.length() + 10);
        int n = layout.length();
        int i = 0;
        while (i < n) {
            char c = layout.charAt(i);
            int m; // length of the element matched at i, 0 if none
            switch (c) {
                case 'J' -> {
                    if (layout.startsWith("January", i)) {
                        b.append(z.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                        m = 7;
                    } else if (layout.startsWith("Jan", i)) {
                        b.append(z.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                        m = 3;
                    } else {
                        m = 0;
                    }
                }
                case 'M' -> {
                    if (layout.startsWith("Monday", i)) {
                        b.append(z.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
                        m = 6;
                    } else if (layout.startsWith("Mon", i)) {
                        b.append(z.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
                        m = 3;
                    } else if (layout.startsWith("MST", i)) {
                        b.append(t.zoneAbbreviation());
                        m = 3;
                    } else {
                        m = 0;
                    }
                }
                case '0' -> {
                    if (layout.startsWith("002", i)) {
                        pad(b, z.getDayOfYear(), 3, '0');
                        m = 3;
                    } else if (i + 1 < n && layout.charAt(i + 1) >= '1' && layout.charAt(i + 1) <= '6') {
                        switch (layout.charAt(i + 1)) {
                            case '1' -> pad(b, z.getMonthValue(), 2, '0');
                            case '2' -> pad(b, z.getDayOfMonth(), 2, '0');
                            case '3' -> pad(b, hour12(z), 2, '0');
                            case '4' -> pad(b, z.getMinute(), 2, '0');
                            case '5' -> pad(b, z.getSecond(), 2, '0');
                            default -> pad(b, Math.floorMod(z.getYear(), 100), 2, '0');
                        }
                        m = 2;
                    } else {
                        m = 0;
                    }
                }
                case '1' -> {
                    if (layout.startsWith("15", i)) {
                        pad(b, z.getHour(), 2, '0');
                        m = 2;
                    } else {
                        b.append(z.getMonthValue());
                        m = 1;
                    }
                }
                case '2' -> {
                    if (layout.startsWith("2006", i)) {
                        int y = z.getYear();
                        if (y < 0) {
                            b.append('-');
                        }
                        pad(b, Math.abs(y), 4, '0');
                        m = 4;
                    } else {
                        b.append(z.getDayOfMonth());
                        m = 1;
                    }
                }
                case '_' -> {
                    if (layout.startsWith("_2006", i)) {
                        b.append('_');
                        m = 1; // the year is matched next round
                    } else if (layout.startsWith("__2", i)) {
                        pad(b, z.getDayOfYear(), 3, ' ');
                        m = 3;
                    } else if (layout.startsWith("_2", i)) {
                        pad(b, z.getDayOfMonth(), 2, ' ');
                        m = 2;
                    } else {
                        m = 0;
                    }
                }
                case '3' -> {
                    b.append(hour12(z));
                    m = 1;
                }
                case '4' -> {
                    b.append(z.getMinute());
                    m = 1;
                }
                case '5' -> {
                    b.append(z.getSecond());
                    m = 1;
                }
                case 'P' -> {
                    if (layout.startsWith("PM", i)) {
                        b.append(z.getHour() >= 12 ? "PM" : "AM");
                        m = 2;
                    } else {
                        m = 0;
                    }
                }
                case 'p' -> {
                    if (layout.startsWith("pm", i)) {
                        b.append(z.getHour() >= 12 ? "pm" : "am");
                        m = 2;
                    } else {
                        m = 0;
                    }
                }
                case '-', 'Z' -> m = zone(b, layout, i, z.getOffset().getTotalSeconds(), c == 'Z');
                case '.', ',' -> m = fraction(b, layout, i, z.getNano());
                default -> m = 0;
            }
            if (m == 0) {
                b.append(c);
                i++;
            } else {
                i += m;
            }
        }
        return b.toString();
    }

    private static int hour12(ZonedDateTime z) {
        int h = z.getHour() % 12;
        return h == 0 ? 12 : h;
    }

    private static void pad(StringBuilder b, int v, int width, char fill) {
        String s = Integer.toString(v);
        for (int k = s.length(); k < width; k++) {
            b.append(fill);
        }
        b.append(s);
    }

    private static final String[] ZONE_LAYOUTS = {"070000", "07:00:00", "0700", "07:00", "07"};

    private static int zone(StringBuilder b, String layout, int i, int offset, boolean iso) {
        for (String z : ZONE_LAYOUTS) {
            if (!layout.startsWith(z, i + 1)) {
                continue;
            }
            if (iso && offset == 0) {
                b.append('Z');
                return z.length() + 1;
            }
            int abs = Math.abs(offset);
            b.append(offset < 0 ? '-' : '+');
            pad(b, abs / 3600, 2, '0');
            boolean colon = z.contains(":");
            if (z.length() > 2) {
                if (colon) {
                    b.append(':');
                }
                pad(b, (abs / 60) % 60, 2, '0');
            }
            if (z.equals("070000") || z.equals("07:00:00")) {
                if (colon) {
                    b.append(':');
                }
                pad(b, abs % 60, 2, '0');
            }
            return z.length() + 1;
        }
        return 0;
    }

    private static int fraction(StringBuilder b, String layout, int i, int nanos) {
        int n = layout.length();
        if (i + 1 >= n) {
            return 0;
        }
        char d = layout.charAt(i + 1);
        if (d != '0' && d != '9') {
            return 0;
        }
        int j = i + 1;
        while (j < n && layout.charAt(j) == d) {
            j++;
        }
        if (j < n && Character.isDigit(layout.charAt(j))) {
            return 0;
        }
        int digits = Math.min(j - i - 1, 9);
        String f = Integer.toString(nanos);
        f = "0".repeat(9 - f.length()) + f;
        f = f.substring(0, digits);
        if (d == '9') {
            int end = f.length();
            while (end > 0 && f.charAt(end - 1) == '0') {
                end--;
            }
            if (end == 0) {
                return j - i;
            }
            f = f.substring(0, end);
        }
        b.append(layout.charAt(i)).append(f);
        return j - i;
    }
}

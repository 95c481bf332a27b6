package io.specula.template;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * Go's {@code time.Time} as templates see it: an instant in a zone, printed like Go
 * ({@code 2006-01-02 15:04:05.999999999 -0700 MST}) and offering the methods templates call
 * ({@code .Format}, {@code .Unix}, {@code .UTC}, {@code .IsZero}, ...). Layouts follow Go's
 * reference time {@code Mon Jan 2 15:04:05 MST 2006}.
 */
public record GoTime(Instant instant, ZoneId zone) {
    /** Go's zero time, January 1 of year 1, UTC. */
    public static final GoTime ZERO = new GoTime(Instant.parse("0001-01-01T00:00:00Z"), ZoneOffset.UTC);

    public GoTime {
        if (instant == null || zone == null) {
            throw new NullPointerException("instant and zone");
        }
    }

    public static GoTime ofEpochMillis(long millis) {
        return new GoTime(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
    }

    public static GoTime ofEpochNanos(long nanos) {
        return new GoTime(Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)),
                ZoneOffset.UTC);
    }

    /** The zone templates get for Go's "UTC" location. */
    static boolean isUtc(ZoneId z) {
        return z.equals(ZoneOffset.UTC) || z.getId().equals("UTC") || z.getId().equals("Z");
    }

    ZonedDateTime zoned() {
        return instant.atZone(zone);
    }

    public String Format(String layout) {
        return GoTimeLayout.format(this, layout);
    }

    public long Unix() {
        return instant.getEpochSecond();
    }

    public long UnixMilli() {
        return instant.toEpochMilli();
    }

    public long UnixNano() {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    public GoTime UTC() {
        return new GoTime(instant, ZoneOffset.UTC);
    }

    public GoTime Local() {
        return new GoTime(instant, ZoneId.systemDefault());
    }

    public GoTime Add(GoDuration d) {
        return new GoTime(instant.plusNanos(d.nanos()), zone);
    }

    public GoDuration Sub(GoTime other) {
        long secs = instant.getEpochSecond() - other.instant.getEpochSecond();
        long nanos = instant.getNano() - other.instant.getNano();
        return new GoDuration(secs * 1_000_000_000L + nanos);
    }

    public boolean Before(GoTime other) {
        return instant.isBefore(other.instant);
    }

    public boolean After(GoTime other) {
        return instant.isAfter(other.instant);
    }

    public boolean Equal(GoTime other) {
        return instant.equals(other.instant);
    }

    public boolean IsZero() {
        return instant.equals(ZERO.instant);
    }

    public long Year() {
        return zoned().getYear();
    }

    public long Day() {
        return zoned().getDayOfMonth();
    }

    public long Hour() {
        return zoned().getHour();
    }

    public long Minute() {
        return zoned().getMinute();
    }

    public long Second() {
        return zoned().getSecond();
    }

    public long Nanosecond() {
        return instant.getNano();
    }

    public long YearDay() {
        return zoned().getDayOfYear();
    }

    public String Month() {
        return zoned().getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
    }

    public String Weekday() {
        DayOfWeek d = zoned().getDayOfWeek();
        return d.getDisplayName(TextStyle.FULL, Locale.ENGLISH);
    }

    /** Go's zone abbreviation: {@code UTC}, {@code CET}, or {@code +03} where none exists. */
    String zoneAbbreviation() {
        if (isUtc(zone)) {
            return "UTC";
        }
        ZonedDateTime z = zoned();
        String name = zone instanceof ZoneOffset ? "" : java.time.format.DateTimeFormatter.ofPattern("zzz", Locale.ENGLISH).format(z);
        if (name.isEmpty() || name.startsWith("GMT+") || name.startsWith("GMT-") || name.startsWith("UTC+")
                || name.startsWith("UTC-") || name.startsWith("+") || name.startsWith("-")) {
            int secs = z.getOffset().getTotalSeconds();
            int abs = Math.abs(secs);
            String s = (secs < 0 ? "-" : "+") + String.format("%02d", abs / 3600);
            if (abs % 3600 != 0) {
                s += String.format("%02d", (abs % 3600) / 60);
            }
            return s;
        }
        return name;
    }

    @Override
    public String toString() {
        return GoTimeLayout.format(this, "2006-01-02 15:04:05.999999999 -0700 MST");
    }
}

package io.streamlake.common.time;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The one text form StreamLake writes instants in: UTC, milliseconds, {@code 2026-11-23T20:08:00.123Z} (what
 * ClickHouse, PostgreSQL, Kafka consumers and people read alike), written without a formatter on the hot paths.
 */
public final class UtcTimestamps {

    /** Length of the millisecond form for years 0 to 9999. */
    public static final int MILLIS_LENGTH = 24;

    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private UtcTimestamps() {
    }

    /** The millisecond form, {@code 2026-11-23T20:08:00.123Z} (finer digits are cut). */
    public static String millis(Instant instant) {
        byte[] b = new byte[MILLIS_LENGTH];
        return writeMillis(instant, b, 0) ? new String(b, StandardCharsets.US_ASCII) : MILLIS.format(instant);
    }

    /**
     * The exact form: the millisecond form when the instant is a whole millisecond (nearly always), else ISO-8601 with
     * all its digits, so nothing finer is lost.
     */
    public static String exact(Instant instant) {
        return instant.getNano() % 1_000_000 == 0 ? millis(instant) : instant.toString();
    }

    /**
     * Writes the millisecond form into {@code b} at {@code at} ({@link #MILLIS_LENGTH} bytes) and returns true;
     * false, writing nothing, for a year outside 0 to 9999 (which {@link #millis} leaves to a formatter).
     */
    public static boolean writeMillis(Instant instant, byte[] b, int at) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        int year = t.getYear();
        if (year < 0 || year > 9999) {
            return false;
        }
        digits(b, at, year, 4);
        b[at + 4] = '-';
        digits(b, at + 5, t.getMonthValue(), 2);
        b[at + 7] = '-';
        digits(b, at + 8, t.getDayOfMonth(), 2);
        b[at + 10] = 'T';
        digits(b, at + 11, t.getHour(), 2);
        b[at + 13] = ':';
        digits(b, at + 14, t.getMinute(), 2);
        b[at + 16] = ':';
        digits(b, at + 17, t.getSecond(), 2);
        b[at + 19] = '.';
        digits(b, at + 20, t.getNano() / 1_000_000, 3);
        b[at + 23] = 'Z';
        return true;
    }

    private static void digits(byte[] b, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            b[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }
}

package io.streamlake.tasks.etl;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.List;

/**
 * Dates and timestamps as source systems write them, to UTC: ISO-8601 with an offset or {@code Z} (the offset
 * wins), epoch milliseconds (13 digits), or one of the configured local patterns, read in the configured zone.
 * Patterns are strict: {@code 31/02/2026} is an error, not 3 March.
 */
public final class SourceTimestamps {

    private final ZoneId zone;
    private final List<DateTimeFormatter> dateTimes;
    private final List<DateTimeFormatter> dates;

    public SourceTimestamps(ZoneId zone, List<String> dateTimePatterns, List<String> datePatterns) {
        this.zone = zone;
        this.dateTimes = dateTimePatterns.stream().map(SourceTimestamps::strict).toList();
        this.dates = datePatterns.stream().map(SourceTimestamps::strict).toList();
    }

    private static DateTimeFormatter strict(String pattern) {
        return DateTimeFormatter.ofPattern(pattern.replace("yyyy", "uuuu")).withResolverStyle(ResolverStyle.STRICT);
    }

    public Instant instant(String text, String field) {
        if (text.length() == 13 && text.chars().allMatch(Character::isDigit)) {
            return Instant.ofEpochMilli(Long.parseLong(text));
        }
        Instant utc = utcInstant(text);
        if (utc != null) {
            return utc;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notIsoWithOffset) {
            // one of the local forms below
        }
        for (DateTimeFormatter f : dateTimes) {
            try {
                return LocalDateTime.parse(text, f).atZone(zone).toInstant();
            } catch (DateTimeException next) {
                // try the next pattern
            }
        }
        throw new Rejection(RejectReason.INVALID_DATE, field, field + " '" + text + "' is not a timestamp in an accepted format");
    }

    /**
     * {@code uuuu-MM-ddTHH:mm:ss[.f{1,9}]Z}, the form exports write most, read without a formatter; null for any other
     * form (and for an impossible date such as February 30th), which the general parsers then read or reject.
     */
    static Instant utcInstant(String s) {
        int n = s.length();
        if (n < 20 || n > 30 || n == 21 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z' || (n > 20 && s.charAt(19) != '.')) {
            return null;
        }
        int year = digits(s, 0, 4), month = digits(s, 5, 2), day = digits(s, 8, 2), hour = digits(s, 11, 2),
                minute = digits(s, 14, 2), second = digits(s, 17, 2);
        int fraction = n > 20 ? digits(s, 20, n - 21) : 0;
        if ((year | month | day | hour | minute | second | fraction) < 0) {
            return null;
        }
        for (int i = n - 21; i < 9 && n > 20; i++) {
            fraction *= 10; // .5 is 500,000,000 nanoseconds
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, fraction).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException impossible) {
            return null;
        }
    }

    private static int digits(String s, int from, int width) {
        int value = 0;
        for (int i = from; i < from + width; i++) {
            int d = s.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }

    public LocalDate date(String text, String field) {
        for (DateTimeFormatter f : dates) {
            try {
                return LocalDate.parse(text, f);
            } catch (DateTimeException next) {
                // try the next pattern
            }
        }
        throw new Rejection(RejectReason.INVALID_DATE, field, field + " '" + text + "' is not a date in an accepted format");
    }
}

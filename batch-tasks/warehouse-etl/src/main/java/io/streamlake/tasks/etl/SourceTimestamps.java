package io.streamlake.tasks.etl;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
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

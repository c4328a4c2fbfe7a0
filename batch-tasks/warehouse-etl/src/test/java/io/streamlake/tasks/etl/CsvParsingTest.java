package io.streamlake.tasks.etl;

import org.junit.jupiter.api.Test;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ETL's own CSV splitting and its fast timestamp form, against what they stand in for. */
class CsvParsingTest {

    private final CsvRecordTokenizer csv = new CsvRecordTokenizer(',', '"');

    @Test
    void splitsPlainQuotedAndEmptyFields() {
        assertThat(csv.split("a,b,,d")).containsExactly("a", "b", "", "d");
        assertThat(csv.split("")).containsExactly("");
        assertThat(csv.split(",")).containsExactly("", "");
        assertThat(csv.split(" a , b ")).containsExactly(" a ", " b ");
        assertThat(csv.split("\"a,b\",c")).containsExactly("a,b", "c");
        assertThat(csv.split("\"say \"\"hi\"\"\",x")).containsExactly("say \"hi\"", "x");
        assertThat(csv.split("\"\",\"\"")).containsExactly("", "");
        assertThat(csv.split("\"two\nlines\",x")).containsExactly("two\nlines", "x");
        assertThat(csv.split("5\" screen,x")).containsExactly("5\" screen", "x"); // a quote inside a field is text
        assertThat(csv.split("\"quoted\"tail,x")).containsExactly("quotedtail", "x");
        assertThat(csv.split("x,\"last\"")).containsExactly("x", "last");
    }

    @Test
    void anUnclosedQuoteIsAnError() {
        assertThat(csv.split("\"open,x")).isNull();
        assertThat(csv.split("x,\"open")).isNull();
        assertThat(csv.split("x,\"a\"\"")).isNull();
    }

    @Test
    void aRecordContinuesOnTheNextLineOnlyInsideAQuotedField() {
        assertThat(csv.quotedFieldOpenAfter("1,plain,x", false)).isFalse();
        assertThat(csv.quotedFieldOpenAfter("1,\"open,x", false)).isTrue();
        assertThat(csv.quotedFieldOpenAfter("1,5\" screen,x", false)).isFalse();   // a quote inside a field is text
        assertThat(csv.quotedFieldOpenAfter("1,\"a \"\"quote\"\" inside\",x", false)).isFalse();
        assertThat(csv.quotedFieldOpenAfter("1,\"ends with a doubled quote\"\"", false)).isTrue();
        assertThat(csv.quotedFieldOpenAfter("\"", false)).isTrue();
        assertThat(csv.quotedFieldOpenAfter("still inside", true)).isTrue();
        assertThat(csv.quotedFieldOpenAfter("closes\",x", true)).isFalse();
        assertThat(csv.quotedFieldOpenAfter("closes\",\"opens again", true)).isTrue();
        assertThat(csv.quotedFieldOpenAfter("\"\"", true)).isTrue();                 // a doubled quote inside: still open
        // Whatever it says, split agrees on the joined record.
        for (String[] lines : new String[][]{{"1,\"a", "b\",x"}, {"1,\"a\"\"", "\"\"b\",x"}, {"1,x\"y", "z"}}) {
            boolean open = csv.quotedFieldOpenAfter(lines[0], false);
            boolean stillOpen = open && csv.quotedFieldOpenAfter(lines[1], true);
            String joined = open ? lines[0] + "\n" + lines[1] : lines[0];
            assertThat(csv.split(joined) == null).as(String.join("|", lines)).isEqualTo(stillOpen);
        }
    }

    @Test
    void otherDelimitersAndQuotes() {
        CsvRecordTokenizer semicolons = new CsvRecordTokenizer(';', '\'');
        assertThat(semicolons.split("a;'b;c';'it''s'")).containsExactly("a", "b;c", "it's");
        assertThatThrownBy(() -> new CsvRecordTokenizer(',', ',')).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theFastTimestampFormReadsWhatTheIsoParserReads() {
        Random random = new Random(17);
        List<String> inputs = new java.util.ArrayList<>(List.of("2026-10-05T10:00:00Z", "2026-10-05T10:00:00.5Z",
                "2026-10-05T10:00:00.123456789Z", "2024-02-29T23:59:59.999Z", "2026-02-29T10:00:00Z", "2026-02-30T10:00:00Z",
                "2026-13-01T10:00:00Z", "2026-10-05T24:00:00Z", "2026-10-05T23:60:00Z", "2026-10-05T23:59:60Z",
                "2026-10-05T10:00:00.Z", "2026-10-05T10:00:00.1234567890Z", "2026-10-05T10:00Z", "2026-10-05 10:00:00Z",
                "2026-10-05t10:00:00z", "2026-10-05T10:00:00+01:00", "+2026-10-05T10:00:00Z", "2026-1a-05T10:00:00Z",
                "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "2026-10-05T10:00:00.-1Z"));
        for (int i = 0; i < 20_000; i++) {
            Instant at = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 250_000_000_000L), random.nextInt(1_000_000_000));
            String iso = at.toString();
            inputs.add(iso);
            inputs.add(iso.substring(0, Math.min(iso.length() - 1, 19 + random.nextInt(6))) + "Z");
        }
        int fast = 0;
        for (String s : inputs) {
            Instant parsed = SourceTimestamps.utcInstant(s);
            Instant expected;
            try {
                expected = OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeException notIso) {
                expected = null;
            }
            if (parsed != null) {
                fast++;
                assertThat(parsed).as(s).isEqualTo(expected);
            }
        }
        assertThat(fast).as("inputs the fast form read").isGreaterThan(inputs.size() / 2);
        SourceTimestamps timestamps = new SourceTimestamps(ZoneId.of("UTC"), List.of("yyyy-MM-dd HH:mm:ss"), List.of());
        assertThat(timestamps.instant("2026-10-05T10:00:00.25Z", "t")).isEqualTo(Instant.parse("2026-10-05T10:00:00.250Z"));
        assertThat(timestamps.instant("2026-10-05T12:00:00+02:00", "t")).isEqualTo(Instant.parse("2026-10-05T10:00:00Z"));
        assertThatThrownBy(() -> timestamps.instant("2026-02-30T10:00:00Z", "t")).isInstanceOf(Rejection.class);
    }
}

package io.streamlake.core.contract;

import io.streamlake.common.time.UtcTimestamps;
import io.streamlake.core.event.CasinoEvent;
import io.streamlake.core.event.CasinoEventJson;
import io.streamlake.core.event.InvalidEventException;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ContractJson#read} takes a streaming fast path for common records and the tree path for the rest: both must
 * give the same values, or the same rejection with the same words, for every input; and both writers the same bytes.
 * Run on the casino contract, whose events have every kind of field the fast paths handle.
 */
class ContractJsonPathsTest {

    private static final ContractJson JSON = new ContractJson(CasinoEventJson.CONTRACT);

    @Test
    void bothPathsAgreeOnGeneratedEventsAndTheirMutations() {
        Random random = new Random(7);
        List<String> inputs = new ArrayList<>();
        String[] activities = {"bet", "win", " WIN ", "deposit", "login", "bonus"};
        for (int i = 0; i < 3000; i++) {
            CasinoEvent e = new CasinoEvent(new UUID(random.nextLong(), random.nextLong()), "C" + random.nextInt(1000),
                    Instant.ofEpochMilli(random.nextLong(-62_000_000_000_000L, 260_000_000_000_000L)),
                    activities[random.nextInt(activities.length)], random.nextBoolean() ? "slots-" + i : null,
                    random.nextBoolean() ? "slots" : null, amount(random), amount(random), amount(random), amount(random),
                    random.nextBoolean() ? "EUR" : null, random.nextInt(3));
            byte[] written = CasinoEventJson.write(e);
            int year = e.activityDatetime().atZone(java.time.ZoneOffset.UTC).getYear();
            if (year >= 0 && year <= 9999) {
                assertThat(CasinoEventJson.event(JSON.readCommon(written))).as("the fast path takes written events").isEqualTo(e);
            }
            String json = new String(written, StandardCharsets.UTF_8);
            inputs.add(json);
            inputs.add(json.replace("\"schema_version\"", "\"device\":{\"os\":\"ios\"},\"schema_version\""));
            inputs.add(json.replace("\"customer_id\":\"C", "\"customer_id\":").replaceFirst("(\"customer_id\":\\d+)\"", "$1"));
            inputs.add(json.replace(".", ""));
            inputs.add(json.replace("Z\"", "+01:00\""));
            inputs.add(json.replace("T", " "));
            inputs.add(json.replace("{", "{\"currency\":\"USD\","));
            inputs.add(json + " ");
            inputs.add(json + "x");
            inputs.add(json.substring(0, json.length() - 1));
            inputs.add(json.replaceFirst("\\d", "x"));
            inputs.add(json.replace(",", " ,\n\t").replace(":", " : ").replace("{", " \r\n{ ").replace("}", " }\n"));
            inputs.add(json.toUpperCase(java.util.Locale.ROOT).replace("\"EVENT_ID\"", "\"event_id\"")); // upper-case hex ids
            inputs.add(json.replace("\"C", "\"caf\u00e9 C"));
            inputs.add(json.replace("\"bet\"", "\"b\\u0065t\"").replace("\"EUR\"", "\"E\\/R\""));
            inputs.add(json.replace(":null", ":nul").replace("\"game_id\":\"", "\"game_id\":\"\t"));
            inputs.add(json.replaceFirst("(_amount\":)(-?)", "$1$20").replaceFirst("(_amount\":-?\\d+)", "$1e2"));
            inputs.add(json.replaceFirst("(_amount\":-?\\d+)", "$1.").replaceFirst("(\"schema_version\":)", "$1-0"));
            inputs.add(json.replaceFirst("(_amount\":)", "$112345678901234567"));
        }
        inputs.addAll(List.of("", " ", "null", "[]", "[1,2,3]", "\"text\"", "42", "{}", "{\"event_id\":null}",
                "{\"activity_datetime\":\"2026-02-30T10:00:00.000Z\"}", "{\"activity_datetime\":\"2026-11-23T24:00:00.000Z\"}",
                "{\"activity_datetime\":\"0000-01-01T00:00:00.000Z\"}", "{\"activity_datetime\":\" 2026-11-23T20:08:00.123Z\"}",
                "{\"activity_datetime\":9223372036854775807}", "{\"activity_datetime\":92233720368547758070}",
                "{\"schema_version\":4294967296}", "{\"schema_version\":1.0}", "{\"customer_id\":-7}",
                "{\"customer_id\":18446744073709551616}", "{\"bet_amount\":1e3}", "{\"bet_amount\":-0.00}",
                "{\"bet_amount\":12.50,\"bet_amount\":12.50}", "{\"event_id\":\"3f2a9c1e-7b4d-4e8a-9c3b-1d2e3f4a5b6c \"}",
                "{\"event_id\":\"3f2a9c1e7b4d4e8a9c3b1d2e3f4a5b6c\"}", "{\"game_id\":\"\\u0000\\\"quoted\\\"\"}",
                "{\"event_id\":\"3F2A9C1E-7B4D-4E8A-9C3B-1D2E3F4A5B6C\"}", "{\"event_id\":\"3f2a9c1e-7b4d-4e8a-9c3b-1d2e3f4a5b6g\"}",
                "{\"event_id\":\"3f2a9c1e+7b4d-4e8a-9c3b-1d2e3f4a5b6c\"}", "{\"event_id\":\"+f2a9c1e-7b4d-4e8a-9c3b-1d2e3f4a5b6c\"}",
                "{\"bet_amount\":123456789012345678}", "{\"bet_amount\":1234567890123456789}", "{\"bet_amount\":0.000000000000000001}",
                "{\"bet_amount\":-}", "{\"bet_amount\":01}", "{\"bet_amount\":1.}", "{\"bet_amount\":.5}", "{\"bet_amount\":1.5E-3}",
                "{\"bet_amount\":\"12.5\"}", "{\"bet_amount\":true}", "{\"schema_version\":-0}", "{\"schema_version\":007}",
                "{\"schema_version\":123456789}", "{\"schema_version\":1234567890}", "{\"schema_version\":1e0}",
                "{\"customer_id\":\"\"}", "{\"customer_id\":\"del\u007f\"}", "{\"currency\":\"EUR\"", "{\"currency\" \"EUR\"}",
                "{\"currency\":\"EUR\",}", "{,}", "{\"currency\":\"EUR\"}}", "\uFEFF{}", "{\"currency\":null,\"currency\":\"EUR\"}",
                "{\"activity_datetime\":\"2026-11-23T20:08:00.123z\"}", "{\"activity_datetime\":\"2026-11-23T20:08:60.000Z\"}",
                "{\"activity_datetime\":\"+026-11-23T20:08:00.123Z\"}", "{\"activity_datetime\":null}", " {\"game_type\":\"slots\"} "));

        int scanned = 0;
        for (String input : inputs) {
            byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
            assertThat(outcome(() -> CasinoEventJson.event(JSON.read(bytes)))).as(input)
                    .isEqualTo(outcome(() -> CasinoEventJson.event(JSON.readTree(bytes))));
            scanned += JSON.readCommon(bytes) != null ? 1 : 0;
        }
        assertThat(scanned).as("inputs the fast path read itself (the rest are mutations it must give up on)")
                .isBetween(inputs.size() / 10, inputs.size() / 2);
    }

    @Test
    void bothWritersWriteTheSameBytes() {
        Random random = new Random(11);
        String[] texts = {"C42", "", " padded ", "quote\"d", "back\\slash", "tab\there", "nul\u0000", "caf\u00e9",
                "\u20ac", "emoji \ud83c\udfb0", "del\u007f", "~!@#$%^&*()_+{}|:<>?",
                "x".repeat(70_000)}; // beyond the buffer the ASCII writer keeps between events
        int asciiWritten = 0;
        for (int i = 0; i < 2000; i++) {
            CasinoEvent e = new CasinoEvent(random.nextBoolean() ? new UUID(random.nextLong(), random.nextLong()) : null,
                    texts[random.nextInt(texts.length)],
                    random.nextBoolean() ? Instant.ofEpochMilli(random.nextLong(-62_000_000_000_000L, 260_000_000_000_000L)) : null,
                    texts[random.nextInt(texts.length)], texts[random.nextInt(texts.length)],
                    random.nextBoolean() ? null : texts[random.nextInt(texts.length)], amount(random), amount(random),
                    amount(random), random.nextBoolean() ? new BigDecimal("1E+3") : amount(random),
                    random.nextBoolean() ? null : texts[random.nextInt(texts.length)], random.nextInt(-5, 5));
            byte[] general = JSON.writeWithGenerator(CasinoEventJson.values(e));
            byte[] ascii = new AsciiRecordWriter(CasinoEventJson.CONTRACT.fields().toArray(new ContractField[0]))
                    .write(CasinoEventJson.values(e));
            if (ascii != null) {
                asciiWritten++;
                assertThat(new String(ascii, StandardCharsets.UTF_8)).isEqualTo(new String(general, StandardCharsets.UTF_8));
            }
            assertThat(CasinoEventJson.write(e)).isEqualTo(general);
        }
        assertThat(asciiWritten).as("the ASCII writer takes most of these events").isGreaterThan(100);
    }

    @Test
    void writesTheTimestampFormTheFormatterWould() {
        for (String instant : List.of("2026-11-23T20:08:00.123Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z",
                "1970-01-01T00:00:00.001Z", "2024-02-29T12:00:00.5Z")) {
            Instant i = Instant.parse(instant);
            assertThat(UtcTimestamps.millis(i)).isEqualTo(
                    java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
                            .withZone(java.time.ZoneOffset.UTC).format(i));
        }
        assertThat(UtcTimestamps.millis(Instant.parse("+10000-01-01T00:00:00Z"))).isEqualTo("+10000-01-01T00:00:00.000Z");
    }

    private static BigDecimal amount(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> null;
            case 1 -> BigDecimal.valueOf(random.nextInt(100_000), 2);
            case 2 -> BigDecimal.valueOf(random.nextInt(100));
            default -> BigDecimal.valueOf(-random.nextInt(1000), 1);
        };
    }

    private static String outcome(java.util.function.Supplier<CasinoEvent> read) {
        try {
            CasinoEvent e = read.get();
            return "event " + e + " scales " + scale(e.betAmount()) + scale(e.winAmount()) + scale(e.bonusAmount())
                    + scale(e.transactionAmount());
        } catch (InvalidEventException rejected) {
            return "rejected " + rejected.reason() + " " + rejected.field() + " " + rejected.getMessage();
        }
    }

    private static String scale(BigDecimal amount) {
        return amount == null ? "-" : Integer.toString(amount.scale());
    }
}

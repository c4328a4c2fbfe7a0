package io.streamlake.core.event;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CasinoEventJsonTest {

    private static final CasinoEvent BET = new CasinoEvent(UUID.fromString("3f2a9c1e-7b4d-4e8a-9c3b-1d2e3f4a5b6c"), "C42",
            Instant.parse("2026-11-23T20:08:00.123456Z"), "bet", "slots-007", "slots", new BigDecimal("12.50"), null,
            null, null, "EUR", 1);

    @Test
    void writesSnakeCaseExactAmountsUtcMillisAndNoNulls() {
        String json = new String(CasinoEventJson.write(BET), StandardCharsets.UTF_8);
        assertThat(json).isEqualTo("{\"event_id\":\"3f2a9c1e-7b4d-4e8a-9c3b-1d2e3f4a5b6c\",\"customer_id\":\"C42\","
                + "\"activity_datetime\":\"2026-11-23T20:08:00.123Z\",\"game_activity\":\"bet\",\"game_id\":\"slots-007\","
                + "\"game_type\":\"slots\",\"bet_amount\":12.50,\"currency\":\"EUR\",\"schema_version\":1}");
    }

    @Test
    void roundTripsExactly() {
        CasinoEvent read = CasinoEventJson.read(CasinoEventJson.write(BET));
        assertThat(read).isEqualTo(BET); // millisecond truncation already applied by the record
        assertThat(read.betAmount().scale()).isEqualTo(2);
        assertThat(read.grossGamingRevenue()).isEqualByComparingTo("12.50");
    }

    @Test
    void unknownFieldsAreIgnoredAndMissingFieldsReadAsNull() {
        CasinoEvent e = CasinoEventJson.read(("{\"event_id\":\"3f2a9c1e-7b4d-4e8a-9c3b-1d2e3f4a5b6c\",\"customer_id\":7,"
                + "\"activity_datetime\":1763928480123,\"game_activity\":\"login\",\"device\":{\"os\":\"ios\"},"
                + "\"win_amount\":null}").getBytes());
        assertThat(e.customerId()).isEqualTo("7");
        assertThat(e.activityDatetime()).isEqualTo(Instant.ofEpochMilli(1763928480123L));
        assertThat(e.winAmount()).isNull();
        assertThat(e.currency()).isNull();
        assertThat(e.schemaVersion()).isEqualTo(1);
        assertThat(CasinoEventJson.read("{\"activity_datetime\":\"2026-11-23T21:08:00.5+01:00\"}".getBytes())
                .activityDatetime()).isEqualTo(Instant.parse("2026-11-23T20:08:00.500Z"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"bet_amount\":\"12.5\"}|WRONG_TYPE|bet_amount",
            "{\"event_id\":\"not-a-uuid\"}|WRONG_TYPE|event_id",
            "{\"event_id\":42}|WRONG_TYPE|event_id",
            "{\"activity_datetime\":\"yesterday\"}|WRONG_TYPE|activity_datetime",
            "{\"activity_datetime\":\"2026-11-23T20:08:00\"}|WRONG_TYPE|activity_datetime",
            "{\"customer_id\":1.5}|WRONG_TYPE|customer_id",
            "{\"schema_version\":\"1\"}|WRONG_TYPE|schema_version",
            "{\"game_type\":[\"slots\"]}|WRONG_TYPE|game_type"})
    void wrongTypesAreRejectedNamingTheField(String json, RejectionReason reason, String field) {
        assertThatThrownBy(() -> CasinoEventJson.read(json.getBytes()))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.field()).isEqualTo(field);
                });
    }

    @Test
    void malformedInputIsRejectedNotThrownAsSomethingElse() {
        byte[][] garbage = {
                "{\"a\":".getBytes(), "{\"a\":1}{".getBytes(), "{\"a\":1,\"a\":2}".getBytes(),
                {(byte) 0xff, (byte) 0xfe, 0, 1, 2}, "{\"s\":\"\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1)};
        for (byte[] g : garbage) {
            assertThatThrownBy(() -> CasinoEventJson.read(g))
                    .isInstanceOfSatisfying(InvalidEventException.class,
                            e -> assertThat(e.reason()).isEqualTo(RejectionReason.MALFORMED_JSON));
        }
        assertThatThrownBy(() -> CasinoEventJson.read(new byte[0]))
                .isInstanceOfSatisfying(InvalidEventException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectionReason.EMPTY_PAYLOAD));
        assertThatThrownBy(() -> CasinoEventJson.read("[1,2]".getBytes()))
                .isInstanceOfSatisfying(InvalidEventException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectionReason.NOT_AN_OBJECT));
    }
}

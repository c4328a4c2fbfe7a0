package io.streamlake.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.streamlake.common.json.Json;
import io.streamlake.common.time.UtcTimestamps;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UtcTimestampsAndJsonTest {

    @Test
    void instantsAreWrittenInUtcMillisecondsAndExactlyWhenFiner() {
        Instant t = Instant.parse("2026-11-23T20:08:00.123Z");
        assertThat(UtcTimestamps.millis(t)).isEqualTo("2026-11-23T20:08:00.123Z").hasSize(UtcTimestamps.MILLIS_LENGTH);
        assertThat(UtcTimestamps.millis(Instant.parse("2026-01-02T03:04:05Z"))).isEqualTo("2026-01-02T03:04:05.000Z");
        assertThat(UtcTimestamps.exact(t)).isEqualTo("2026-11-23T20:08:00.123Z");
        assertThat(UtcTimestamps.exact(Instant.parse("2026-11-23T20:08:00.123456Z"))).isEqualTo("2026-11-23T20:08:00.123456Z");
        assertThat(UtcTimestamps.millis(Instant.parse("+10000-01-01T00:00:00Z"))).isEqualTo("+10000-01-01T00:00:00.000Z");
    }

    @Test
    void jsonKeepsDecimalsExactAndRefusesRepeatedKeysAndTrailingText() throws Exception {
        assertThat(Json.mapper().readTree("{\"a\": 12.50}").get("a").decimalValue().toPlainString()).isEqualTo("12.50");
        assertThatThrownBy(() -> Json.mapper().readTree("{\"a\": 1, \"a\": 2}")).isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("Duplicate field");
        assertThatThrownBy(() -> Json.mapper().readTree("{\"a\": 1} x")).isInstanceOf(JsonProcessingException.class);
    }
}

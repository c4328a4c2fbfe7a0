package io.streamlake.features.row;

import io.streamlake.core.event.InvalidEventException;
import io.streamlake.core.event.RejectionReason;
import io.streamlake.features.feast.EntityKey;
import io.streamlake.features.feast.FeastValue;
import io.streamlake.features.registry.FeatureRegistryLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FeatureRowJsonTest {

    private final FeatureRowJson json = new FeatureRowJson(FeatureRegistryLoader.casino());

    @Test
    void readsARowTypedAsTheRegistryDeclares() {
        Map<String, Object> features = new LinkedHashMap<>();
        features.put("bet_count_5m", 3);
        features.put("ggr_5m", -12.5);
        features.put("avg_bet_1h", null);
        FeatureRow row = json.read(FeatureRowJson.write("customer_activity", Map.of("customer_id", "C42"),
                Instant.parse("2026-11-23T20:08:00.123Z"), features));
        assertThat(row.featureView()).isEqualTo("customer_activity");
        assertThat(row.entityKey()).isEqualTo(EntityKey.of("customer_id", FeastValue.ofString("C42")));
        assertThat(row.eventTimestamp()).isEqualTo(Instant.parse("2026-11-23T20:08:00.123Z"));
        assertThat(row.values()).containsExactly(Map.entry("bet_count_5m", FeastValue.ofInt64(3)),
                Map.entry("ggr_5m", FeastValue.ofDouble(-12.5)), Map.entry("avg_bet_1h", FeastValue.ofNull()));
    }

    @Test
    void aTypedRowWrittenDirectlyReadsBackEqual() {
        Map<String, FeastValue> values = new LinkedHashMap<>();
        values.put("bet_count_5m", FeastValue.ofInt64(7));
        values.put("ggr_5m", FeastValue.ofDouble(-0.1 - 0.2));
        values.put("avg_bet_1h", FeastValue.ofNull());
        values.put("session_length_seconds", FeastValue.ofInt64(0));
        FeatureRow row = new FeatureRow("customer_activity", EntityKey.of("customer_id", FeastValue.ofString("C\"7")),
                Instant.parse("2026-11-23T20:08:00.123Z"), values);
        byte[] direct = FeatureRowJson.write(row);
        assertThat(json.read(direct)).isEqualTo(row);
        Map<String, Object> plain = new LinkedHashMap<>();
        values.forEach((k, v) -> plain.put(k, v.value()));
        assertThat(new String(direct)).as("the same bytes as the map form").isEqualTo(new String(FeatureRowJson.write(
                "customer_activity", Map.of("customer_id", "C\"7"), row.eventTimestamp(), plain)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "UNKNOWN_FEATURE_VIEW|{\"feature_view\":\"nope\",\"entity\":{\"customer_id\":\"C1\"},\"event_timestamp\":1,\"features\":{}}",
            "UNKNOWN_FEATURE|{\"feature_view\":\"customer_activity\",\"entity\":{\"customer_id\":\"C1\"},\"event_timestamp\":1,\"features\":{\"shoe_size\":4}}",
            "UNKNOWN_FEATURE|{\"feature_view\":\"customer_activity\",\"entity\":{\"customer_id\":\"C1\",\"game_id\":\"g\"},\"event_timestamp\":1,\"features\":{}}",
            "MISSING_FIELD|{\"feature_view\":\"customer_activity\",\"entity\":{},\"event_timestamp\":1,\"features\":{}}",
            "MISSING_FIELD|{\"feature_view\":\"customer_activity\",\"entity\":{\"customer_id\":\"C1\"},\"features\":{}}",
            "WRONG_TYPE|{\"feature_view\":\"customer_activity\",\"entity\":{\"customer_id\":7},\"event_timestamp\":1,\"features\":{}}",
            "WRONG_TYPE|{\"feature_view\":\"customer_activity\",\"entity\":{\"customer_id\":\"C1\"},\"event_timestamp\":1,\"features\":{\"bet_count_5m\":1.5}}",
            "WRONG_TYPE|{\"feature_view\":\"customer_activity\",\"entity\":{\"customer_id\":\"C1\"},\"event_timestamp\":1,\"features\":{\"ggr_5m\":\"x\"}}",
            "WRONG_TYPE|{\"feature_view\":\"customer_activity\",\"entity\":{\"customer_id\":\"C1\"},\"event_timestamp\":\"yesterday\",\"features\":{}}",
            "MALFORMED_JSON|{\"feature_view\":",
            "NOT_AN_OBJECT|[1]"})
    void badRowsAreRejectedWithAReason(RejectionReason reason, String row) {
        assertThatThrownBy(() -> json.read(row.getBytes()))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }
}

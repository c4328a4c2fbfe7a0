package io.streamlake.features.feast;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Byte vectors derived by hand from Feast's key_encoding_utils.py (v3), helpers.py and Value.proto. */
class FeastRedisLayoutTest {

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static String ascii(String s) {
        return hex(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void stringEntityKeyV3AndItsRedisKey() {
        EntityKey key = EntityKey.of("customer_id", FeastValue.ofString("C42"));
        String expected = "01000000" // one join key
                + "02000000" + "0b000000" + ascii("customer_id") // STRING, 11 characters, the name
                + "02000000" + "03000000" + ascii("C42"); // STRING value, 3 bytes
        assertThat(hex(key.serialize())).isEqualTo(expected);
        assertThat(hex(FeastRedisLayout.redisKey("casino", key))).isEqualTo(expected + ascii("casino"));
    }

    @Test
    void int64EntityKeyV3() {
        EntityKey key = EntityKey.of("driver_id", FeastValue.ofInt64(1001));
        assertThat(hex(key.serialize())).isEqualTo("01000000" + "02000000" + "09000000" + ascii("driver_id")
                + "04000000" + "08000000" + "e903000000000000"); // INT64, 8 bytes, 1001 little-endian
    }

    @Test
    void compositeKeysAreSortedByJoinKeyName() {
        Map<String, FeastValue> keys = new LinkedHashMap<>();
        keys.put("game_id", FeastValue.ofString("slots-1"));
        keys.put("customer_id", FeastValue.ofString("C42"));
        assertThat(hex(new EntityKey(keys).serialize())).isEqualTo("02000000"
                + "02000000" + "0b000000" + ascii("customer_id")
                + "02000000" + "07000000" + ascii("game_id")
                + "02000000" + "03000000" + ascii("C42")
                + "02000000" + "07000000" + ascii("slots-1"));
    }

    @Test
    void invalidEntityKeysAreRefused() {
        assertThatThrownBy(() -> new EntityKey(Map.of())).hasMessageContaining("at least one");
        assertThatThrownBy(() -> EntityKey.of("kunde_ü", FeastValue.ofString("x"))).hasMessageContaining("ASCII");
        assertThatThrownBy(() -> EntityKey.of("score", FeastValue.ofDouble(1.0))).hasMessageContaining("DOUBLE");
    }

    @ParameterizedTest
    @CsvSource({
            "'', 00000000",
            "a, 3c2569b2",
            "abc, b3dd93fa",
            "The quick brown fox jumps over the lazy dog, 2e4ff723",
            "ünï, 36a766eb"})
    void murmur3MatchesTheReferenceVectors(String input, String hash) {
        assertThat(Murmur3.hash32(input.getBytes(StandardCharsets.UTF_8), 0)).isEqualTo(Integer.parseUnsignedInt(hash, 16));
    }

    @Test
    void featureFieldsAreLittleEndianMurmur3OfViewColonFeature() {
        assertThat(hex(FeastRedisLayout.featureField("customer_activity", "bet_count_5m"))).isEqualTo("12d7d92e");
        assertThat(hex(FeastRedisLayout.featureField("game_stats", "ggr_1h"))).isEqualTo("c63ec591");
        assertThat(new String(FeastRedisLayout.timestampField("game_stats"), StandardCharsets.UTF_8)).isEqualTo("_ts:game_stats");
    }

    @Test
    void valuesSerializeAsFeastValueProtobuf() {
        assertThat(hex(FeastValue.ofString("abc").toProtobuf())).isEqualTo("1203616263");
        assertThat(hex(FeastValue.ofInt64(5).toProtobuf())).isEqualTo("2005");
        assertThat(hex(FeastValue.ofInt64(0).toProtobuf())).isEqualTo("2000"); // a set oneof is written even at 0
        assertThat(hex(FeastValue.ofInt64(-1).toProtobuf())).isEqualTo("20ffffffffffffffffff01");
        assertThat(hex(FeastValue.ofInt32(-2).toProtobuf())).isEqualTo("18feffffffffffffffff01");
        assertThat(hex(FeastValue.ofDouble(1.5).toProtobuf())).isEqualTo("29000000000000f83f");
        assertThat(hex(FeastValue.ofFloat(1.5f).toProtobuf())).isEqualTo("350000c03f");
        assertThat(hex(FeastValue.ofBool(true).toProtobuf())).isEqualTo("3801");
        assertThat(hex(FeastValue.ofUnixTimestamp(1_700_000_000L).toProtobuf())).isEqualTo("4080e2cfaa06");
        assertThat(hex(FeastValue.ofBytes(new byte[]{0, (byte) 0xff}).toProtobuf())).isEqualTo("0a0200ff");
        // Feast's type_map.py turns a None into ProtoValue() (no oneof set), which serializes to zero bytes
        assertThat(hex(FeastValue.ofNull().toProtobuf())).isEqualTo("");
    }

    @Test
    void valuesReadBackAsWritten() {
        for (FeastValue v : List.of(FeastValue.ofString("ünï 🎰"), FeastValue.ofInt64(Long.MIN_VALUE), FeastValue.ofInt32(-7),
                FeastValue.ofDouble(-0.1), FeastValue.ofFloat(3.25f), FeastValue.ofBool(false), FeastValue.ofUnixTimestamp(0),
                FeastValue.ofBytes(new byte[]{1, 2, 3}), FeastValue.ofNull())) {
            assertThat(FeastValue.fromProtobuf(v.toProtobuf())).isEqualTo(v);
        }
        // a missing value as Feast writes it (empty Value) and as this project wrote it before (null_val = NULL_VALUE)
        assertThat(FeastValue.fromProtobuf(new byte[0])).isEqualTo(FeastValue.ofNull());
        assertThat(FeastValue.fromProtobuf(new byte[]{(byte) 0x98, 0x01, 0x00})).isEqualTo(FeastValue.ofNull());
        assertThatThrownBy(() -> FeastValue.fromProtobuf(new byte[]{0x12, 0x05, 0x61})).hasMessageContaining("truncated");
    }

    @Test
    void timestampsSerializeAsProtobufTimestamp() {
        Instant t = Instant.parse("2023-11-14T22:13:20.500Z"); // 1,700,000,000 s and 500,000,000 ns
        assertThat(hex(FeastRedisLayout.timestamp(t))).isEqualTo("0880e2cfaa06" + "1080cab5ee01");
        assertThat(hex(FeastRedisLayout.timestamp(Instant.ofEpochSecond(1_700_000_000L)))).isEqualTo("0880e2cfaa06");
        assertThat(FeastRedisLayout.timestamp(Instant.EPOCH)).isEmpty();
        assertThat(FeastRedisLayout.parseTimestamp(FeastRedisLayout.timestamp(t))).isEqualTo(t);
    }
}

package io.streamlake.features.redis;

import io.streamlake.features.feast.EntityKey;
import io.streamlake.features.feast.FeastRedisLayout;
import io.streamlake.features.feast.FeastValue;
import io.streamlake.features.registry.FeatureRegistry;
import io.streamlake.features.registry.FeatureRegistryLoader;
import io.streamlake.features.row.FeatureRow;
import io.streamlake.testsupport.TestRedis;
import io.streamlake.testsupport.UniqueNames;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static io.streamlake.features.redis.OnlineFeatureReader.FeatureRef.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Lookups against the machine's Redis, of rows written by {@link FeastRedisWriter}. */
class OnlineFeatureReaderTest {

    private static final Instant NOW = Instant.parse("2026-11-23T20:00:00Z");

    private FeatureRegistry registry;
    private FeastRedisWriter writer;
    private OnlineFeatureReader reader;

    @BeforeEach
    void setUp() {
        FeatureRegistry casino = FeatureRegistryLoader.casino();
        registry = new FeatureRegistry(UniqueNames.next("casino"), casino.entities(), casino.featureViews());
        writer = new FeastRedisWriter(TestRedis.uri(), registry.project(), Duration.ZERO, Duration.ofSeconds(5));
        reader = new OnlineFeatureReader(registry, TestRedis.uri(), Duration.ofSeconds(5), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void tearDown() {
        TestRedis.deleteKeysEndingWith(registry.project());
        reader.close();
        writer.close();
    }

    private static EntityKey customer(String id) {
        return EntityKey.of("customer_id", FeastValue.ofString(id));
    }

    @Test
    void looksUpValuesWithFeastsStatuses() {
        writer.write(List.of(
                new FeatureRow("customer_activity", customer("C1"), NOW.minusSeconds(60),
                        Map.of("bet_count_5m", FeastValue.ofInt64(3), "ggr_5m", FeastValue.ofDouble(2.5))),
                new FeatureRow("customer_activity", customer("C2"), NOW.minus(Duration.ofHours(30)),
                        Map.of("bet_count_5m", FeastValue.ofInt64(9))),
                new FeatureRow("game_stats", EntityKey.of("game_id", FeastValue.ofString("g1")), NOW,
                        Map.of("bet_count_1h", FeastValue.ofInt64(100)))));

        List<List<OnlineFeatureReader.FeatureValue>> result = reader.read(
                List.of(parse("customer_activity:bet_count_5m"), parse("customer_activity:ggr_5m")),
                Map.of("customer_id", List.of(FeastValue.ofString("C1"), FeastValue.ofString("C2"), FeastValue.ofString("C3"))));

        List<OnlineFeatureReader.FeatureValue> bets = result.get(0);
        assertThat(bets.get(0)).isEqualTo(new OnlineFeatureReader.FeatureValue(FeastValue.ofInt64(3),
                OnlineFeatureReader.Status.PRESENT, NOW.minusSeconds(60)));
        assertThat(bets.get(1).status()).isEqualTo(OnlineFeatureReader.Status.OUTSIDE_MAX_AGE); // TTL 24h, row 30h old
        assertThat(bets.get(1).value()).isEqualTo(FeastValue.ofInt64(9));
        assertThat(bets.get(2)).isEqualTo(new OnlineFeatureReader.FeatureValue(null, OnlineFeatureReader.Status.NOT_FOUND, null));
        List<OnlineFeatureReader.FeatureValue> ggr = result.get(1);
        assertThat(ggr.get(0).value()).isEqualTo(FeastValue.ofDouble(2.5));
        assertThat(ggr.get(1).status()).isEqualTo(OnlineFeatureReader.Status.NOT_FOUND); // row exists, feature never written

        assertThat(reader.read(List.of(parse("game_stats:bet_count_1h")), Map.of("game_id", List.of(FeastValue.ofString("g1"))))
                .get(0).get(0).value()).isEqualTo(FeastValue.ofInt64(100));
    }

    @Test
    void viewsOfOneEntityAreReadFromItsHashTogetherEachWithItsOwnTimestampAndStatus() {
        writer.write(List.of(
                new FeatureRow("customer_activity", customer("C1"), NOW.minusSeconds(60), Map.of("bet_count_5m", FeastValue.ofInt64(3))),
                new FeatureRow("customer_lifetime", customer("C1"), NOW.minus(Duration.ofDays(3)),
                        Map.of("lifetime_staked", FeastValue.ofDouble(700.0))),
                new FeatureRow("customer_lifetime", customer("C2"), NOW.minusSeconds(5), Map.of("lifetime_staked", FeastValue.ofDouble(8.0))),
                new FeatureRow("game_stats", EntityKey.of("game_id", FeastValue.ofString("g1")), NOW,
                        Map.of("bet_count_1h", FeastValue.ofInt64(100)))));
        // interleaved references of two customer views and a game view, in one call
        List<List<OnlineFeatureReader.FeatureValue>> r = reader.read(List.of(parse("customer_lifetime:lifetime_staked"),
                        parse("game_stats:bet_count_1h"), parse("customer_activity:bet_count_5m")),
                Map.of("customer_id", List.of(FeastValue.ofString("C1"), FeastValue.ofString("C2")),
                        "game_id", List.of(FeastValue.ofString("g1"), FeastValue.ofString("g2"))));
        assertThat(r.get(0).get(0)).isEqualTo(new OnlineFeatureReader.FeatureValue(FeastValue.ofDouble(700.0),
                OnlineFeatureReader.Status.PRESENT, NOW.minus(Duration.ofDays(3))));
        assertThat(r.get(0).get(1)).isEqualTo(new OnlineFeatureReader.FeatureValue(FeastValue.ofDouble(8.0),
                OnlineFeatureReader.Status.PRESENT, NOW.minusSeconds(5)));
        assertThat(r.get(1).get(0).value()).isEqualTo(FeastValue.ofInt64(100));
        assertThat(r.get(1).get(1).status()).isEqualTo(OnlineFeatureReader.Status.NOT_FOUND);
        assertThat(r.get(2).get(0)).isEqualTo(new OnlineFeatureReader.FeatureValue(FeastValue.ofInt64(3),
                OnlineFeatureReader.Status.PRESENT, NOW.minusSeconds(60)));
        assertThat(r.get(2).get(1)).isEqualTo(new OnlineFeatureReader.FeatureValue(null, OnlineFeatureReader.Status.NOT_FOUND, null));
    }

    @Test
    void missingValuesAreStoredAsFeastStoresThemAndReadInEitherForm() {
        writer.write(List.of(new FeatureRow("customer_activity", customer("C1"), NOW,
                Map.of("bet_count_5m", FeastValue.ofInt64(3), "avg_bet_1h", FeastValue.ofNull()))));
        byte[] key = FeastRedisLayout.redisKey(registry.project(), customer("C1"));
        try (RedisClient client = RedisClient.create(TestRedis.uri());
             StatefulRedisConnection<byte[], byte[]> raw = client.connect(ByteArrayCodec.INSTANCE)) {
            // Feast's online_write_batch stores ProtoValue().SerializeToString() for a None: an empty field
            assertThat(raw.sync().hget(key, FeastRedisLayout.featureField("customer_activity", "avg_bet_1h"))).isEmpty();
            // a row written before this project wrote Feast's form: the explicit null_val
            raw.sync().hset(key, FeastRedisLayout.featureField("customer_activity", "ggr_5m"), new byte[]{(byte) 0x98, 0x01, 0x00});
        }
        List<List<OnlineFeatureReader.FeatureValue>> result = reader.read(
                List.of(parse("customer_activity:avg_bet_1h"), parse("customer_activity:ggr_5m"), parse("customer_activity:bet_count_5m")),
                Map.of("customer_id", List.of(FeastValue.ofString("C1"))));
        // as Feast's server answers a stored null: the row is there, its value is null
        assertThat(result.get(0).get(0)).isEqualTo(new OnlineFeatureReader.FeatureValue(FeastValue.ofNull(),
                OnlineFeatureReader.Status.PRESENT, NOW));
        assertThat(result.get(1).get(0).value()).isEqualTo(FeastValue.ofNull());
        assertThat(result.get(2).get(0).value()).isEqualTo(FeastValue.ofInt64(3));
    }

    @Test
    void badRequestsAreRefusedWithTheProblem() {
        Map<String, List<FeastValue>> c1 = Map.of("customer_id", List.of(FeastValue.ofString("C1")));
        assertThatThrownBy(() -> reader.read(List.of(parse("nope:x")), c1)).hasMessageContaining("unknown feature view 'nope'");
        assertThatThrownBy(() -> reader.read(List.of(parse("customer_activity:x")), c1)).hasMessageContaining("has no feature 'x'");
        assertThatThrownBy(() -> reader.read(List.of(parse("game_stats:bet_count_1h")), c1)).hasMessageContaining("needs entity column 'game_id'");
        assertThatThrownBy(() -> reader.read(List.of(parse("customer_activity:ggr_5m")),
                Map.of("customer_id", List.of(FeastValue.ofInt64(1))))).hasMessageContaining("must hold String values");
        assertThatThrownBy(() -> reader.read(List.of(), c1)).hasMessageContaining("no features");
        assertThatThrownBy(() -> parse("no_colon")).hasMessageContaining("feature_view:feature");
    }
}

package io.streamlake.features.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.streamlake.features.feast.EntityKey;
import io.streamlake.features.feast.FeastRedisLayout;
import io.streamlake.features.feast.FeastValue;
import io.streamlake.features.row.FeatureRow;
import io.streamlake.testsupport.TestRedis;
import io.streamlake.testsupport.UniqueNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Against the machine's Redis: the bytes land where Feast's Redis online store looks for them. */
class FeastRedisWriterTest {

    private static final Instant T = Instant.parse("2026-11-23T20:00:00.250Z");

    private String project;
    private FeastRedisWriter writer;
    private RedisClient client;
    private StatefulRedisConnection<byte[], byte[]> connection;
    private RedisCommands<byte[], byte[]> redis;

    @BeforeEach
    void setUp() {
        project = UniqueNames.next("feast");
        writer = new FeastRedisWriter(TestRedis.uri(), project, Duration.ofHours(1), Duration.ofSeconds(10));
        client = RedisClient.create(TestRedis.uri());
        connection = client.connect(ByteArrayCodec.INSTANCE);
        redis = connection.sync();
    }

    @AfterEach
    void tearDown() {
        TestRedis.deleteKeysEndingWith(project); // keys end with the project name: this test's only
        connection.close();
        client.shutdown();
        writer.close();
    }

    private static FeatureRow row(String customer, Instant at, long bets, double ggr) {
        return new FeatureRow("customer_activity", EntityKey.of("customer_id", FeastValue.ofString(customer)), at,
                Map.of("bet_count_5m", FeastValue.ofInt64(bets), "ggr_5m", FeastValue.ofDouble(ggr)));
    }

    private FeastValue stored(String customer, String feature) {
        byte[] key = FeastRedisLayout.redisKey(project, EntityKey.of("customer_id", FeastValue.ofString(customer)));
        byte[] value = redis.hget(key, FeastRedisLayout.featureField("customer_activity", feature));
        return value == null ? null : FeastValue.fromProtobuf(value);
    }

    @Test
    void rowsAreStoredInFeastsLayout() {
        assertThat(writer.write(List.of(row("C1", T, 3, -1.5), row("C2", T, 7, 20.0)))).isEqualTo(new FeastRedisWriter.Result(2, 0));
        byte[] key = FeastRedisLayout.redisKey(project, EntityKey.of("customer_id", FeastValue.ofString("C1")));
        assertThat(redis.exists(key)).isEqualTo(1);
        assertThat(redis.hlen(key)).isEqualTo(3); // _ts:customer_activity and two features
        assertThat(stored("C1", "bet_count_5m")).isEqualTo(FeastValue.ofInt64(3));
        assertThat(stored("C1", "ggr_5m")).isEqualTo(FeastValue.ofDouble(-1.5));
        assertThat(stored("C2", "bet_count_5m")).isEqualTo(FeastValue.ofInt64(7));
        assertThat(FeastRedisLayout.parseTimestamp(redis.hget(key, FeastRedisLayout.timestampField("customer_activity")))).isEqualTo(T);
        assertThat(redis.pttl(key)).isBetween(1L, Duration.ofHours(1).toMillis());
    }

    @Test
    void olderRowsThanTheStoredOneAreSkippedAndNewerOnesWin() {
        writer.write(List.of(row("C1", T, 3, 1.0)));
        assertThat(writer.write(List.of(row("C1", T.minusSeconds(60), 99, 99.0)))).isEqualTo(new FeastRedisWriter.Result(0, 1));
        assertThat(stored("C1", "bet_count_5m")).isEqualTo(FeastValue.ofInt64(3));
        assertThat(writer.write(List.of(row("C1", T.plusSeconds(1), 4, 2.0)))).isEqualTo(new FeastRedisWriter.Result(1, 0));
        assertThat(stored("C1", "bet_count_5m")).isEqualTo(FeastValue.ofInt64(4));
        // Within one batch the newest row per entity wins, whatever the order.
        assertThat(writer.write(List.of(row("C1", T.plusSeconds(10), 10, 0), row("C1", T.plusSeconds(5), 5, 0))))
                .isEqualTo(new FeastRedisWriter.Result(1, 1));
        assertThat(stored("C1", "bet_count_5m")).isEqualTo(FeastValue.ofInt64(10));
    }

    @Test
    void pingTellsWhetherRedisAnswers() {
        assertThat(writer.ping()).isTrue();
    }
}

package io.streamlake.sinks.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.streamlake.features.feast.EntityKey;
import io.streamlake.features.feast.FeastRedisLayout;
import io.streamlake.features.feast.FeastValue;
import io.streamlake.features.row.FeatureRowJson;
import io.streamlake.stream.DeadLetterHeaders;
import io.streamlake.testsupport.Await;
import io.streamlake.testsupport.KafkaTestBroker;
import io.streamlake.testsupport.TestFeatureDefinitions;
import io.streamlake.testsupport.TestRedis;
import io.streamlake.testsupport.TopicReader;
import io.streamlake.testsupport.UniqueNames;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The sink as SCDF runs it (binding "input", real binder and broker) writing to the machine's Redis. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = "redis-features.key-ttl=1h")
class RedisFeaturesSinkStreamTest {

    @org.springframework.beans.factory.annotation.Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    static final String IN = KafkaTestBroker.createTopic("feature_rows", 2);
    static final String DLQ = KafkaTestBroker.createTopic("features_dlq", 1);
    /** The casino definitions under a project name of this test's own, so its Redis keys are its own. */
    static final String PROJECT = UniqueNames.next("casino");
    static final Path DEFINITIONS = definitions();

    static Path definitions() {
        try {
            return TestFeatureDefinitions.withProject("io/streamlake/features/casino-features.yaml", PROJECT,
                    Files.createTempDirectory("features"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void bindings(DynamicPropertyRegistry registry) {
        registry.add("spring.cloud.stream.kafka.binder.brokers", KafkaTestBroker::bootstrapServers);
        registry.add("spring.cloud.stream.bindings.input.destination", () -> IN);
        registry.add("spring.cloud.stream.bindings.input.group", () -> "features");
        registry.add("streamlake.dlq.destination", () -> DLQ);
        registry.add("redis-features.uri", () -> "redis://" + TestRedis.host() + ":" + TestRedis.port());
        registry.add("redis-features.definitions", DEFINITIONS::toString);
    }

    @AfterAll
    static void removeKeys() {
        TestRedis.deleteKeysEndingWith(PROJECT);
    }

    @Test
    void featureRowsLandInFeastsLayoutAndBadRowsInTheDlq() throws Exception {
        Instant t = Instant.parse("2026-11-23T20:00:00Z");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaTestBroker.producerProperties())) {
            for (int i = 0; i < 50; i++) {
                String customer = "C" + i;
                producer.send(new ProducerRecord<>(IN, customer.getBytes(), FeatureRowJson.write("customer_activity",
                        Map.of("customer_id", customer), t, Map.of("bet_count_5m", i, "ggr_5m", i * 1.5))));
            }
            producer.send(new ProducerRecord<>(IN, "g".getBytes(), FeatureRowJson.write("game_stats",
                    Map.of("game_id", "slots-0001"), t, Map.of("bet_count_1h", 1234))));
            // A stale row for C7 (older than the one just written) must not overwrite it.
            producer.send(new ProducerRecord<>(IN, "C7".getBytes(), FeatureRowJson.write("customer_activity",
                    Map.of("customer_id", "C7"), t.minusSeconds(300), Map.of("bet_count_5m", 999))));
            // A sentinel with the same Kafka key, so on the same partition after the stale row: once it is in
            // Redis, the stale row has been processed.
            producer.send(new ProducerRecord<>(IN, "C7".getBytes(), FeatureRowJson.write("game_stats",
                    Map.of("game_id", "sentinel"), t, Map.of("bet_count_1h", 1))));
            producer.send(new ProducerRecord<>(IN, "x".getBytes(), FeatureRowJson.write("nope", Map.of("customer_id", "C1"), t, Map.of())));
            producer.send(new ProducerRecord<>(IN, "x".getBytes(), FeatureRowJson.write("customer_activity",
                    Map.of("customer_id", "C1"), t, Map.of("shoe_size", 42))));
            producer.send(new ProducerRecord<>(IN, "x".getBytes(), FeatureRowJson.write("customer_activity",
                    Map.of("customer_id", "C1"), t, Map.of("bet_count_5m", "many"))));
            producer.send(new ProducerRecord<>(IN, "x".getBytes(), "{not json".getBytes())).get();
        }

        RedisClient client = RedisClient.create(TestRedis.uri());
        try (StatefulRedisConnection<byte[], byte[]> c = client.connect(ByteArrayCodec.INSTANCE)) {
            RedisCommands<byte[], byte[]> redis = c.sync();
            Await.until(() -> redis.exists(key("customer_id", "C49")) == 1 && redis.exists(key("game_id", "slots-0001")) == 1
                    && redis.exists(key("game_id", "sentinel")) == 1, Duration.ofSeconds(60), "feature rows in Redis");
            for (int i = 0; i < 50; i++) {
                byte[] k = key("customer_id", "C" + i);
                assertThat(value(redis, k, "customer_activity", "bet_count_5m")).isEqualTo(FeastValue.ofInt64(i));
                assertThat(value(redis, k, "customer_activity", "ggr_5m")).isEqualTo(FeastValue.ofDouble(i * 1.5));
                assertThat(FeastRedisLayout.parseTimestamp(redis.hget(k, FeastRedisLayout.timestampField("customer_activity"))))
                        .isEqualTo(t);
                assertThat(redis.pttl(k)).isPositive();
            }
            assertThat(value(redis, key("game_id", "slots-0001"), "game_stats", "bet_count_1h")).isEqualTo(FeastValue.ofInt64(1234));
            List<ConsumerRecord<byte[], byte[]>> dead = TopicReader.read(DLQ, 4, Duration.ofSeconds(60));
            assertThat(dead.stream().map(r -> TopicReader.header(r, DeadLetterHeaders.REASON)).collect(Collectors.toList()))
                    .containsExactlyInAnyOrder("UNKNOWN_FEATURE_VIEW", "UNKNOWN_FEATURE", "WRONG_TYPE", "MALFORMED_JSON");
            // The stale row was processed before the sentinel: C7 kept the newer value.
            assertThat(value(redis, key("customer_id", "C7"), "customer_activity", "bet_count_5m")).isEqualTo(FeastValue.ofInt64(7));
            // Per view: rows written, stale rows skipped, and the age of the newest row written (t, long ago).
            assertThat(meters.get("streamlake.features.rows.stale").tag("feature_view", "customer_activity")
                    .functionCounter().count()).isGreaterThanOrEqualTo(1);
            assertThat(meters.get("streamlake.features.rows.written").tag("feature_view", "customer_activity")
                    .functionCounter().count()).isGreaterThanOrEqualTo(50);
            assertThat(meters.get("feature_freshness_seconds").tag("feature_view", "customer_activity").gauge().value())
                    .isGreaterThan(Duration.between(t, Instant.now()).toSeconds() - 5.0);
            assertThat(meters.get("feature_freshness_seconds").tag("feature_view", "customer_lifetime").gauge().value()).isNaN();
        } finally {
            client.shutdown();
        }
    }

    private static byte[] key(String joinKey, String value) {
        return FeastRedisLayout.redisKey(PROJECT, EntityKey.of(joinKey, FeastValue.ofString(value)));
    }

    private static FeastValue value(RedisCommands<byte[], byte[]> redis, byte[] key, String view, String feature) {
        byte[] bytes = redis.hget(key, FeastRedisLayout.featureField(view, feature));
        return bytes == null ? null : FeastValue.fromProtobuf(bytes);
    }
}

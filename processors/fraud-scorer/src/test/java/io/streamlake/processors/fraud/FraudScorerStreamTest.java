package io.streamlake.processors.fraud;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamlake.common.json.Json;
import io.streamlake.core.alert.Alert;
import io.streamlake.core.event.CasinoEvent;
import io.streamlake.core.event.CasinoEventJson;
import io.streamlake.features.feast.EntityKey;
import io.streamlake.features.feast.FeastValue;
import io.streamlake.features.redis.FeastRedisWriter;
import io.streamlake.features.registry.FeatureRegistryLoader;
import io.streamlake.features.row.FeatureRow;
import io.streamlake.models.FraudModel;
import io.streamlake.models.ModelInputs;
import io.streamlake.models.ModelRegistry;
import io.streamlake.stream.DeadLetterHeaders;
import io.streamlake.testsupport.KafkaTestBroker;
import io.streamlake.testsupport.TestPostgres;
import io.streamlake.testsupport.TestRedis;
import io.streamlake.testsupport.TopicReader;
import io.streamlake.testsupport.UniqueNames;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scorer as SCDF runs it (bindings input and output, the real binder and broker), its features in the machine's
 * Redis in Feast's layout, its model in a PostgreSQL registry: decisions per case, the DLQ, and a champion promoted
 * mid-stream taken up with every event scored once.
 */
class FraudScorerStreamTest {

    @TempDir
    static Path dir;
    private static String project;
    private static String schema;
    private static ModelRegistry registry;
    private static FeastRedisWriter writer;

    @BeforeAll
    static void stores() throws Exception {
        project = UniqueNames.next("fraud");
        String casino;
        try (InputStream in = FeatureRegistryLoader.class.getClassLoader().getResourceAsStream("io/streamlake/features/casino-features.yaml")) {
            casino = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Files.writeString(dir.resolve("features.yaml"), casino.replace("project: casino", "project: " + project));
        writer = new FeastRedisWriter(TestRedis.uri(), project, Duration.ZERO, Duration.ofSeconds(5));
        schema = TestPostgres.createSchema("fraud_scorer");
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(TestPostgres.jdbcUrl(schema));
        ds.setUser(TestPostgres.user());
        ds.setPassword(TestPostgres.password());
        registry = new ModelRegistry(ds, "fraud_models");
        registry.ensureTable();
    }

    @AfterAll
    static void drop() {
        writer.close();
        TestRedis.deleteKeysEndingWith(project);
        TestPostgres.dropSchema(schema);
    }

    /** A model that learned "a bet far above the customer's average bet of the hour", registered (and promoted). */
    private static long registerModel(double threshold, long run) throws Exception {
        List<String> features = List.of("customer_activity:avg_bet_1h", "customer_activity:bet_count_5m");
        ModelInputs inputs = new ModelInputs(features);
        Random random = new Random(run);
        int n = 4000;
        float[] x = new float[n * inputs.size()];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            double avg = 1 + random.nextDouble() * 20;
            boolean spike = random.nextInt(10) == 0;
            double bet = avg * (spike ? 20 + random.nextDouble() * 100 : 0.5 + random.nextDouble());
            int betCount = 1 + random.nextInt(10);
            inputs.fill(x, i * inputs.size(), "bet", BigDecimal.valueOf(bet), null, null, f -> f == 0 ? (Number) avg : betCount);
            y[i] = spike ? 1 : 0;
        }
        FraudModel model = FraudModel.train(inputs, java.util.Arrays.copyOf(x, 3000 * inputs.size()), java.util.Arrays.copyOf(y, 3000),
                java.util.Arrays.copyOfRange(x, 3000 * inputs.size(), x.length), java.util.Arrays.copyOfRange(y, 3000, n),
                new FraudModel.Settings(30, 3, 0.3, 1));
        Instant now = Instant.now();
        return registry.register(new ModelRegistry.Entry("casino-fraud", features, threshold, "{}", now, now, now, now,
                model.artifact(), run), true);
    }

    private static ConfigurableApplicationContext scorer(String in, String out, String scored, String dlq) {
        return new SpringApplicationBuilder(FraudScorerApplication.class).web(WebApplicationType.NONE).run(
                "--spring.cloud.stream.kafka.binder.brokers=" + KafkaTestBroker.bootstrapServers(),
                "--spring.cloud.stream.bindings.input.destination=" + in, "--spring.cloud.stream.bindings.input.group=fraud",
                "--spring.cloud.stream.kafka.bindings.input.consumer.configuration.auto.offset.reset=earliest",
                "--spring.cloud.stream.bindings.output.destination=" + out, "--streamlake.dlq.destination=" + dlq,
                "--fraud-scorer.scored-destination=" + scored, "--fraud-scorer.definitions=" + dir.resolve("features.yaml"),
                "--fraud-scorer.redis-uri=redis://" + TestRedis.host() + ":" + TestRedis.port(),
                "--fraud-scorer.registry-url=" + TestPostgres.jdbcUrl(schema), "--fraud-scorer.registry-username=" + TestPostgres.user(),
                "--fraud-scorer.registry-password=" + TestPostgres.password(), "--fraud-scorer.model-refresh=200ms",
                "--streamlake.dlq.alert-threshold=1", "--streamlake.dlq.alert-topic=" + dlq + "_alerts");
    }

    private static void features(String customer, Instant at, double avgBet, long betCount) {
        Map<String, FeastValue> values = new HashMap<>();
        values.put("avg_bet_1h", FeastValue.ofDouble(avgBet));
        values.put("bet_count_5m", FeastValue.ofInt64(betCount));
        values.put("win_count_5m", FeastValue.ofInt64(1));
        values.put("bonus_share_24h", FeastValue.ofDouble(0.01));
        writer.write(List.of(new FeatureRow("customer_activity", EntityKey.of("customer_id", FeastValue.ofString(customer)), at, values)));
    }

    private static CasinoEvent bet(String customer, String amount) {
        return new CasinoEvent(UUID.randomUUID(), customer, Instant.now(), "bet", "slots-1", "slots", new BigDecimal(amount),
                null, null, null, "EUR", 1);
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, CasinoEvent e) throws Exception {
        producer.send(new ProducerRecord<>(topic, e.customerId().getBytes(StandardCharsets.UTF_8), CasinoEventJson.write(e))).get();
    }

    private static Map<String, JsonNode> byEventId(List<ConsumerRecord<byte[], byte[]>> records) throws Exception {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            JsonNode n = Json.mapper().readTree(r.value());
            m.put(n.get("event_id").asText(), n);
        }
        return m;
    }

    @Test
    void eachCaseGetsItsDecisionAndReasonsAndAlertsGoOutInTheAlertShape() throws Exception {
        long v1 = registerModel(0.5, 1);
        Instant now = Instant.now();
        features("C1", now.minusSeconds(30), 2.0, 3);
        features("C2", now.minus(Duration.ofHours(30)), 2.0, 3); // older than customer_activity's 24h TTL
        String in = KafkaTestBroker.createTopic("fraud_in", 2);
        String out = KafkaTestBroker.createTopic("fraud_alerts", 1);
        String scored = UniqueNames.next("fraud_scored"); // not there yet: the scorer creates it, as the binder would
        String dlq = KafkaTestBroker.createTopic("fraud_dlq", 1);
        CasinoEvent small = bet("C1", "1.50");
        CasinoEvent spike = bet("C1", "500.00");
        CasinoEvent unknown = bet("C9", "500.00");
        CasinoEvent stale = bet("C2", "500.00");
        CasinoEvent login = new CasinoEvent(UUID.randomUUID(), "C1", Instant.now(), "login", null, null, null, null, null, null, null, 1);
        try (ConfigurableApplicationContext app = scorer(in, out, scored, dlq);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaTestBroker.producerProperties())) {
            for (CasinoEvent e : List.of(small, spike, unknown, stale, login)) {
                send(producer, in, e);
            }
            producer.send(new ProducerRecord<>(in, "C1".getBytes(), "{\"event_id\": not json".getBytes(StandardCharsets.UTF_8))).get();

            Map<String, JsonNode> decisions = byEventId(TopicReader.read(scored, 5, Duration.ofSeconds(60)));
            assertThat(decisions).hasSize(5);
            JsonNode s = decisions.get(small.eventId().toString());
            assertThat(s.get("fraud_basis").asText()).isEqualTo("model_and_rules");
            assertThat(s.get("fraud_alert").asBoolean()).isFalse();
            assertThat(s.get("fraud_score").asDouble()).isLessThan(0.5);
            assertThat(s.get("model_version").asLong()).isEqualTo(v1);
            assertThat(s.get("bet_amount").decimalValue()).isEqualByComparingTo("1.50"); // the event itself travels on
            JsonNode b = decisions.get(spike.eventId().toString());
            assertThat(b.get("fraud_alert").asBoolean()).isTrue();
            assertThat(b.get("fraud_score").asDouble()).isGreaterThanOrEqualTo(0.5);
            assertThat(b.get("fraud_reasons")).extracting(JsonNode::asText)
                    .containsExactly("MODEL_SCORE", "BET_ABOVE_10X_AVERAGE");
            JsonNode u = decisions.get(unknown.eventId().toString());
            assertThat(u.get("fraud_basis").asText()).isEqualTo("rules_only:features_missing");
            assertThat(u.get("fraud_score").isNull()).isTrue();
            assertThat(u.get("fraud_alert").asBoolean()).isFalse(); // no average to compare with: no rule holds
            JsonNode st = decisions.get(stale.eventId().toString());
            assertThat(st.get("fraud_basis").asText()).isEqualTo("rules_only:features_stale");
            assertThat(st.get("fraud_reasons")).extracting(JsonNode::asText).containsExactly("BET_ABOVE_10X_AVERAGE");
            assertThat(decisions.get(login.eventId().toString()).get("fraud_basis").asText()).isEqualTo("not_scored");

            List<ConsumerRecord<byte[], byte[]>> alerts = TopicReader.read(out, 2, Duration.ofSeconds(30));
            assertThat(alerts).hasSize(2);
            Map<String, Alert> byId = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : alerts) {
                Alert a = Alert.parse(r.value()); // the alert sink's own reading of it
                byId.put(a.alertId(), a);
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(a.key());
            }
            Alert a = byId.get("fraud:" + spike.eventId());
            assertThat(a.kind()).isEqualTo("fraud");
            assertThat(a.key()).isEqualTo("C1");
            assertThat(a.severity()).isEqualTo(Alert.Severity.CRITICAL);
            assertThat(a.reasons()).containsExactly("MODEL_SCORE", "BET_ABOVE_10X_AVERAGE");
            assertThat(byId.get("fraud:" + stale.eventId()).severity()).isEqualTo(Alert.Severity.WARNING);

            List<ConsumerRecord<byte[], byte[]>> dead = TopicReader.read(dlq, 1, Duration.ofSeconds(30));
            assertThat(TopicReader.header(dead.get(0), DeadLetterHeaders.REASON)).isEqualTo("MALFORMED_JSON");
            assertThat(TopicReader.header(dead.get(0), DeadLetterHeaders.APP)).isEqualTo("fraud-scorer");
            // the DLQ's rate crossed its threshold (1 a minute here): an operational alert, once
            List<ConsumerRecord<byte[], byte[]>> rate = TopicReader.read(dlq + "_alerts", 1, Duration.ofSeconds(30));
            Alert dlqRate = Alert.parse(rate.get(0).value());
            assertThat(dlqRate.kind()).isEqualTo("dlq_rate");
            assertThat(dlqRate.key()).isEqualTo("fraud-scorer:" + dlq);
            assertThat(dlqRate.reasons()).containsExactly("MALFORMED_JSON");
        }
    }

    @Test
    void aChampionPromotedMidStreamTakesOverWithEveryEventScoredOnce() throws Exception {
        long first = registerModel(0.5, 10);
        Instant now = Instant.now();
        for (int c = 0; c < 20; c++) {
            features("R" + c, now, 5.0, 4);
        }
        String in = KafkaTestBroker.createTopic("fraud_in", 2);
        String out = KafkaTestBroker.createTopic("fraud_alerts", 1);
        String scored = KafkaTestBroker.createTopic("fraud_scored", 2);
        String dlq = KafkaTestBroker.createTopic("fraud_dlq", 1);
        List<String> sent = new ArrayList<>();
        long second;
        try (ConfigurableApplicationContext app = scorer(in, out, scored, dlq);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaTestBroker.producerProperties())) {
            for (int i = 0; i < 300; i++) {
                CasinoEvent e = bet("R" + (i % 20), "4.00");
                send(producer, in, e);
                sent.add(e.eventId().toString());
                if (i == 150) {
                    second = registerModel(0.0, 11); // promoted: version 2, and with threshold 0 everything is an alert
                    assertThat(second).isGreaterThan(first);
                }
                Thread.sleep(5);
            }
            List<ConsumerRecord<byte[], byte[]>> records = TopicReader.read(scored, 300, Duration.ofSeconds(60));
            Map<String, Long> versions = new LinkedHashMap<>();
            Map<Integer, List<Long>> perPartition = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : records) {
                JsonNode n = Json.mapper().readTree(r.value());
                assertThat(versions.put(n.get("event_id").asText(), n.get("model_version").asLong())).as("scored once").isNull();
                perPartition.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(n.get("model_version").asLong());
                assertThat(n.get("fraud_basis").asText()).isEqualTo("model_and_rules");
            }
            assertThat(versions.keySet()).containsExactlyInAnyOrderElementsOf(sent);
            assertThat(versions.values()).contains(first).anyMatch(v -> v > first);
            for (List<Long> order : perPartition.values()) { // one switch, old to new, in each partition's order
                int switched = order.indexOf(order.stream().filter(v -> v > first).findFirst().orElse(-1L));
                assertThat(order.subList(0, Math.max(0, switched))).allMatch(v -> v == first);
                if (switched >= 0) {
                    assertThat(order.subList(switched, order.size())).allMatch(v -> v > first);
                }
            }
            long newer = versions.values().stream().filter(v -> v > first).count();
            // the new champion (threshold 0) makes every event it scores an alert; the old one none of these small bets
            assertThat(TopicReader.read(out, (int) newer, Duration.ofSeconds(30))).hasSize((int) newer);
            assertThat(TopicReader.endOffsets(out)).isEqualTo(newer);
        }
        assertThat(sent.stream().collect(Collectors.toSet())).hasSize(300);
    }
}

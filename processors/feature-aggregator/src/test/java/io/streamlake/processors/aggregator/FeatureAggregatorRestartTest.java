package io.streamlake.processors.aggregator;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamlake.core.event.CasinoEvent;
import io.streamlake.common.json.Json;
import io.streamlake.core.event.CasinoEventJson;
import io.streamlake.features.feast.FeastValue;
import io.streamlake.features.row.FeatureRow;
import io.streamlake.stream.DeadLetterHeaders;
import io.streamlake.testsupport.Await;
import io.streamlake.testsupport.KafkaTestBroker;
import io.streamlake.testsupport.TopicReader;
import io.streamlake.testsupport.UniqueNames;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app on the real binder, stopped halfway through a stream and started again in the same consumer group: its
 * final features equal one uninterrupted computation over all events, which only holds if the restarted app
 * rebuilt its windows from the replayed input.
 */
class FeatureAggregatorRestartTest {

    private final String in = KafkaTestBroker.createTopic("validated", 2);
    private final String out = KafkaTestBroker.createTopic("features", 2);
    private final String dlq = KafkaTestBroker.createTopic("aggregator_dlq", 1);
    private final String group = UniqueNames.next("aggregator");

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(FeatureAggregatorApplication.class).web(WebApplicationType.NONE).run(
                "--spring.cloud.stream.kafka.binder.brokers=" + KafkaTestBroker.bootstrapServers(),
                "--spring.cloud.stream.bindings.input.destination=" + in,
                "--spring.cloud.stream.bindings.input.group=" + group,
                "--spring.cloud.stream.bindings.output.destination=" + out,
                "--streamlake.dlq.destination=" + dlq);
    }

    private static List<CasinoEvent> events() {
        Random r = new Random(5);
        String[] activities = {"login", "bet", "bet", "bet", "win", "bonus", "bet", "logout"};
        Instant start = Instant.now().minus(Duration.ofHours(3));
        List<CasinoEvent> events = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            String activity = activities[r.nextInt(activities.length)];
            BigDecimal bet = BigDecimal.valueOf(50 + r.nextInt(500), 2);
            events.add(new CasinoEvent(UUID.randomUUID(), "C" + r.nextInt(6), start.plusSeconds(i * 3L), activity,
                    "g" + r.nextInt(5), "slots", activity.equals("bet") || activity.equals("win") ? bet : null,
                    activity.equals("win") ? bet.multiply(BigDecimal.valueOf(2)) : null,
                    activity.equals("bonus") ? new BigDecimal("2.00") : null, null, "EUR", 1));
        }
        return events;
    }

    private void produce(List<CasinoEvent> events) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaTestBroker.producerProperties())) {
            for (CasinoEvent e : events) {
                producer.send(new ProducerRecord<>(in, e.customerId().getBytes(StandardCharsets.UTF_8), CasinoEventJson.write(e)));
            }
            producer.flush();
        }
    }

    /** The latest feature row per customer on the output topic. */
    private Map<String, JsonNode> latestRows() {
        Map<String, JsonNode> latest = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicReader.read(out, Integer.MAX_VALUE, Duration.ofSeconds(2))) {
            try {
                JsonNode row = Json.mapper().readTree(r.value());
                if (!row.get("feature_view").asText().equals("customer_activity")) {
                    continue;
                }
                String customer = row.at("/entity/customer_id").asText();
                JsonNode previous = latest.get(customer);
                if (previous == null || Instant.parse(row.get("event_timestamp").asText())
                        .isAfter(Instant.parse(previous.get("event_timestamp").asText()))) {
                    latest.put(customer, row);
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return latest;
    }

    /** One uninterrupted computation of the declared views over all events. */
    private static Map<String, FeatureRow> expected(List<CasinoEvent> events) {
        FeatureAggregator aggregator = CasinoViewsTest.casinoAggregator(Duration.ofMinutes(2));
        events.forEach(e -> CasinoViewsTest.add(aggregator, e));
        Map<String, FeatureRow> rows = new HashMap<>();
        for (FeatureAggregator.Row row : aggregator.rows()) {
            if (row.row().featureView().equals("customer_activity")) {
                rows.put(row.key(), row.row());
            }
        }
        return rows;
    }

    private static boolean caughtUp(Map<String, JsonNode> actual, Map<String, FeatureRow> expected) {
        return expected.entrySet().stream().allMatch(e -> actual.containsKey(e.getKey())
                && Instant.parse(actual.get(e.getKey()).get("event_timestamp").asText()).equals(e.getValue().eventTimestamp()));
    }

    @Test
    void aRestartMidStreamGivesTheSameFinalFeaturesAndLateEventsGoToTheDlq() throws Exception {
        List<CasinoEvent> events = events();
        List<CasinoEvent> first = events.subList(0, events.size() / 2);
        List<CasinoEvent> second = events.subList(events.size() / 2, events.size());

        produce(first);
        try (ConfigurableApplicationContext app = start()) {
            Map<String, FeatureRow> expectedFirst = expected(first);
            Await.until(() -> caughtUp(latestRows(), expectedFirst), Duration.ofSeconds(90), "features of the first half");
        }
        produce(second);
        Map<String, FeatureRow> expectedAll = expected(events);
        try (ConfigurableApplicationContext app = start()) {
            Await.until(() -> caughtUp(latestRows(), expectedAll), Duration.ofSeconds(90), "features after the restart");
            Map<String, JsonNode> actual = latestRows();
            for (Map.Entry<String, FeatureRow> e : expectedAll.entrySet()) {
                JsonNode features = actual.get(e.getKey()).get("features");
                for (Map.Entry<String, FeastValue> f : e.getValue().values().entrySet()) {
                    Object value = f.getValue().value();
                    JsonNode got = features.get(f.getKey());
                    String where = e.getKey() + " " + f.getKey();
                    if (value == null) {
                        assertThat(got.isNull()).as(where).isTrue();
                    } else if (value instanceof Long l) {
                        assertThat(got.asLong()).as(where).isEqualTo(l);
                    } else {
                        assertThat(got.asDouble()).as(where).isEqualTo((Double) value);
                    }
                }
            }
            // An event far older than the customer's latest one: too late for its windows.
            CasinoEvent late = new CasinoEvent(UUID.randomUUID(), "C1", events.get(0).activityDatetime(), "bet", "g1",
                    "slots", new BigDecimal("1.00"), null, null, null, "EUR", 1);
            produce(List.of(late));
            List<ConsumerRecord<byte[], byte[]>> dead = TopicReader.read(dlq, 1, Duration.ofSeconds(60));
            assertThat(dead).hasSize(1);
            assertThat(TopicReader.header(dead.get(0), DeadLetterHeaders.REASON)).isEqualTo("LATE_EVENT");
        }
    }
}

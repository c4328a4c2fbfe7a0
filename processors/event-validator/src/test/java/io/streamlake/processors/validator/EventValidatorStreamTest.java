package io.streamlake.processors.validator;

import io.streamlake.core.event.CasinoEvent;
import io.streamlake.core.event.CasinoEventJson;
import io.streamlake.core.event.RejectionReason;
import io.streamlake.stream.DeadLetterHeaders;
import io.streamlake.stream.RecordMetrics;
import io.streamlake.testsupport.KafkaTestBroker;
import io.streamlake.testsupport.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The app as SCDF runs it: real Kafka binder, real broker, bindings named input / output. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class EventValidatorStreamTest {

    static final String IN = KafkaTestBroker.createTopic("casino_events", 2);
    static final String OUT = KafkaTestBroker.createTopic("casino_validated", 2);
    static final String DLQ = KafkaTestBroker.createTopic("casino_dlq", 1);

    @DynamicPropertySource
    static void bindings(DynamicPropertyRegistry registry) {
        registry.add("spring.cloud.stream.kafka.binder.brokers", KafkaTestBroker::bootstrapServers);
        registry.add("spring.cloud.stream.bindings.input.destination", () -> IN);
        registry.add("spring.cloud.stream.bindings.input.group", () -> "casino-stream");
        registry.add("spring.cloud.stream.bindings.output.destination", () -> OUT);
        registry.add("streamlake.dlq.destination", () -> DLQ);
    }

    @Autowired
    RecordMetrics metrics;

    private static byte[] validEvent(UUID id, String customer) {
        return ("{\"event_id\":\"" + id + "\",\"customer_id\":\"" + customer + "\",\"activity_datetime\":\""
                + Instant.now() + "\",\"game_activity\":\"bet\",\"game_id\":\"g7\",\"game_type\":\"Slots\","
                + "\"bet_amount\":1.50,\"currency\":\"eur\"}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void validEventsFlowOnAndEveryBadRecordLandsInTheDlqWithItsReason() throws Exception {
        List<UUID> valid = new ArrayList<>();
        Map<RejectionReason, Integer> expectedRejects = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaTestBroker.producerProperties())) {
            for (int i = 0; i < 20; i++) {
                UUID id = UUID.randomUUID();
                valid.add(id);
                ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(IN, ("c" + i % 4).getBytes(), validEvent(id, "c" + i % 4));
                if (i == 3) {
                    r.headers().add("x-ground-truth", "bonus_abuse".getBytes());
                }
                producer.send(r).get();
            }
            // The barrage: every kind of bad input, interleaved with good records.
            send(producer, "c0".getBytes(), validEvent(valid.get(0), "c0"), expectedRejects, RejectionReason.DUPLICATE_EVENT);
            send(producer, "c1".getBytes(), "{\"event_id\":".getBytes(), expectedRejects, RejectionReason.MALFORMED_JSON);
            send(producer, "c1".getBytes(), new String(validEvent(UUID.randomUUID(), "c1")).replace("1.50", "\"1.50\"").getBytes(),
                    expectedRejects, RejectionReason.WRONG_TYPE);
            send(producer, "c2".getBytes(), new byte[0], expectedRejects, RejectionReason.EMPTY_PAYLOAD);
            byte[] huge = new byte[10 * 1024 * 1024];
            java.util.Arrays.fill(huge, (byte) '{');
            send(producer, "c2".getBytes(), huge, expectedRejects, RejectionReason.PAYLOAD_TOO_LARGE);
            byte[] garbage = new byte[2048];
            new Random(7).nextBytes(garbage);
            send(producer, null, garbage, expectedRejects, RejectionReason.MALFORMED_JSON);
            send(producer, "c3".getBytes(), new String(validEvent(UUID.randomUUID(), "c3")).replace("1.50", "-1.50").getBytes(),
                    expectedRejects, RejectionReason.NEGATIVE_AMOUNT);
            send(producer, "c3".getBytes(), new String(validEvent(UUID.randomUUID(), "c3")).replace("eur", "zzz").getBytes(),
                    expectedRejects, RejectionReason.UNKNOWN_CURRENCY);
            send(producer, "c3".getBytes(), "[1,2,3]".getBytes(), expectedRejects, RejectionReason.NOT_AN_OBJECT);
            send(producer, "c3".getBytes(), "\"a string\"".getBytes(), expectedRejects, RejectionReason.NOT_AN_OBJECT);
            send(producer, "c3".getBytes(), null, expectedRejects, RejectionReason.EMPTY_PAYLOAD); // tombstone
            // A valid event without a key, and one after the barrage: the stream keeps flowing.
            UUID noKey = UUID.randomUUID();
            valid.add(noKey);
            producer.send(new ProducerRecord<>(IN, null, validEvent(noKey, "c9"))).get();
            UUID last = UUID.randomUUID();
            valid.add(last);
            producer.send(new ProducerRecord<>(IN, "c0".getBytes(), validEvent(last, "c0"))).get();
        }

        List<ConsumerRecord<byte[], byte[]>> out = TopicReader.read(OUT, valid.size(), Duration.ofSeconds(60));
        assertThat(out).hasSize(valid.size());
        assertThat(out.stream().map(r -> CasinoEventJson.read(r.value()).eventId())).containsExactlyInAnyOrderElementsOf(valid);
        for (ConsumerRecord<byte[], byte[]> r : out) {
            CasinoEvent e = CasinoEventJson.read(r.value());
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(e.customerId()); // keyed by customer
            assertThat(e.gameType()).isEqualTo("slots");
            assertThat(e.currency()).isEqualTo("EUR");
        }
        assertThat(out.stream().filter(r -> "bonus_abuse".equals(TopicReader.header(r, "x-ground-truth")))).hasSize(1);

        int rejects = expectedRejects.values().stream().mapToInt(Integer::intValue).sum();
        List<ConsumerRecord<byte[], byte[]>> dead = TopicReader.read(DLQ, rejects, Duration.ofSeconds(60));
        assertThat(dead).hasSize(rejects);
        Map<RejectionReason, Integer> actual = dead.stream().collect(Collectors.groupingBy(
                r -> RejectionReason.valueOf(TopicReader.header(r, DeadLetterHeaders.REASON)), Collectors.summingInt(r -> 1)));
        assertThat(actual).as(() -> dead.stream().map(r -> TopicReader.header(r, DeadLetterHeaders.REASON) + ": "
                + TopicReader.header(r, DeadLetterHeaders.DETAIL) + " / " + new String(r.value(), 0,
                Math.min(40, r.value().length), StandardCharsets.UTF_8)).collect(Collectors.joining("\n"))).isEqualTo(expectedRejects);
        for (ConsumerRecord<byte[], byte[]> r : dead) {
            assertThat(TopicReader.header(r, DeadLetterHeaders.APP)).isEqualTo("event-validator");
            assertThat(TopicReader.header(r, DeadLetterHeaders.ORIGINAL_TOPIC)).isEqualTo(IN);
            assertThat(TopicReader.header(r, DeadLetterHeaders.ORIGINAL_PARTITION)).isNotNull();
            assertThat(TopicReader.header(r, DeadLetterHeaders.ORIGINAL_OFFSET)).isNotNull();
            assertThat(TopicReader.header(r, DeadLetterHeaders.DETAIL)).isNotBlank();
        }
        ConsumerRecord<byte[], byte[]> tooLarge = dead.stream()
                .filter(r -> "PAYLOAD_TOO_LARGE".equals(TopicReader.header(r, DeadLetterHeaders.REASON))).findFirst().orElseThrow();
        assertThat(TopicReader.header(tooLarge, DeadLetterHeaders.PAYLOAD_TRUNCATED)).isEqualTo("true");
        assertThat(TopicReader.header(tooLarge, DeadLetterHeaders.ORIGINAL_SIZE)).isEqualTo(Integer.toString(10 * 1024 * 1024));
        assertThat(tooLarge.value()).hasSize(256 * 1024);
        assertThat(dead.stream().filter(r -> "MALFORMED_JSON".equals(TopicReader.header(r, DeadLetterHeaders.REASON))))
                .allSatisfy(r -> assertThat(TopicReader.header(r, DeadLetterHeaders.EXCEPTION_CLASS))
                        .isEqualTo("io.streamlake.core.event.InvalidEventException"));

        assertThat(metrics.inCount()).isEqualTo(valid.size() + rejects);
        assertThat(metrics.outCount()).isEqualTo(valid.size());
        expectedRejects.forEach((reason, n) -> assertThat(metrics.rejectedCount(reason)).as(reason.name()).isEqualTo(n.doubleValue()));
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, byte[] key, byte[] value,
                             Map<RejectionReason, Integer> expected, RejectionReason reason) throws Exception {
        producer.send(new ProducerRecord<>(IN, key, value)).get();
        expected.merge(reason, 1, Integer::sum);
    }
}

package io.streamlake.sources.casino;

import io.streamlake.core.contract.ContractChecks;
import io.streamlake.core.contract.ContractRepository;
import io.streamlake.core.contract.ContractWire;
import io.streamlake.core.event.CasinoEvent;
import io.streamlake.core.event.CasinoEventJson;
import io.streamlake.testsupport.KafkaTestBroker;
import io.streamlake.testsupport.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The source writing Avro: each record names its schema in contentType and reads back to a valid casino event. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "casino-events.events-per-second=20000", "casino-events.max-events=500", "casino-events.output-format=AVRO",
        "casino-events.start-time=2026-11-01T00:00:00Z", "casino-events.customers=100"})
class CasinoEventsAvroStreamTest {

    static final String OUT = KafkaTestBroker.createTopic("casino_events_avro", 1);

    @DynamicPropertySource
    static void bindings(DynamicPropertyRegistry registry) {
        registry.add("spring.cloud.stream.kafka.binder.brokers", KafkaTestBroker::bootstrapServers);
        registry.add("spring.cloud.stream.bindings.output.destination", () -> OUT);
    }

    @Test
    void eventsAreAvroOfTheCasinoContract() {
        List<ConsumerRecord<byte[], byte[]>> records = TopicReader.read(OUT, 500, Duration.ofSeconds(60));
        assertThat(records).hasSize(500);
        ContractWire wire = new ContractWire(CasinoEventJson.CONTRACT, ContractRepository.at(""));
        ContractChecks checks = new ContractChecks(CasinoEventJson.CONTRACT.withoutEventTimeBounds(),
                Clock.fixed(Instant.parse("2026-11-01T00:00:00Z"), ZoneOffset.UTC));
        for (ConsumerRecord<byte[], byte[]> r : records) {
            assertThat(TopicReader.header(r, ContractWire.CONTENT_TYPE)).isEqualTo("application/vnd.casino-activity.v1+avro");
            assertThat(r.value()[0]).as("not JSON").isNotEqualTo((byte) '{');
            Object[] values = wire.read(r.value(), TopicReader.header(r, ContractWire.CONTENT_TYPE));
            checks.check(values);
            CasinoEvent e = CasinoEventJson.event(values);
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(e.customerId());
            assertThat(TopicReader.header(r, "x-ground-truth")).isIn("normal", "bonus_abuse", "bet_spike", "win_streak");
        }
    }
}

package io.streamlake.sources.casino;

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
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The source as SCDF runs it: real binder and broker, binding named output. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "casino-events.events-per-second=20000", "casino-events.max-events=3000",
        "casino-events.start-time=2026-11-01T00:00:00Z", "casino-events.customers=500"})
class CasinoEventsStreamTest {

    static final String OUT = KafkaTestBroker.createTopic("casino_events", 3);

    @DynamicPropertySource
    static void bindings(DynamicPropertyRegistry registry) {
        registry.add("spring.cloud.stream.kafka.binder.brokers", KafkaTestBroker::bootstrapServers);
        registry.add("spring.cloud.stream.bindings.output.destination", () -> OUT);
    }

    @Test
    void producesKeyedEventsWithGroundTruthInPerCustomerOrder() {
        List<ConsumerRecord<byte[], byte[]>> records = TopicReader.read(OUT, 3000, Duration.ofSeconds(60));
        assertThat(records).hasSize(3000);
        Map<String, CasinoEvent> lastByCustomer = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            CasinoEvent e = CasinoEventJson.read(r.value());
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(e.customerId());
            assertThat(TopicReader.header(r, "x-ground-truth")).isIn("normal", "bonus_abuse", "bet_spike", "win_streak");
            CasinoEvent previous = lastByCustomer.put(e.customerId(), e);
            if (previous != null) { // one customer, one partition: their events arrive in order
                assertThat(e.activityDatetime()).isAfterOrEqualTo(previous.activityDatetime());
            }
        }
        assertThat(records.stream().map(r -> r.partition()).distinct()).hasSize(3);
    }
}

package io.streamlake.processors.validator;

import io.streamlake.core.contract.Contract;
import io.streamlake.core.contract.ContractAvro;
import io.streamlake.core.contract.ContractRepository;
import io.streamlake.core.contract.ContractWire;
import io.streamlake.testsupport.KafkaTestBroker;
import io.streamlake.testsupport.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Another contract by configuration (orders), JSON in, Avro out with the contentType naming its schema. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "event-validator.contract=orders", "event-validator.output-format=AVRO"})
class EventValidatorAvroStreamTest {

    static final String IN = KafkaTestBroker.createTopic("orders", 1);
    static final String OUT = KafkaTestBroker.createTopic("orders_valid", 1);
    static final String DLQ = KafkaTestBroker.createTopic("orders_dlq", 1);

    @DynamicPropertySource
    static void bindings(DynamicPropertyRegistry registry) {
        registry.add("spring.cloud.stream.kafka.binder.brokers", KafkaTestBroker::bootstrapServers);
        registry.add("spring.cloud.stream.bindings.input.destination", () -> IN);
        registry.add("spring.cloud.stream.bindings.input.group", () -> "orders");
        registry.add("spring.cloud.stream.bindings.output.destination", () -> OUT);
        registry.add("streamlake.dlq.destination", () -> DLQ);
    }

    @Test
    void ordersAreWrittenAsAvroWithTheirSchemaInTheContentType() throws Exception {
        String order = "{\"event_id\":\"3f2a9c1e-7b4d-4e8a-9c3b-1d2e3f4a5b6c\",\"order_id\":\"ord-000123\",\"customer_id\":\"c-9\","
                + "\"order_datetime\":\"" + Instant.now() + "\",\"status\":\"created\",\"item_count\":2,"
                + "\"total_amount\":59.90,\"currency\":\"eur\",\"country\":\"de\"}";
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaTestBroker.producerProperties())) {
            producer.send(new ProducerRecord<>(IN, order.getBytes(StandardCharsets.UTF_8))).get();
        }
        List<ConsumerRecord<byte[], byte[]>> out = TopicReader.read(OUT, 1, Duration.ofSeconds(60));
        assertThat(out).hasSize(1);
        ConsumerRecord<byte[], byte[]> r = out.get(0);
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("ORD-000123");
        String contentType = TopicReader.header(r, ContractWire.CONTENT_TYPE);
        assertThat(contentType).contains("application/vnd.orders.v1+avro");
        Contract orders = ContractRepository.at("").get("orders", 0);
        Object[] values = new ContractAvro(orders).read(r.value(), 0, orders.schema());
        assertThat(values[1]).isEqualTo("ORD-000123");
        assertThat(values[7]).isEqualTo("EUR");
    }
}

package io.streamlake.sources.interactions;

import io.streamlake.core.contract.Contract;
import io.streamlake.core.contract.ContractRepository;
import io.streamlake.core.contract.ContractWire;
import io.streamlake.testsupport.KafkaTestBroker;
import io.streamlake.testsupport.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The source as SCDF runs it: Avro records naming the contract's version, keyed by user, with their ground truth. */
class InteractionsStreamTest {

    @Test
    void avroInteractionsKeyedByUserWithTheirGroundTruth() {
        String out = KafkaTestBroker.createTopic("interactions", 2);
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(InteractionsApplication.class)
                .web(WebApplicationType.NONE).run("--spring.cloud.stream.kafka.binder.brokers=" + KafkaTestBroker.bootstrapServers(),
                        "--spring.cloud.stream.bindings.output.destination=" + out, "--interactions.events-per-second=2000",
                        "--interactions.max-events=400", "--interactions.incidents[0].type=page_view",
                        "--interactions.incidents[0].start-after=0s", "--interactions.incidents[0].duration=1h")) {
            List<ConsumerRecord<byte[], byte[]>> records = TopicReader.read(out, 400, Duration.ofSeconds(60));
            assertThat(records).hasSize(400);
            Contract contract = ContractRepository.at("").get("user-interaction", ContractRepository.LATEST);
            ContractWire wire = new ContractWire(contract, ContractRepository.at(""));
            int incidents = 0;
            for (ConsumerRecord<byte[], byte[]> r : records) {
                String contentType = TopicReader.header(r, ContractWire.CONTENT_TYPE);
                assertThat(contentType).isEqualTo("application/vnd.user-interaction.v1+avro");
                Object[] values = wire.read(r.value(), contentType);
                assertThat(new String(r.key())).isEqualTo(values[contract.field("user_id").index()]);
                String truth = TopicReader.header(r, "x-ground-truth");
                boolean pageView = values[contract.field("interaction_type").index()].equals("page_view");
                assertThat(truth).isEqualTo(pageView ? "incident:page_view:error_rate" : "normal");
                incidents += pageView ? 1 : 0;
            }
            assertThat(incidents).isPositive();
        }
    }
}

package io.streamlake.sources.casino;

import io.streamlake.core.event.CasinoEventJson;
import io.streamlake.testsupport.Await;
import io.streamlake.testsupport.KafkaTestBroker;
import io.streamlake.testsupport.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The source stopped mid-stream (an undeploy), restarted (a redeploy), scaled to two instances, and scaled by SCDF's
 * {@code stream scale} (index 1 of a count of 1), each started as SCDF starts it: no event_id is ever emitted twice,
 * and stopping logs no delivery errors.
 */
@ExtendWith(OutputCaptureExtension.class)
class CasinoEventsRestartTest {

    private static final String TOPIC = KafkaTestBroker.createTopic("casino_restarts", 3);

    private static ConfigurableApplicationContext start(String... extra) {
        List<String> args = new ArrayList<>(List.of("--spring.cloud.stream.kafka.binder.brokers=" + KafkaTestBroker.bootstrapServers(),
                "--spring.cloud.stream.bindings.output.destination=" + TOPIC, "--casino-events.events-per-second=2000",
                "--casino-events.customers=600", "--management.endpoints.web.exposure.include=health,info,bindings"));
        args.addAll(List.of(extra));
        return new SpringApplicationBuilder(CasinoEventsApplication.class).web(WebApplicationType.NONE).run(args.toArray(String[]::new));
    }

    private static List<ConsumerRecord<byte[], byte[]>> topic(int atLeast) {
        return TopicReader.read(TOPIC, atLeast, Duration.ofSeconds(60));
    }

    @Test
    void redeploysAndInstancesNeverRepeatAnIdAndStoppingIsClean(CapturedOutput output) throws Exception {
        // an undeploy while the source is producing (no max-events): the stream ends before the binding goes
        ConfigurableApplicationContext first = start();
        Await.until(() -> topic(1000).size() >= 1000, Duration.ofSeconds(60), "1000 events");
        first.close();
        int afterFirst = TopicReader.read(TOPIC, Integer.MAX_VALUE, Duration.ofSeconds(5)).size(); // all the first run sent
        assertThat(output.getOut() + output.getErr()).doesNotContain("MessageDeliveryException")
                .doesNotContain("Failed to locate function");

        // a redeploy: the same settings, started again
        try (ConfigurableApplicationContext again = start("--casino-events.max-events=1000")) {
            Await.until(() -> topic(afterFirst + 1000).size() >= afterFirst + 1000, Duration.ofSeconds(60), "the redeploy's events");
        }
        // scaled to two instances, as SCDF's deployer starts them
        try (ConfigurableApplicationContext zero = start("--casino-events.max-events=1000", "--spring.cloud.stream.instanceCount=2",
                "--spring.cloud.stream.instanceIndex=0");
             ConfigurableApplicationContext one = start("--casino-events.max-events=1000", "--spring.cloud.stream.instanceCount=2",
                     "--spring.cloud.stream.instanceIndex=1")) {
            Await.until(() -> topic(afterFirst + 3000).size() >= afterFirst + 3000, Duration.ofSeconds(60), "both instances' events");
        }
        // SCDF 2.11's "stream scale" starts a new instance with its index and the count deployed before: 1 of 1
        try (ConfigurableApplicationContext scaled = start("--casino-events.max-events=500", "--spring.cloud.stream.instanceCount=1",
                "--spring.cloud.stream.instanceIndex=1")) {
            Await.until(() -> topic(afterFirst + 3500).size() >= afterFirst + 3500, Duration.ofSeconds(60), "the scaled instance's events");
        }
        List<ConsumerRecord<byte[], byte[]>> all = topic(afterFirst + 3500);
        assertThat(all).hasSize(afterFirst + 3500);
        Set<UUID> ids = new HashSet<>();
        all.forEach(r -> ids.add(CasinoEventJson.read(r.value()).eventId()));
        assertThat(ids).as("every event_id once across stop, redeploy and two instances").hasSize(all.size());
    }
}

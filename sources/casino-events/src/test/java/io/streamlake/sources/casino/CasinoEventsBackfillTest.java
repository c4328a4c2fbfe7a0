package io.streamlake.sources.casino;

import io.streamlake.core.event.CasinoEvent;
import io.streamlake.core.event.CasinoEventJson;
import io.streamlake.testsupport.KafkaTestBroker;
import io.streamlake.testsupport.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backfill from the jar's configuration: five simulated minutes at 100 events/s (30,000 events) sent in far less
 * than five minutes, none before its own time, then live at the configured pace with event times on the wall clock.
 */
class CasinoEventsBackfillTest {

    @Test
    void historyGoesOutAtOnceThenLiveAtItsPace() throws Exception {
        String out = KafkaTestBroker.createTopic("casino_backfill", 2);
        Instant started = Instant.now();
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(CasinoEventsApplication.class)
                .web(WebApplicationType.NONE).run("--spring.cloud.stream.kafka.binder.brokers=" + KafkaTestBroker.bootstrapServers(),
                        "--spring.cloud.stream.bindings.output.destination=" + out, "--casino-events.events-per-second=100",
                        "--casino-events.backfill=5m", "--casino-events.customers=500")) {
            List<ConsumerRecord<byte[], byte[]>> history = TopicReader.read(out, 30_000, Duration.ofSeconds(60));
            Duration took = Duration.between(started, Instant.now());
            assertThat(history).hasSizeGreaterThanOrEqualTo(30_000);
            assertThat(took).as("five simulated minutes, unpaced").isLessThan(Duration.ofSeconds(75));
            Instant first = history.stream().map(r -> CasinoEventJson.read(r.value()).activityDatetime()).min(Instant::compareTo).orElseThrow();
            assertThat(Duration.between(first, started).abs().minus(Duration.ofMinutes(5)).abs())
                    .as("the history starts five minutes before the source").isLessThan(Duration.ofSeconds(10));
            for (ConsumerRecord<byte[], byte[]> r : history) { // the producer stamps the send time
                assertThat(r.timestamp()).isGreaterThanOrEqualTo(CasinoEventJson.read(r.value()).activityDatetime().toEpochMilli() - 2);
            }

            // live: once caught up (the backfill's own sending time is caught up too), about 100 events a second,
            // each sent within a second of its event time
            Thread.sleep(took.toMillis() + 3000);
            long before = TopicReader.endOffsets(out);
            Thread.sleep(5000);
            long live = TopicReader.endOffsets(out) - before;
            assertThat(live).as("events in 5 s at 100/s").isBetween(350L, 650L);
            List<ConsumerRecord<byte[], byte[]>> all = TopicReader.read(out, (int) (before + live), Duration.ofSeconds(30));
            for (ConsumerRecord<byte[], byte[]> r : all.subList(all.size() - 200, all.size())) {
                CasinoEvent e = CasinoEventJson.read(r.value());
                assertThat(r.timestamp() - e.activityDatetime().toEpochMilli()).as("sent on time").isBetween(-2L, 1000L);
            }
        }
    }
}

package io.streamlake.processors.aggregator;

import io.streamlake.testsupport.KafkaTestBroker;
import io.streamlake.testsupport.UniqueNames;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** WindowReplay against the real broker: what a new process replays, and what a partition given back to the same one does not. */
class WindowReplayTest {

    @Test
    void aRestartReplaysTheWindowAndARebalanceThatGivesThePartitionBackDoesNot() throws Exception {
        String topic = KafkaTestBroker.createTopic("replayed", 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(KafkaTestBroker.producerProperties())) {
            for (int i = 0; i < 30; i++) {
                producer.send(new ProducerRecord<>(topic, ("e" + i).getBytes())).get();
            }
        }
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaTestBroker.consumerProperties(UniqueNames.next("replay")))) {
            consumer.assign(List.of(tp));
            consumer.commitSync(Map.of(tp, new OffsetAndMetadata(20)));

            // a new process: the 20 committed records are read again into the windows, nothing after them
            WindowReplay restarted = new WindowReplay(Duration.ofHours(25), Clock.systemUTC());
            consumer.seek(tp, 20);
            restarted.onPartitionsAssigned("input", consumer, List.of(tp), true);
            assertThat(consumer.position(tp)).isZero();
            for (long offset = 0; offset < 20; offset++) {
                assertThat(restarted.isReplay(topic, 0, offset)).as("offset %d", offset).isTrue();
            }
            for (long offset = 20; offset < 30; offset++) {
                assertThat(restarted.isReplay(topic, 0, offset)).as("offset %d", offset).isFalse();
            }
            consumer.commitSync(Map.of(tp, new OffsetAndMetadata(30)));

            // the same process gets the partition back at the offset it processed up to: its windows hold those records
            consumer.seek(tp, 30);
            restarted.onPartitionsAssigned("input", consumer, List.of(tp), false);
            assertThat(consumer.position(tp)).isEqualTo(30);
            assertThat(restarted.isReplay(topic, 0, 30)).isFalse();

            // another process (no windows in memory) assigned the same partition replays it all
            WindowReplay other = new WindowReplay(Duration.ofHours(25), Clock.systemUTC());
            other.onPartitionsAssigned("input", consumer, List.of(tp), true);
            assertThat(consumer.position(tp)).isZero();
            assertThat(other.isReplay(topic, 0, 29)).isTrue();
            assertThat(other.isReplay(topic, 0, 30)).isFalse();
        }
    }
}

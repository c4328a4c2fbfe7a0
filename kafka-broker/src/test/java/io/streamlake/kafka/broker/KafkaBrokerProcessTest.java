package io.streamlake.kafka.broker;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaBrokerProcessTest {

    @TempDir
    Path dataDir;

    @Test
    void aRealBrokerProcessKeepsItsRecordsAcrossARestart() throws Exception {
        KafkaBrokerProcess broker = KafkaBrokerProcess.builder().dataDir(dataDir).build().start();
        try {
            assertThat(ProcessHandle.of(broker.pid())).isPresent();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("orders", 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            produce(broker, 0, 500);
            broker.stop();
            assertThat(broker.isRunning()).isFalse();

            broker.start(); // same data dir, same ports
            produce(broker, 500, 100);
            assertThat(consumeAll(broker, 600)).hasSize(600).doesNotHaveDuplicates().contains("v0", "v599");
        } finally {
            broker.stop();
        }
    }

    @Test
    void refusesScdfsH2Port() {
        assertThatThrownBy(() -> KafkaBrokerProcess.builder().dataDir(dataDir).port(19092).build())
                .hasMessageContaining("19092");
    }

    private static void produce(KafkaBrokerProcess broker, int from, int count) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer())) {
            for (int i = from; i < from + count; i++) {
                producer.send(new ProducerRecord<>("orders", "k" + i % 11, "v" + i)).get();
            }
        }
    }

    private static List<String> consumeAll(KafkaBrokerProcess broker, int expected) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "reader", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("orders"));
            long deadline = System.currentTimeMillis() + 60_000;
            while (values.size() < expected && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
            }
        }
        return values;
    }
}

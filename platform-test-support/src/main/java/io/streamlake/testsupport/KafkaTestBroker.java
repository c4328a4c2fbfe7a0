package io.streamlake.testsupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One real Kafka broker (KRaft mode, spring-kafka-test's embedded broker) per test JVM, started on first
 * use on a free port (never SCDF's H2 port 19092) and stopped when the JVM exits. Tests isolate
 * themselves with {@link #createTopic(String, int)}, which makes a topic no other test uses.
 */
public final class KafkaTestBroker {

    /** Largest record the test broker accepts (and {@link #producerProperties()} may send): 16 MiB. */
    public static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;

    private static EmbeddedKafkaKraftBroker broker;

    private KafkaTestBroker() {
    }

    /** The broker's bootstrap servers, e.g. {@code 127.0.0.1:41234}; starts the broker on first call. */
    public static synchronized String bootstrapServers() {
        if (broker == null) {
            EmbeddedKafkaKraftBroker started = new EmbeddedKafkaKraftBroker(1, 1);
            started.brokerProperty("auto.create.topics.enable", "false");
            // Apps must survive records far above the 1 MB default, so the test broker accepts them.
            started.brokerProperty("message.max.bytes", Integer.toString(MAX_RECORD_BYTES));
            started.afterPropertiesSet();
            if (started.getBrokersAsString().endsWith(":19092")) {
                started.destroy();
                throw new IllegalStateException("the test broker got port 19092, which SCDF's H2 server uses");
            }
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroy, "kafka-test-broker-shutdown"));
            broker = started;
        }
        return broker.getBrokersAsString();
    }

    /** Creates a topic with a unique name starting with {@code prefix} and returns the name. */
    public static String createTopic(String prefix, int partitions) {
        String topic = UniqueNames.next(prefix);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("could not create topic " + topic, e);
        }
        return topic;
    }

    /** Byte-array producer settings for this broker, acks=all. */
    public static Map<String, Object> producerProperties() {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_RECORD_BYTES);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return props;
    }

    /** Byte-array consumer settings for this broker, reading from the earliest offset. */
    public static Map<String, Object> consumerProperties(String group) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_RECORD_BYTES);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return props;
    }
}

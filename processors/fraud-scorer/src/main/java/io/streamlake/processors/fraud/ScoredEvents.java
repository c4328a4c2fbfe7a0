package io.streamlake.processors.fraud;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.kafka.KafkaConnectionDetails;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.cloud.stream.binder.kafka.properties.KafkaBinderConfigurationProperties;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every scored event to the scored topic: a Spring Kafka template on a producer configured exactly as the binder's
 * (its brokers, {@code spring.cloud.stream.kafka.binder.configuration.*} and {@code producer-properties.*}, security
 * included; the topic created as the binder provisions its own when it is missing), not StreamBridge: StreamBridge runs each record through a function invocation and content conversion
 * (it parsed every JSON payload again to tell whether it is JSON), half of the scorer's time per event. A poll's
 * records are sent, then {@link #awaitSent()} waits for the broker's acknowledgement of each before the poll ends, so
 * the input offsets are committed only after every decision is stored; a failure fails the poll, which is read again.
 */
final class ScoredEvents implements AutoCloseable {

    private static final byte[] JSON = "application/json".getBytes(StandardCharsets.UTF_8);

    private final String topic;
    private final DefaultKafkaProducerFactory<byte[], byte[]> producers;
    private final KafkaTemplate<byte[], byte[]> template;
    private final List<CompletableFuture<SendResult<byte[], byte[]>>> pending = new ArrayList<>();

    private ScoredEvents(String topic, Map<String, Object> producerConfig) {
        this.topic = topic;
        this.producers = producerConfig == null ? null
                : new DefaultKafkaProducerFactory<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
        this.template = producers == null ? null : new KafkaTemplate<>(producers);
    }

    /** To {@code topic}, on a producer of the binder's configuration as the environment sets it; blank: nowhere. */
    static ScoredEvents to(String topic, Environment environment, KafkaProperties kafka,
                           ObjectProvider<KafkaConnectionDetails> connectionDetails) {
        if (topic == null || topic.isBlank()) {
            return new ScoredEvents(null, null);
        }
        KafkaBinderConfigurationProperties binder = new KafkaBinderConfigurationProperties(kafka, connectionDetails);
        Binder.get(environment).bind("spring.cloud.stream.kafka.binder", Bindable.ofInstance(binder));
        Map<String, Object> config = new java.util.HashMap<>(binder.mergedProducerConfiguration());
        // as the binder's own producer factory: its brokers unless the configuration names the servers itself
        config.putIfAbsent(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, binder.getKafkaConnectionString());
        config.putIfAbsent(ProducerConfig.ACKS_CONFIG, binder.getRequiredAcks());
        if (binder.isAutoCreateTopics()) {
            provision(binder, topic);
        }
        return new ScoredEvents(topic, config);
    }

    /**
     * Creates the topic when it is missing, as the binder provisions its bindings' topics (StreamBridge did this for
     * the scored topic): at least {@code min-partition-count} partitions, the binder's replication factor (-1: the
     * broker's default); an existing topic is left as it is.
     */
    private static void provision(KafkaBinderConfigurationProperties binder, String topic) {
        Map<String, Object> admin = new java.util.HashMap<>(binder.getKafkaProperties().buildAdminProperties(null));
        admin.putAll(binder.getConfiguration());
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, binder.getKafkaConnectionString());
        try (Admin client = Admin.create(admin)) {
            if (client.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
                return;
            }
            short replication = binder.getReplicationFactor();
            client.createTopics(List.of(new NewTopic(topic, java.util.Optional.of(Math.max(1, binder.getMinPartitionCount())),
                    replication > 0 ? java.util.Optional.of(replication) : java.util.Optional.empty()))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) { // another instance made it meanwhile
                throw new IllegalStateException("cannot create the scored topic " + topic + ": " + e.getCause(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the scored topic " + topic, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the broker did not answer while creating the scored topic " + topic, e);
        }
    }

    /** Hands one scored event (JSON) to the producer, keyed (by customer). */
    void send(byte[] key, byte[] scored) {
        if (template == null) {
            return;
        }
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, key, scored);
        record.headers().add("contentType", JSON);
        pending.add(template.send(record));
    }

    /** Waits for the broker to acknowledge everything sent since the last call; fails on the first that failed. */
    void awaitSent() {
        if (template == null) {
            return;
        }
        try {
            template.flush();
            for (CompletableFuture<SendResult<byte[], byte[]>> f : pending) {
                f.get(2, TimeUnit.MINUTES);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("a scored event was not stored in " + topic + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing scored events", e);
        } finally {
            pending.clear();
        }
    }

    @Override
    public void close() {
        if (producers != null) {
            producers.destroy();
        }
    }
}

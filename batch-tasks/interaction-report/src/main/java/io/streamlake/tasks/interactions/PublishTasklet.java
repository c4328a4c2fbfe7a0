package io.streamlake.tasks.interactions;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.batch.core.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.repeat.RepeatStatus;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Step {@code publish}: the report as one event on the reports topic, keyed by its minute (a re-run publishes it again
 * with the same key: a compacted topic keeps the last), so a dashboard is told instead of polling.
 */
final class PublishTasklet implements Tasklet {

    private final InteractionReportProperties properties;

    PublishTasklet(InteractionReportProperties properties) {
        this.properties = properties;
    }

    /** The reports topic, compacted (the last report of each minute is what a consumer needs), made on first use. */
    private void createTopicIfMissing() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, properties.getBrokers()))) {
            if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(properties.getTopic())) {
                try {
                    admin.createTopics(java.util.List.of(new NewTopic(properties.getTopic(), 1, (short) -1)
                            .configs(Map.of("cleanup.policy", "compact")))).all().get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunk) throws Exception {
        if (properties.getBrokers() == null || properties.getBrokers().isBlank()) {
            return RepeatStatus.FINISHED;
        }
        String json = chunk.getStepContext().getStepExecution().getJobExecution().getExecutionContext()
                .getString(ReportTasklet.REPORT_JSON);
        createTopicIfMissing();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.getBrokers(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            producer.send(new ProducerRecord<>(properties.getTopic(),
                    properties.reportedMinute().toString().getBytes(StandardCharsets.UTF_8),
                    json.getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        }
        contribution.incrementWriteCount(1);
        return RepeatStatus.FINISHED;
    }
}

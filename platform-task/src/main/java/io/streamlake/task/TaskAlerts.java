package io.streamlake.task;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamlake.common.json.Json;
import io.streamlake.core.alert.Alert;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.task.listener.TaskExecutionListener;
import org.springframework.cloud.task.repository.TaskExecution;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Operational alerts of task runs: a run that failed (exit code 1: kind {@code task_failed}, critical) or found a
 * problem it exists to find (exit code 2, e.g. data-quality's error-severity expectations failing, its exit message
 * {@code EXPECTATIONS_FAILED}: kind {@code task_problem}, warning) is published, when it ends, as an {@link Alert}
 * keyed by the task's name to {@code streamlake.task.alerts-topic}, the alert sink's input. A run that completed
 * publishes nothing. Publishing never changes the run's outcome: a broker that does not take the alert within 10 s is
 * logged.
 */
public final class TaskAlerts implements TaskExecutionListener {

    private static final Logger log = LoggerFactory.getLogger(TaskAlerts.class);

    private final TaskExitCode exitCode;
    private final String brokers;
    private final String topic;

    public TaskAlerts(TaskExitCode exitCode, String brokers, String topic) {
        this.exitCode = exitCode;
        this.brokers = brokers;
        this.topic = topic;
    }

    @Override
    public void onTaskEnd(TaskExecution execution) {
        Alert alert = alert(execution, effectiveExitCode(execution));
        if (alert == null) {
            return;
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000), new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, alert.key().getBytes(StandardCharsets.UTF_8), alert.toJson()))
                    .get(15, TimeUnit.SECONDS);
            log.info("Published {} to {}", alert.subject(), topic);
        } catch (Exception e) {
            log.warn("Could not publish the alert {} to {} at {}: {}", alert.subject(), topic, brokers, e.getMessage());
        }
    }

    private int effectiveExitCode(TaskExecution execution) {
        Integer code = execution.getExitCode();
        return code != null ? code : exitCode.getExitCode();
    }

    /** The alert of a run that ended with {@code exit}; null for a run that completed (0). */
    static Alert alert(TaskExecution execution, int exit) {
        if (exit == 0) {
            return null;
        }
        String task = execution.getTaskName();
        boolean failed = exit != 2;
        String message = execution.getExitMessage();
        String error = execution.getErrorMessage();
        ObjectNode details = Json.mapper().createObjectNode();
        details.put("execution_id", execution.getExecutionId());
        details.put("exit_code", exit);
        if (message != null) {
            details.put("exit_message", message);
        }
        if (execution.getStartTime() != null) {
            details.put("start_time", execution.getStartTime().toInstant(ZoneOffset.UTC).toString());
        }
        String reason = message != null && !message.isBlank() ? message : failed ? "FAILED" : "PROBLEM_FOUND";
        String text = failed
                ? "Task " + task + " (execution " + execution.getExecutionId() + ") failed with exit code " + exit
                        + (error == null ? "" : ": " + firstLine(error))
                : "Task " + task + " (execution " + execution.getExecutionId() + ") found a problem: " + reason;
        return new Alert("task:" + task + ":" + execution.getExecutionId(), failed ? "task_failed" : "task_problem",
                failed ? Alert.Severity.CRITICAL : Alert.Severity.WARNING, task,
                failed ? "Task " + task + " failed" : "Task " + task + ": " + reason, text, task, Instant.now(), null,
                List.of(reason), details);
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}

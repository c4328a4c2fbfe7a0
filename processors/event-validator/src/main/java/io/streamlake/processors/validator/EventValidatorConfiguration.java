package io.streamlake.processors.validator;

import io.streamlake.stream.DeadLetterPublisher;
import io.streamlake.stream.KafkaBatch;
import io.streamlake.stream.OutboundRecord;
import io.streamlake.stream.RecordMetrics;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The event-validator function: valid events go to {@code output} as normalized JSON keyed by customer id,
 * everything else to the DLQ with its reason. The record's own {@code x-} headers (e.g. the generator's
 * ground truth) travel with the event.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EventValidatorProperties.class)
public class EventValidatorConfiguration {

    @Bean
    EventValidator eventValidatorCore(EventValidatorProperties properties) {
        return new EventValidator(properties.toRules(), Clock.systemUTC());
    }

    /**
     * One call per Kafka poll: validating a whole poll at once keeps the framework's per-call cost off the
     * per-event path; each accepted event is still sent as its own record (Spring Cloud Stream sends the
     * elements of a returned list one by one).
     */
    @Bean
    public Function<Message<List<Object>>, List<Message<byte[]>>> eventValidator(EventValidator validator,
                                                                                DeadLetterPublisher dlq,
                                                                                RecordMetrics metrics) {
        return message -> {
            KafkaBatch batch = new KafkaBatch(message);
            metrics.in(batch.size());
            List<Message<byte[]>> accepted = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                byte[] payload = batch.payload(i);
                EventValidator.Result result = validator.validate(payload);
                if (result instanceof EventValidator.Accepted valid) {
                    accepted.add(OutboundRecord.of(valid.json(), valid.event().customerId().getBytes(StandardCharsets.UTF_8),
                            ownHeaders(batch.headers(i))));
                } else {
                    EventValidator.Rejected rejected = (EventValidator.Rejected) result;
                    dlq.reject(batch.provenance(i), payload, rejected.reason(), rejected.detail(), rejected.cause());
                }
            }
            metrics.out(accepted.size());
            return accepted;
        };
    }

    /** The record's own {@code x-} headers (e.g. x-ground-truth), to travel with the event; most records have none. */
    private static Map<String, Object> ownHeaders(Map<String, Object> headers) {
        if (headers.isEmpty()) {
            return Map.of();
        }
        Map<String, Object> own = new HashMap<>(4);
        headers.forEach((name, value) -> {
            if (name.startsWith("x-")) {
                own.put(name, value);
            }
        });
        return own.isEmpty() ? Map.of() : own;
    }
}

package io.streamlake.processors.validator;

import io.streamlake.stream.DeadLetterPublisher;
import io.streamlake.stream.RecordMetrics;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.function.Function;

/**
 * The event-validator function: valid events go to {@code output} as normalized JSON keyed by customer id,
 * everything else to the DLQ with its reason. Headers of the input other than Kafka's own (e.g. the
 * generator's ground-truth header) travel with the event.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EventValidatorProperties.class)
public class EventValidatorConfiguration {

    @Bean
    EventValidator eventValidatorCore(EventValidatorProperties properties) {
        return new EventValidator(properties.toRules(), Clock.systemUTC());
    }

    @Bean
    public Function<Message<Object>, Message<byte[]>> eventValidator(EventValidator validator, DeadLetterPublisher dlq,
                                                                     RecordMetrics metrics) {
        return message -> {
            metrics.in(1);
            // Native decoding hands over the record's bytes, or KafkaNull for a tombstone (an empty record).
            byte[] payload = message.getPayload() instanceof byte[] bytes ? bytes : null;
            EventValidator.Result result = validator.validate(payload);
            if (result instanceof EventValidator.Accepted accepted) {
                metrics.out(1);
                MessageBuilder<byte[]> out = MessageBuilder.withPayload(accepted.json());
                message.getHeaders().forEach((name, value) -> {
                    if (!name.startsWith("kafka_") && !name.equals(MessageHeaders.ID)
                            && !name.equals(MessageHeaders.TIMESTAMP) && !name.equals(MessageHeaders.CONTENT_TYPE)) {
                        out.setHeader(name, value);
                    }
                });
                return out.setHeader(KafkaHeaders.KEY, accepted.event().customerId().getBytes(StandardCharsets.UTF_8))
                        .setHeader(MessageHeaders.CONTENT_TYPE, "application/json")
                        .build();
            }
            EventValidator.Rejected rejected = (EventValidator.Rejected) result;
            dlq.reject(message, payload, rejected.reason(), rejected.detail(), rejected.cause());
            return null; // nothing downstream
        };
    }
}

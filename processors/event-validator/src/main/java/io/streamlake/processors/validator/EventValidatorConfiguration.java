package io.streamlake.processors.validator;

import io.streamlake.stream.DeadLetterPublisher;
import io.streamlake.stream.KafkaBatch;
import io.streamlake.stream.OutboundRecord;
import io.streamlake.stream.RecordMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
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
    EventValidator eventValidatorCore(EventValidatorProperties properties, MeterRegistry registry,
                                      @Value("${spring.application.name:event-validator}") String app) {
        EventValidator validator = new EventValidator(properties.toRules(), Clock.systemUTC());
        FunctionCounter.builder("streamlake.dedup.evicted.early", validator, EventValidator::dedupEarlyEvictions)
                .description("event ids forgotten before their dedup window ended (capacity too small for the rate)")
                .tag("app", app).register(registry);
        Gauge.builder("streamlake.dedup.capacity", validator, v -> v.rules().dedupCapacity())
                .description("most event ids the dedup window holds").tag("app", app).register(registry);
        return validator;
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
        DedupWarning dedupWarning = new DedupWarning(validator);
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
            dedupWarning.check();
            return accepted;
        };
    }

    /** Says, at most once a minute, that ids leave the dedup window early: duplicates of them would pass. */
    private static final class DedupWarning {
        private static final Logger log = LoggerFactory.getLogger(EventValidator.class);
        private final EventValidator validator;
        private long reported;
        private long lastWarnMillis;

        DedupWarning(EventValidator validator) {
            this.validator = validator;
        }

        void check() {
            long early = validator.dedupEarlyEvictions();
            long now = System.currentTimeMillis();
            if (early > reported && now - lastWarnMillis >= 60_000) {
                log.warn("{} event ids left the dedup window before it ended ({} in all): dedup-capacity {} kept ids for"
                                + " only {} ms of the {} window, so duplicates older than that pass. Raise"
                                + " event-validator.expected-events-per-second (or dedup-capacity), or add instances.",
                        early - reported, early, validator.rules().dedupCapacity(), validator.dedupEffectiveWindowMillis(),
                        validator.rules().dedupWindow());
                reported = early;
                lastWarnMillis = now;
            }
        }
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

package io.streamlake.processors.validator;

import io.streamlake.core.contract.Contract;
import io.streamlake.core.contract.ContractRepository;
import io.streamlake.core.contract.ContractWire;
import io.streamlake.core.contract.RegistryUnavailableException;
import io.streamlake.stream.RetryLoop;
import io.streamlake.stream.WriteHealth;
import io.streamlake.stream.InboundRecord;
import io.streamlake.stream.OutboundRecord;
import io.streamlake.stream.PollProcessor;
import io.streamlake.stream.StreamPolls;
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

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The event-validator function: records valid under the configured contract go to {@code output} as normalized JSON
 * keyed by the contract's key field (casino-activity: customer_id), everything else to the DLQ with its reason. The record's own {@code x-} headers (e.g. the generator's
 * ground truth) travel with the event.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EventValidatorProperties.class)
public class EventValidatorConfiguration {

    @Bean
    EventValidator eventValidatorCore(EventValidatorProperties properties, MeterRegistry registry,
                                      @Value("${spring.application.name:event-validator}") String app) {
        ContractRepository repository = ContractRepository.at(properties.getContractsLocation());
        Contract contract = properties.resolveContract(repository);
        int dedupCapacity = contract.dedupKey() == null ? 1 : properties.effectiveDedupCapacity(contract.dedupWindow());
        EventValidator validator = new EventValidator(contract, repository, properties.getOutputFormat(),
                properties.getMaxPayloadBytes(), dedupCapacity, Clock.systemUTC(), properties.getPiiSalt());
        LoggerFactory.getLogger(EventValidator.class).info("Validating against the contract {} from {}; writing {}",
                contract, repository, properties.getOutputFormat());
        FunctionCounter.builder("streamlake.dedup.evicted.early", validator, EventValidator::dedupEarlyEvictions)
                .description("event ids forgotten before their dedup window ended (capacity too small for the rate)")
                .tag("app", app).register(registry);
        Gauge.builder("streamlake.dedup.capacity", validator, EventValidator::dedupCapacity)
                .description("most event ids the dedup window holds").tag("app", app).register(registry);
        return validator;
    }

    /**
     * One call per Kafka poll (the per-poll skeleton); each accepted event is still sent as its own record (Spring
     * Cloud Stream sends the elements of a returned list one by one).
     */
    /** Up while the schema registry answers the validator's lookups of writer schemas (Avro input). */
    @Bean
    WriteHealth schemaRegistry() {
        return new WriteHealth("schema registry", () -> true);
    }

    @Bean
    public Function<Message<List<Object>>, List<Message<byte[]>>> eventValidator(EventValidator validator, StreamPolls polls,
                                                                                EventValidatorProperties properties,
                                                                                RetryLoop retry, WriteHealth schemaRegistry) {
        DedupWarning dedupWarning = new DedupWarning(validator);
        // Avro names its schema in the contentType header (raw bytes, so no header typing); JSON, the default, needs none.
        byte[] contentType = properties.getOutputFormat() == ContractWire.Format.AVRO
                ? validator.outputContentType().getBytes(java.nio.charset.StandardCharsets.UTF_8) : null;
        return polls.processor(new PollProcessor() {
            @Override
            public void process(InboundRecord record, Poll poll) {
                Object type = record.headers().get(ContractWire.CONTENT_TYPE);
                // A record whose writer schema the registry cannot give now waits for it (health DOWN), never goes to
                // the DLQ: nothing about it was decided yet, so retrying it as it is is safe.
                EventValidator.Result result;
                try {
                    result = validator.validate(record.payload(), type);
                } catch (RegistryUnavailableException down) {
                    schemaRegistry.failed(down);
                    result = retry.untilSuccess("reading a record's writer schema from the registry",
                            () -> validator.validate(record.payload(), type), RegistryUnavailableException.class, schemaRegistry);
                }
                if (result instanceof EventValidator.Accepted valid) {
                    Map<String, Object> headers = ownHeaders(record.headers());
                    if (contentType != null) {
                        headers = new HashMap<>(headers);
                        headers.put(ContractWire.CONTENT_TYPE, contentType);
                    }
                    poll.emit(OutboundRecord.of(valid.payload(), valid.key(), headers));
                } else {
                    EventValidator.Rejected rejected = (EventValidator.Rejected) result;
                    poll.reject(rejected.reason(), rejected.detail(), rejected.cause());
                }
            }

            @Override
            public void endOfPoll(Poll poll) {
                dedupWarning.check();
            }
        });
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
                        early - reported, early, validator.dedupCapacity(), validator.dedupEffectiveWindowMillis(),
                        validator.contract().dedupWindow());
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

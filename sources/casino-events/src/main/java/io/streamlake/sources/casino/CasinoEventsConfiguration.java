package io.streamlake.sources.casino;

import io.streamlake.core.contract.Contract;
import io.streamlake.core.contract.ContractRepository;
import io.streamlake.core.contract.ContractWire;
import io.streamlake.core.event.CasinoEventJson;
import io.streamlake.stream.RecordMetrics;
import io.streamlake.stream.SourceShutdown;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.stream.config.BindingServiceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The casino-events supplier: one reactive stream of simulated events, paced to the configured rate,
 * each keyed by customer id (so one customer's events stay in order) and carrying the ground-truth header.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CasinoEventsProperties.class)
public class CasinoEventsConfiguration {

    private static final Logger log = LoggerFactory.getLogger(CasinoEventsConfiguration.class);

    /**
     * The instance count, at least this instance's index + 1. SCDF 2.11's {@code stream scale} starts the new instances
     * with their index but leaves the count the stream was deployed with, so instance 1 may be told it is 1 of 1. Its
     * ids stay disjoint from every other instance's (the index is part of each id); only the customers it simulates may
     * overlap with an instance that still counts fewer.
     */
    static int instanceCount(BindingServiceProperties binding) {
        int count = binding.getInstanceCount();
        if (binding.getInstanceIndex() >= count) {
            log.warn("spring.cloud.stream.instanceIndex {} is not below instanceCount {} (as after SCDF's stream scale):"
                    + " counting {} instances; event ids stay disjoint, customers may overlap with other instances'",
                    binding.getInstanceIndex(), count, binding.getInstanceIndex() + 1);
            count = binding.getInstanceIndex() + 1;
        }
        return count;
    }

    /** The casino-activity contract the events are written in (from the registry for Avro with its ids). */
    private static Contract contract(CasinoEventsProperties properties) {
        return properties.getOutputFormat() == ContractWire.Format.JSON ? CasinoEventJson.CONTRACT
                : ContractRepository.at(properties.getContractsLocation()).get(CasinoEventJson.CONTRACT.subject(),
                ContractRepository.LATEST);
    }

    @Bean
    SourceShutdown casinoEventsShutdown() {
        return new SourceShutdown();
    }

    @Bean
    public Supplier<Flux<Message<byte[]>>> casinoEvents(CasinoEventsProperties properties, RecordMetrics metrics,
                                                        BindingServiceProperties binding, SourceShutdown shutdown) {
        return () -> {
            // SCDF gives each instance spring.cloud.stream.instance-index / instance-count: N instances, N disjoint
            // streams. The start time defaults to now (minus the backfill), so a restarted instance makes new ids (see
            // the simulator).
            Instant now = Instant.now();
            boolean replay = properties.getStartTime() != null;
            CasinoActivitySimulator simulator = new CasinoActivitySimulator(new CasinoActivitySimulator.Settings(
                    properties.getCustomers(), properties.getGames(), properties.getSeed(),
                    replay ? properties.getStartTime() : now.minus(properties.getBackfill()),
                    properties.getEventsPerSecond(), properties.getAnomalousCustomerShare(), properties.getCurrencies(),
                    binding.getInstanceIndex(), instanceCount(binding)));
            // a replay keeps its rate from whenever it starts; otherwise each event goes out when its time comes
            RatePacer replayPacer = replay ? new RatePacer(properties.getEventsPerSecond()) : null;
            EventTimePacer pacer = replay ? null : new EventTimePacer(now);
            if (!replay && !properties.getBackfill().isZero()) {
                log.info("Backfill: simulated events from {} sent as fast as the broker takes them, then live at {}/s",
                        now.minus(properties.getBackfill()), properties.getEventsPerSecond());
            }
            String header = properties.getGroundTruthHeader();
            ContractWire.Format format = properties.getOutputFormat();
            ContractWire wire = new ContractWire(contract(properties), ContractRepository.at(properties.getContractsLocation()));
            wire.checkWritable(format);
            // Avro names its schema in the contentType header; JSON, the default, needs none.
            byte[] contentType = format == ContractWire.Format.AVRO
                    ? wire.contentType(format).getBytes(StandardCharsets.UTF_8) : null;
            Flux<Message<byte[]>> events = Flux.generate(sink -> {
                if (replayPacer != null) {
                    replayPacer.acquire();
                }
                CasinoActivitySimulator.SimulatedEvent next = simulator.next();
                if (pacer != null) {
                    pacer.awaitTime(next.event().activityDatetime());
                }
                if (shutdown.stopping()) {
                    sink.complete(); // the app is stopping: nothing more for a binding that is about to go
                    return;
                }
                metrics.out(1);
                MessageBuilder<byte[]> record = MessageBuilder.withPayload(wire.write(CasinoEventJson.values(next.event()), format))
                        .setHeader(KafkaHeaders.KEY, next.event().customerId().getBytes(StandardCharsets.UTF_8))
                        .setHeader(header, next.groundTruth().label().getBytes(StandardCharsets.UTF_8));
                if (contentType != null) {
                    record.setHeader(ContractWire.CONTENT_TYPE, contentType);
                }
                sink.next(record.build());
            });
            if (properties.getMaxEvents() > 0) {
                events = events.take(properties.getMaxEvents());
            }
            // Pacing parks the generating thread: give it one of its own.
            return events.doFinally(signal -> shutdown.generatorDone()).subscribeOn(Schedulers.newSingle("casino-events"));
        };
    }
}

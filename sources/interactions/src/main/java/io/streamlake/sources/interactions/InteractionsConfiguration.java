package io.streamlake.sources.interactions;

import io.streamlake.core.contract.Contract;
import io.streamlake.core.contract.ContractRepository;
import io.streamlake.core.contract.ContractWire;
import io.streamlake.stream.RecordMetrics;
import io.streamlake.stream.SourceShutdown;
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
import java.util.List;
import java.util.function.Supplier;

/**
 * The interactions supplier: simulated interactions at the rate of the hour (after an unpaced backfill of simulated
 * history, when one is set), each keyed by user id, written in the output format (Avro naming the contract's version
 * in contentType by default), with the ground-truth header.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(InteractionsProperties.class)
public class InteractionsConfiguration {

    static final String SUBJECT = "user-interaction";

    @Bean
    SourceShutdown interactionsShutdown() {
        return new SourceShutdown();
    }

    @Bean
    public Supplier<Flux<Message<byte[]>>> interactions(InteractionsProperties p, RecordMetrics metrics,
                                                        BindingServiceProperties binding, SourceShutdown shutdown) {
        ContractRepository contracts = ContractRepository.at(p.getContractsLocation());
        Contract contract = contracts.get(SUBJECT, ContractRepository.LATEST);
        ContractWire wire = new ContractWire(contract, contracts);
        wire.checkWritable(p.getOutputFormat());
        return () -> {
            // with a backfill the simulated history starts that long ago, and incidents are placed from its start
            Instant now = Instant.now();
            Instant started = now.minus(p.getBackfill());
            List<InteractionSimulator.Incident> incidents = p.getIncidents().stream()
                    .map(i -> new InteractionSimulator.Incident(i.getType(), i.getKind(), started.plus(i.getStartAfter()),
                            i.getDuration(), i.getFactor())).toList();
            InteractionSimulator simulator = new InteractionSimulator(new InteractionSimulator.Settings(p.getUsers(),
                    p.getSeed(), p.getEventsPerSecond(), incidents, binding.getInstanceIndex(),
                    Math.max(binding.getInstanceCount(), binding.getInstanceIndex() + 1)), contract);
            byte[] contentType = p.getOutputFormat() == ContractWire.Format.AVRO
                    ? wire.contentType(p.getOutputFormat()).getBytes(StandardCharsets.UTF_8) : null;
            String header = p.getGroundTruthHeader();
            EventClock clock = new EventClock(now, p.getBackfill(), simulator::rate);
            Flux<Message<byte[]>> events = Flux.generate(sink -> {
                Instant at = clock.next(); // the pace of the hour, once past the backfill
                if (shutdown.stopping()) {
                    sink.complete();
                    return;
                }
                InteractionSimulator.Interaction next = simulator.next(at);
                MessageBuilder<byte[]> record = MessageBuilder.withPayload(wire.write(next.values(), p.getOutputFormat()))
                        .setHeader(KafkaHeaders.KEY, ((String) next.values()[contract.key().index()]).getBytes(StandardCharsets.UTF_8))
                        .setHeader(header, next.groundTruth().getBytes(StandardCharsets.UTF_8));
                if (contentType != null) {
                    record.setHeader(ContractWire.CONTENT_TYPE, contentType);
                }
                metrics.out(1);
                sink.next(record.build());
            });
            if (p.getMaxEvents() > 0) {
                events = events.take(p.getMaxEvents());
            }
            return events.doFinally(signal -> shutdown.generatorDone()).subscribeOn(Schedulers.newSingle("interactions"));
        };
    }
}

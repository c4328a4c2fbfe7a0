package io.streamlake.processors.aggregator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamlake.core.contract.Contract;
import io.streamlake.core.contract.ContractRepository;
import io.streamlake.core.contract.ContractWire;
import io.streamlake.core.event.InvalidEventException;
import io.streamlake.features.registry.FeatureRegistry;
import io.streamlake.features.registry.FeatureRegistryLoader;
import io.streamlake.features.row.FeatureRowJson;
import io.streamlake.stream.DeadLetterPublisher;
import io.streamlake.stream.InboundRecord;
import io.streamlake.stream.OutboundRecord;
import io.streamlake.stream.PollProcessor;
import io.streamlake.stream.StreamPolls;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The feature-aggregator function: events of one contract in, feature rows out in the JSON form redis-features
 * takes, one per touched entity, view and Kafka poll (its features as of its latest event), keyed by the entity.
 * Which views, over which events, is declared in the feature definitions (stream views with a contract source).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FeatureAggregatorProperties.class)
public class FeatureAggregatorConfiguration {

    @Bean
    FeatureRegistry featureRegistry(FeatureAggregatorProperties p) {
        return FeatureRegistryLoader.at(p.getDefinitions());
    }

    @Bean
    FeatureAggregator featureAggregatorCore(FeatureAggregatorProperties p, FeatureRegistry registry, MeterRegistry meters,
                                            @Value("${spring.application.name:feature-aggregator}") String app) {
        List<FeatureRegistry.FeatureView> views = p.selectViews(registry);
        ContractRepository contracts = ContractRepository.at(p.getContractsLocation());
        Contract contract = contracts.get(FeatureAggregatorProperties.contractOf(views), p.getContractVersion());
        FeatureAggregator aggregator = new FeatureAggregator(registry, views, contract, new ContractWire(contract, contracts),
                p.getGrace());
        var log = LoggerFactory.getLogger(FeatureAggregator.class);
        log.info("Computing {} from {} events ({})", views.stream().map(FeatureRegistry.FeatureView::name).toList(),
                contract, contracts);
        aggregator.describe().forEach(log::info);
        for (FeatureRegistry.FeatureView v : views) {
            FunctionCounter.builder("streamlake.features.late", aggregator, a -> a.late().get(v.name()))
                    .description("events too late for the view's windows of their entity").tag("app", app)
                    .tag("feature_view", v.name()).register(meters);
            Gauge.builder("streamlake.features.entities", aggregator, a -> a.activeEntities().get(v.name()))
                    .description("entities whose windows are held").tag("app", app).tag("feature_view", v.name())
                    .register(meters);
        }
        return aggregator;
    }

    @Bean
    WindowReplay windowReplay(FeatureAggregatorProperties p, FeatureAggregator aggregator) {
        return new WindowReplay(p.isReplayOnAssignment() ? aggregator.replay() : Duration.ZERO, Clock.systemUTC());
    }

    @Bean
    public Function<Message<List<Object>>, List<Message<byte[]>>> featureAggregator(FeatureAggregator aggregator,
                                                                                   WindowReplay replay, StreamPolls polls,
                                                                                   MeterRegistry meters,
                                                                                   @Value("${spring.application.name:feature-aggregator}") String app) {
        Counter skipped = Counter.builder("streamlake.features.skipped")
                .description("events for none of the views (a join key absent, or filtered out)").tag("app", app)
                .register(meters);
        return polls.processor(new PollProcessor() {
            @Override
            public boolean isReplay(InboundRecord record) {
                DeadLetterPublisher.Provenance from = record.provenance();
                return from.offset() != null && from.partition() != null
                        && replay.isReplay(from.topic(), from.partition(), from.offset());
            }

            @Override
            public void process(InboundRecord record, Poll poll) throws InvalidEventException {
                if (!aggregator.accept(record.payload(), record.headers().get(ContractWire.CONTENT_TYPE), record.isReplay())
                        && !record.isReplay()) {
                    skipped.increment();
                }
            }

            @Override
            public void endOfPoll(Poll poll) {
                for (FeatureAggregator.Row row : aggregator.rows()) {
                    poll.emit(OutboundRecord.of(FeatureRowJson.write(row.row()), row.key().getBytes(StandardCharsets.UTF_8),
                            Map.of()));
                }
            }
        });
    }
}

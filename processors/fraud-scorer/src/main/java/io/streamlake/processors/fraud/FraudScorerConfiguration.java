package io.streamlake.processors.fraud;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.RedisURI;
import io.streamlake.common.json.Json;
import io.streamlake.core.alert.Alert;
import io.streamlake.core.contract.Contract;
import io.streamlake.core.contract.ContractRepository;
import io.streamlake.core.contract.ContractWire;
import io.streamlake.core.event.InvalidEventException;
import io.streamlake.features.feast.FeastValue;
import io.streamlake.features.redis.FeastRedisWriter;
import io.streamlake.features.redis.OnlineFeatureReader;
import io.streamlake.features.registry.FeatureRegistry;
import io.streamlake.features.registry.FeatureRegistryLoader;
import io.streamlake.models.FraudRules;
import io.streamlake.models.ModelRegistry;
import io.streamlake.stream.InboundRecord;
import io.streamlake.stream.OutboundRecord;
import io.streamlake.stream.PollProcessor;
import io.streamlake.stream.RetryLoop;
import io.streamlake.stream.StreamPolls;
import io.streamlake.stream.WriteHealth;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.kafka.KafkaConnectionDetails;
import org.springframework.boot.autoconfigure.kafka.KafkaProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.messaging.Message;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The fraud-scorer function: validated casino events in (a Kafka poll at a time), each poll decided by
 * {@link FraudScorer}; alerts out on {@code output} (the {@link Alert} shape the alert sink takes, keyed by customer),
 * every event with its decision to {@code scored-destination} ({@link ScoredEvents}, stored before the poll ends). The champion model is re-read from the registry every
 * {@code model-refresh} off the polling thread ({@link ChampionModel}). While Redis does not answer, a poll waits
 * (health {@code onlineStore} DOWN) rather than deciding blind.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FraudScorerProperties.class)
public class FraudScorerConfiguration {

    private static final Logger log = LoggerFactory.getLogger(FraudScorerConfiguration.class);

    @Bean
    FeatureRegistry featureRegistry(FraudScorerProperties p) {
        return FeatureRegistryLoader.at(p.getDefinitions());
    }

    @Bean
    FraudRules fraudRules(FraudScorerProperties p, FeatureRegistry registry) {
        FraudRules rules = FraudRules.load(p.getRulesFile(), registry);
        rules.rules().forEach(r -> log.info("Rule {}: {} ({})", r.code(), r.condition().text(), r.description()));
        return rules;
    }

    @Bean
    ModelRegistry modelRegistry(FraudScorerProperties p) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(p.getRegistryUrl());
        ds.setUser(p.getRegistryUsername());
        ds.setPassword(p.getRegistryPassword());
        return new ModelRegistry(ds, p.getRegistryTable());
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService modelRefresher() {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fraud-model-refresh");
            t.setDaemon(true);
            return t;
        });
    }

    @Bean
    ChampionModel championModel(ModelRegistry registry, FraudScorerProperties p, ScheduledExecutorService modelRefresher) {
        ChampionModel champion = new ChampionModel(registry, p.getModelName());
        if (!champion.refresh() && champion.current() == null) {
            log.warn("No champion of {} in the registry yet: events are decided by the rules alone until one is promoted",
                    p.getModelName());
        }
        long every = p.getModelRefresh().toMillis();
        modelRefresher.scheduleWithFixedDelay(champion::refresh, every, every, TimeUnit.MILLISECONDS);
        return champion;
    }

    @Bean(destroyMethod = "close")
    OnlineFeatureReader onlineFeatureReader(FeatureRegistry registry, FraudScorerProperties p) {
        return new OnlineFeatureReader(registry, RedisURI.create(p.getRedisUri()), p.getRedisTimeout(), Clock.systemUTC());
    }

    /** Up while the online store answers the scorer's lookups. */
    @Bean
    WriteHealth onlineStore(OnlineFeatureReader reader) {
        return new WriteHealth("Redis (online features)", reader::ping);
    }

    @Bean
    ContractRepository contractRepository(FraudScorerProperties p) {
        return ContractRepository.at(p.getContractsLocation());
    }

    @Bean
    FraudScorer fraudScorerCore(FraudScorerProperties p, ContractRepository contracts, FraudRules rules,
                                ChampionModel champion, OnlineFeatureReader reader, RetryLoop retry, WriteHealth onlineStore) {
        Contract contract = contracts.get(p.getContract(), p.getContractVersion());
        FraudScorer.FeatureLookup lookup = (refs, customers) -> retry.untilSuccess("reading online features",
                () -> {
                    List<List<OnlineFeatureReader.FeatureValue>> values = reader.read(refs,
                            Map.of("customer_id", customers.stream().map(FeastValue::ofString).toList()));
                    onlineStore.succeeded();
                    return values;
                }, FeastRedisWriter.RedisUnavailableException.class, onlineStore);
        return new FraudScorer(contract, rules, champion, lookup, new HashSet<>(p.getActivities()), p.getThreshold());
    }

    /** The scored topic's producer, configured as the binder's (sends nothing when scored-destination is empty). */
    @Bean(destroyMethod = "close")
    ScoredEvents scoredEvents(FraudScorerProperties p, Environment environment, KafkaProperties kafka,
                              ObjectProvider<KafkaConnectionDetails> connectionDetails) {
        return ScoredEvents.to(p.getScoredDestination(), environment, kafka, connectionDetails);
    }

    @Bean
    public Function<Message<List<Object>>, List<Message<byte[]>>> fraudScorer(FraudScorer scorer, FraudScorerProperties p,
                                                                              ContractRepository contracts, StreamPolls polls,
                                                                              ScoredEvents scoredEvents, MeterRegistry meters,
                                                                              @Value("${spring.application.name:fraud-scorer}") String app) {
        Contract contract = contracts.get(p.getContract(), p.getContractVersion());
        ContractWire wire = new ContractWire(contract, contracts);
        Counter alerts = Counter.builder("streamlake.fraud.alerts").description("events decided to be alerts")
                .tag("app", app).register(meters);
        Counter rulesOnly = Counter.builder("streamlake.fraud.rules.only")
                .description("events decided by the rules alone (no model, or features missing or stale)")
                .tag("app", app).register(meters);
        return polls.processor(new PollProcessor() {
            private final List<Object[]> events = new ArrayList<>();
            /** Each event's JSON as received; null for an Avro record (written as JSON when scored). */
            private final List<byte[]> json = new ArrayList<>();

            @Override
            public void process(InboundRecord record, Poll poll) throws InvalidEventException {
                // ContractWire.read's two paths, kept apart here: a JSON record's bytes are its scored output's start
                byte[] payload = record.payload();
                ContractWire.Framed avro = ContractWire.avroFraming(payload, record.headers().get(ContractWire.CONTENT_TYPE), contracts);
                events.add(avro == null ? wire.json().read(payload) : wire.avro().read(payload, avro.offset(), avro.writer()));
                json.add(avro == null ? payload : null);
            }

            @Override
            public void endOfPoll(Poll poll) {
                if (events.isEmpty()) {
                    return;
                }
                try {
                    for (FraudScorer.Decision d : scorer.score(events,
                            i -> json.get(i) != null ? json.get(i) : wire.json().write(events.get(i)))) {
                        byte[] key = d.customer() == null ? null : d.customer().getBytes(StandardCharsets.UTF_8);
                        scoredEvents.send(key, d.scored());
                        if (d.basis().startsWith("rules_only")) {
                            rulesOnly.increment();
                        }
                        if (d.alert()) {
                            alerts.increment();
                            poll.emit(OutboundRecord.of(alert(d, app).toJson(), key, Map.of()));
                        }
                    }
                    // every decision stored before the poll's offsets are committed; a failure fails the poll,
                    // which is then read again: a decision is never silently missing
                    scoredEvents.awaitSent();
                } catch (ml.dmlc.xgboost4j.java.XGBoostError e) {
                    throw new IllegalStateException("the model could not score the poll: " + e.getMessage(), e);
                } finally {
                    events.clear();
                    json.clear();
                }
            }
        });
    }

    static Alert alert(FraudScorer.Decision d, String app) {
        ObjectNode details = Json.mapper().createObjectNode();
        details.put("event_id", d.eventId());
        details.put("game_activity", d.activity());
        details.put("basis", d.basis());
        if (d.modelVersion() != null) {
            details.put("model_version", d.modelVersion());
        }
        String reasons = String.join(", ", d.reasons());
        return new Alert("fraud:" + d.eventId(), "fraud",
                d.reasons().contains(FraudScorer.MODEL_REASON) ? Alert.Severity.CRITICAL : Alert.Severity.WARNING,
                d.customer(), "Possible fraud by customer " + d.customer(),
                "Customer " + d.customer() + ": " + reasons + (d.score() == null ? "" : String.format(" (score %.3f)", d.score()))
                        + " on a " + d.activity() + " event " + d.eventId(),
                app, d.time() == null ? Instant.now() : d.time(), d.score(), d.reasons(), details);
    }
}

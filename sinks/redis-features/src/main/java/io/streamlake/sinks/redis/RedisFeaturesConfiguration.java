package io.streamlake.sinks.redis;

import io.lettuce.core.RedisURI;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamlake.features.redis.FeastRedisWriter;
import io.streamlake.features.registry.FeatureRegistry;
import io.streamlake.features.registry.FeatureRegistryLoader;
import io.streamlake.features.row.FeatureRowJson;
import io.streamlake.stream.StreamPolls;
import io.streamlake.stream.WriteHealth;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

import java.util.List;
import java.util.function.Consumer;

/**
 * The redis-features consumer: a batch of feature rows (one Kafka poll) is checked against the feature registry
 * and written to Redis in Feast's layout in one pipeline; the binder commits the offsets once Redis took it.
 * While Redis is down the same batch is retried (health {@code redisFeatures} DOWN); rows that do not fit the
 * registry go to the DLQ with the reason.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RedisFeaturesProperties.class)
public class RedisFeaturesConfiguration {

    @Bean
    FeatureRegistry featureRegistry(RedisFeaturesProperties p) {
        // Loaded and validated at start: a broken definitions file stops the app with file:line and the problem.
        return FeatureRegistryLoader.at(p.getDefinitions());
    }

    @Bean(destroyMethod = "close")
    FeastRedisWriter feastRedisWriter(RedisFeaturesProperties p, FeatureRegistry registry, MeterRegistry meters) {
        FeastRedisWriter writer = new FeastRedisWriter(RedisURI.create(p.getUri()), registry.project(), p.getKeyTtl(), p.getTimeout());
        for (String view : registry.featureViews().keySet()) {
            FeastRedisWriter.ViewStats stats = writer.stats(view);
            // Feast's name: the age of the newest row this sink wrote for the view (NaN before the first)
            Gauge.builder("feature_freshness_seconds", stats, s -> s.newest() == null ? Double.NaN
                            : (System.currentTimeMillis() - s.newest().toEpochMilli()) / 1000.0)
                    .description("seconds since the event time of the newest row written for the view")
                    .tag("feature_view", view).register(meters);
            FunctionCounter.builder("streamlake.features.rows.written", stats, FeastRedisWriter.ViewStats::written)
                    .description("feature rows written to the online store").tag("feature_view", view).register(meters);
            FunctionCounter.builder("streamlake.features.rows.stale", stats, FeastRedisWriter.ViewStats::stale)
                    .description("feature rows skipped: older than the row the store holds for their entity")
                    .tag("feature_view", view).register(meters);
        }
        return writer;
    }

    @Bean
    WriteHealth redisFeatures(FeastRedisWriter writer) {
        return new WriteHealth("Redis", writer::ping);
    }

    @Bean
    public Consumer<Message<List<Object>>> redisFeaturesSink(FeatureRegistry registry, FeastRedisWriter writer, WriteHealth health,
                                                             StreamPolls polls) {
        return polls.sink(new RedisFeaturesSink(new FeatureRowJson(registry), writer), health);
    }
}

package io.streamlake.sinks.redis;

import io.lettuce.core.RedisURI;
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

import java.nio.file.Path;
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
        return p.getDefinitions() == null || p.getDefinitions().isBlank() ? FeatureRegistryLoader.casino()
                : FeatureRegistryLoader.load(Path.of(p.getDefinitions()));
    }

    @Bean(destroyMethod = "close")
    FeastRedisWriter feastRedisWriter(RedisFeaturesProperties p, FeatureRegistry registry) {
        return new FeastRedisWriter(RedisURI.create(p.getUri()), registry.project(), p.getKeyTtl(), p.getTimeout());
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

package io.streamlake.serving;

import io.lettuce.core.RedisURI;
import io.streamlake.features.redis.OnlineFeatureReader;
import io.streamlake.features.registry.FeatureRegistry;
import io.streamlake.features.registry.FeatureRegistryLoader;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import java.nio.file.Path;
import java.time.Clock;

/** The feature server: Feast's /get-online-features over Redis in Feast's layout. */
@SpringBootApplication
@EnableConfigurationProperties(FeatureServerProperties.class)
public class FeatureServerApplication {

    public static void main(String[] args) {
        SpringApplication.run(FeatureServerApplication.class, args);
    }

    @Bean
    FeatureRegistry featureRegistry(FeatureServerProperties p) {
        return p.getDefinitions() == null || p.getDefinitions().isBlank() ? FeatureRegistryLoader.casino()
                : FeatureRegistryLoader.load(Path.of(p.getDefinitions()));
    }

    @Bean(destroyMethod = "close")
    OnlineFeatureReader onlineFeatureReader(FeatureRegistry registry, FeatureServerProperties p) {
        return new OnlineFeatureReader(registry, RedisURI.create(p.getRedisUri()), p.getRedisTimeout(), Clock.systemUTC());
    }

    @Bean
    OnlineFeaturesHandler onlineFeaturesHandler(FeatureRegistry registry, OnlineFeatureReader reader, FeatureServerProperties p) {
        return new OnlineFeaturesHandler(registry, reader, p.getMaxEntities(), p.getMaxFeatures());
    }

    @Bean
    HealthIndicator onlineStore(OnlineFeatureReader reader) {
        return () -> reader.ping() ? Health.up().build() : Health.down().withDetail("error", "Redis does not answer").build();
    }
}

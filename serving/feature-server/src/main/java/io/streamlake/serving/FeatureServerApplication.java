package io.streamlake.serving;

import io.lettuce.core.RedisURI;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamlake.features.redis.FeastRedisWriter;
import io.streamlake.features.redis.OnlineFeatureReader;
import io.streamlake.features.registry.FeatureRegistry;
import io.streamlake.features.registry.FeatureRegistryLoader;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import java.time.Clock;

/**
 * The feature server: Feast's /get-online-features (stored and on-demand features), /push and /write-to-online-store
 * over Redis in Feast's layout, and /features/views (views, sources, freshness).
 */
@SpringBootApplication
@EnableConfigurationProperties(FeatureServerProperties.class)
public class FeatureServerApplication {

    public static void main(String[] args) {
        SpringApplication.run(FeatureServerApplication.class, args);
    }

    @Bean
    FeatureRegistry featureRegistry(FeatureServerProperties p) {
        return FeatureRegistryLoader.at(p.getDefinitions());
    }

    @Bean(destroyMethod = "close")
    OnlineFeatureReader onlineFeatureReader(FeatureRegistry registry, FeatureServerProperties p) {
        return new OnlineFeatureReader(registry, RedisURI.create(p.getRedisUri()), p.getRedisTimeout(), Clock.systemUTC());
    }

    @Bean
    OnlineFeaturesHandler onlineFeaturesHandler(FeatureRegistry registry, OnlineFeatureReader reader, FeatureServerProperties p) {
        return new OnlineFeaturesHandler(registry, reader, p.getMaxEntities(), p.getMaxFeatures());
    }

    @Bean(destroyMethod = "close")
    FeastRedisWriter feastRedisWriter(FeatureRegistry registry, FeatureServerProperties p) {
        return new FeastRedisWriter(RedisURI.create(p.getRedisUri()), registry.project(), p.getKeyTtl(), p.getRedisTimeout());
    }

    @Bean
    OnlineStoreWrites onlineStoreWrites(FeatureRegistry registry, FeastRedisWriter writer, FeatureServerProperties p) {
        return new OnlineStoreWrites(registry, writer, p.getMaxEntities());
    }

    @Bean
    FeatureViewsListing featureViewsListing(FeatureRegistry registry, OnlineFeatureReader reader, MeterRegistry meters) {
        FeatureViewsListing listing = new FeatureViewsListing(registry, reader, Clock.systemUTC());
        for (String view : registry.featureViews().keySet()) {
            // Feast's name for it; the age of the newest row any writer (sink, materialization, push) wrote
            Gauge.builder("feature_freshness_seconds", listing, l -> l.freshnessSeconds(view))
                    .description("seconds since the event time of the view's newest row in the online store")
                    .tag("feature_view", view).register(meters);
        }
        return listing;
    }

    @Bean
    HealthIndicator onlineStore(OnlineFeatureReader reader) {
        return () -> reader.ping() ? Health.up().build() : Health.down().withDetail("error", "Redis does not answer").build();
    }
}

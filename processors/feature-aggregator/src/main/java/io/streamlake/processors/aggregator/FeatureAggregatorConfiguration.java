package io.streamlake.processors.aggregator;

import io.streamlake.features.aggregation.CustomerActivityWindows;
import io.streamlake.features.aggregation.GameStatsWindows;
import io.streamlake.stream.StreamPolls;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * The feature-aggregator function: validated casino events in, feature rows out in the JSON form redis-features
 * takes: {@code customer_activity} per customer and {@code game_stats} per game, one row per entity and Kafka poll
 * (its features as of its latest event), keyed by the entity. Events too late for their customer's windows go to
 * the DLQ as LATE_EVENT.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FeatureAggregatorProperties.class)
public class FeatureAggregatorConfiguration {

    @Bean
    CustomerActivityWindows customerActivityWindows(FeatureAggregatorProperties p) {
        return new CustomerActivityWindows(p.getGrace());
    }

    @Bean
    GameStatsWindows gameStatsWindows(FeatureAggregatorProperties p) {
        return new GameStatsWindows(p.getGrace());
    }

    @Bean
    WindowReplay windowReplay(FeatureAggregatorProperties p) {
        return new WindowReplay(p.isReplayOnAssignment() ? Duration.ofDays(1).plus(p.getGrace()) : Duration.ZERO,
                Clock.systemUTC());
    }

    @Bean
    public Function<Message<List<Object>>, List<Message<byte[]>>> featureAggregator(CustomerActivityWindows windows,
                                                                                   GameStatsWindows gameWindows,
                                                                                   WindowReplay replay, StreamPolls polls) {
        return polls.processor(new FeatureAggregator(windows, gameWindows, replay));
    }
}

package io.streamlake.processors.aggregator;

import io.streamlake.core.event.CasinoEvent;
import io.streamlake.core.event.CasinoEventJson;
import io.streamlake.core.event.InvalidEventException;
import io.streamlake.core.event.RejectionReason;
import io.streamlake.features.aggregation.CustomerActivityWindows;
import io.streamlake.features.aggregation.GameStatsWindows;
import io.streamlake.features.row.FeatureRow;
import io.streamlake.features.row.FeatureRowJson;
import io.streamlake.stream.DeadLetterPublisher;
import io.streamlake.stream.KafkaBatch;
import io.streamlake.stream.OutboundRecord;
import io.streamlake.stream.RecordMetrics;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
                                                                                   WindowReplay replay,
                                                                                   DeadLetterPublisher dlq,
                                                                                   RecordMetrics metrics) {
        return message -> {
            KafkaBatch batch = new KafkaBatch(message);
            java.util.Set<String> touched = new java.util.LinkedHashSet<>();
            java.util.Set<String> touchedGames = new java.util.LinkedHashSet<>();
            Instant newest = null;
            for (int i = 0; i < batch.size(); i++) {
                DeadLetterPublisher.Provenance from = batch.provenance(i);
                boolean replaying = from.offset() != null && from.partition() != null
                        && replay.isReplay(from.topic(), from.partition(), from.offset());
                if (!replaying) {
                    metrics.in(1);
                }
                byte[] payload = batch.payload(i);
                CasinoEvent event;
                try {
                    if (payload == null) {
                        throw new InvalidEventException(RejectionReason.EMPTY_PAYLOAD, null, "empty record");
                    }
                    event = CasinoEventJson.read(payload);
                    if (event.customerId() == null || event.activityDatetime() == null || event.gameActivity() == null) {
                        throw new InvalidEventException(RejectionReason.MISSING_FIELD, null,
                                "customer_id, activity_datetime and game_activity are required");
                    }
                } catch (InvalidEventException e) {
                    if (!replaying) {
                        dlq.reject(from, payload, e.reason(), e.getMessage(), e);
                    }
                    continue;
                }
                if (!windows.add(event)) {
                    if (!replaying) {
                        dlq.reject(from, payload, RejectionReason.LATE_EVENT, "activity_datetime "
                                + event.activityDatetime() + " is too old for customer " + event.customerId()
                                + "'s windows", null);
                    }
                    continue;
                }
                if (newest == null || event.activityDatetime().isAfter(newest)) {
                    newest = event.activityDatetime();
                }
                // Late for its game only (other customers moved the game on): counted for the customer, not the game.
                boolean countedForGame = gameWindows.add(event);
                if (!replaying) {
                    touched.add(event.customerId());
                    if (countedForGame && event.gameId() != null && !event.gameId().isEmpty()) {
                        touchedGames.add(event.gameId());
                    }
                }
            }
            List<Message<byte[]>> out = new ArrayList<>(touched.size() + touchedGames.size());
            for (String game : touchedGames) {
                out.add(featureRow(gameWindows.features(game), game));
            }
            for (String customer : touched) {
                FeatureRow row = windows.features(customer); // once per customer and poll, as of their latest event
                out.add(featureRow(row, customer));
            }
            if (newest != null) {
                // After reading this poll's features: a touched customer or game is never evicted first.
                windows.evictIdle(newest);
                gameWindows.evictIdle(newest);
            }
            metrics.out(out.size());
            return out;
        };
    }

    /** A feature row as redis-features takes it, keyed by the entity's value. */
    private static Message<byte[]> featureRow(FeatureRow row, String entity) {
        return OutboundRecord.of(FeatureRowJson.write(row), entity.getBytes(StandardCharsets.UTF_8), Map.of());
    }
}

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
import io.streamlake.stream.InboundRecord;
import io.streamlake.stream.OutboundRecord;
import io.streamlake.stream.PollProcessor;
import org.springframework.messaging.Message;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The feature aggregation of one Kafka poll: each validated casino event goes into its customer's and its game's
 * windows; at the end of the poll, one feature row per touched entity (its features as of its latest event), keyed by
 * the entity. Events too late for their customer's windows are rejected as LATE_EVENT. Records read again after a
 * rebalance ({@link WindowReplay}) rebuild the windows without producing rows, counts or rejections.
 */
final class FeatureAggregator implements PollProcessor {

    private final CustomerActivityWindows windows;
    private final GameStatsWindows gameWindows;
    private final WindowReplay replay;
    /** This poll's touched entities and newest event time (one poll at a time: the binding's consumer thread). */
    private final Set<String> touched = new LinkedHashSet<>();
    private final Set<String> touchedGames = new LinkedHashSet<>();
    private Instant newest;

    FeatureAggregator(CustomerActivityWindows windows, GameStatsWindows gameWindows, WindowReplay replay) {
        this.windows = windows;
        this.gameWindows = gameWindows;
        this.replay = replay;
    }

    @Override
    public boolean isReplay(InboundRecord record) {
        DeadLetterPublisher.Provenance from = record.provenance();
        return from.offset() != null && from.partition() != null && replay.isReplay(from.topic(), from.partition(), from.offset());
    }

    @Override
    public void process(InboundRecord record, Poll poll) throws InvalidEventException {
        CasinoEvent event = CasinoEventJson.read(record.payload());
        if (event.customerId() == null || event.activityDatetime() == null || event.gameActivity() == null) {
            throw new InvalidEventException(RejectionReason.MISSING_FIELD, null,
                    "customer_id, activity_datetime and game_activity are required");
        }
        if (!windows.add(event)) {
            poll.reject(RejectionReason.LATE_EVENT, "activity_datetime " + event.activityDatetime() + " is too old for customer "
                    + event.customerId() + "'s windows", null);
            return;
        }
        if (newest == null || event.activityDatetime().isAfter(newest)) {
            newest = event.activityDatetime();
        }
        // Late for its game only (other customers moved the game on): counted for the customer, not the game.
        boolean countedForGame = gameWindows.add(event);
        if (!record.isReplay()) {
            touched.add(event.customerId());
            if (countedForGame && event.gameId() != null && !event.gameId().isEmpty()) {
                touchedGames.add(event.gameId());
            }
        }
    }

    @Override
    public void endOfPoll(Poll poll) {
        for (String game : touchedGames) {
            poll.emit(featureRow(gameWindows.features(game), game));
        }
        for (String customer : touched) {
            poll.emit(featureRow(windows.features(customer), customer)); // once per customer and poll, as of their latest event
        }
        if (newest != null) {
            // After reading this poll's features: a touched customer or game is never evicted first.
            windows.evictIdle(newest);
            gameWindows.evictIdle(newest);
        }
        touched.clear();
        touchedGames.clear();
        newest = null;
    }

    /** A feature row as redis-features takes it, keyed by the entity's value. */
    private static Message<byte[]> featureRow(FeatureRow row, String entity) {
        return OutboundRecord.of(FeatureRowJson.write(row), entity.getBytes(StandardCharsets.UTF_8), Map.of());
    }
}

package io.streamlake.processors.aggregator;

import io.streamlake.core.event.CasinoEvent;
import io.streamlake.features.feast.EntityKey;
import io.streamlake.features.feast.FeastValue;
import io.streamlake.features.row.FeatureRow;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * <b>Test reference only:</b> the hand-written view as it was before views were declared (commit 8e35bd9), kept
 * unchanged so that {@link CasinoViewsTest} can show the declared views give the same values.
 * <p>
 * The {@code game_stats} features of the casino project: per game, over the last hour (minutes M-59 to M of the
 * game's latest event): bet count and sum, win sum, GGR and distinct customers. Same minute buckets, grace and
 * memory bound as {@link CustomerActivityWindows}, with an hour plus grace of buckets per game.
 */
public final class GameStatsWindows {

    public static final String VIEW = "game_stats";

    private final Duration grace;
    private final long graceMinutes;
    private final Map<String, Game> games = new HashMap<>();
    /** One copy of each customer id across all games' customer sets. */
    private final StringPool customerIds = new StringPool(1 << 16);
    private long lateRejected;

    public GameStatsWindows(Duration grace) {
        this.grace = grace;
        this.graceMinutes = Math.max(0, (grace.toSeconds() + 59) / 60);
    }

    /** Adds a gameplay event (bet, win, bonus with a game id); false when it is too late for the game's window. */
    public boolean add(CasinoEvent event) {
        if (event.gameId() == null || event.gameId().isEmpty()) {
            return true; // not about a game: nothing to count, nothing wrong
        }
        Game g = games.computeIfAbsent(event.gameId(), k -> new Game());
        Instant at = event.activityDatetime();
        if (g.latest != null && at.isBefore(g.latest.minus(grace))) {
            lateRejected++;
            return false;
        }
        Bucket b = g.buckets.bucket(Math.floorDiv(at.getEpochSecond(), 60), Bucket::new);
        switch (event.gameActivity()) {
            case "bet" -> {
                b.betCount++;
                b.betSum.add(event.betAmount());
            }
            case "win" -> {
                b.winSum.add(event.winAmount());
                b.bonusSum.add(event.bonusAmount());
            }
            case "bonus" -> b.bonusSum.add(event.bonusAmount());
            default -> {
            }
        }
        g.seen(event.customerId(), b, customerIds);
        if (g.latest == null || at.isAfter(g.latest)) {
            g.latest = at;
        }
        g.evictBefore(Math.floorDiv(g.latest.getEpochSecond(), 60) - 60 - graceMinutes);
        return true;
    }

    /** The game's features as of its latest event. */
    public FeatureRow features(String gameId) {
        Game g = games.get(gameId);
        if (g == null) {
            throw new IllegalArgumentException("no events for game " + gameId);
        }
        long m = Math.floorDiv(g.latest.getEpochSecond(), 60);
        long bets = 0;
        long customers = 0;
        MoneySum betSum = new MoneySum();
        MoneySum winSum = new MoneySum();
        MoneySum bonusSum = new MoneySum();
        for (Bucket b : g.buckets.range(m - 59, m)) {
            bets += b.betCount;
            customers += b.customersLastSeenHere;
            betSum.add(b.betSum);
            winSum.add(b.winSum);
            bonusSum.add(b.bonusSum);
        }
        Map<String, FeastValue> values = new LinkedHashMap<>(8);
        values.put("bet_count_1h", FeastValue.ofInt64(bets));
        values.put("bet_sum_1h", FeastValue.ofDouble(betSum.doubleValue()));
        values.put("win_sum_1h", FeastValue.ofDouble(winSum.doubleValue()));
        values.put("ggr_1h", FeastValue.ofDouble(MoneySum.difference(betSum, winSum, bonusSum)));
        values.put("distinct_customers_1h", FeastValue.ofInt64(customers));
        return new FeatureRow(VIEW, EntityKey.of("game_id", FeastValue.ofString(gameId)), g.latest, values);
    }

    /** Drops games with no event in the last hour and the grace period before {@code now}. */
    public int evictIdle(Instant now) {
        Instant cutoff = now.minus(Duration.ofHours(1)).minus(grace);
        int before = games.size();
        games.values().removeIf(g -> g.latest.isBefore(cutoff));
        return before - games.size();
    }

    public long lateRejected() {
        return lateRejected;
    }

    private static final class Bucket implements MinuteBuckets.Bucket {
        final long minute;
        long betCount;
        final MoneySum betSum = new MoneySum();
        final MoneySum winSum = new MoneySum();
        final MoneySum bonusSum = new MoneySum();
        /** Customers whose latest event on this game is in this minute: summed over the hour, the distinct ones. */
        long customersLastSeenHere;
        /** Who was counted here at some point (some may have moved on since), to forget them with the bucket. */
        final List<String> countedHere = new ArrayList<>(4);

        Bucket(long minute) {
            this.minute = minute;
        }

        @Override
        public long minute() {
            return minute;
        }
    }

    /**
     * A game's state. Distinct customers are counted without sets per minute: each customer is counted once, in the
     * bucket of their latest event on the game, and moves forward with it; the hour's distinct customers are the
     * counts of the hour's buckets added up. An evicted bucket takes its customers with it.
     */
    private static final class Game {
        final MinuteBuckets<Bucket> buckets = new MinuteBuckets<>();
        /** The bucket each customer is counted in: that of their latest event on the game. */
        final Map<String, Bucket> lastSeen = new HashMap<>();
        Instant latest;

        void seen(String customer, Bucket bucket, StringPool ids) {
            Bucket previous = lastSeen.get(customer);
            if (previous != null && previous.minute >= bucket.minute) {
                return;
            }
            if (previous != null) {
                previous.customersLastSeenHere--;
            }
            String id = ids.canonical(customer); // pooled: one instance of the id across games and buckets
            lastSeen.put(id, bucket);
            bucket.customersLastSeenHere++;
            bucket.countedHere.add(id);
        }

        void evictBefore(long minute) {
            buckets.evictBefore(minute, evicted -> {
                for (String customer : evicted.countedHere) {
                    if (lastSeen.get(customer) == evicted) { // not moved on since: the customer's last event here is gone
                        lastSeen.remove(customer);
                    }
                }
            });
        }
    }
}

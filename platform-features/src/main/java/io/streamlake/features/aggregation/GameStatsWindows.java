package io.streamlake.features.aggregation;

import io.streamlake.core.event.CasinoEvent;
import io.streamlake.features.feast.EntityKey;
import io.streamlake.features.feast.FeastValue;
import io.streamlake.features.row.FeatureRow;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code game_stats} features of the casino project: per game, over the last hour (minutes M-59 to M of the
 * game's latest event): bet count and sum, win sum, GGR and distinct customers. Same minute buckets, grace and
 * memory bound as {@link CustomerActivityWindows}, with an hour plus grace of buckets per game.
 */
public final class GameStatsWindows {

    public static final String VIEW = "game_stats";

    private final Duration grace;
    private final long graceMinutes;
    private final Map<String, Game> games = new HashMap<>();
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
                b.betSum = b.betSum.add(orZero(event.betAmount()));
            }
            case "win" -> {
                b.winSum = b.winSum.add(orZero(event.winAmount()));
                b.bonusSum = b.bonusSum.add(orZero(event.bonusAmount()));
            }
            case "bonus" -> b.bonusSum = b.bonusSum.add(orZero(event.bonusAmount()));
            default -> {
            }
        }
        g.seen(event.customerId(), Math.floorDiv(at.getEpochSecond(), 60));
        if (g.latest == null || at.isAfter(g.latest)) {
            g.latest = at;
        }
        long keepFrom = Math.floorDiv(g.latest.getEpochSecond(), 60) - 60 - graceMinutes;
        g.buckets.evictBefore(keepFrom);
        g.forgetBefore(keepFrom);
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
        BigDecimal betSum = BigDecimal.ZERO;
        BigDecimal winSum = BigDecimal.ZERO;
        BigDecimal bonusSum = BigDecimal.ZERO;
        for (Bucket b : g.buckets.range(m - 59, m)) {
            bets += b.betCount;
            betSum = betSum.add(b.betSum);
            winSum = winSum.add(b.winSum);
            bonusSum = bonusSum.add(b.bonusSum);
        }
        Map<String, FeastValue> values = new LinkedHashMap<>();
        values.put("bet_count_1h", FeastValue.ofInt64(bets));
        values.put("bet_sum_1h", FeastValue.ofDouble(betSum.doubleValue()));
        values.put("win_sum_1h", FeastValue.ofDouble(winSum.doubleValue()));
        values.put("ggr_1h", FeastValue.ofDouble(betSum.subtract(winSum).subtract(bonusSum).doubleValue()));
        values.put("distinct_customers_1h", FeastValue.ofInt64(g.distinctSince(m - 59)));
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

    private static BigDecimal orZero(BigDecimal v) {
        return v == null ? BigDecimal.ZERO : v;
    }

    private static final class Bucket implements MinuteBuckets.Bucket {
        final long minute;
        long betCount;
        BigDecimal betSum = BigDecimal.ZERO;
        BigDecimal winSum = BigDecimal.ZERO;
        BigDecimal bonusSum = BigDecimal.ZERO;

        Bucket(long minute) {
            this.minute = minute;
        }

        @Override
        public long minute() {
            return minute;
        }
    }

    /**
     * A game's state. Distinct customers are counted without unioning sets on every read: each customer's last-seen
     * minute is kept, indexed by minute, and a customer is in the hour exactly when their last-seen minute is.
     */
    private static final class Game {
        final MinuteBuckets<Bucket> buckets = new MinuteBuckets<>();
        final Map<String, Long> lastSeen = new HashMap<>();
        final java.util.TreeMap<Long, Set<String>> byLastSeen = new java.util.TreeMap<>();
        Instant latest;

        void seen(String customer, long minute) {
            Long previous = lastSeen.get(customer);
            if (previous != null && previous >= minute) {
                return;
            }
            if (previous != null) {
                Set<String> old = byLastSeen.get(previous);
                old.remove(customer);
                if (old.isEmpty()) {
                    byLastSeen.remove(previous);
                }
            }
            lastSeen.put(customer, minute);
            byLastSeen.computeIfAbsent(minute, k -> new HashSet<>()).add(customer);
        }

        long distinctSince(long fromMinute) {
            long n = 0;
            for (Set<String> customers : byLastSeen.tailMap(fromMinute, true).values()) {
                n += customers.size();
            }
            return n;
        }

        void forgetBefore(long minute) {
            var old = byLastSeen.headMap(minute, false);
            for (Set<String> customers : old.values()) {
                customers.forEach(lastSeen::remove);
            }
            old.clear();
        }
    }
}

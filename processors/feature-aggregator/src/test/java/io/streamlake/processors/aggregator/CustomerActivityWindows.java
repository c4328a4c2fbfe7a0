package io.streamlake.processors.aggregator;

import io.streamlake.core.event.CasinoEvent;
import io.streamlake.features.feast.EntityKey;
import io.streamlake.features.feast.FeastValue;
import io.streamlake.features.row.FeatureRow;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * <b>Test reference only:</b> the hand-written view as it was before views were declared (commit 8e35bd9), kept
 * unchanged so that {@link CasinoViewsTest} can show the declared views give the same values.
 * <p>
 * The {@code customer_activity} features of the casino project, computed per customer from validated events;
 * no Spring in here. State per customer is one bucket per minute of activity over the last 24 hours plus the
 * grace period (at most 1,440 + grace buckets), and idle customers are dropped after that long, so memory is
 * bounded by the number of active customers.
 * <p>
 * Windows are aligned to minutes: after an event at time t in minute M, the 5-minute window holds minutes M-4 to
 * M, the hour minutes M-59 to M, the day minutes M-1439 to M (events later than t are not counted). An event
 * older than the customer's latest one by no more than {@code grace} is counted in its minute; an older one is
 * refused ({@link #accept} returns empty and {@link #lateRejected()} counts it).
 */
public final class CustomerActivityWindows {

    /** The view these features belong to. */
    public static final String VIEW = "customer_activity";

    private static final long DAY_MINUTES = 24 * 60;

    private final long graceMinutes;
    private final Duration grace;
    private final Map<String, Customer> customers = new HashMap<>();
    /** One copy of each game id across all customers' recent games. */
    private final StringPool gameIds = new StringPool(1 << 12);
    /** Customers by the minute of their latest event: {@link #evictIdle} looks only at the oldest minutes. */
    private final java.util.TreeMap<Long, Set<String>> byLatestMinute = new java.util.TreeMap<>();
    private long lateRejected;

    public CustomerActivityWindows(Duration grace) {
        this.grace = grace;
        this.graceMinutes = Math.max(0, (grace.toSeconds() + 59) / 60);
    }

    /**
     * Adds an event and returns the customer's features as of the customer's latest event, or empty when the
     * event is too late (older than the latest by more than the grace period).
     */
    public Optional<FeatureRow> accept(CasinoEvent event) {
        return add(event) ? Optional.of(features(event.customerId())) : Optional.empty();
    }

    /**
     * Adds an event to its customer's windows; false when it is too late (older than the customer's latest event
     * by more than the grace period). Cheaper than {@link #accept} when features are read once per batch.
     */
    public boolean add(CasinoEvent event) {
        Customer c = customers.computeIfAbsent(event.customerId(), k -> new Customer());
        Instant at = event.activityDatetime();
        if (c.latest != null && at.isBefore(c.latest.minus(grace))) {
            lateRejected++;
            return false;
        }
        long minute = Math.floorDiv(at.getEpochSecond(), 60);
        Bucket bucket = c.bucket(minute);
        switch (event.gameActivity()) {
            case "bet" -> {
                bucket.betCount++;
                bucket.betSum.add(event.betAmount());
            }
            case "win" -> {
                bucket.winCount++;
                bucket.winSum.add(event.winAmount());
                bucket.bonusSum.add(event.bonusAmount());
            }
            case "bonus" -> bucket.bonusSum.add(event.bonusAmount());
            case "login" -> c.sessionStart = c.sessionStart == null || at.isAfter(c.sessionStart) ? at : c.sessionStart;
            case "logout" -> c.sessionStart = null;
            default -> {
            }
        }
        if (event.gameId() != null && !event.gameId().isEmpty()) {
            c.played(gameIds, event.gameId(), minute);
        }
        if (c.latest == null || at.isAfter(c.latest)) {
            long latestMinute = Math.floorDiv(at.getEpochSecond(), 60);
            if (c.latest == null || latestMinute != c.latestMinute) {
                if (c.latest != null) {
                    Set<String> old = byLatestMinute.get(c.latestMinute);
                    old.remove(event.customerId());
                    if (old.isEmpty()) {
                        byLatestMinute.remove(c.latestMinute);
                    }
                }
                byLatestMinute.computeIfAbsent(latestMinute, m -> new HashSet<>()).add(event.customerId());
                c.latestMinute = latestMinute;
            }
            c.latest = at;
        }
        c.evictBefore(c.latestMinute - DAY_MINUTES - graceMinutes, c.latestMinute - 59);
        return true;
    }

    /** The customer's features as of their latest event; the customer must have had an event added. */
    public FeatureRow features(String customerId) {
        Customer c = customers.get(customerId);
        if (c == null) {
            throw new IllegalArgumentException("no events for customer " + customerId);
        }
        return features(customerId, c);
    }

    /**
     * Drops customers with no event since {@code now} minus 24 hours and the grace period; returns how many. Only the
     * minutes before the cutoff are looked at (customers are indexed by the minute of their latest event): the cost is
     * the number dropped, not the number held.
     */
    public int evictIdle(Instant now) {
        Instant cutoff = now.minus(Duration.ofDays(1)).minus(grace);
        long cutoffMinute = Math.floorDiv(cutoff.getEpochSecond(), 60);
        int dropped = 0;
        for (var it = byLatestMinute.headMap(cutoffMinute, true).entrySet().iterator(); it.hasNext(); ) {
            var minute = it.next();
            for (var ids = minute.getValue().iterator(); ids.hasNext(); ) {
                String id = ids.next();
                if (customers.get(id).latest.isBefore(cutoff)) { // the cutoff's own minute is checked customer by customer
                    customers.remove(id);
                    ids.remove();
                    dropped++;
                }
            }
            if (minute.getValue().isEmpty()) {
                it.remove();
            }
        }
        return dropped;
    }

    public int activeCustomers() {
        return customers.size();
    }

    /** Minute buckets held for a customer (for checking the memory bound). */
    int bucketCount(String customerId) {
        Customer c = customers.get(customerId);
        return c == null ? 0 : c.buckets.size();
    }

    public long lateRejected() {
        return lateRejected;
    }

    private FeatureRow features(String customerId, Customer c) {
        long m = Math.floorDiv(c.latest.getEpochSecond(), 60);
        // One pass over the day's buckets, newest first, feeds all three windows.
        Sums w5 = new Sums();
        Sums h1 = new Sums();
        Sums d1 = new Sums();
        for (Bucket b : c.buckets.range(m - DAY_MINUTES + 1, m)) {
            d1.add(b);
            if (b.minute >= m - 59) {
                h1.add(b);
                if (b.minute >= m - 4) {
                    w5.add(b);
                }
            }
        }
        Map<String, FeastValue> values = new LinkedHashMap<>(32);
        put(values, WINDOW_5M, w5);
        put(values, WINDOW_1H, h1);
        put(values, WINDOW_24H, d1);
        values.put("avg_bet_1h", h1.betCount == 0 ? FeastValue.ofNull()
                : FeastValue.ofDouble(h1.betSum.doubleValue() / h1.betCount));
        long distinctGames = c.recentGames.countPlayedBetween(m - 59, m);
        values.put("distinct_games_1h", FeastValue.ofInt64(distinctGames));
        values.put("session_length_seconds", c.sessionStart == null ? FeastValue.ofNull()
                : FeastValue.ofInt64(Duration.between(c.sessionStart, c.latest).toSeconds()));
        values.put("bonus_share_24h", d1.betSum.signum() == 0 ? FeastValue.ofNull()
                : FeastValue.ofDouble(d1.bonusSum.doubleValue() / d1.betSum.doubleValue()));
        return new FeatureRow(VIEW, EntityKey.of("customer_id", FeastValue.ofString(customerId)), c.latest, values);
    }

    /** A window's feature names, in output order: bet count and sum, win count and sum, GGR. */
    private static String[] windowNames(String window) {
        return new String[] {"bet_count_" + window, "bet_sum_" + window, "win_count_" + window, "win_sum_" + window,
                "ggr_" + window};
    }

    private static final String[] WINDOW_5M = windowNames("5m");
    private static final String[] WINDOW_1H = windowNames("1h");
    private static final String[] WINDOW_24H = windowNames("24h");

    private static void put(Map<String, FeastValue> values, String[] names, Sums s) {
        values.put(names[0], FeastValue.ofInt64(s.betCount));
        values.put(names[1], FeastValue.ofDouble(s.betSum.doubleValue()));
        values.put(names[2], FeastValue.ofInt64(s.winCount));
        values.put(names[3], FeastValue.ofDouble(s.winSum.doubleValue()));
        values.put(names[4], FeastValue.ofDouble(MoneySum.difference(s.betSum, s.winSum, s.bonusSum)));
    }

    /** Counts and exact money sums (rounded only on output): of one minute, or added up over a window. */
    private static class Sums {
        long betCount;
        long winCount;
        final MoneySum betSum = new MoneySum();
        final MoneySum winSum = new MoneySum();
        final MoneySum bonusSum = new MoneySum();

        void add(Sums b) {
            betCount += b.betCount;
            winCount += b.winCount;
            betSum.add(b.betSum);
            winSum.add(b.winSum);
            bonusSum.add(b.bonusSum);
        }
    }

    /** One minute of a customer's activity. */
    private static final class Bucket extends Sums implements MinuteBuckets.Bucket {
        final long minute;

        Bucket(long minute) {
            this.minute = minute;
        }

        @Override
        public long minute() {
            return minute;
        }
    }

    private static final class Customer {
        final MinuteBuckets<Bucket> buckets = new MinuteBuckets<>();
        /**
         * The minute each game was last played, for the games of the last hour only: distinct games without unioning
         * per-minute sets, and without walking a day's worth of games on every read.
         */
        final RecentGames recentGames = new RecentGames();
        long gamesPrunedBefore = Long.MIN_VALUE;
        Instant latest;
        long latestMinute;
        Instant sessionStart;

        void played(StringPool gameIds, String game, long minute) {
            recentGames.played(game, minute, gameIds);
        }

        Bucket bucket(long minute) {
            return buckets.bucket(minute, Bucket::new);
        }

        /** Drops buckets before {@code dayStart} and games last played before {@code hourStart}. */
        void evictBefore(long dayStart, long hourStart) {
            buckets.evictBefore(dayStart);
            if (hourStart > gamesPrunedBefore) { // once per minute of the customer's time, not once per event
                recentGames.forgetBefore(hourStart);
                gamesPrunedBefore = hourStart;
            }
        }
    }
}

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
import java.util.Optional;
import java.util.Set;

/**
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
        BigDecimal bet = orZero(event.betAmount());
        BigDecimal win = orZero(event.winAmount());
        BigDecimal bonus = orZero(event.bonusAmount());
        switch (event.gameActivity()) {
            case "bet" -> {
                bucket.betCount++;
                bucket.betSum = bucket.betSum.add(bet);
            }
            case "win" -> {
                bucket.winCount++;
                bucket.winSum = bucket.winSum.add(win);
                bucket.bonusSum = bucket.bonusSum.add(bonus);
            }
            case "bonus" -> bucket.bonusSum = bucket.bonusSum.add(bonus);
            case "login" -> c.sessionStart = c.sessionStart == null || at.isAfter(c.sessionStart) ? at : c.sessionStart;
            case "logout" -> c.sessionStart = null;
            default -> {
            }
        }
        if (event.gameId() != null && !event.gameId().isEmpty()) {
            bucket.games.add(event.gameId());
        }
        if (c.latest == null || at.isAfter(c.latest)) {
            c.latest = at;
        }
        c.evictBefore(Math.floorDiv(c.latest.getEpochSecond(), 60) - DAY_MINUTES - graceMinutes);
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

    /** Drops customers with no event since {@code now} minus 24 hours and the grace period; returns how many. */
    public int evictIdle(Instant now) {
        Instant cutoff = now.minus(Duration.ofDays(1)).minus(grace);
        int before = customers.size();
        customers.values().removeIf(c -> c.latest.isBefore(cutoff));
        return before - customers.size();
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
        Sums w5 = c.sums(m - 4, m);
        Sums h1 = c.sums(m - 59, m);
        Sums d1 = c.sums(m - DAY_MINUTES + 1, m);
        Map<String, FeastValue> values = new LinkedHashMap<>();
        put(values, "5m", w5);
        put(values, "1h", h1);
        put(values, "24h", d1);
        values.put("avg_bet_1h", h1.betCount == 0 ? FeastValue.ofNull()
                : FeastValue.ofDouble(h1.betSum.doubleValue() / h1.betCount));
        values.put("distinct_games_1h", FeastValue.ofInt64(h1.games.size()));
        values.put("session_length_seconds", c.sessionStart == null ? FeastValue.ofNull()
                : FeastValue.ofInt64(Duration.between(c.sessionStart, c.latest).toSeconds()));
        values.put("bonus_share_24h", d1.betSum.signum() == 0 ? FeastValue.ofNull()
                : FeastValue.ofDouble(d1.bonusSum.doubleValue() / d1.betSum.doubleValue()));
        return new FeatureRow(VIEW, EntityKey.of("customer_id", FeastValue.ofString(customerId)), c.latest, values);
    }

    private static void put(Map<String, FeastValue> values, String window, Sums s) {
        values.put("bet_count_" + window, FeastValue.ofInt64(s.betCount));
        values.put("bet_sum_" + window, FeastValue.ofDouble(s.betSum.doubleValue()));
        values.put("win_count_" + window, FeastValue.ofInt64(s.winCount));
        values.put("win_sum_" + window, FeastValue.ofDouble(s.winSum.doubleValue()));
        values.put("ggr_" + window, FeastValue.ofDouble(s.betSum.subtract(s.winSum).subtract(s.bonusSum).doubleValue()));
    }

    private static BigDecimal orZero(BigDecimal v) {
        return v == null ? BigDecimal.ZERO : v;
    }

    /** One minute of a customer's activity. Money is summed exactly (BigDecimal) and rounded only on output. */
    private static final class Bucket implements MinuteBuckets.Bucket {
        final long minute;
        long betCount;
        long winCount;
        BigDecimal betSum = BigDecimal.ZERO;
        BigDecimal winSum = BigDecimal.ZERO;
        BigDecimal bonusSum = BigDecimal.ZERO;
        final Set<String> games = new HashSet<>(4);

        Bucket(long minute) {
            this.minute = minute;
        }

        @Override
        public long minute() {
            return minute;
        }
    }

    private static final class Sums {
        long betCount;
        long winCount;
        BigDecimal betSum = BigDecimal.ZERO;
        BigDecimal winSum = BigDecimal.ZERO;
        BigDecimal bonusSum = BigDecimal.ZERO;
        final Set<String> games = new HashSet<>();
    }

    private static final class Customer {
        final MinuteBuckets<Bucket> buckets = new MinuteBuckets<>();
        Instant latest;
        Instant sessionStart;

        Bucket bucket(long minute) {
            return buckets.bucket(minute, Bucket::new);
        }

        void evictBefore(long minute) {
            buckets.evictBefore(minute);
        }

        Sums sums(long fromMinute, long toMinute) {
            Sums s = new Sums();
            for (Bucket b : buckets.range(fromMinute, toMinute)) {
                s.betCount += b.betCount;
                s.winCount += b.winCount;
                s.betSum = s.betSum.add(b.betSum);
                s.winSum = s.winSum.add(b.winSum);
                s.bonusSum = s.bonusSum.add(b.bonusSum);
                s.games.addAll(b.games);
            }
            return s;
        }
    }
}

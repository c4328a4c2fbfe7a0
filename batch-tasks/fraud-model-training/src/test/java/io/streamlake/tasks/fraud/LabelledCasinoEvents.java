package io.streamlake.tasks.fraud;

import io.streamlake.testsupport.TestClickHouse;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Labelled casino events for the training tests, seeded: customers who play in sessions, a share of them anomalous in
 * the simulator's three ways (bonus abuse: minimum stakes and frequent bonuses; bet spikes: now and then a stake 50 to
 * 200 times their usual; win streaks: nine wins in ten at about twice the stake), every event labelled with its
 * customer's kind, in a ClickHouse table shaped like the clickhouse sink's casino table.
 */
final class LabelledCasinoEvents {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    static final String[] KINDS = {"bonus_abuse", "bet_spike", "win_streak"};

    private LabelledCasinoEvents() {
    }

    static void createTable(String database) {
        TestClickHouse.shared().query(database, "CREATE TABLE casino_events (event_id UUID, customer_id String,"
                + " activity_datetime DateTime64(3, 'UTC'), game_activity LowCardinality(String),"
                + " game_id LowCardinality(String) DEFAULT '', game_type LowCardinality(String) DEFAULT '', bet_amount Decimal(18, 2) DEFAULT 0,"
                + " win_amount Decimal(18, 2) DEFAULT 0, bonus_amount Decimal(18, 2) DEFAULT 0,"
                + " transaction_amount Decimal(18, 2) DEFAULT 0, ground_truth LowCardinality(String) DEFAULT '')"
                + " ENGINE = ReplacingMergeTree ORDER BY (customer_id, activity_datetime, event_id)");
    }

    /** {@code customers} customers over {@code hours} from {@code start}; returns how many events. */
    static int insert(String database, long seed, int customers, double anomalousShare, Instant start, int hours) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> rows = new ArrayList<>();
        long span = Duration.ofHours(hours).toMillis();
        for (int c = 0; c < customers; c++) {
            String id = String.format("C%05d", c);
            String kind = random.nextDouble() < anomalousShare ? KINDS[c % 3] : "normal";
            double stake = Math.exp(random.nextGaussian() * 0.9 + 1.0);
            int sessions = 1 + random.nextInt(3);
            for (int s = 0; s < sessions; s++) {
                long t = start.toEpochMilli() + (long) (random.nextDouble() * span * 0.9);
                String game = "slots-" + random.nextInt(20);
                int rounds = 5 + random.nextInt(40);
                for (int r = 0; r < rounds && t < start.toEpochMilli() + span; r++) {
                    t += 2_000 + random.nextInt(20_000);
                    if (random.nextDouble() < (kind.equals("bonus_abuse") ? 0.3 : 0.003)) {
                        double bonus = stake * (kind.equals("bonus_abuse") ? 2 + random.nextInt(10) : 1 + random.nextInt(5));
                        rows.add(row(id, t, "bonus", game, 0, 0, bonus, kind));
                        continue;
                    }
                    double bet = kind.equals("bonus_abuse") ? 0.10 : stake * (0.5 + random.nextDouble() * 1.5);
                    if (kind.equals("bet_spike") && random.nextDouble() < 0.08) {
                        bet *= 50 + random.nextInt(150);
                    }
                    rows.add(row(id, t, "bet", game, bet, 0, 0, kind));
                    double hit = kind.equals("win_streak") ? 0.92 : 0.3;
                    if (random.nextDouble() < hit) {
                        double multiple = kind.equals("win_streak") ? 1.8 + random.nextDouble() : -Math.log(1 - random.nextDouble()) * 3.2;
                        rows.add(row(id, t + 500, "win", game, bet, Math.max(0.01, bet * multiple), 0, kind));
                    }
                }
            }
        }
        for (int from = 0; from < rows.size(); from += 20_000) {
            TestClickHouse.shared().query(database, "INSERT INTO casino_events (event_id, customer_id, activity_datetime,"
                    + " game_activity, game_id, game_type, bet_amount, win_amount, bonus_amount, ground_truth) VALUES "
                    + String.join(",", rows.subList(from, Math.min(rows.size(), from + 20_000))));
        }
        return rows.size();
    }

    private static String row(String customer, long at, String activity, String game, double bet, double win, double bonus,
                              String kind) {
        return String.format(Locale.ROOT, "('%s', '%s', '%s', '%s', '%s', '%s', %.2f, %.2f, %.2f, '%s')",
                new UUID(customer.hashCode() * 31L + at, Double.doubleToLongBits(bet + win + bonus) ^ activity.hashCode()),
                customer, TIME.format(Instant.ofEpochMilli(at)), activity, game, game.substring(0, game.indexOf('-')), bet, win,
                bonus, kind);
    }
}

package io.streamlake.tasks.historical;

import io.streamlake.features.registry.FeatureRegistry;
import io.streamlake.features.registry.FeatureRegistryLoader;
import io.streamlake.testsupport.TestClickHouse;
import io.streamlake.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Point-in-time correctness on a hand-built timeline where a naive join (each customer's latest values) would leak
 * the future into earlier examples, plus TTL expiry; against the embedded ClickHouse, output in CSV and Parquet.
 */
class HistoricalFeaturesTaskTest {

    @TempDir
    Path dir;
    private String clickhouse;
    private String repo;
    private final Instant t1 = Instant.parse("2026-06-01T00:10:00Z");
    private final Instant t2 = Instant.parse("2026-06-01T02:05:00Z");
    private final Instant t3 = Instant.parse("2026-06-01T01:00:00Z");

    @BeforeEach
    void stores() throws Exception {
        clickhouse = TestClickHouse.createDatabase("hf");
        repo = TestPostgres.createSchema("hf_repo");
        TestClickHouse.shared().query(clickhouse, "CREATE TABLE casino_events (event_id UUID, customer_id String,"
                + " activity_datetime DateTime64(3, 'UTC'), game_activity LowCardinality(String), bet_amount Decimal(18, 4),"
                + " win_amount Decimal(18, 4), bonus_amount Decimal(18, 4), transaction_amount Decimal(18, 4),"
                + " game_id LowCardinality(String) DEFAULT '')"
                + " ENGINE = ReplacingMergeTree ORDER BY (customer_id, activity_datetime, event_id)");
        event("C1", t1, 10, 0);
        event("C1", t2, 5, 30);
        event("C2", t3, 7, 0);
        Files.writeString(dir.resolve("entities.csv"), "customer_id,event_timestamp,label\n"
                + "C1," + t1.minus(Duration.ofMinutes(1)) + ",0\n"       // before any activity: nothing known yet
                + "C1," + t1.plus(Duration.ofMinutes(1)) + ",1\n"        // a naive join would show t2's totals here
                + "C1," + t1 + ",0\n"                                    // at the same instant: known
                + "C1," + t2.plus(Duration.ofMinutes(1)) + ",1\n"
                + "C1," + t2.plus(Duration.ofDays(8)) + ",0\n"          // older than the view's 7-day TTL
                + "C2,\"" + t3.plus(Duration.ofHours(1)).toString().replace("T", " ").replace("Z", "") + "\",1\n"
                + "C9," + t3 + ",0\n");                                 // never active
    }

    @AfterEach
    void drop() {
        TestClickHouse.shared().query("DROP DATABASE IF EXISTS " + clickhouse);
        TestPostgres.dropSchema(repo);
    }

    private void event(String customer, Instant at, int bet, int win) {
        activity(customer, at, "bet", bet, win, 0, "");
    }

    private void activity(String customer, Instant at, String activity, double bet, double win, double bonus, String game) {
        TestClickHouse.shared().query(clickhouse, "INSERT INTO casino_events (event_id, customer_id, activity_datetime,"
                + " game_activity, bet_amount, win_amount, bonus_amount, transaction_amount, game_id) VALUES (generateUUIDv4(), '"
                + customer + "', toDateTime64('" + at.toString().replace("T", " ").replace("Z", "") + "', 3, 'UTC'), '"
                + activity + "', " + bet + ", " + win + ", " + bonus + ", 0, '" + game + "')");
    }

    @Test
    void everyRowGetsTheLatestValuesAtOrBeforeItsTimeWithinTheTtlAsCsvAndParquet() throws Exception {
        assertThat(launch("--historical-features.features=customer_lifetime:lifetime_staked,customer_lifetime:lifetime_won")).isZero();

        List<String> csv = Files.readAllLines(dir.resolve("out/training-set.csv"));
        assertThat(csv.get(0)).isEqualTo("\"customer_id\",\"event_timestamp\",\"label\",\"lifetime_staked\",\"lifetime_won\"");
        assertThat(csv.subList(1, csv.size()).stream().map(HistoricalFeaturesTaskTest::customerLabelFeatures).toList()).containsExactly(
                "C1|0|null|null", "C1|1|10|0", "C1|0|10|0", "C1|1|15|30", "C1|0|null|null", "C2|1|7|0", "C9|0|null|null");

        Path parquet = dir.resolve("out/training-set.parquet");
        assertThat(Files.readAllBytes(parquet)).startsWith('P', 'A', 'R', '1');
        assertThat(TestClickHouse.shared().query("SELECT customer_id, label, lifetime_staked FROM file('" + parquet
                + "', Parquet) FORMAT CSV").strip().replace("\"", "").lines().toList()).containsExactly(
                "C1,0,\\N", "C1,1,10", "C1,0,10", "C1,1,15", "C1,0,\\N", "C2,1,7", "C9,0,\\N");
    }

    @Test
    void streamViewsWithoutAnOfflineSourceAndUnknownFeaturesAreRefused() throws Exception {
        FeatureRegistry casino = FeatureRegistryLoader.casino();
        assertThat(casino.featureView("game_stats").orElseThrow().source().offline()).isFalse();
        assertThat(launch("--historical-features.features=game_stats:bet_count_1h")).isEqualTo(1);
        assertThat(launch("--historical-features.features=customer_lifetime:lifetime_stakd")).isEqualTo(1);
        assertThat(Files.exists(dir.resolve("out/training-set.csv"))).isFalse();
    }

    /**
     * customer_activity, a stream view, read through its offline equivalent (a row per event, stamped just after it):
     * every value below is worked out by hand from the events, as the stream's windows held them after the latest
     * event before each row's time (5m: that event's minute and the four before).
     */
    @Test
    void aStreamViewsOfflineEquivalentGivesTheWindowsAsTheyStoodAtEachRowsTime() throws Exception {
        Instant noon = Instant.parse("2026-06-03T12:00:00Z");
        activity("C5", noon.plusSeconds(30), "bet", 2, 0, 0, "g1");
        activity("C5", noon.plusSeconds(40), "win", 2, 5, 0, "g1");
        activity("C5", noon.plusSeconds(130), "bet", 4, 0, 0, "g2");
        activity("C5", noon.plusSeconds(140), "bonus", 0, 0, 1, "g2");
        activity("C5", noon.plusSeconds(1800), "bet", 6, 0, 0, "g1");
        activity("C5", noon.plusSeconds(4200), "bet", 8, 0, 0, "g3");
        StringBuilder rows = new StringBuilder("customer_id,event_timestamp\n");
        for (long seconds : new long[]{30, 35, 60, 135, 180, 1860, 4260, 2 * 86400}) {
            rows.append("C5,").append(noon.plusSeconds(seconds)).append('\n');
        }
        Files.writeString(dir.resolve("entities.csv"), rows);
        assertThat(launch("--historical-features.features=customer_activity:bet_count_5m,customer_activity:bet_sum_5m,"
                + "customer_activity:ggr_5m,customer_activity:bet_count_1h,customer_activity:avg_bet_1h,"
                + "customer_activity:bonus_share_24h,customer_activity:ggr_24h")).isZero();
        List<String> csv = Files.readAllLines(dir.resolve("out/training-set.csv"));
        assertThat(csv.subList(1, csv.size()).stream().map(line -> {
            String[] f = line.replace("\"", "").split(",", -1);
            List<String> values = new ArrayList<>();
            for (int i = 2; i < f.length; i++) {
                values.add(f[i].equals("\\N") ? "null" : new java.math.BigDecimal(f[i]).setScale(4, java.math.RoundingMode.HALF_UP)
                        .stripTrailingZeros().toPlainString());
            }
            return String.join("|", values);
        }).toList()).containsExactly(
                "null|null|null|null|null|null|null",  // 12:00:30, the first event's own time: nothing before it
                "1|2|2|1|2|0|2",                       // 12:00:35: the bet of 2
                "1|2|-3|1|2|0|-3",                     // 12:01: and the win of 5
                "2|6|1|2|3|0|1",                       // 12:02:15: and the bet of 4 (minute 12:02)
                "2|6|0|2|3|0.1667|0",                  // 12:03: and the bonus of 1
                "1|6|6|3|4|0.0833|6",                  // 12:31: 5m holds only 12:30's bet; 1h all three bets
                "1|8|8|2|7|0.05|14",                   // 13:11: 1h is 12:11..13:10 (bets 6 and 8)
                "null|null|null|null|null|null|null"); // two days on: older than the view's 24h TTL
    }

    private int launch(String... extra) {
        List<String> args = new ArrayList<>(List.of("--spring.datasource.url=" + TestPostgres.jdbcUrl(repo),
                "--spring.datasource.username=" + TestPostgres.user(), "--spring.datasource.password=" + TestPostgres.password(),
                "--historical-features.entity-file=" + dir.resolve("entities.csv"),
                "--historical-features.output-dir=" + dir.resolve("out"),
                "--historical-features.clickhouse.url=" + TestClickHouse.jdbcUrl(clickhouse)));
        args.addAll(List.of(extra));
        try {
            return SpringApplication.exit(new SpringApplicationBuilder(HistoricalFeaturesApplication.class).run(args.toArray(String[]::new)));
        } catch (RuntimeException failed) {
            return 1;
        }
    }

    /** customer|label|staked|won of a CSV line, numbers without trailing zeros, NULL as null. */
    private static String customerLabelFeatures(String line) {
        String[] f = line.replace("\"", "").split(",", -1);
        return f[0] + "|" + f[2] + "|" + number(f[3]) + "|" + number(f[4]);
    }

    private static String number(String s) {
        return s.isEmpty() || s.equals("\\N") ? "null" : new java.math.BigDecimal(s).stripTrailingZeros().toPlainString();
    }
}

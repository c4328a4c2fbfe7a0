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
                + " win_amount Decimal(18, 4), bonus_amount Decimal(18, 4), transaction_amount Decimal(18, 4))"
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
        TestClickHouse.shared().query(clickhouse, "INSERT INTO casino_events VALUES (generateUUIDv4(), '" + customer + "', "
                + "toDateTime64('" + at.toString().replace("T", " ").replace("Z", "") + "', 3, 'UTC'), 'bet', " + bet + ", " + win
                + ", 0, 0)");
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
    void aFeatureServiceNamesTheFeaturesAndStreamViewsAreRefused() throws Exception {
        FeatureRegistry casino = FeatureRegistryLoader.casino();
        assertThat(casino.featureService("fraud_detection").orElseThrow()).contains("customer_activity:bet_count_5m");
        assertThat(launch("--historical-features.feature-service=fraud_detection")).isEqualTo(1); // mixes in stream views
        assertThat(launch("--historical-features.features=customer_lifetime:lifetime_stakd")).isEqualTo(1);
        assertThat(Files.exists(dir.resolve("out/training-set.csv"))).isFalse();
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

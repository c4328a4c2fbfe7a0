package io.streamlake.tasks.materialization;

import io.streamlake.features.feast.EntityKey;
import io.streamlake.features.feast.FeastValue;
import io.streamlake.features.redis.FeastRedisWriter;
import io.streamlake.features.redis.OnlineFeatureReader;
import io.streamlake.features.registry.FeatureRegistry;
import io.streamlake.features.registry.FeatureRegistryLoader;
import io.streamlake.features.row.FeatureRow;
import io.streamlake.testsupport.TestClickHouse;
import io.streamlake.testsupport.TestPostgres;
import io.streamlake.testsupport.TestRedis;
import io.streamlake.testsupport.UniqueNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The task against the embedded ClickHouse (offline), the real Redis (online) and PostgreSQL (repositories, state). */
class FeatureMaterializationTaskTest {

    @TempDir
    Path dir;
    private String project;
    private String clickhouse;
    private String repo;
    private String stateSchema;
    private Path registryFile;
    private FeatureRegistry registry;
    private final Instant base = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(3, ChronoUnit.DAYS);

    @BeforeEach
    void stores() throws Exception {
        project = UniqueNames.next("mat");
        clickhouse = TestClickHouse.createDatabase("mat");
        repo = TestPostgres.createSchema("mat_repo");
        stateSchema = TestPostgres.createSchema("mat_state");
        String yaml;
        try (var in = FeatureRegistryLoader.class.getClassLoader().getResourceAsStream("io/streamlake/features/casino-features.yaml")) {
            yaml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        registryFile = dir.resolve("features.yaml");
        Files.writeString(registryFile, yaml.replace("project: casino", "project: " + project).replace("on_demand_feature_views:",
                "  - name: customer_vip\n    entities: [customer]\n    ttl: 30d\n    source: {store: postgres, query: 'SELECT"
                        + " customer_id, event_timestamp, vip_points FROM " + stateSchema + ".vip'}\n    features:\n"
                        + "      - {name: vip_points, dtype: Int64}\n\non_demand_feature_views:"));
        registry = FeatureRegistryLoader.load(registryFile);
        TestPostgres.run("CREATE TABLE " + stateSchema + ".vip (customer_id text, event_timestamp timestamptz, vip_points bigint)");
        TestClickHouse.shared().query(clickhouse, "CREATE TABLE casino_events (event_id UUID, customer_id String,"
                + " activity_datetime DateTime64(3, 'UTC'), game_activity LowCardinality(String), bet_amount Decimal(18, 4),"
                + " win_amount Decimal(18, 4), bonus_amount Decimal(18, 4), transaction_amount Decimal(18, 4))"
                + " ENGINE = ReplacingMergeTree ORDER BY (customer_id, activity_datetime, event_id)");
        event("C1", base.plus(5, ChronoUnit.MINUTES), "bet", 10, 0, 0);
        event("C1", base.plus(10, ChronoUnit.MINUTES), "deposit", 0, 0, 100);
        event("C2", base.plus(24, ChronoUnit.HOURS), "bet", 7, 0, 0);
        event("C1", base.plus(48, ChronoUnit.HOURS), "bet", 5, 0, 0);
        event("C1", base.plus(48, ChronoUnit.HOURS).plus(30, ChronoUnit.MINUTES), "win", 0, 20, 0);
    }

    @AfterEach
    void drop() {
        TestRedis.deleteKeysEndingWith(project);
        TestClickHouse.shared().query("DROP DATABASE IF EXISTS " + clickhouse);
        TestPostgres.dropSchema(repo);
        TestPostgres.dropSchema(stateSchema);
    }

    private void event(String customer, Instant at, String activity, int bet, int win, int transaction) {
        TestClickHouse.shared().query(clickhouse, "INSERT INTO casino_events VALUES (generateUUIDv4(), '" + customer + "', "
                + "toDateTime64('" + at.toString().replace("T", " ").replace("Z", "") + "', 3, 'UTC'), '" + activity + "', "
                + bet + ", " + win + ", 0, " + transaction + ")");
    }

    @Test
    void aRangeRunThenAnIncrementalRunLeaveExactValuesInRedisAndTheCheckAgrees() throws Exception {
        assertThat(launch("--feature-materialization.mode=RANGE", "--feature-materialization.start=" + base.minus(1, ChronoUnit.DAYS),
                "--feature-materialization.end=" + base.plus(36, ChronoUnit.HOURS))).isZero();
        assertThat(online("C1")).containsExactly(10.0, 0.0, 100.0);
        assertThat(online("C2")).containsExactly(7.0, 0.0, 0.0);

        assertThat(launch("--feature-materialization.verify-sample=10")).isZero(); // incremental: from the range's end to now
        assertThat(online("C1")).containsExactly(15.0, 20.0, 100.0);
        assertThat(online("C2")).containsExactly(7.0, 0.0, 0.0);
        assertThat(TestPostgres.rows("SELECT count(*), sum(matched::int) FROM " + stateSchema + ".feature_consistency")).containsExactly("6|6");
        assertThat(TestPostgres.rows("SELECT feature_view FROM " + stateSchema + ".materialization_watermarks ORDER BY 1"))
                .containsExactly("customer_lifetime", "customer_vip");
    }

    @Test
    void theConsistencyCheckFailsWithExitCode2AfterACorruptedOnlineValue() throws Exception {
        assertThat(launch()).isZero();
        try (FeastRedisWriter writer = new FeastRedisWriter(TestRedis.uri(), project, Duration.ZERO, Duration.ofSeconds(5))) {
            writer.write(List.of(new FeatureRow("customer_lifetime", EntityKey.of("customer_id", FeastValue.ofString("C2")),
                    Instant.now(), Map.of("lifetime_staked", FeastValue.ofDouble(7000.0), "lifetime_won", FeastValue.ofDouble(0.0),
                    "lifetime_deposits", FeastValue.ofDouble(0.0)))));
        }
        assertThat(launch("--feature-materialization.verify-sample=10")).isEqualTo(2);
        assertThat(TestPostgres.rows("SELECT entity, feature, online, offline FROM " + stateSchema + ".feature_consistency WHERE NOT matched"))
                .containsExactly("C2|lifetime_staked|7000.0|7.0");
        assertThat(TestPostgres.rows("SELECT exit_code FROM " + repo + ".task_execution ORDER BY task_execution_id")).containsExactly("0", "2");
    }

    @Test
    void aRunFailingAfterAChosenPageResumesThereWithoutRewritingWhatWasDone() throws Exception {
        for (int i = 3; i <= 5; i++) {
            event("C" + i, base.plus(i, ChronoUnit.HOURS), "bet", i, 0, 0);
        }
        assertThat(launch("--feature-materialization.chunk-size=2", "--feature-materialization.fail-after-chunks=1")).isEqualTo(1);
        assertThat(online("C1")).containsExactly(15.0, 20.0, 100.0);
        assertThat(online("C3")).containsNull();

        assertThat(launch("--feature-materialization.chunk-size=2")).isZero();
        assertThat(online("C2")).containsExactly(7.0, 0.0, 0.0);
        assertThat(online("C5")).containsExactly(5.0, 0.0, 0.0);
        assertThat(TestPostgres.rows("SELECT status, write_count FROM " + repo + ".batch_step_execution ORDER BY step_execution_id"))
                .containsExactly("FAILED|2", "COMPLETED|3", "COMPLETED|0"); // then the (empty) warehouse view
    }

    @Test
    void aViewOverThePostgresWarehouseIsMaterializedAndCheckedToo() throws Exception {
        TestPostgres.run("INSERT INTO " + stateSchema + ".vip VALUES ('C1', '" + base + "', 100), ('C1', '" + base.plus(1, ChronoUnit.HOURS)
                    + "', 150), ('C2', '" + base + "', 70), ('C3', '" + Instant.now().plus(1, ChronoUnit.DAYS) + "', 999)");
        assertThat(launch("--feature-materialization.views=customer_vip", "--feature-materialization.verify-sample=5")).isZero();
        assertThat(vipPoints("C1")).isEqualTo(150L);
        assertThat(vipPoints("C2")).isEqualTo(70L);
        assertThat(vipPoints("C3")).as("a row after the run's end is not materialized").isNull();
        assertThat(TestPostgres.rows("SELECT count(*), sum(matched::int) FROM " + stateSchema + ".feature_consistency")).containsExactly("2|2");
    }

    private Long vipPoints(String customer) {
        try (OnlineFeatureReader reader = new OnlineFeatureReader(registry, TestRedis.uri(), Duration.ofSeconds(5), Clock.systemUTC())) {
            OnlineFeatureReader.FeatureValue v = reader.read(List.of(new OnlineFeatureReader.FeatureRef("customer_vip", "vip_points")),
                    Map.of("customer_id", List.of(FeastValue.ofString(customer)))).get(0).get(0);
            return v.value() == null ? null : (Long) v.value().value();
        }
    }

    @Test
    void anUnknownViewFailsTheTaskAtStart() {
        assertThat(launch("--feature-materialization.views=customer_lifetme")).isEqualTo(1);
    }

    private int launch(String... extra) {
        List<String> args = new ArrayList<>(List.of("--spring.datasource.url=" + TestPostgres.jdbcUrl(repo),
                "--spring.datasource.username=" + TestPostgres.user(), "--spring.datasource.password=" + TestPostgres.password(),
                "--feature-materialization.registry-file=" + registryFile,
                "--feature-materialization.state-schema=" + stateSchema,
                "--feature-materialization.clickhouse.url=" + TestClickHouse.jdbcUrl(clickhouse),
                "--feature-materialization.redis.uri=" + TestRedis.uri()));
        args.addAll(List.of(extra));
        try {
            return SpringApplication.exit(new SpringApplicationBuilder(FeatureMaterializationApplication.class).run(args.toArray(String[]::new)));
        } catch (RuntimeException failed) {
            return 1;
        }
    }

    /** The customer's three lifetime features as Redis serves them (nulls when absent). */
    private List<Double> online(String customer) {
        try (OnlineFeatureReader reader = new OnlineFeatureReader(registry, TestRedis.uri(), Duration.ofSeconds(5), Clock.systemUTC())) {
            List<OnlineFeatureReader.FeatureRef> refs = List.of(new OnlineFeatureReader.FeatureRef("customer_lifetime", "lifetime_staked"),
                    new OnlineFeatureReader.FeatureRef("customer_lifetime", "lifetime_won"),
                    new OnlineFeatureReader.FeatureRef("customer_lifetime", "lifetime_deposits"));
            List<List<OnlineFeatureReader.FeatureValue>> values = reader.read(refs, Map.of("customer_id", List.of(FeastValue.ofString(customer))));
            List<Double> out = new ArrayList<>();
            for (List<OnlineFeatureReader.FeatureValue> column : values) {
                OnlineFeatureReader.FeatureValue v = column.get(0);
                out.add(v.value() == null ? null : (Double) v.value().value());
            }
            return out;
        }
    }
}

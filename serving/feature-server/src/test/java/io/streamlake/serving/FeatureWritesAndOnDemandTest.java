package io.streamlake.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisURI;
import io.streamlake.features.feast.EntityKey;
import io.streamlake.features.feast.FeastValue;
import io.streamlake.features.redis.FeastRedisWriter;
import io.streamlake.features.registry.FeatureRegistryLoader;
import io.streamlake.features.row.FeatureRow;
import io.streamlake.testsupport.TestFeatureDefinitions;
import io.streamlake.testsupport.TestRedis;
import io.streamlake.testsupport.UniqueNames;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On-demand features, Feast's /push and /write-to-online-store, and /features/views with freshness, over HTTP against
 * the real Redis, in a project of the test's own (the casino definitions under a unique project name).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
class FeatureWritesAndOnDemandTest {

    static final String PROJECT = UniqueNames.next("casino");
    static final Path DEFINITIONS = definitions();
    static final String REDIS = "redis://" + TestRedis.host() + ":" + TestRedis.port();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    static Path definitions() {
        try {
            return TestFeatureDefinitions.withProject("io/streamlake/features/casino-features.yaml", PROJECT,
                    Files.createTempDirectory("features"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("feature-server.redis-uri", () -> REDIS);
        registry.add("feature-server.definitions", DEFINITIONS::toString);
    }

    @org.junit.jupiter.api.AfterAll
    static void deleteKeys() {
        TestRedis.deleteKeysEndingWith(PROJECT); // the entity keys end with the project, the freshness hash too
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static void assertError(HttpResponse<String> r, int status, String message) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(JSON.readTree(r.body()).path("error").asText()).contains(message);
    }

    @Test
    void onDemandFeaturesAreComputedFromRequestDataAndStoredFeatures() throws Exception {
        try (FeastRedisWriter writer = new FeastRedisWriter(RedisURI.create(REDIS), PROJECT, Duration.ZERO,
                Duration.ofSeconds(5))) {
            writer.write(List.of(new FeatureRow("customer_activity", EntityKey.of("customer_id", FeastValue.ofString("C1")),
                    Instant.parse("2099-01-01T00:00:00Z"), Map.of("avg_bet_1h", FeastValue.ofDouble(4.0),
                            "bet_count_5m", FeastValue.ofInt64(2)))));
        }
        HttpResponse<String> r = post("/get-online-features", """
                {"features": ["customer_activity:bet_count_5m", "bet_vs_average:bet_to_avg_bet_1h",
                              "bet_vs_average:bet_above_5x_avg_1h"],
                 "entities": {"customer_id": ["C1", "C1", "C404"], "bet_amount": [10.0, 30, 7.5]}}""");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body())).isEqualTo(JSON.readTree("""
                {"metadata": {"feature_names": ["customer_id", "bet_amount", "bet_count_5m", "bet_to_avg_bet_1h", "bet_above_5x_avg_1h"]},
                 "results": [
                   {"values": ["C1", "C1", "C404"], "statuses": ["PRESENT", "PRESENT", "PRESENT"],
                    "event_timestamps": ["1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z"]},
                   {"values": [10.0, 30, 7.5], "statuses": ["PRESENT", "PRESENT", "PRESENT"],
                    "event_timestamps": ["1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z"]},
                   {"values": [2, 2, null], "statuses": ["PRESENT", "PRESENT", "NOT_FOUND"],
                    "event_timestamps": ["2099-01-01T00:00:00Z", "2099-01-01T00:00:00Z", "1970-01-01T00:00:00Z"]},
                   {"values": [2.5, 7.5, null], "statuses": ["PRESENT", "PRESENT", "NOT_FOUND"],
                    "event_timestamps": ["2099-01-01T00:00:00Z", "2099-01-01T00:00:00Z", "1970-01-01T00:00:00Z"]},
                   {"values": [false, true, false], "statuses": ["PRESENT", "PRESENT", "PRESENT"],
                    "event_timestamps": ["2099-01-01T00:00:00Z", "2099-01-01T00:00:00Z", "1970-01-01T00:00:00Z"]}]}
                """));
        assertError(post("/get-online-features", """
                {"features": ["bet_vs_average:bet_to_avg_bet_1h"], "entities": {"customer_id": ["C1"], "bet_amount": ["ten"]}}"""),
                400, "request field 'bet_amount' takes Float64 values, got \"ten\"");
        assertError(post("/get-online-features", """
                {"features": ["bet_vs_average:bet_to_avg_bet_1h"], "entities": {"customer_id": ["C1"]}}"""),
                400, "need request data 'bet_amount'");
        assertError(post("/get-online-features", """
                {"features": ["bet_vs_average:nope"], "entities": {"customer_id": ["C1"], "bet_amount": [1]}}"""),
                400, "on-demand feature view 'bet_vs_average' has no feature 'nope'");
        assertError(post("/get-online-features", """
                {"features": ["customer_activity:avg_bet_1h"], "entities": {"customer_id": ["C1"], "bet_amount": [1]}}"""),
                400, "'bet_amount' is not the join key of any entity");
    }

    @Test
    void pushAndWriteToOnlineStoreValidateAndKeepTheNewestRow() throws Exception {
        HttpResponse<String> r = post("/push", """
                {"push_source_name": "customer_risk_push", "to": "online",
                 "df": {"customer_id": ["P1", "P2"], "event_timestamp": ["2099-01-02 10:00:00", "2099-01-02T10:00:00Z"],
                        "manual_review": [true, false], "risk_note": ["chargebacks", null], "created": [0, 0]}}""");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("written").asInt()).isEqualTo(2);
        // an older row for P1: skipped as stale, as the sink does
        r = post("/push", """
                {"push_source_name": "customer_risk_push",
                 "df": {"customer_id": ["P1"], "event_timestamp": [4070000000], "manual_review": [false]}}""");
        assertThat(JSON.readTree(r.body()).get("stale_skipped").asInt()).as(r.body()).isEqualTo(1);
        r = post("/write-to-online-store", """
                {"feature_view_name": "customer_activity",
                 "df": {"customer_id": ["P1"], "event_timestamp": ["2099-01-02T10:00:00Z"], "bet_count_5m": [7]}}""");
        assertThat(JSON.readTree(r.body()).get("written").asInt()).as(r.body()).isEqualTo(1);

        JsonNode read = JSON.readTree(post("/get-online-features", """
                {"features": ["customer_risk:manual_review", "customer_risk:risk_note", "customer_activity:bet_count_5m"],
                 "entities": {"customer_id": ["P1", "P2"]}}""").body());
        assertThat(read.at("/results/1/values").toString()).isEqualTo("[true,false]");
        assertThat(read.at("/results/1/event_timestamps/0").asText()).isEqualTo("2099-01-02T10:00:00Z");
        assertThat(read.at("/results/2/values").toString()).isEqualTo("[\"chargebacks\",null]");
        assertThat(read.at("/results/3/values/0").asInt()).isEqualTo(7);

        assertError(post("/push", "{\"push_source_name\": \"nope\", \"df\": {\"customer_id\": [\"P1\"]}}"), 404,
                "no feature view is fed by push source 'nope'");
        assertError(post("/push", """
                {"push_source_name": "customer_risk_push", "to": "offline",
                 "df": {"customer_id": ["P1"], "event_timestamp": [1], "manual_review": [true]}}"""), 400, "online store only");
        assertError(post("/push", """
                {"push_source_name": "customer_risk_push",
                 "df": {"customer_id": ["P1"], "event_timestamp": [1], "manual_review": ["yes"]}}"""), 400,
                "df column 'manual_review', row 0: \"yes\" is not a Bool");
        assertError(post("/push", """
                {"push_source_name": "customer_risk_push",
                 "df": {"customer_id": ["P1"], "event_timestamp": ["yesterday"], "manual_review": [true]}}"""), 400,
                "'yesterday' is not a timestamp".replace("'", "\""));
        assertError(post("/push", """
                {"push_source_name": "customer_risk_push",
                 "df": {"customer_id": ["P1"], "event_timestamp": [1], "colour": ["red"]}}"""), 400,
                "df column 'colour' is neither a join key");
        assertError(post("/push", """
                {"push_source_name": "customer_risk_push", "df": {"event_timestamp": [1], "manual_review": [true]}}"""), 400,
                "needs the join key column 'customer_id'");
        assertError(post("/write-to-online-store", "{\"feature_view_name\": \"nope\", \"df\": {}}"), 404,
                "unknown feature view 'nope'");
        assertError(post("/push", "[1, 2]"), 400, "must be a JSON object");
    }

    @Test
    void featureViewsListsSourcesTtlsAndFreshness() throws Exception {
        Instant recent = Instant.now().minusSeconds(30).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        try (FeastRedisWriter writer = new FeastRedisWriter(RedisURI.create(REDIS), PROJECT, Duration.ZERO,
                Duration.ofSeconds(5))) {
            FeatureRow row = new FeatureRow("game_stats", EntityKey.of("game_id", FeastValue.ofString("slots-1")), recent,
                    Map.of("bet_count_1h", FeastValue.ofInt64(1)));
            writer.write(List.of(row, new FeatureRow("game_stats", row.entityKey(), recent.minusSeconds(60), row.values())));
            writer.write(List.of(new FeatureRow("game_stats", row.entityKey(), recent.minusSeconds(120), row.values())));
            assertThat(writer.stats("game_stats").written()).isEqualTo(1);
            assertThat(writer.stats("game_stats").stale()).isEqualTo(2);
        }
        JsonNode views = get("/features/views");
        assertThat(views.get("project").asText()).isEqualTo(PROJECT);
        JsonNode games = null;
        for (JsonNode v : views.get("feature_views")) {
            if (v.get("name").asText().equals("game_stats")) {
                games = v;
            }
        }
        assertThat(games).isNotNull();
        assertThat(games.get("ttl_seconds").asLong()).isEqualTo(7200);
        assertThat(games.at("/source/kind").asText()).isEqualTo("stream-aggregation");
        assertThat(games.at("/source/contract").asText()).isEqualTo("casino-activity");
        assertThat(games.at("/freshness/newest_event_timestamp").asText()).isEqualTo(recent.toString());
        assertThat(games.at("/freshness/freshness_seconds").asDouble()).isBetween(29.0, 120.0);
        assertThat(games.at("/freshness/rows_written").asLong()).isEqualTo(1);
        assertThat(games.at("/freshness/stale_rows_skipped").asLong()).isEqualTo(2);
        assertThat(views.at("/on_demand_feature_views/0/name").asText()).isEqualTo("bet_vs_average");
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).containsPattern("feature_freshness_seconds\\{feature_view=\"game_stats\"[^}]*} [3-9][0-9]\\.");
    }
}
